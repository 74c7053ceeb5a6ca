"""``access`` sits in the record layer: it imports Django, the ground, the spine and the record, never a
room above it, and nothing outside it imports its private names."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ACCESS = Path(__file__).resolve().parent.parent
ROOT = ACCESS.parent
ALLOWED = {"access", "accounts", "audit", "cases", "core", "survivors", "django", "__future__"}


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module, line, inside a function) for each import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, nested) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                module = "." * child.level + (child.module or "")
                found.append((module, child.lineno, nested))
            visit(child, inner)

    visit(tree, False)
    return found


def _sources() -> list[Path]:
    return [p for p in ACCESS.glob("*.py")]


def test_access_imports_no_room_and_defers_no_import() -> None:
    wrong = []
    for path in _sources():
        for module, line, nested in _imports(path):
            top = module.split(".")[0]
            if module.startswith(".") or top in sys.stdlib_module_names:
                ok = True
            else:
                ok = top in ALLOWED
            if not ok or nested:
                wrong.append(f"{path.name}:{line} {module}{' (inside a function)' if nested else ''}")
    assert wrong == []


def test_no_module_imports_a_private_name_of_access() -> None:
    wrong = []
    for path in ROOT.glob("**/*.py"):
        if ".venv" in path.parts or path.is_relative_to(ACCESS):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "access":
                wrong += [f"{path.relative_to(ROOT)}:{node.lineno}" for a in node.names if a.name.startswith("_")]
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name)
                    and (node.value.id == "policy" or node.value.id.endswith("_access"))):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert wrong == []
