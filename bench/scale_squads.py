"""A club-sized database for bench/scale.py: 5,000 athletes across 50 coaches, each athlete on
a published season with its past logged, and the database cached between runs.

The engine runs once per distinct profile shape (a few dozen): every athlete of a shape gets
a copy of its template's season (sessions and items written with COPY on PostgreSQL, one
executemany on SQLite), then a log of its own (15% missed, 5% not logged yet, 2% in pain).
Coach 1 has 100 athletes and coach 2 has 300, so a page's cost can be compared at both sizes;
the 48 others share the rest.

The built database is kept, keyed by a fingerprint of the migrations, this module's source and
the week (the season is laid relative to today):
- SQLite: a compacted copy in RUNSTRONG_BENCH_CACHE (default ~/.cache/runstrong-bench), copied
  into the run's data folder before each run;
- PostgreSQL: a database named after the bench one with `_cache` appended, cloned with
  CREATE DATABASE … TEMPLATE before each run (drop it to reclaim the space).
A run may write (the wrk run logs sets and drafts plans): it always works on a fresh copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

BUILD_VERSION = "1"
ATHLETES = 5000
COACHES = 50
CLUBS = 10
SMALL, LARGE = 100, 300
SEASON_WEEKS = 24
WEEKS_SO_FAR = 16
GROUPS = ("800-1500m", "5k", "10k")
DAYS = (
    (("tue", "thu", "sat"), ("tue", "thu")),
    (("mon", "wed", "fri"), ("tue", "sat")),
    (("tue", "fri", "sun"), ("wed", "sat")),
)
KETTLEBELLS = ((8, 12, 16), (12, 16, 20))
PROBLEMS = ((), ("knee",))
RACE_WEEKS = (19, 23)
# Test days a squad held this season (weeks from the start) and what each tested.
TEST_WEEKS = (1, 7, 13)
TESTED = (
    ("heel-raise", True),
    ("single-leg-squat-box", True),
    ("glute-ham-hold", False),
    ("side-plank", True),
)
PLAN_CHANGES_EACH = 12


@dataclass(frozen=True)
class Shape:
    group: str
    days: int
    kettlebells: int
    problems: int
    race_weeks: int


SHAPES = tuple(
    Shape(group, days, bells, problems, race)
    for group in GROUPS
    for days in range(len(DAYS))
    for bells in range(len(KETTLEBELLS))
    for problems in range(len(PROBLEMS))
    for race in RACE_WEEKS
)


@dataclass
class Built:
    """What the measuring needs to find again in a built database."""

    small_coach: str = "coach01"
    large_coach: str = "coach02"
    fingerprint: str = ""
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def season_start(today: date) -> date:
    return today - timedelta(days=today.weekday() + 7 * WEEKS_SO_FAR)


def squad_sizes() -> list[int]:
    """Athletes per coach: 100, 300, then the rest shared as evenly as it goes."""
    rest = ATHLETES - SMALL - LARGE
    others = COACHES - 2
    shares = [rest // others + (1 if i < rest % others else 0) for i in range(others)]
    return [SMALL, LARGE, *shares]


def fingerprint(today: date) -> str:
    """Changes when the schema, this builder or the week changes."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    nodes = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    source = Path(__file__).read_bytes()
    week = season_start(today).isoformat()
    digest = hashlib.sha256("\n".join([BUILD_VERSION, week, *nodes]).encode() + source)
    return digest.hexdigest()[:12]


# --- where the built database is kept -------------------------------------------------------


def _sqlite_cache(fp: str) -> Path:
    root = Path(os.environ.get("RUNSTRONG_BENCH_CACHE", Path.home() / ".cache/runstrong-bench"))
    root.mkdir(parents=True, exist_ok=True)
    return root / f"scale-{fp}.sqlite3"


def _admin() -> Any:
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )


def _pg_fingerprint(admin: Any, name: str) -> str | None:
    """The fingerprint stored in the cache database's comment, None when there is none."""
    row = admin.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    ).fetchone()
    return None if row is None else (row[0] or "")


def _pg_recreate(admin: Any, name: str, template: str | None = None) -> None:
    from psycopg import sql

    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    if template is None:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    else:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


def prepare(today: date, *, rebuild: bool = False) -> Built:
    """A fresh copy of the cached club database for this run, building the cache first when
    it is missing or stale. Call before anything opens the database."""
    from django.db import connection

    fp = fingerprint(today)
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql":
        if "bench" not in name:
            raise SystemExit(f"refusing to wipe database {name!r}: use one whose name has 'bench'")
        cache = f"{name}_cache"
        with _admin() as admin:
            cached = _pg_fingerprint(admin, cache)
            if cached == fp and not rebuild:
                connection.close()
                _pg_recreate(admin, name, template=cache)
                return _found(fp)
            _pg_recreate(admin, name)
        built = build(today, fp)
        connection.close()
        with _admin() as admin:
            _pg_recreate(admin, cache, template=name)
            from psycopg import sql

            admin.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(cache), sql.Literal(fp)
                )
            )
        return built
    cached_file = _sqlite_cache(fp)
    target = Path(name)
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    if cached_file.exists() and not rebuild:
        shutil.copyfile(cached_file, target)
        return _found(fp)
    for stale in cached_file.parent.glob("scale-*.sqlite3"):
        stale.unlink()
    built = build(today, fp)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(cached_file)])
    return built


def _found(fp: str) -> Built:
    from django.core.management import call_command

    call_command("collectstatic", verbosity=0, interactive=False)
    return Built(fingerprint=fp, counts=row_counts())


def row_counts() -> dict[str, int]:
    from runstrong.web.coaching.models import (
        Athlete,
        BenchmarkResult,
        PlannedItem,
        PlannedSession,
        SessionLog,
        SetLog,
    )

    return {
        "athletes": Athlete.objects.count(),
        "sessions": PlannedSession.objects.count(),
        "items": PlannedItem.objects.count(),
        "session logs": SessionLog.objects.count(),
        "set logs": SetLog.objects.count(),
        "test results": BenchmarkResult.objects.count(),
    }


# --- building -------------------------------------------------------------------------------


def build(today: date, fp: str) -> Built:
    from django.core.management import call_command
    from django.db import connection, transaction

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    rng = random.Random(14)
    with transaction.atomic():
        athletes = _people(today, rng)
        seasons, shapes = _seasons(athletes, today)
        _logs(athletes, seasons, shapes, today, rng)
        _test_days(today, rng)
        _plan_changes(athletes, today)
        _reset_sequences()
    if connection.vendor == "postgresql":
        # As autovacuum leaves a served database: without the visibility map a bulk-loaded
        # table makes every index-only scan read the table too (the overview's p95 fell from
        # about 155 to 95 ms with it).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    return Built(fingerprint=fp, seconds=time.perf_counter() - began, counts=row_counts())


def _people(today: date, rng: random.Random) -> list[Any]:
    """Clubs, coaches (coach01…coach50, password bench-password-1), one squad each, and their
    athletes; nine in ten athletes have a login, the others a pending invitation."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from runstrong.web.coaching.models import Athlete, Club, Coach, Invitation, Race, Squad

    user_model = get_user_model()
    password = make_password("bench-password-1")
    clubs = Club.objects.bulk_create([Club(name=f"Club {n + 1}") for n in range(CLUBS)])
    coach_users = user_model.objects.bulk_create(
        [user_model(username=f"coach{n + 1:02d}", password=password) for n in range(COACHES)]
    )
    coaches = Coach.objects.bulk_create(
        [Coach(user=u, club=clubs[n % CLUBS]) for n, u in enumerate(coach_users)]
    )
    squads = Squad.objects.bulk_create(
        [Squad(club=c.club, coach=c, name=f"Squad of coach {n + 1}") for n, c in enumerate(coaches)]
    )
    logins = user_model.objects.bulk_create(
        [user_model(username=f"athlete{n:04d}", password="!") for n in range(ATHLETES)]
    )
    rows = []
    number = 0
    for squad, size in zip(squads, squad_sizes(), strict=True):
        for _ in range(size):
            shape = SHAPES[number % len(SHAPES)]
            strength, hard = DAYS[shape.days]
            rows.append(
                Athlete(
                    squad=squad,
                    user=logins[number] if number % 10 else None,
                    name=f"Athlete {number:04d}",
                    event_group=shape.group,
                    sex=("female", "male")[number % 2],
                    body_mass_kg=50 + number % 30,
                    experience="experienced" if number % 4 == 0 else "some",
                    equipment=["band", "ghd", "kettlebells", "bench"],
                    kettlebells_kg=list(KETTLEBELLS[shape.kettlebells]),
                    problems=list(PROBLEMS[shape.problems]),
                    strength_days=list(strength),
                    hard_run_days=list(hard),
                )
            )
            number += 1
    athletes = Athlete.objects.bulk_create(rows, batch_size=1000)
    start = season_start(today)
    Race.objects.bulk_create(
        [
            Race(
                athlete=a,
                name="Goal race",
                date=start + timedelta(weeks=SHAPES[n % len(SHAPES)].race_weeks, days=5),
            )
            for n, a in enumerate(athletes)
        ],
        batch_size=2000,
    )
    Invitation.objects.bulk_create(
        [
            Invitation(athlete=a, token_hash=hashlib.sha256(f"bench{a.pk}".encode()).hexdigest())
            for a in athletes
            if a.user is None
        ]
    )
    return athletes


@dataclass
class TemplateSession:
    date: date
    content: tuple[Any, ...]
    # (content, sets, per_side, target, load_kg) of each item
    items: list[tuple[tuple[Any, ...], int, bool, float, float | None]]


Season = dict[int, list[tuple[int, list[int]]]]


def _seasons(athletes: list[Any], today: date) -> tuple[Season, dict[int, list[TemplateSession]]]:
    """Each athlete's published season as [(session id, [item ids])], the engine run once per
    shape and its season copied to every athlete of that shape."""
    from django.utils import timezone

    from runstrong.web.coaching.models import Plan, PlannedItem, PlannedSession
    from runstrong.web.coaching.plans import plan_generate, plans_publish

    start = season_start(today)
    templates = athletes[: len(SHAPES)]
    drafts, problems = plan_generate(
        athletes=templates, start=start, weeks=SEASON_WEEKS, today=start
    )
    assert not [p for p in problems if "refuse" in p.message.lower()], problems
    plans_publish(plans=drafts, today=start)
    plan_of = {plan.athlete_id: plan for plan in drafts}

    session_names = ["date", "week_index", "phase", "deload", "kind", "placement", "superseded"]
    item_names = [
        f.name for f in PlannedItem._meta.concrete_fields if f.name not in {"id", "session"}
    ]
    attnames = {name: PlannedItem._meta.get_field(name).attname for name in item_names}
    shape_sessions: dict[int, list[TemplateSession]] = {}
    seasons: Season = {}
    for index, template in enumerate(templates):
        plan = plan_of[template.pk]
        sessions = list(PlannedSession.objects.filter(plan=plan).order_by("date"))
        items: dict[int, list[PlannedItem]] = {}
        for item in PlannedItem.objects.filter(session__in=sessions).order_by("slot", "pk"):
            items.setdefault(item.session_id, []).append(item)
        shape_sessions[index] = [
            TemplateSession(
                date=s.date,
                content=tuple(
                    _prep(PlannedSession, name, getattr(s, name)) for name in session_names
                ),
                items=[
                    (
                        tuple(
                            _prep(PlannedItem, name, getattr(i, attnames[name]))
                            for name in item_names
                        ),
                        i.sets,
                        i.per_side,
                        i.target,
                        i.load_kg,
                    )
                    for i in items.get(s.pk, [])
                ],
            )
            for s in sessions
        ]
        seasons[template.pk] = [(s.pk, [i.pk for i in items.get(s.pk, [])]) for s in sessions]
    now = timezone.now()
    others = athletes[len(SHAPES) :]
    plans = Plan.objects.bulk_create(
        [
            Plan(
                athlete=a,
                season_start=start,
                weeks=SEASON_WEEKS,
                catalog_name=plan_of[templates[0].pk].catalog_name,
                basis=plan_of[templates[n % len(SHAPES)].pk].basis,
                laid_from=start,
                published_at=now,
            )
            for n, a in enumerate(others, start=len(SHAPES))
        ],
        batch_size=2000,
    )
    Plan.objects.filter(pk__in=[p.pk for p in plans]).update(created_at=now)
    next_session = _next_id(PlannedSession)
    next_item = _next_id(PlannedItem)
    chunk_sessions: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
    chunk_items: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
    for n, (athlete, plan) in enumerate(zip(others, plans, strict=True), start=len(SHAPES)):
        laid = []
        for session in shape_sessions[n % len(SHAPES)]:
            session_id = next_session
            next_session += 1
            chunk_sessions.append(((session_id, plan.pk, athlete.pk), session.content))
            item_ids = []
            for content, *_ in session.items:
                chunk_items.append(((next_item, session_id), content))
                item_ids.append(next_item)
                next_item += 1
            laid.append((session_id, item_ids))
        seasons[athlete.pk] = laid
        if len(chunk_items) > 50_000:
            _flush(chunk_sessions, chunk_items, session_names, item_names)
    _flush(chunk_sessions, chunk_items, session_names, item_names)
    return seasons, shape_sessions


def _flush(
    sessions: list[Any], items: list[Any], session_names: list[str], item_names: list[str]
) -> None:
    from runstrong.web.coaching.models import PlannedItem, PlannedSession
    from runstrong.web.coaching.session_rows import insert_rows

    insert_rows(PlannedSession, ["id", "plan", "athlete", *session_names], sessions)
    insert_rows(PlannedItem, ["id", "session", *item_names], items)
    sessions.clear()
    items.clear()


def _logs(
    athletes: list[Any],
    seasons: Season,
    shapes: dict[int, list[TemplateSession]],
    today: date,
    rng: random.Random,
) -> None:
    """Every session before today logged as an athlete would: 15% missed, 5% not logged (yet),
    sets as prescribed with one in ten exercises a rep short, 2% with pain 4/10 in the first
    exercise (two in three of those flags resolved since)."""
    from django.db import connection
    from django.utils import timezone

    from runstrong.web.coaching.models import PainReport, SessionLog, SetLog
    from runstrong.web.coaching.session_rows import insert_rows

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    log_names = [
        "session",
        "status",
        "missed_reason",
        "reps_in_reserve",
        "pain",
        "pain_where",
        "pain_by_exercise",
        "notes",
        "logged_at",
        "by_last_set",
        "outcome",
    ]
    missed = ("missed", "busy", None, 0, "", True, "", now, False, "[]")
    done = ("done", "", 2, 0, "", True, "", now, True, "[]")
    in_pain = ("done", "", 2, 4, "left knee", True, "", now, True, "[]")
    set_tails: dict[tuple[float, float | None], tuple[Any, ...]] = {}
    logs: list[Any] = []
    sets: list[Any] = []
    pains: list[PainReport] = []
    resolved = timezone.now()
    for n, athlete in enumerate(athletes):
        template = shapes[n % len(SHAPES)]
        for (session_id, item_ids), session in zip(seasons[athlete.pk], template, strict=True):
            if session.date >= today:
                break
            draw = rng.random()
            if draw < 0.05:
                continue
            if draw < 0.20:
                logs.append(((session_id,), missed))
                continue
            pain = rng.random() < 0.02
            logs.append(((session_id,), in_pain if pain else done))
            if pain and session.items:
                content = session.items[0][0]
                pains.append(
                    PainReport(
                        athlete_id=athlete.pk,
                        session_id=session_id,
                        date=session.date,
                        score=4,
                        exercise=content[1],
                        area="knee",
                        side="left",
                        resolved_at=resolved if rng.random() < 0.67 else None,
                    )
                )
            for item_id, (_, count, per_side, target, load) in zip(
                item_ids, session.items, strict=True
            ):
                reps = target - 1 if target > 1 and rng.random() < 0.1 else target
                tail = set_tails.setdefault((reps, load), (reps, load))
                for number in range(1, count + 1):
                    for side in ("left", "right") if per_side else ("",):
                        sets.append(((item_id, number, side), tail))
        if len(sets) > 100_000:
            insert_rows(SessionLog, log_names, logs)
            insert_rows(SetLog, ["item", "set_number", "side", "done", "load_kg"], sets)
            logs.clear()
            sets.clear()
    insert_rows(SessionLog, log_names, logs)
    insert_rows(SetLog, ["item", "set_number", "side", "done", "load_kg"], sets)
    PainReport.objects.bulk_create(pains, batch_size=2000)


def _test_days(today: date, rng: random.Random) -> None:
    """Three test days per squad this season, every athlete tested on four movements."""
    from runstrong.web.coaching.models import Athlete, BenchmarkResult, Squad, TestDay

    start = season_start(today)
    movements = [slug for slug, _ in TESTED]
    days = TestDay.objects.bulk_create(
        [
            TestDay(squad=squad, date=start + timedelta(weeks=week, days=2), movements=movements)
            for squad in Squad.objects.all()
            for week in TEST_WEEKS
        ]
    )
    by_squad: dict[int, list[Any]] = {}
    for day in days:
        by_squad.setdefault(day.squad_id, []).append(day)
    results = []
    for athlete_id, squad_id in Athlete.objects.values_list("pk", "squad_id"):
        for step, day in enumerate(by_squad[squad_id]):
            for slug, sided in TESTED:
                base = 18 + 2 * step + rng.randint(0, 8)
                results.append(
                    BenchmarkResult(
                        athlete_id=athlete_id,
                        test_day=day,
                        movement=slug,
                        date=day.date,
                        value=None if sided else float(base * 3),
                        left=float(base) if sided else None,
                        right=float(base + rng.randint(-2, 2)) if sided else None,
                    )
                )
    BenchmarkResult.objects.bulk_create(results, batch_size=5000)


def _plan_changes(athletes: list[Any], today: date) -> None:
    """A season's history of plan changes per athlete: the publish and the replans since."""
    from runstrong.web.coaching.models import PlanChange

    start = season_start(today)
    PlanChange.objects.bulk_create(
        [
            PlanChange(
                athlete_id=a.pk,
                session_date=start + timedelta(weeks=week + 1),
                what="A1 Banded Spanish squat",
                before="3 × 10 reps, bodyweight",
                after="3 × 12 reps, bodyweight",
                cause="Session logged",
                reason="Every set done at the top of the range: the next step up.",
            )
            for a in athletes
            for week in range(PLAN_CHANGES_EACH)
        ],
        batch_size=5000,
    )


def _next_id(model: Any) -> int:
    from django.db.models import Max

    # The base manager: superseded sessions hold ids too.
    return int(model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences() -> None:
    """After rows written with their own ids, PostgreSQL's sequences start past them."""
    from django.core.management.color import no_style
    from django.db import connection

    from runstrong.web.coaching.models import PlannedItem, PlannedSession

    statements = connection.ops.sequence_reset_sql(no_style(), [PlannedSession, PlannedItem])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _prep(model: Any, name: str, value: Any) -> Any:
    """A value as insert_rows takes it: JSON as text, dates in ISO form."""
    from django.db import connection

    kind = model._meta.get_field(name).get_internal_type()
    if kind == "JSONField":
        return json.dumps(value)
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
