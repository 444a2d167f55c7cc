"""Club benchmark standards: the catalog defaults with a club's own targets laid over them."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction

from runstrong.engine.benchmarks import SEX_WORDS, UNIT_NAMES
from runstrong.engine.catalog import SEXES, Catalog
from runstrong.web.coaching.models import Club, ClubStandard
from runstrong.web.coaching.site_catalog import site_catalog


@dataclass(frozen=True)
class SexFigureCell:
    """A source's own figure for one sex: it applies to them whatever the club's target."""

    sex: str
    target: float
    close_from: float | None
    keys: tuple[str, ...]
    weak: bool


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
    screen: bool = False
    by_sex: tuple[SexFigureCell, ...] = ()
    applies_to: str = ""

    @property
    def field(self) -> str:
        return f"{self.group}__{self.movement}"

    @property
    def changed(self) -> bool:
        return self.target != self.default


def club_catalog(club: Club, catalog: Catalog | None = None) -> Catalog:
    """The catalog whose group standards carry the club's own targets.

    A club's target is its coach's figure, so it is labelled weak whatever the default's
    source; a source's own figures for a sex (`by_sex`) still apply to that sex.
    """
    base = catalog or site_catalog()
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
                        update={
                            "target": own[(group.slug, standard.movement)],
                            "close_from": None,
                            "weak": True,
                        }
                    )
                    if (group.slug, standard.movement) in own
                    else standard
                    for standard in group.standards
                )
            }
        )
        for group in base.groups
    )
    return base.model_copy(update={"groups": groups})


def standard_cells(club: Club) -> list[StandardCell]:
    base = site_catalog()
    mine = club_catalog(club, base)
    cells = []
    for default_group, group in zip(base.groups, mine.groups, strict=True):
        for default, standard in zip(default_group.standards, group.standards, strict=True):
            movement = base.movement(standard.movement)
            side = " per side" if movement.per_side and movement.measure != "symmetry_pct" else ""
            by_sex = tuple(
                SexFigureCell(
                    sex=SEX_WORDS[sex],
                    target=figure.target,
                    close_from=figure.close_from,
                    keys=figure.sources,
                    weak=figure.weak or base.is_weak(figure.sources),
                )
                for sex, figure in default.by_sex.items()
            )
            others = [SEX_WORDS[sex] for sex in SEXES if sex not in default.by_sex]
            cells.append(
                StandardCell(
                    group=group.slug,
                    movement=movement.slug,
                    movement_name=movement.title,
                    unit=UNIT_NAMES[movement.measure] + side,
                    default=default.target,
                    target=standard.target,
                    keys=default.sources,
                    weak=default.weak or base.is_weak(default.sources),
                    screen=movement.screen,
                    by_sex=by_sex,
                    applies_to=" and ".join([*others, "athletes whose sex is not given"])
                    if by_sex
                    else "",
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
# A club's file is a few kB; the largest target any standard needs is far below this.
MAX_FILE_BYTES = 256 * 1024
MAX_TARGET = 1000.0


class StandardsFileError(ValueError):
    """A problem in an uploaded standards file, naming where it is."""


class StandardsJsonError(StandardsFileError):
    """The file is not (strict, reasonably sized) JSON."""


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def standards_load(raw: bytes) -> object:
    """Strict JSON from an uploaded file: no NaN or Infinity, bounded size and nesting."""
    if len(raw) > MAX_FILE_BYTES:
        raise StandardsJsonError(f"the file is over {MAX_FILE_BYTES // 1024} kB")
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as error:  # JSONDecodeError is a ValueError
        raise StandardsJsonError(str(error)) from None
    except RecursionError:
        raise StandardsJsonError("it is nested too deeply") from None


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
            if (
                isinstance(target, bool)
                or not isinstance(target, int | float)
                or not 0 < target <= MAX_TARGET  # also refuses NaN and the infinities
            ):
                raise StandardsFileError(
                    f"{where}: expected a number above 0 and up to {MAX_TARGET:g}, got {target!r}"
                )
            targets[(group, movement)] = float(target)
    return targets
