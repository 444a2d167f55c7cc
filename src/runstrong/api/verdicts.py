"""A stored benchmark result's verdict, judged on the standards of the athlete's club."""

from __future__ import annotations

from django.http import HttpRequest

from runstrong.engine.benchmarks import BenchmarkResult as EngineResult
from runstrong.engine.benchmarks import Verdict, evaluate, standard_for
from runstrong.engine.catalog import Catalog
from runstrong.web.coaching.models import BenchmarkResult, Club
from runstrong.web.coaching.standards import club_catalog


def catalog_of(club: Club, request: HttpRequest | None) -> Catalog:
    """The club's catalog, read once per request: a page of results costs one read per club,
    not one per result."""
    if request is None:
        return club_catalog(club)
    read: dict[int, Catalog] = request.__dict__.setdefault("runstrong_club_catalogs", {})
    if club.pk not in read:
        read[club.pk] = club_catalog(club)
    return read[club.pk]


def verdict_of(result: BenchmarkResult, request: HttpRequest | None = None) -> Verdict:
    """Raises ProfileError for a movement the athlete's group has no standard for, or a
    missing side."""
    athlete = result.athlete
    catalog = catalog_of(athlete.squad.club, request)
    standard = standard_for(
        catalog, catalog.group(athlete.event_group), result.movement, athlete.sex
    )
    engine_result = EngineResult(result.movement, result.value, result.left, result.right)
    return evaluate(engine_result, standard, athlete.body_mass_kg)
