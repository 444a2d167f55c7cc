"""Roster import: rows import on their own, refused rows come back as CSV, re-import updates."""

from __future__ import annotations

import csv
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from runstrong.web.coaching.models import Athlete, Invitation, Race
from runstrong.web.coaching.site_catalog import site_catalog
from tests.personas import World, login

ROSTER = """name,email,event_group,sex,body_mass_kg,races
Ada Quick,ada@example.org,5k,female,55,2027-06-12:A:County 5000;2027-05-01:C
Ben Steady,ben@example.org,10k,male,70,
"""


def _import(client: Client, text: str, **extra: str) -> str:
    response = client.post(reverse("coaching:roster"), {"text": text, "confirm": "1", **extra})
    assert response.status_code == 200
    return response.content.decode()


def _refused_csv(client: Client, text: str) -> list[dict[str, str]]:
    response = client.post(reverse("coaching:roster-refused"), {"text": text})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_bad_row_is_refused_alone_and_the_others_import(client: Client, world: World) -> None:
    login(client, world.coach_x)
    bad = ROSTER + "Cy,not-an-email,marathon,robot,heavy,2027-13-01\n"
    preview = client.post(reverse("coaching:roster"), {"text": bad}).content.decode()
    assert "event_group “marathon” is not one of" in preview
    assert "email “not-an-email”: Enter a valid email address" in preview
    assert "body_mass_kg “heavy”: Enter a number" in preview
    assert "YYYY-MM-DD" in preview
    assert "Import 2 athletes, leave out 1" in preview
    assert not Athlete.objects.filter(name="Ada Quick").exists(), "a preview saves nothing"

    done = _import(client, bad)
    assert Athlete.objects.filter(squad__coach=world.coach_x, name="Ada Quick").exists()
    assert Athlete.objects.filter(squad__coach=world.coach_x, name="Ben Steady").exists()
    assert not Athlete.objects.filter(name="Cy").exists()
    assert "<strong>2</strong> added" in done
    assert "<strong>1</strong> refused" in done
    ada = Athlete.objects.get(name="Ada Quick")
    assert list(Race.objects.filter(athlete=ada).values_list("priority", flat=True)) == ["C", "A"]


def test_the_refused_rows_download_as_csv_with_why(client: Client, world: World) -> None:
    login(client, world.coach_x)
    bad = ROSTER + '=HYPERLINK("http://x"),,marathon,,,\n' + "X" * 300 + ",,10 km,f,,\n"
    rows = _refused_csv(client, bad)
    assert [row["name"][:12] for row in rows] == ["'=HYPERLINK(", "X" * 12]
    assert "is not one of" in rows[0]["why_refused"]
    assert "at most 120 characters (it has 300)" in rows[1]["why_refused"]
    assert list(rows[0]) == [*ROSTER.splitlines()[0].split(","), "why_refused"]


def test_app_labels_codes_events_and_f_m_are_accepted(client: Client, world: World) -> None:
    login(client, world.coach_x)
    groups = site_catalog().groups
    text = "name,event_group,sex\n" + "".join(
        f"{kind} {group.slug},{value},{sex}\n"
        for group in groups
        for kind, value, sex in (
            ("Label", group.name, "f"),
            ("Code", group.slug.upper(), "M"),
            ("Event", group.events[0], "Female"),
        )
    )
    page = _import(client, text)
    assert f"<strong>{3 * len(groups)}</strong> added" in page
    for group in groups:
        for kind in ("Label", "Code", "Event"):
            assert Athlete.objects.get(name=f"{kind} {group.slug}").event_group == group.slug
    assert Athlete.objects.get(name=f"Label {groups[0].slug}").sex == "female"
    assert Athlete.objects.get(name=f"Code {groups[0].slug}").sex == "male"


def test_days_equipment_and_bells_come_from_the_file(client: Client, world: World) -> None:
    login(client, world.coach_x)
    text = (
        "name,event_group,hard_run_days,strength_days,equipment,kettlebells\n"
        "Dee,5 km,Wednesday;sat,mon thu,Long band;bench,8;12x2\n"
        "Eve,5k,none,,none,none\n"
    )
    _import(client, text)
    dee = Athlete.objects.get(name="Dee")
    assert dee.hard_run_days == ["wed", "sat"]
    assert dee.strength_days == ["mon", "thu"]
    assert dee.equipment == ["band", "bench"]
    assert dee.kettlebells_kg == [8, 12, 12]
    eve = Athlete.objects.get(name="Eve")
    assert (eve.hard_run_days, eve.equipment, eve.kettlebells_kg) == ([], [], [])
    again = _import(client, text.replace("8;12x2", "8;12;12"))
    assert "<strong>2</strong> already on file as given" in again, (
        "the same bells, spelled otherwise"
    )


def test_reimport_updates_and_submitting_twice_adds_nobody_twice(
    client: Client, world: World
) -> None:
    login(client, world.coach_x)
    _import(client, ROSTER)
    again = _import(client, ROSTER)
    assert Athlete.objects.filter(name="Ada Quick").count() == 1
    assert Race.objects.filter(athlete__name="Ada Quick").count() == 2
    assert "<strong>0</strong> added" in again
    assert Invitation.objects.filter(athlete__name="Ada Quick").count() == 1

    changed = "name,email,body_mass_kg,hard_run_days\nAda Q.,ADA@example.org,57,mon\n"
    page = _import(client, changed)
    ada = Athlete.objects.get(email="ada@example.org")
    assert (ada.name, ada.body_mass_kg, ada.hard_run_days) == ("Ada Q.", 57, ["mon"])
    assert ada.event_group == "5k", "an empty or absent cell keeps what is on file"
    assert "<strong>1</strong> updated" in page

    by_name = _import(client, "name,event_group\nathletea,10k\n")
    world.athlete_a.refresh_from_db()
    assert world.athlete_a.event_group == "10k", "without an email the name matches"
    assert "<strong>1</strong> updated" in by_name


def test_the_same_athlete_twice_in_one_file_is_refused_the_second_time(
    client: Client, world: World
) -> None:
    login(client, world.coach_x)
    page = _import(client, ROSTER + "Ada Again,ada@example.org,5k,,,\n")
    assert "the same athlete as line 2" in page
    assert Athlete.objects.filter(email="ada@example.org").count() == 1


def test_bad_squad_values_are_form_errors_not_500(client: Client, world: World) -> None:
    login(client, world.coach_x)
    other = world.coach_y.squads.get()
    for squad in ("abc", str(other.pk), "99999"):
        response = client.post(
            reverse("coaching:roster"), {"text": ROSTER, "confirm": "1", "squad": squad}
        )
        assert response.status_code == 400
        assert "Choose one of your squads." in response.content.decode()
    assert not Athlete.objects.filter(name="Ada Quick").exists()


def test_the_template_imports_as_it_is(client: Client, world: World) -> None:
    login(client, world.coach_x)
    response = client.get(reverse("coaching:roster-template"))
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert site_catalog().groups[0].name in text, "the template shows the app's own labels"
    page = _import(client, text)
    assert "<strong>2</strong> added" in page
    assert "<strong>0</strong> refused" in page


def test_the_help_lists_the_catalogs_groups(client: Client, world: World) -> None:
    login(client, world.coach_x)
    page = client.get(reverse("coaching:roster")).content.decode()
    for group in site_catalog().groups:
        assert f"<code>{group.slug}</code> or {group.name}" in page or group.name in page
        assert group.events[0] in page
    assert "<code>f</code>" in page


def test_add_one_athlete_with_a_link(client: Client, world: World) -> None:
    login(client, world.coach_x)
    form = client.get(reverse("coaching:athlete-add")).content.decode()
    assert 'name="name"' in form
    data = {
        "name": "Fay Solo",
        "email": "fay@example.org",
        "event_group": "10k",
        "sex": "female",
        "body_mass_kg": "52",
        "experience": "some",
        "leg_length": "average",
        "stride_goal": "keep",
        "equipment": ["band", "bench"],
        "hard_run_days": ["tue", "fri"],
        "kettlebells": "",
        "races-TOTAL_FORMS": "1",
        "races-INITIAL_FORMS": "0",
        "races-0-name": "",
        "races-0-date": "",
        "races-0-priority": "",
    }
    bad = client.post(reverse("coaching:athlete-add"), {**data, "name": "F" * 300})
    assert bad.status_code == 400
    assert "at most 120 characters" in bad.content.decode()
    done = client.post(reverse("coaching:athlete-add"), data).content.decode()
    fay = Athlete.objects.get(name="Fay Solo")
    assert fay.squad.coach == world.coach_x
    assert fay.hard_run_days == ["tue", "fri"]
    assert re.search(r'value="http://testserver/invite/[^"]+/"', done)
    assert 'data-copy="link-1"' in done
    twice = client.post(reverse("coaching:athlete-add"), data)
    assert twice.status_code == 400
    assert "Fay Solo is already in" in twice.content.decode()
    assert Athlete.objects.filter(name="Fay Solo").count() == 1


def test_the_add_form_names_each_field_to_fix_without_stray_commas(
    client: Client, world: World
) -> None:
    login(client, world.coach_x)
    data = {
        "name": "F" * 300,
        "event_group": "10k",
        "races-TOTAL_FORMS": "1",
        "races-INITIAL_FORMS": "0",
        "races-0-name": "County 10k",
        "races-0-date": "2027-13-40",
        "races-0-priority": "A",
    }
    for extra in ({}, {"sex": "robot"}):
        html = client.post(reverse("coaching:athlete-add"), data | extra).content.decode()
        summary = html[html.index('id="error-summary"') : html.index("</section>")]
        text = " ".join(re.sub(r"<[^>]+>", " ", summary).split())
        assert "Name: Ensure this value has at most 120 characters" in text
        assert "New race, date: Enter a valid date." in text
        assert ("Sex: Select a valid choice" in text) == bool(extra)
        assert not re.search(r"[,:] *[.,]|\.\.", text), text
        assert 'href="#id_name"' in summary
        assert 'href="#id_races-0-date"' in summary


def test_a_coach_cannot_add_or_invite_for_another_squad(client: Client, world: World) -> None:
    login(client, world.coach_x)
    other = world.coach_y.squads.get()
    response = client.post(
        reverse("coaching:athlete-add"),
        {"squad": str(other.pk), "name": "Sneak", "event_group": "5k"},
    )
    assert response.status_code == 400
    assert not Athlete.objects.filter(name="Sneak").exists()
    c = world.athlete_c
    c.user = None
    c.save()
    invite = client.post(reverse("coaching:invitations"), {"athletes": [str(c.pk)]})
    assert invite.status_code == 400
    assert not Invitation.objects.filter(athlete=c).exists()
    assert "Athletec" not in client.get(reverse("coaching:invitations")).content.decode()


def test_unreadable_files_are_refused_with_a_reason(client: Client, world: World) -> None:
    login(client, world.coach_x)
    for text, reason in (
        ('name,event_group\n"Ada,5k\n' + "x" * 140_000 + "\n", "not a CSV this import can read"),
        ("name,event_group\n", "header but no athletes"),
        ("Ada,ada@example.org,5k\n", "must name the columns"),
    ):
        response = client.post(reverse("coaching:roster"), {"text": text})
        assert response.status_code == 400
        assert reason in response.content.decode()
    nul = "name,event_group,races\nAda,5k,2027-06-12:A:Cou\x00nty\nBen,10k,\n"
    upload = SimpleUploadedFile("roster.csv", nul.encode(), content_type="text/csv")
    page = client.post(
        reverse("coaching:roster"), {"file": upload, "confirm": "1"}
    ).content.decode()
    assert "null character" in page
    assert "<strong>1</strong> added" in page
