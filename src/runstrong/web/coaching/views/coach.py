"""The coach's pages: overview, athlete, profile, plan builder and review."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from runstrong.web.coaching.access import (
    athlete_get_for_coach,
    coach_for,
    session_get_for_coach,
)
from runstrong.web.coaching.charts import athlete_charts
from runstrong.web.coaching.forms import (
    AthleteProfileForm,
    ItemEditForm,
    PlanBuilderForm,
    PublishForm,
    RaceFormSet,
)
from runstrong.web.coaching.models import EVENT_GROUPS, Athlete, Plan, PlannedItem
from runstrong.web.coaching.overview import SORTS, squad_overview
from runstrong.web.coaching.plans import (
    ItemEditError,
    plan_generate,
    plan_item_edit_remove,
    plan_item_update,
    plans_publish,
)
from runstrong.web.coaching.progress import athlete_progress, pain_card
from runstrong.web.coaching.replanning import plan_follow
from runstrong.web.coaching.session_view import session_view
from runstrong.web.coaching.standards import club_catalog

PLAN_CHANGES_SHOWN = 40


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    group = request.GET.get("group") or None
    if group not in {None, *(slug for slug, _ in EVENT_GROUPS)}:
        group = None
    sort = request.GET.get("sort", "need")
    catalog = club_catalog(coach.club)
    rows = squad_overview(
        coach=coach, today=timezone.localdate(), group=group, sort=sort, catalog=catalog
    )
    return render(
        request,
        "coaching/overview.html",
        {
            "coach": coach,
            "rows": rows,
            "group": group or "",
            "groups": EVENT_GROUPS,
            "sort": sort if sort in SORTS else "need",
            "pain_regress_at": catalog.rules.progression.pain_regress_at,
            "low_compliance_pct": round(100 * catalog.rules.review.low_compliance_below),
        },
    )


@login_required
def athlete_detail(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    today = timezone.localdate()
    context: dict[str, Any] = athlete_progress(athlete=athlete, today=today)
    context["athlete"] = athlete
    context["plan_changes"] = list(athlete.plan_changes.all()[:PLAN_CHANGES_SHOWN])
    catalog = club_catalog(athlete.squad.club)
    context["pain"] = pain_card(
        athlete=athlete, pain_regress_at=catalog.rules.progression.pain_regress_at
    )
    context["charts"] = athlete_charts(
        athlete=athlete,
        catalog=catalog,
        progress=context["progress"],
        today=today,
        sessions=context["sessions"],
    )
    return render(request, "coaching/athlete_detail.html", context)


@login_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session of the coach's athlete: sets done against the plan, effort, pain, notes."""
    session = session_get_for_coach(user=request.user, session_id=session_id)
    view = session_view(
        session=session,
        catalog=club_catalog(session.athlete.squad.club),
        today=timezone.localdate(),
    )
    return render(
        request,
        "coaching/session_detail.html",
        {"view": view, "session": view.session, "athlete": view.session.athlete},
    )


@login_required
@require_http_methods(["GET", "POST"])
def athlete_edit(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    form = AthleteProfileForm(request.POST or None, instance=athlete)
    races = RaceFormSet(request.POST or None, instance=athlete, prefix="races")
    if request.method == "POST" and form.is_valid() and races.is_valid():
        with transaction.atomic():
            form.save()
            races.save()
            followed = plan_follow(athlete=athlete, cause="Profile or races edited by coach")
        if followed is None:
            messages.success(request, f"Saved {athlete.name}'s profile.")
        else:
            messages.success(
                request,
                f"Saved {athlete.name}'s profile. Sessions from today on follow it "
                f"({len(followed.changes)} plan changes); logged sessions are kept.",
            )
        return redirect("coaching:athlete", athlete_id=athlete.pk)
    return render(
        request, "coaching/athlete_form.html", {"athlete": athlete, "form": form, "races": races}
    )


@login_required
@require_http_methods(["GET", "POST"])
def athlete_delete(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    if request.method == "POST":
        name = athlete.name
        with transaction.atomic():
            if athlete.user is not None:
                athlete.user.delete()
            athlete.delete()
        messages.success(request, f"Deleted {name} and all their data.")
        return redirect("coaching:overview")
    return render(request, "coaching/athlete_confirm_delete.html", {"athlete": athlete})


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    mine = Athlete.objects.filter(squad__coach=coach)
    form = PlanBuilderForm(
        request.POST or None,
        athletes=mine,
        initial={"start": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["athletes"])
        if form.cleaned_data["group"]:
            chosen += list(mine.filter(event_group=form.cleaned_data["group"]))
        chosen = list({athlete.pk: athlete for athlete in chosen}.values())
        drafts, problems = plan_generate(
            athletes=chosen, start=form.cleaned_data["start"], weeks=form.cleaned_data["weeks"]
        )
        for problem in problems:
            messages.error(request, f"{problem.athlete.name}: {problem.message}")
        if drafts:
            messages.success(request, f"Drafted {len(drafts)} plans. Review, edit, then publish.")
            return redirect("coaching:plan-review")
    return render(request, "coaching/plan_new.html", {"form": form})


@login_required
def plan_review(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    drafts = (
        Plan.objects.filter(athlete__squad__coach=coach, published_at__isnull=True)
        .select_related("athlete")
        .prefetch_related("sessions__items__text")
        .order_by("athlete__name")
    )
    weeks_shown = 2
    preview: dict[Plan, dict[int, list[Any]]] = {}
    for draft in drafts:
        by_week: dict[int, list[Any]] = defaultdict(list)
        for session in draft.sessions.all():
            if session.week_index <= weeks_shown:
                by_week[session.week_index].append(session)
        preview[draft] = dict(by_week)
    return render(
        request,
        "coaching/plan_review.html",
        {"preview": preview, "weeks_shown": weeks_shown},
    )


@login_required
@require_POST
def plan_publish_all(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    drafts = Plan.objects.filter(athlete__squad__coach=coach, published_at__isnull=True)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing was published: {' '.join(form.errors['plan'])}")
        return redirect("coaching:plan-review")
    if "plan" in request.POST:
        drafts = drafts.filter(pk__in=form.cleaned_data["plan"])
    # A second submit finds these already published and publishes nothing again.
    count = len(plans_publish(plans=list(drafts)))
    messages.success(request, f"Published {count} plans.")
    return redirect("coaching:overview")


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _coach_item(request, item_id)
    form = ItemEditForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            plan_item_update(
                item=item,
                sets=form.cleaned_data["sets"],
                target=form.cleaned_data["target"],
                load_kg=form.cleaned_data["load_kg"],
            )
        except ItemEditError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(request, "coaching/_partials/item_row.html", {"item": item})
            return redirect("coaching:plan-review")
    template = "coaching/_partials/item_form.html" if request.htmx else "coaching/item_form.html"  # type: ignore[attr-defined]
    # htmx swaps only 2xx answers: the inline form comes back with its errors in place.
    status = 400 if form.errors and not request.htmx else 200  # type: ignore[attr-defined]
    return render(request, template, {"item": item, "form": form}, status=status)


@login_required
@require_POST
def item_edit_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    """Take the coach's edit off an item: the engine's prescription for that day returns."""
    item = _coach_item(request, item_id)
    try:
        now = plan_item_edit_remove(item=item)
    except ItemEditError as error:
        messages.error(request, str(error))
        return redirect("coaching:plan-review")
    if now is None:
        messages.info(
            request, f"Removed the edit of {item.name}; that day no longer has a session."
        )
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse("")
    elif request.htmx:  # type: ignore[attr-defined]
        return render(request, "coaching/_partials/item_row.html", {"item": now})
    else:
        messages.success(request, f"Removed the edit of {item.name}.")
    return redirect("coaching:plan-review")


def _coach_item(request: HttpRequest, item_id: int) -> PlannedItem:
    coach = coach_for(request.user)
    try:
        return PlannedItem.objects.select_related("session__athlete", "session__plan", "text").get(
            pk=item_id, session__athlete__squad__coach=coach
        )
    except PlannedItem.DoesNotExist:
        raise Http404 from None
