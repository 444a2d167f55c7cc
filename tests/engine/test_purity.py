"""The engine stays free of web and UI frameworks, and of runstrong's own front ends and
exporters, so every front end can share it: it imports the standard library, pydantic and
itself, nothing else (import-linter checks the same rule in `make lint`)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import runstrong.engine

ALLOWED_OUTSIDE_STDLIB = {"pydantic", "pydantic_core", "typing_extensions"}


def _imported(path: Path) -> list[str]:
    """Absolute module names a file imports; relative imports stay inside the engine."""
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _allowed(name: str) -> bool:
    top = name.split(".")[0]
    if top == "runstrong":
        return name == "runstrong.engine" or name.startswith("runstrong.engine.")
    return top in sys.stdlib_module_names or top in ALLOWED_OUTSIDE_STDLIB


def test_engine_imports_only_stdlib_pydantic_and_itself() -> None:
    root = Path(runstrong.engine.__file__).parent
    offenders = [
        f"{path.name}: {name}"
        for path in sorted(root.rglob("*.py"))
        for name in _imported(path)
        if not _allowed(name)
    ]
    assert offenders == []


def test_the_rule_names_what_it_refuses() -> None:
    """The check would catch the imports the engine must never make."""
    refused = [
        "runstrong.web.coaching.models", "runstrong.api", "runstrong.cli.main",
        "runstrong.exports.ics", "django.db", "ninja", "typer", "rich.text",
    ]  # fmt: skip
    assert [name for name in refused if _allowed(name)] == []
    assert all(_allowed(name) for name in ("datetime", "pydantic", "runstrong.engine.catalog"))
