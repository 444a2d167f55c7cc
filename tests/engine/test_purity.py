"""The engine stays free of web and UI frameworks so every front end can share it."""

from __future__ import annotations

import ast
from pathlib import Path

import runstrong.engine

FORBIDDEN = {"django", "ninja", "typer", "rich", "icalendar", "click", "starlette", "flask"}


def test_engine_imports_no_framework() -> None:
    root = Path(runstrong.engine.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
