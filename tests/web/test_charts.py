"""The athlete page's charts: plotly served by the app, each chart with its data as a table."""

from __future__ import annotations

import json

from django.contrib.staticfiles import finders
from django.test import Client

from runstrong.web.coaching.models import BenchmarkResult, PainReport
from runstrong.web.coaching.session_log import SetEntry, session_log_done
from tests.personas import World, login


def test_athlete_page_has_charts_with_tables(client: Client, world: World) -> None:
    session = world.athlete_a.sessions.order_by("date").first()
    crawl = session.items.get(exercise="crouching-crawl")
    session_log_done(
        session=session,
        sets=[SetEntry(crawl.pk, n, "", 10, None) for n in (1, 2, 3)],
        reps_in_reserve=2,
        pain=4,
        pain_where="shin",
        notes="",
    )
    BenchmarkResult.objects.create(
        athlete=world.athlete_a, movement="heel-raise", date=world.today, left=25, right=27
    )
    login(client, world.coach_x)
    response = client.get(f"/coach/athletes/{world.athlete_a.pk}/")
    page = response.content.decode()
    charts = {chart.key: chart for chart in response.context["charts"]}
    assert set(charts) >= {"progress-crouching-crawl", "compliance", "pain", "benchmark-heel-raise"}
    crawl_figure = json.loads(charts["progress-crouching-crawl"].figure)
    assert crawl_figure["data"][0]["y"] == [10]
    assert charts["pain"].rows == [(session.date, 4, "shin")]
    standard = json.loads(charts["benchmark-heel-raise"].figure)["layout"]["shapes"][0]
    assert standard["y0"] == 28  # the 5 km heel-raise standard drawn as a line
    assert 'id="chart-compliance"' in page
    assert "/static/plotly/plotly.min.js" in page
    assert PainReport.objects.count() == 1


def test_plotly_is_served_from_the_installed_package() -> None:
    found = finders.find("plotly/plotly.min.js")
    assert found
    assert str(found).endswith("plotly/package_data/plotly.min.js")
