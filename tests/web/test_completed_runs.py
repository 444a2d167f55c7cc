"""Run files uploaded on the phone, the coach's athlete page and the API: stored all or
nothing, duplicates skipped with a message, many files through the worker, weeks showing
runs beside strength with hard days marked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from runstrong.web.coaching.completed_runs import completed_hard_days
from runstrong.web.coaching.models import CompletedRun, RunUpload, RunUploadFile
from tests.personas import World, login
from tests.run_files import Leg, fit_bytes, gpx_bytes, tcx_bytes, zip_bytes

HARD = (Leg(600, 2.9, 140), Leg(240, 4.6, 180), Leg(120, 2.5, 150), Leg(300, 4.5, 178))
EASY = (Leg(1800, 2.9, 135),)
NO_TIMES = "the GPX file has no times: when the run was is unknown"


def started(world: World, days_ago: int, hour: int = 7) -> datetime:
    day = world.today - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def runner(world: World) -> World:
    world.athlete_a.threshold_hr = 170
    world.athlete_a.threshold_pace = 240
    world.athlete_a.save()
    return world


def upload(client: Client, url: str, **files: bytes) -> Any:
    return client.post(url, {"files": [SimpleUploadedFile(n, d) for n, d in files.items()]})


def test_the_athlete_uploads_fit_and_tcx_on_the_phone_and_sees_the_hard_day(
    runner: World, client: Client
) -> None:
    login(client, runner.athlete_a)
    hard = fit_bytes(started(runner, 1), HARD, step=5)
    easy = tcx_bytes(started(runner, 2, hour=18), EASY)
    response = upload(
        client, reverse("coaching:my-runs-upload"), **{"tue.fit": hard, "mon.tcx": easy}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Imported 2 runs" in page
    assert "Hard day" in page
    assert "of the run at or above threshold heart rate 170" in page
    stored = CompletedRun.objects.filter(athlete=runner.athlete_a).order_by("started_at")
    assert [run.source_name for run in stored] == ["mon.tcx", "tue.fit"]
    tuesday = stored[1]
    assert tuesday.started_at == started(runner, 1)
    assert tuesday.duration_s == 1260
    assert len(tuesday.laps) == 4
    assert tuesday.max_hr == 180
    assert list(
        completed_hard_days(runner.athlete_a, runner.today - timedelta(days=7), runner.today)
    ) == [tuesday.date]


def test_the_same_run_uploaded_again_is_skipped_with_a_message(
    runner: World, client: Client
) -> None:
    login(client, runner.athlete_a)
    data = gpx_bytes(started(runner, 3), EASY)
    upload(client, reverse("coaching:my-runs-upload"), **{"a.gpx": data})
    response = upload(client, reverse("coaching:my-runs-upload"), **{"again.gpx": data})
    page = client.get(response["Location"]).content.decode()
    assert "Imported 0 runs" in page
    assert "Skipped again.gpx: the run of" in page
    assert "is already imported." in page
    assert CompletedRun.objects.filter(athlete=runner.athlete_a).count() == 1


def test_one_broken_file_refuses_the_whole_upload_naming_it(runner: World, client: Client) -> None:
    login(client, runner.athlete_a)
    good = gpx_bytes(started(runner, 3), EASY)
    broken = fit_bytes(started(runner, 2), HARD, step=5)[:-200]
    response = upload(
        client,
        reverse("coaching:my-runs-upload"),
        **{"good.gpx": good, "cut.fit": broken, "route.gpx": gpx_bytes(None)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing imported: 2 files refused" in page
    assert "<strong>cut.fit</strong>: the FIT file is cut short (truncated)" in page
    assert "<strong>route.gpx</strong>: the GPX file has no times" in page
    assert 'type="file"' in page  # the form is shown again
    assert not CompletedRun.objects.exists()


def test_a_zip_with_a_folder_and_a_foreign_file_stores_nothing(
    runner: World, client: Client
) -> None:
    login(client, runner.coach_x)
    export = zip_bytes(
        {"activities/1.gpx": gpx_bytes(started(runner, 1), EASY), "activities/profile.csv": b"a,b"},
        folders=("activities",),
    )
    url = reverse("coaching:athlete-runs-upload", args=[runner.athlete_a.pk])
    response = upload(client, url, **{"export.zip": export})
    assert response.status_code == 400
    page = response.content.decode()
    assert "export.zip/activities/profile.csv</strong>: not a FIT, TCX or GPX run file" in page
    assert "Skipped the folder export.zip/activities/" in page
    assert not CompletedRun.objects.exists()


def test_a_zip_with_several_bad_members_lists_every_one_and_stores_nothing(
    runner: World, client: Client
) -> None:
    login(client, runner.athlete_a)
    inner_deep = zip_bytes({"deep.zip": zip_bytes({"a.gpx": b"x"})})
    export = zip_bytes(
        {
            "../../etc/evil.fit": b"x",
            "1.gpx": gpx_bytes(started(runner, 1), EASY),
            "/abs/path.gpx": b"x",
            "part1.zip": inner_deep,
            "notes.txt": b"hello",
        }
    )
    response = upload(client, reverse("coaching:my-runs-upload"), **{"export.zip": export})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing imported: 4 files refused" in page
    assert "<strong>export.zip/../../etc/evil.fit</strong>: a name that points outside" in page
    assert "<strong>export.zip//abs/path.gpx</strong>: a name that points outside" in page
    assert "<strong>export.zip/part1.zip/deep.zip</strong>: a zip inside a zip inside" in page
    assert "<strong>export.zip/notes.txt</strong>: not a FIT, TCX or GPX run file" in page
    assert not CompletedRun.objects.exists()


def test_many_files_go_to_the_worker_and_the_page_polls_until_done(
    runner: World, client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RUNSTRONG_RUN_INLINE_FILES = 2
    login(client, runner.coach_x)
    files = {f"{n}.gpx": gpx_bytes(started(runner, n + 1), EASY) for n in range(3)}
    url = reverse("coaching:athlete-runs-upload", args=[runner.athlete_a.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(client, url, **{"export.zip": zip_bytes(files)})
    assert response.status_code == 302
    waiting = client.get(response["Location"]).content.decode()
    assert "Importing 3 files" in waiting
    assert 'hx-trigger="every 2s"' in waiting
    the_upload = RunUpload.objects.get()
    assert the_upload.state == "queued"
    assert RunUploadFile.objects.filter(upload=the_upload).count() == 1
    for callback in queued:
        callback()  # the worker's turn
    the_upload.refresh_from_db()
    assert (the_upload.state, the_upload.imported) == ("done", 3)
    assert not RunUploadFile.objects.exists()  # the files' bytes go once imported
    status_url = reverse("coaching:athlete-run-upload", args=[runner.athlete_a.pk, the_upload.pk])
    polled = client.get(status_url, HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    assert "Imported 3 runs" in polled.content.decode()


def test_the_api_uploads_and_lists_runs_with_their_verdicts(runner: World, client: Client) -> None:
    login(client, runner.athlete_a)
    url = f"/api/v1/athletes/{runner.athlete_a.pk}/runs"
    data = fit_bytes(started(runner, 1), HARD, step=5)
    created = client.post(url, {"files": [SimpleUploadedFile("hard.fit", data)]})
    assert created.status_code == 201
    assert created.json()["imported"] == 1
    listed = client.get(url).json()
    [run] = listed["items"]
    assert run["hard"] is True
    assert run["source_name"] == "hard.fit"
    assert run["laps"][1]["pace_s_per_km"] == pytest.approx(1000 / 4.6, rel=0.01)
    assert "completed_runs.share_above_threshold_hr" in run["reasons"][0]["keys"]
    refused = client.post(url, {"files": [SimpleUploadedFile("x.gpx", gpx_bytes(None))]})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {
            "field": "files",
            "reason": "x.gpx: the GPX file has no times: when the run was is unknown",
        }
    ]


def test_another_squads_coach_and_another_athlete_cannot_upload_or_read(
    runner: World, client: Client
) -> None:
    data = gpx_bytes(started(runner, 1), EASY)
    for who in (runner.coach_y, runner.athlete_b):
        login(client, who)
        url = f"/api/v1/athletes/{runner.athlete_a.pk}/runs"
        assert client.post(url, {"files": [SimpleUploadedFile("a.gpx", data)]}).status_code == 404
        assert client.get(url).status_code == 404
    login(client, runner.coach_y)
    page = reverse("coaching:athlete-runs-upload", args=[runner.athlete_a.pk])
    assert upload(client, page, **{"a.gpx": data}).status_code == 404
    assert not CompletedRun.objects.exists()


def test_the_coachs_athlete_page_shows_runs_beside_strength(runner: World, client: Client) -> None:
    login(client, runner.athlete_a)
    upload(
        client,
        reverse("coaching:my-runs-upload"),
        **{"h.fit": fit_bytes(started(runner, 0, hour=6), HARD, step=5)},
    )
    login(client, runner.coach_x)
    page = client.get(reverse("coaching:athlete", args=[runner.athlete_a.pk])).content.decode()
    assert "Running and strength, last two weeks" in page
    assert "Hard day" in page
    assert '<span class="kind strength">Strength</span>' in page


def test_threshold_pace_is_entered_as_minutes_and_seconds(world: World, client: Client) -> None:
    from runstrong.web.coaching.forms import AthleteProfileForm

    form = AthleteProfileForm(instance=world.athlete_a)
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"threshold_pace": "4:05", "threshold_hr": "172", "kettlebells": ""}
    bound = AthleteProfileForm(data, instance=world.athlete_a)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["threshold_pace"] == 245
    data["threshold_pace"] = "4:75"
    assert AthleteProfileForm(data, instance=world.athlete_a).errors["threshold_pace"] == [
        "Seconds go up to 59, e.g. 4:05."
    ]


def test_an_upload_of_nothing_says_so(world: World, client: Client) -> None:
    login(client, world.athlete_a)
    response = client.post(reverse("coaching:my-runs-upload"), {})
    assert response.status_code == 400
    assert "Choose one or more run files, or a zip." in response.content.decode()


def test_run_start_times_are_stored_aware_in_utc(runner: World, client: Client) -> None:
    login(client, runner.athlete_a)
    moment = datetime(2026, 7, 1, 5, 0, tzinfo=UTC)
    upload(client, reverse("coaching:my-runs-upload"), **{"s.gpx": gpx_bytes(moment, EASY)})
    assert CompletedRun.objects.get().started_at == moment


def test_run_uploads_may_be_larger_than_any_other_request(
    runner: World, client: Client, settings: Any
) -> None:
    settings.RUNSTRONG_MAX_REQUEST_BYTES = 20_000
    login(client, runner.athlete_a)
    big = gpx_bytes(started(runner, 4), EASY)
    assert len(big) > 20_000
    response = upload(client, reverse("coaching:my-runs-upload"), **{"big.gpx": big})
    assert response.status_code == 302
    elsewhere = client.post(reverse("coaching:session-missed", args=[1]), {"reason": "x" * 30_000})
    assert elsewhere.status_code == 413


def test_a_run_that_starts_in_the_future_is_refused_and_nothing_is_stored(world: World) -> None:
    from runstrong.running.archive import Member
    from runstrong.web.coaching.completed_runs import import_runs
    from runstrong.web.coaching.models import CompletedRun
    from tests.run_files import EASY_HOUR, gpx_bytes

    tomorrow = timezone.now() + timedelta(days=1)
    done = timezone.now() - timedelta(days=1)
    outcome = import_runs(
        world.athlete_a,
        [
            Member("done.gpx", gpx_bytes(done, EASY_HOUR)),
            Member("later.gpx", gpx_bytes(tomorrow, EASY_HOUR)),
        ],
    )
    assert [r["name"] for r in outcome.refused] == ["later.gpx"]
    assert "in the future" in outcome.refused[0]["reason"]
    assert not CompletedRun.objects.filter(athlete=world.athlete_a).exists(), "all or nothing"
