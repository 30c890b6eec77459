"""The shape of the package: no import cycles, and the jobs stay independent of each other."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import claude_compliance

ROOT = Path(claude_compliance.__file__).parent


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = ["claude_compliance", *path.relative_to(ROOT).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _import_graph() -> dict[str, set[str]]:
    """Each module's module-level imports inside the package (``TYPE_CHECKING`` ones included)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rsplit(".", 1)[0]
        statements = []
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            statements += node.body if isinstance(node, ast.If) else [node]
        targets: set[str] = set()
        for node in statements:
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - max(node.level - 1, 0)]
                module = ".".join([*base, node.module] if node.module else base)
                if not node.level:
                    module = node.module or ""
                for alias in node.names:
                    targets.add(
                        f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules else module
                    )
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycles() -> None:
    graph = _import_graph()
    assert "claude_compliance.emulator.state" in graph["claude_compliance.emulator.control"]
    assert _cycles(graph) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_jobs_depend_on_the_archive_only_where_they_read_it() -> None:
    graph = _import_graph()

    def uses(package: str, other: str) -> list[str]:
        return [
            module
            for module, targets in graph.items()
            if module == package or module.startswith(package + ".")
            if any(t == other or t.startswith(other + ".") for t in targets)
        ]

    archive, tail, export = (f"claude_compliance.{job}" for job in ("archive", "tail", "export"))
    assert uses(tail, archive) == [] and uses(tail, export) == []
    assert uses(archive, tail) == [] and uses(archive, export) == []
    # The live eDiscovery export reads the API; only the export from an archive reads one.
    assert set(uses(export, archive)) <= {f"{export}.from_archive"}


def test_the_emulator_speaks_sql_only_in_its_store() -> None:
    sql = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|\.execute\(")
    emulator = ROOT / "emulator"
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(emulator.rglob("*.py"))
        if "store" not in path.relative_to(emulator).parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if sql.search(line)
    ]
    assert offenders == []
    assert sql.search('conn.execute("DELETE FROM files WHERE id = ?")')
