"""The console script: runs the CLI, or says which extra is missing."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from claude_compliance import _cli_entry


def test_entry_runs_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", ["claude-compliance", "--version"])
    with pytest.raises(SystemExit) as stopped:
        _cli_entry.main()
    assert stopped.value.code == 0
    assert "claude-compliance, version" in capsys.readouterr().out


@pytest.mark.parametrize(("missing", "explained"), [("click", True), ("yaml", False)])
def test_entry_without_the_cli_extra(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    missing: str,
    explained: bool,
) -> None:
    real_import = builtins.__import__

    def without_extra(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "cli" and args[3:4] == (1,):  # the entry point's relative import
            raise ModuleNotFoundError(f"No module named {missing!r}", name=missing)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_extra)
    if not explained:
        with pytest.raises(ModuleNotFoundError):
            _cli_entry.main()
        return
    with pytest.raises(SystemExit) as stopped:
        _cli_entry.main()
    assert stopped.value.code == 2
    assert "pip install 'claude-compliance[cli]'" in capsys.readouterr().err


def test_cli_state_never_shows_the_key() -> None:
    import dataclasses

    from claude_compliance.cli.app import CliState

    (key_field,) = [f for f in dataclasses.fields(CliState) if f.name == "api_key"]
    assert key_field.repr is False
