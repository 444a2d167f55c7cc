"""Rows to the data the PDF layouts take: one place that knows both."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone

from runstrong.engine.benchmarks import ENTRY_UNITS
from runstrong.engine.catalog import Catalog
from runstrong.engine.wording import day_month, group_label, weekday_date, weekday_date_year
from runstrong.exports.fit_workout import WorkoutItem, workout_fit
from runstrong.exports.pdf import CardItem, season_overview, session_card, test_day_sheet
from runstrong.web.coaching.models import Athlete, PlannedItem, PlannedSession, TestDay
from runstrong.web.coaching.plain_words import plain_phase
from runstrong.web.coaching.site_catalog import site_catalog
from runstrong.web.coaching.testday import test_day_names


def session_card_pdf(session: PlannedSession) -> bytes:
    items = [
        CardItem(
            slot=item.slot,
            name=item.name,
            dose=item.dose_text,
            sets=item.sets,
            per_side=item.per_side,
            rest_s=item.rest_s,
            cues=tuple(item.cues),
            footwear=item.footwear,
        )
        for item in session.items.select_related("text")
    ]
    # The athlete's card: plain words, not the engine's phase codes.
    context = f"{plain_phase(session.phase)}{' · easier week' if session.deload else ''} · "
    context += str(session.placement.get("text", ""))
    return session_card(session.athlete.name, weekday_date_year(session.date), context, items)


def session_workout_fit(session: PlannedSession, *, created: datetime) -> bytes:
    """The session as a watch workout: the same items, doses and rests as its card."""
    items = [
        WorkoutItem(
            slot=item.slot,
            name=item.name,
            sets=item.sets,
            target=item.target,
            measure=item.measure,  # type: ignore[arg-type]  # a CharField the catalog bounds
            per_side=item.per_side,
            rest_s=item.rest_s,
            note=", ".join(part for part in (item.load_text, item.tempo, item.footwear) if part),
        )
        for item in session.items.select_related("text")
    ]
    return workout_fit(f"Strength {weekday_date(session.date)}", items, created=created)


def workout_download(session: PlannedSession) -> HttpResponse:
    """The session's FIT workout as a download named by its date."""
    response = HttpResponse(
        session_workout_fit(session, created=timezone.now()), content_type="application/vnd.ant.fit"
    )
    response["Content-Disposition"] = f'attachment; filename="strength-{session.date}.fit"'
    return response


def season_pdf(athlete: Athlete) -> bytes:
    sessions = (
        PlannedSession.objects.filter(athlete=athlete, plan__published_at__isnull=False)
        .prefetch_related(Prefetch("items", PlannedItem.objects.select_related("text")))
        .order_by("date")
    )
    weeks: dict[str, list[PlannedSession]] = defaultdict(list)
    for session in sessions:
        monday = session.date - timedelta(days=session.date.weekday())
        weeks[day_month(monday)].append(session)
    rows = []
    for start, group in weeks.items():
        phase = "deload" if group[0].deload else group[0].phase
        lines = [
            f"<b>{s.date:%a}</b>: "
            + "; ".join(escape(f"{i.label} {i.dose_text}") for i in s.items.all())
            for s in group
        ]
        rows.append((start, phase, "<br/>".join(lines)))
    subtitle = f"{group_label(athlete.event_group, site_catalog())} · {athlete.squad.name}"
    return season_overview(athlete.name, subtitle, rows)


def test_day_sheet_pdf(test_day: TestDay, catalog: Catalog) -> bytes:
    movements = [
        (f"{m.title} ({ENTRY_UNITS[m.measure]})", m.per_side)
        for m in (catalog.movement(slug) for slug in test_day.movements)
    ]
    return test_day_sheet(weekday_date_year(test_day.date), movements, test_day_names(test_day))
