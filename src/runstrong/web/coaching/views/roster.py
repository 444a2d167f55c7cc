"""The coach's roster pages: import a CSV, add one athlete, and invite athletes to log in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from runstrong.web.coaching.access import coach_for
from runstrong.web.coaching.athlete_records import athlete_add_save
from runstrong.web.coaching.forms import (
    AthleteAddForm,
    InvitationIssueForm,
    RaceFormSet,
    RosterUploadForm,
)
from runstrong.web.coaching.invitations import (
    Issued,
    invitation_email,
    invitation_open_for_coach,
    invitation_states,
    invitations_issue,
)
from runstrong.web.coaching.models import Athlete, Coach, Squad
from runstrong.web.coaching.roster import (
    RosterError,
    columns,
    csv_text,
    refused_csv,
    roster_check,
    roster_import,
    template_csv,
)
from runstrong.web.coaching.site_catalog import site_catalog


def _csv(text: str, filename: str) -> HttpResponse:
    # The byte-order mark tells Excel the file is UTF-8 ("800–1500 m", accented names); the
    # import skips it again.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _squads(coach: Coach) -> Any:
    return Squad.objects.filter(coach=coach).order_by("pk")


def _issue(request: HttpRequest, athletes: list[Athlete]) -> list[tuple[Issued, str]]:
    return invitations_issue(
        athletes=athletes,
        link_for=lambda token: request.build_absolute_uri(reverse("invite", args=[token])),
    )


def _send(
    request: HttpRequest, coach: Coach, issued: list[tuple[Issued, str]], *, send_email: bool
) -> int:
    """Queue the links' emails when asked, after the links are committed; the worker sends
    them and the invitations page says how each went."""
    if not (send_email and issued):
        return 0
    user = request.user
    name = (user.get_full_name() if user.is_authenticated else "") or coach.club.name
    return invitation_email(issued=issued, coach_name=name)


@login_required
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    squads = _squads(coach)
    form = RosterUploadForm(request.POST or None, request.FILES or None, squads=squads)
    context: dict[str, Any] = {"form": form, "columns": columns(site_catalog())}
    if request.method != "POST" or not form.is_valid():
        return render(request, "coaching/roster.html", context, status=400 if form.errors else 200)
    squad, text = form.cleaned_data["squad"], form.cleaned_data["text"]
    send_email = form.cleaned_data["send_email"]
    try:
        if request.POST.get("confirm") != "1":
            check = roster_check(text, squad=squad)
            context.update({"check": check, "squad": squad, "text": text, "send_email": send_email})
            return render(request, "coaching/roster_preview.html", context)
        with transaction.atomic():
            result = roster_import(squad=squad, text=text)
            issued = _issue(request, result.added)
        sent = _send(request, coach, issued, send_email=send_email)
    except RosterError as error:
        form.add_error(None, str(error))
        return render(request, "coaching/roster.html", context, status=400)
    return render(
        request,
        "coaching/roster_done.html",
        {
            "result": result,
            "links": issued,
            "sent": sent,
            "squad": squad,
            "text": text,
        },
    )


@login_required
@require_GET
def roster_template(request: HttpRequest) -> HttpResponse:
    coach_for(request.user)
    return _csv(template_csv(today=timezone.localdate()), "runstrong-roster-template.csv")


@login_required
@require_POST
def roster_refused(request: HttpRequest) -> HttpResponse:
    """The refused rows of a file as CSV with why, checked again (nothing is saved)."""
    coach = coach_for(request.user)
    form = RosterUploadForm(request.POST, squads=_squads(coach))
    if not form.is_valid():
        return render(
            request,
            "coaching/roster.html",
            {"form": form, "columns": columns(site_catalog())},
            status=400,
        )
    try:
        check = roster_check(form.cleaned_data["text"], squad=form.cleaned_data["squad"])
    except RosterError as error:
        form.add_error(None, str(error))
        return render(
            request,
            "coaching/roster.html",
            {"form": form, "columns": columns(site_catalog())},
            status=400,
        )
    return _csv(refused_csv(check), "runstrong-roster-refused.csv")


@login_required
@require_http_methods(["GET", "POST"])
def athlete_add(request: HttpRequest) -> HttpResponse:
    """One athlete by hand, with their races; an invitation link at once."""
    coach = coach_for(request.user)
    bound = request.POST if request.method == "POST" else None
    form = AthleteAddForm(bound, squads=_squads(coach))
    races = RaceFormSet(bound, instance=Athlete(), prefix="races")
    if bound is not None and form.is_valid() and races.is_valid():
        with transaction.atomic():
            athlete = athlete_add_save(form, races)
            issued = _issue(request, [athlete])
        sent = _send(request, coach, issued, send_email=form.cleaned_data["send_email"])
        return render(
            request,
            "coaching/invitations_done.html",
            {
                "links": issued,
                "sent": sent,
                "added": athlete,
                "squad": athlete.squad,
            },
        )
    return render(
        request,
        "coaching/athlete_add.html",
        {"form": form, "races": races},
        status=400 if bound is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    """Who has no login yet and where their link stands; new links for the ticked ones."""
    coach = coach_for(request.user)
    squads = _squads(coach)
    waiting = (
        Athlete.objects.filter(squad__in=squads, user__isnull=True)
        .select_related("squad")
        .order_by("squad_id", "name")
    )
    data: QueryDict | None = request.POST or None
    if data is not None and data.get("all") == "1":
        # "New links for everyone listed": the squad's CSV of links in one step.
        data = data.copy()
        data.setlist("athletes", [str(pk) for pk in waiting.values_list("pk", flat=True)])
    form = InvitationIssueForm(data, squads=squads)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["athletes"])
        with transaction.atomic():
            issued = _issue(request, chosen)
        sent = _send(request, coach, issued, send_email=form.cleaned_data["send_email"])
        return render(
            request,
            "coaching/invitations_done.html",
            {"links": issued, "sent": sent},
        )
    rows = invitation_states(waiting, timezone.now())
    joined = Athlete.objects.filter(squad__in=squads, user__isnull=False).count()
    return render(
        request,
        "coaching/invitations.html",
        {"form": form, "rows": rows, "joined": joined, "days": settings.RUNSTRONG_INVITATION_DAYS},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def invitation_links_csv(request: HttpRequest) -> HttpResponse:
    """The links just shown, as CSV: only links that are open and belong to this coach's
    athletes are written, so the endpoint cannot be used to echo anything else."""
    coach = coach_for(request.user)
    rows = []
    for link in request.POST.getlist("link")[:500]:
        token = link.rstrip("/").rsplit("/", 1)[-1]
        invitation = invitation_open_for_coach(token=token, coach=coach)
        if invitation is None:
            continue
        expires = timezone.localtime(invitation.expires_at)
        rows.append(
            (
                invitation.athlete.name,
                invitation.athlete.email,
                invitation.athlete.squad.name,
                request.build_absolute_uri(reverse("invite", args=[token])),
                f"{expires:%Y-%m-%d %H:%M}",
            )
        )
    header = ("name", "email", "squad", "invitation_link", "works_until")
    return _csv(csv_text(header, rows), "runstrong-invitation-links.csv")
