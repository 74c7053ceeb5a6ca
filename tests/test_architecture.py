"""The shape of the house, checked on every `make test`: no import cycles between modules or between
rooms, and an import deferred into a function only with a one-line reason (a comment on the import or above its group).

The layers themselves are import-linter contracts (``[tool.importlinter]`` in pyproject.toml, run by
``make test`` as ``lint-imports``); this module checks what those contracts cannot express."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterable
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return list(config["tool"]["importlinter"]["root_packages"])


def _is_product(module: str) -> bool:
    parts = module.split(".")
    return not any(p in ("tests", "migrations", "conftest") or p.startswith("test_") for p in parts)


def _cycles(nodes: Iterable[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*_packages(), cache_dir=None)


def test_no_module_imports_another_in_a_circle(graph: grimp.ImportGraph) -> None:
    modules = {m for m in graph.modules if _is_product(m)}
    edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules} for m in modules}
    assert _cycles(modules, edges) == []


def _deferred_imports_without_reason() -> list[str]:
    """Imports inside a function whose group (the imports next to each other) has no comment above it
    or on its line: the comment says why the import cannot sit at the top of the module."""
    missing = []
    for package in _packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if not _is_product(".".join(relative.with_suffix("").parts)):
                continue
            source = path.read_text()
            lines = source.splitlines()
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                imports = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
                spans = {line for n in imports for line in range(n.lineno, (n.end_lineno or n.lineno) + 1)}
                for inner in imports:
                    if "#" in lines[inner.lineno - 1]:
                        continue
                    above = inner.lineno - 1
                    while above >= 1 and (above in spans or not lines[above - 1].strip()):
                        if "#" in lines[above - 1]:
                            break
                        above -= 1
                    if above < 1 or not lines[above - 1].strip().startswith("#") and "#" not in lines[above - 1]:
                        missing.append(f"{relative}:{inner.lineno}: {lines[inner.lineno - 1].strip()}")
    return sorted(set(missing))


def test_an_import_inside_a_function_says_why() -> None:
    assert _deferred_imports_without_reason() == []


def test_every_room_with_tests_is_in_the_suite() -> None:
    """A room's tests run in `make test` only if pytest's testpaths name the room."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    testpaths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {package for package in _packages() if (ROOT / package / "tests").is_dir()}
    assert with_tests - testpaths == set()
