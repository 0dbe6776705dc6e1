"""The import contract: the floors of src/screener/ point down only, and the rules that keep the
core pure and the terminal in one place hold. Every import counts, lazy ones inside functions
and TYPE_CHECKING ones included: an import that climbs a floor is a dependency either way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "screener"
FLOORS = {"core": 0, "data": 1, "app": 2}
TOP = 3  # cli.py, render.py and the package itself
PROCESS_MODULES = ("multiprocessing", "concurrent", "subprocess", "threading", "signal")


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _floor(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return 0  # the package itself holds only __version__ and imports nothing (tested below)
    return FLOORS.get(parts[1], TOP)


def _imports(module: str) -> set[str]:
    """Every module ``module`` imports (screener's resolved to the module file, others by top name)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return found


def _internal(module: str) -> set[str]:
    out = set()
    for name in _imports(module):
        while name and name not in MODULES and name.startswith("screener"):
            name = name.rsplit(".", 1)[0] if "." in name else ""
        if name in MODULES and name != module:
            out.add(name)
    return out


def test_the_package_itself_imports_nothing() -> None:
    assert _imports("screener") <= {"__future__"}


def test_the_modules_are_found() -> None:
    assert {"screener.cli", "screener.render", "screener.core.scoring", "screener.data.store",
            "screener.app.pipeline", "screener.data.load.export"} <= set(MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_floors(module: str) -> None:
    climbing = sorted(dep for dep in _internal(module) if _floor(dep) > _floor(module))
    assert not climbing, f"{module} (floor {_floor(module)}) imports higher floors: {climbing}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_typer_only_in_cli_and_rich_only_in_render(module: str) -> None:
    tops = {name.split(".")[0] for name in _imports(module)}
    if module != "screener.cli":
        assert "typer" not in tops, module
    if module != "screener.render":
        assert "rich" not in tops, module


# The language libraries: what screener knows about words lives in core/words.py alone.
LANGUAGE_LIBRARIES = ("opencc", "snowballstemmer", "wordfreq")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_language_libraries_only_in_the_words_module(module: str) -> None:
    tops = {name.split(".")[0] for name in _imports(module)}
    if module != "screener.core.words":
        assert not tops & set(LANGUAGE_LIBRARIES), f"{module} imports {sorted(tops & set(LANGUAGE_LIBRARIES))}"
    else:
        assert set(LANGUAGE_LIBRARIES) <= tops  # the test would pass vacuously if they moved


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _floor(m) == 0))
def test_the_core_starts_no_processes(module: str) -> None:
    tops = {name.split(".")[0] for name in _imports(module)}
    assert not tops & set(PROCESS_MODULES), f"{module} imports {sorted(tops & set(PROCESS_MODULES))}"


def test_no_import_cycles() -> None:
    graph = {m: _internal(m) for m in MODULES}
    # A package imports what it re-exports; its own modules importing a sibling through it is no cycle.
    for m, deps in graph.items():
        graph[m] = {d for d in deps if not (MODULES[d].name == "__init__.py" and m.startswith(d + "."))}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycle = path[path.index(dep):] + [dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_no_test_switches_in_production_code() -> None:
    for module, path in MODULES.items():
        assert "SCREENER_TEST_" not in path.read_text(encoding="utf-8"), module


def test_tests_never_wait_with_a_fixed_sleep() -> None:
    # A polling loop with a deadline (conftest.wait_for) is fine; a fixed pause flakes on a busy machine.
    for path in sorted((ROOT / "tests").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        sleeps = [n for n, line in enumerate(text.splitlines(), 1) if re.search(r"\btime\.sleep\(", line)]
        allowed = path.name == "conftest.py" and len(sleeps) == 1
        assert not sleeps or allowed, f"{path.name}: time.sleep on lines {sleeps}"
