# Two jobs: `make demo` (the main job, against a local emulator) and `make test` (everything CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SEED_CHECK := ../shared/tools/check_seed_api.py

.PHONY: install browser test lint typecheck unit demo docs bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pip install --quiet -e '.[all,dev]'
	touch $@

install: $(BIN)/.installed

# The workspace's browser tests drive Debian's chromium through Playwright (which never
# downloads a browser of its own here). Needs root or sudo for apt-get.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; \
	fi

lint: install
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest --cov --cov-branch --cov-report=term --cov-fail-under=90

test: lint typecheck
	@if [ -f $(SEED_CHECK) ]; then $(BIN)/python $(SEED_CHECK); fi
	$(MAKE) unit

demo: install
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: install
	$(BIN)/python benchmarks/activities_throughput.py
	$(BIN)/python benchmarks/emulator_scale.py
	$(BIN)/python benchmarks/archive_rate_budget.py
	$(BIN)/python benchmarks/workspace.py
	$(BIN)/python benchmarks/transport_overhead.py
	$(BIN)/python benchmarks/archive_requests.py
	$(BIN)/python benchmarks/hostile_memory.py

clean:
	rm -rf $(VENV) site .coverage .pytest_cache .mypy_cache .ruff_cache
