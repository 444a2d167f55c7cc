"""`runstrong catalog`: check a coach's catalog file, or print the defaults to start one."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from runstrong.engine.catalog import load_catalog

catalog_app = typer.Typer(
    help="Check or print the exercise catalog.", no_args_is_help=True, rich_markup_mode=None
)


@catalog_app.command("check")
def catalog_check(
    path: Annotated[Path, typer.Argument(help="Catalog TOML file to validate.", dir_okay=False)],
) -> None:
    """Validate a catalog file; errors name the file, the key and what was expected."""
    catalog = load_catalog(path)
    weak = sum(1 for source in catalog.sources.values() if source.weak)
    typer.echo(
        f"ok: {path}: {len(catalog.exercises)} exercises, {len(catalog.substitutes)} substitutes, "
        f"{len(catalog.groups)} event groups, {len(catalog.sources)} sources ({weak} weak)"
    )


@catalog_app.command("show")
def catalog_show() -> None:
    """Print the default catalog, to copy and edit."""
    text = resources.files("runstrong.engine").joinpath("data/catalog.toml").read_text("utf-8")
    typer.echo(text, nl=False)
