"""Club benchmark standards: the catalog defaults with a club's own targets laid over them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from runstrong.engine.catalog import Catalog, load_catalog
from runstrong.web.coaching.models import Club, ClubStandard


@dataclass(frozen=True)
class StandardCell:
    group: str
    movement: str
    movement_name: str
    unit: str
    default: float
    target: float
    keys: tuple[str, ...]
    weak: bool

    @property
    def field(self) -> str:
        return f"{self.group}__{self.movement}"

    @property
    def changed(self) -> bool:
        return self.target != self.default


def club_catalog(club: Club, catalog: Catalog | None = None) -> Catalog:
    """The catalog whose group standards carry the club's own targets."""
    base = catalog or load_catalog()
    own = {
        (row.event_group, row.movement): row.target
        for row in ClubStandard.objects.filter(club=club)
    }
    if not own:
        return base
    groups = tuple(
        group.model_copy(
            update={
                "standards": tuple(
                    standard.model_copy(
                        update={"target": own.get((group.slug, standard.movement), standard.target)}
                    )
                    for standard in group.standards
                )
            }
        )
        for group in base.groups
    )
    return base.model_copy(update={"groups": groups})


def standard_cells(club: Club) -> list[StandardCell]:
    base = load_catalog()
    mine = club_catalog(club, base)
    units = {"reps": "reps", "seconds": "s", "kg_per_kg": "× body mass"}
    cells = []
    for default_group, group in zip(base.groups, mine.groups, strict=True):
        for default, standard in zip(default_group.standards, group.standards, strict=True):
            movement = base.movement(standard.movement)
            cells.append(
                StandardCell(
                    group=group.slug,
                    movement=movement.slug,
                    movement_name=movement.name,
                    unit=units[movement.measure] + (" per side" if movement.per_side else ""),
                    default=default.target,
                    target=standard.target,
                    keys=default.sources,
                    weak=default.weak or base.is_weak(default.sources),
                )
            )
    return cells


def standards_save(*, club: Club, targets: dict[tuple[str, str], float]) -> None:
    """Store the club's targets; a target equal to the default removes the override."""
    defaults = {(cell.group, cell.movement): cell.default for cell in standard_cells(club)}
    with transaction.atomic():
        for key, target in targets.items():
            if key not in defaults:
                continue
            group, movement = key
            if target == defaults[key]:
                ClubStandard.objects.filter(
                    club=club, event_group=group, movement=movement
                ).delete()
            else:
                ClubStandard.objects.update_or_create(
                    club=club, event_group=group, movement=movement, defaults={"target": target}
                )


STANDARDS_SCHEMA = "runstrong.standards/1"


class StandardsFileError(ValueError):
    """A problem in an uploaded standards file, naming where it is."""


def standards_data(club: Club) -> dict[str, object]:
    """The club's standards as `runstrong.standards/1` JSON data, ready to edit and import."""
    groups: dict[str, dict[str, float]] = {}
    for cell in standard_cells(club):
        groups.setdefault(cell.group, {})[cell.movement] = cell.target
    return {"schema": STANDARDS_SCHEMA, "groups": groups}


def standards_parse(club: Club, data: object) -> dict[tuple[str, str], float]:
    """Targets from uploaded JSON; raises StandardsFileError naming the key that is wrong."""
    if not isinstance(data, dict) or data.get("schema") != STANDARDS_SCHEMA:
        raise StandardsFileError(f'schema: expected "{STANDARDS_SCHEMA}"')
    groups = data.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise StandardsFileError("groups: expected an object of event groups")
    known = {(cell.group, cell.movement) for cell in standard_cells(club)}
    known_groups = sorted({group for group, _ in known})
    targets: dict[tuple[str, str], float] = {}
    for group, movements in groups.items():
        if group not in known_groups:
            raise StandardsFileError(f"groups.{group}: expected one of {', '.join(known_groups)}")
        if not isinstance(movements, dict):
            raise StandardsFileError(f"groups.{group}: expected an object of movements")
        for movement, target in movements.items():
            where = f"groups.{group}.{movement}"
            if (group, movement) not in known:
                raise StandardsFileError(f"{where}: not a benchmark movement")
            if isinstance(target, bool) or not isinstance(target, int | float) or target <= 0:
                raise StandardsFileError(f"{where}: expected a number above 0, got {target!r}")
            targets[(group, movement)] = float(target)
    return targets
