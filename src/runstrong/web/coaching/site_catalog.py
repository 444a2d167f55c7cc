"""The site's one catalog: settings.RUNSTRONG_CATALOG (or the packaged defaults).

Every group, movement, threshold and label the pages, the API and the exports show comes from
here, and the engine is handed this catalog. A system check loads it at start-up, so a wrong
path or a broken file stops `manage check`, `runstrong serve` and `demo` with one line naming
the file and the problem, instead of every page answering 500.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError

from runstrong.engine.catalog import Catalog, load_catalog
from runstrong.engine.errors import CatalogError

# The event_group columns' width (models.py): a catalog's group slug must fit in it.
GROUP_SLUG_MAX = 16


def site_catalog() -> Catalog:
    """Parsed once and reused until the file changes on disk (engine.catalog.load_catalog)."""
    return load_catalog(settings.RUNSTRONG_CATALOG or None)


def group_choices() -> list[tuple[str, str]]:
    """`[("800-1500m", "800–1500 m"), …]` in the catalog's order, for forms and filters."""
    return [(group.slug, group.name) for group in site_catalog().groups]


def group_names() -> dict[str, str]:
    return dict(group_choices())


def validate_event_group(value: str) -> None:
    """A model field validator: the group must be one of the catalog's, whatever the catalog
    (no `choices`, so a club catalog with another group needs no migration)."""
    names = group_names()
    if value not in names:
        raise ValidationError(
            "%(value)s is not an event group of the catalog; expected one of %(groups)s.",
            code="not_in_catalog",
            params={"value": value, "groups": ", ".join(names)},
        )


@checks.register("runstrong")
def check_catalog(**_: Any) -> list[checks.CheckMessage]:
    """runstrong.E001: the catalog loads; runstrong.E002: its group slugs fit the database."""
    try:
        catalog = site_catalog()
    except CatalogError as error:
        return [
            checks.Error(
                f"RUNSTRONG_CATALOG: {error}",
                hint="Fix the file (`runstrong catalog check FILE` names every key) or unset "
                "RUNSTRONG_CATALOG for the packaged defaults.",
                id="runstrong.E001",
            )
        ]
    source = settings.RUNSTRONG_CATALOG or "the packaged catalog"
    return [
        checks.Error(
            f"RUNSTRONG_CATALOG: {source}: groups[{index}].slug: at most {GROUP_SLUG_MAX} "
            f"characters, not {group.slug!r}",
            id="runstrong.E002",
        )
        for index, group in enumerate(catalog.groups)
        if len(group.slug) > GROUP_SLUG_MAX
    ]


_CATALOG_DIGESTS: dict[int, tuple[Catalog, str]] = {}


def catalog_digest(catalog: Catalog) -> str:
    """A club can edit its catalog file without renaming it: its content names it here."""
    known = _CATALOG_DIGESTS.get(id(catalog))
    if known is None or known[0] is not catalog:
        text = catalog.model_dump_json()
        known = _CATALOG_DIGESTS[id(catalog)] = (
            catalog,
            hashlib.blake2b(text.encode(), digest_size=8).hexdigest(),
        )
    return known[1]
