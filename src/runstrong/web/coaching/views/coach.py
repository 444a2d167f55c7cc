"""The coach's pages: overview, athlete, profile, plan builder, review and edits."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from runstrong.engine.wording import count, weekday_date
from runstrong.web.coaching.access import (
    athlete_get_for_coach,
    coach_for,
    session_get_for_coach,
)
from runstrong.web.coaching.athlete_records import athlete_profile_save, athlete_remove
from runstrong.web.coaching.charts import athlete_charts
from runstrong.web.coaching.forms import (
    AthleteProfileForm,
    GroupEditForm,
    PlanBuilderForm,
    PublishForm,
    RaceFormSet,
    item_edit_form,
)
from runstrong.web.coaching.models import (
    Athlete,
    Coach,
    Plan,
    PlannedItem,
)
from runstrong.web.coaching.overview import SORTS, overview_page
from runstrong.web.coaching.plan_review import (
    draft_builds,
    drafts_chosen,
    first_week,
    publish_effect,
    week_choices,
    week_sessions,
)
from runstrong.web.coaching.plans import (
    ItemEditError,
    group_edit_from_form,
    plan_generate,
    plan_item_edit_remove,
    plan_item_update_from_form,
    plans_discard,
    plans_publish,
)
from runstrong.web.coaching.progress import athlete_progress, pain_card
from runstrong.web.coaching.request_types import HtmxHttpRequest
from runstrong.web.coaching.run_weeks import running_weeks
from runstrong.web.coaching.running_plan import running_card
from runstrong.web.coaching.session_view import session_view
from runstrong.web.coaching.site_catalog import group_names
from runstrong.web.coaching.standards import club_catalog

PLAN_CHANGES_SHOWN = 40


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    group = request.GET.get("group") or None
    sort = request.GET.get("sort", "need")
    catalog = club_catalog(coach.club)
    groups = [(one.slug, one.name) for one in catalog.groups]
    if group not in dict(groups):
        group = None
    page = overview_page(
        coach=coach,
        today=timezone.localdate(),
        page=request.GET.get("page"),
        group=group,
        sort=sort,
        catalog=catalog,
    )
    return render(
        request,
        "coaching/overview.html",
        {
            "coach": coach,
            "rows": page.object_list,
            "page": page,
            "group": group or "",
            "groups": groups,
            "sort": sort if sort in SORTS else "need",
            "pain_regress_at": catalog.rules.progression.pain_regress_at,
            "low_compliance_pct": round(100 * catalog.rules.review.low_compliance_below),
        },
    )


@login_required
@require_safe
def athlete_detail(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_get_for_coach(user=request.user, athlete_id=athlete_id)
    today = timezone.localdate()
    context: dict[str, Any] = athlete_progress(athlete=athlete, today=today)
    context["athlete"] = athlete
    context["plan_changes"] = list(athlete.plan_changes.all()[:PLAN_CHANGES_SHOWN])
    context["run_weeks"] = running_weeks(athlete, today, 2)
    catalog = club_catalog(athlete.squad.club)
    context["pain"] = pain_card(athlete=athlete, catalog=catalog)
    context["running"] = running_card(athlete, catalog, today)
    context["charts"] = athlete_charts(
        athlete=athlete,
        catalog=catalog,
        progress=context["progress"],
        today=today,
        sessions=context["sessions"],
    )
    return render(request, "coaching/athlete_detail.html", context)


@login_required
@require_safe
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
        followed = athlete_profile_save(athlete=athlete, form=form, races=races)
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
        athlete_remove(athlete=athlete)
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
            drafted = count(len(drafts), "plan")
            messages.success(request, f"Drafted {drafted}. Review, edit, then publish.")
            return redirect("coaching:plan-review")
    waiting = Plan.objects.filter(athlete__squad__coach=coach, published_at__isnull=True).count()
    ticked = {int(pk) for pk in form["athletes"].value() or [] if str(pk).isdigit()}
    return render(
        request,
        "coaching/plan_new.html",
        {
            "form": form,
            "waiting": waiting,
            "athlete_choices": list(mine.order_by("name", "pk").values_list("pk", "name")),
            "chosen": ticked,
        },
    )


@login_required
@require_safe
def plan_review(request: HtmxHttpRequest) -> HttpResponse:
    """The coach's drafts by build, and one week of one draft: every week is a click away and
    only the week shown is read (with htmx, only the draft's pane is swapped)."""
    coach = coach_for(request.user)
    builds = draft_builds(coach)
    context: dict[str, Any] = {"builds": builds, "drafts": sum(len(b.drafts) for b in builds)}
    wanted = request.GET.get("plan", "")
    rows = [row for build in builds for row in build.drafts]
    row = next((r for r in rows if str(r.plan_id) == wanted), rows[0] if rows else None)
    if row is not None:
        plan = Plan.objects.select_related("athlete").get(pk=row.plan_id)
        today = timezone.localdate()
        choices = week_choices(plan)
        week = request.GET.get("week", "")
        index = (
            int(week) if week.isascii() and week.isdigit() and 1 <= int(week) <= plan.weeks else 0
        )
        index = index or first_week(choices, today)
        at = rows.index(row)
        context.update(
            plan=plan,
            row=row,
            weeks=choices,
            week=choices[index - 1],
            sessions=week_sessions(plan, index),
            today=today,
            previous_athlete=rows[at - 1] if at > 0 else None,
            next_athlete=rows[at + 1] if at + 1 < len(rows) else None,
        )
    if request.htmx and request.htmx.target == "draft-pane":
        return render(request, "coaching/_partials/draft_pane.html", context)
    return render(request, "coaching/plan_review.html", context)


def _drafts_named(
    request: HttpRequest, coach: Coach, action: str, done: str
) -> tuple[list[Plan], str] | HttpResponse:
    """The drafts a publish or discard names (one athlete's `plan`, one `build` or all) and the
    build; back to the review saying why when the ids are not ids or nothing is left."""
    data = request.POST if request.method == "POST" else request.GET
    chosen = PublishForm(data)
    if not chosen.is_valid():
        messages.error(request, f"Nothing was {done}: {' '.join(map(str, chosen.errors['plan']))}")
        return redirect("coaching:plan-review")
    build = data.get("build", "")
    drafts = drafts_chosen(coach, plan_ids=chosen.cleaned_data["plan"], build=build or None)
    if not drafts:  # also a second submit: already published (or discarded) meanwhile
        messages.info(request, f"Nothing to {action}: those drafts were published or discarded.")
        return redirect("coaching:plan-review")
    return drafts, build


def _confirm(
    request: HttpRequest, coach: Coach, action: str, drafts: list[Plan], build: str, **extra: Any
) -> HttpResponse:
    context = {"action": action, "drafts": drafts, "build": build} | extra
    context["builds"] = _builds_of(coach, drafts)
    return render(request, "coaching/plan_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_publish_all(request: HttpRequest) -> HttpResponse:
    """Publish drafts: one athlete's (`plan`), one build's (`build`) or all of them. GET asks
    first, saying how many future sessions give way from which day; logged ones stay."""
    coach = coach_for(request.user)
    named = _drafts_named(request, coach, "publish", "published")
    if isinstance(named, HttpResponse):
        return named
    drafts, build = named
    if request.method == "GET":
        effect = publish_effect(drafts, timezone.localdate())
        return _confirm(request, coach, "publish", drafts, build, effect=effect)
    published = plans_publish(plans=drafts)
    if len(published) == 1:
        messages.success(request, f"Published {published[0].athlete.name}'s plan.")
    else:
        messages.success(request, f"Published {len(published)} plans.")
    if Plan.objects.filter(athlete__squad__coach=coach, published_at__isnull=True).exists():
        return redirect("coaching:plan-review")
    return redirect("coaching:overview")


@login_required
@require_http_methods(["GET", "POST"])
def plan_discard(request: HttpRequest) -> HttpResponse:
    """Discard drafts (one athlete's, one build's or all), after a confirmation: the athletes'
    published plans and logs are not touched."""
    coach = coach_for(request.user)
    named = _drafts_named(request, coach, "discard", "discarded")
    if isinstance(named, HttpResponse):
        return named
    drafts, build = named
    if request.method == "GET":
        return _confirm(request, coach, "discard", drafts, build)
    count = plans_discard(plans=drafts)
    if len(drafts) == 1 and count:
        messages.success(request, f"Discarded {drafts[0].athlete.name}'s draft.")
    else:
        messages.success(request, f"Discarded {count} drafts.")
    return redirect("coaching:plan-review")


@login_required
@require_http_methods(["GET", "POST"])
def plan_group_edit(request: HttpRequest) -> HttpResponse:
    """One exercise's dose for an event group from a date: pinned to every matching future
    session without a log, of every athlete of the group in the coach's squads."""
    coach = coach_for(request.user)
    form = GroupEditForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = group_edit_from_form(coach, data)
        except ItemEditError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            label = group_names()[data["group"]]
            if result.first is not None and (result.sessions or result.draft_sessions):
                where = [
                    f"{_count(result.sessions, 'session')} of the current plans"
                    if result.sessions
                    else "",
                    f"{_count(result.draft_sessions, 'session')} of drafts"
                    if result.draft_sessions
                    else "",
                ]
                messages.success(
                    request,
                    f"Changed {' and '.join(part for part in where if part)} "
                    f"({_count(result.athletes, 'athlete')} of the {label} group) from "
                    f"{weekday_date(result.first)}; "
                    "logged sessions are kept.",
                )
            else:
                messages.info(
                    request, f"No future unlogged session of the {label} group has that exercise."
                )
            if result.other_measure:
                messages.info(
                    request,
                    "Left as they are (their form of the exercise counts another measure): "
                    + ", ".join(result.other_measure)
                    + ".",
                )
            return redirect("coaching:plan-group-edit")
    status = 400 if form.errors else 200
    return render(request, "coaching/plan_group_edit.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HtmxHttpRequest, item_id: int) -> HttpResponse:
    item = _coach_item(request, item_id)
    if request.method == "GET" and request.GET.get("row"):
        # Cancel: the row as it was (htmx), or back to the review.
        if request.htmx:
            return render(request, "coaching/_partials/item_row.html", {"item": item})
        return redirect(_review_url(item))
    form = item_edit_form(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = plan_item_update_from_form(item, data)
        except ItemEditError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            if request.htmx:
                return render(request, "coaching/_partials/item_row.html", {"item": item})
            messages.success(request, f"Saved the edit of {item.name}.")
            return redirect(_review_url(item))
    template = "coaching/_partials/item_form.html" if request.htmx else "coaching/item_form.html"
    # htmx swaps only 2xx answers: the inline form comes back with its errors in place.
    status = 400 if form.errors and not request.htmx else 200
    return render(
        request,
        template,
        {"item": item, "form": form, "back": _review_url(item)},
        status=status,
    )


def _builds_of(coach: Any, drafts: list[Plan]) -> list[Any]:
    """The builds these drafts come from, each with only the chosen drafts."""
    chosen = {draft.pk for draft in drafts}
    builds = []
    for build in draft_builds(coach):
        build.drafts = [row for row in build.drafts if row.plan_id in chosen]
        if build.drafts:
            builds.append(build)
    return builds


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _review_url(item: PlannedItem) -> str:
    session = item.session
    if session.plan.published_at is None:
        query = urlencode({"plan": session.plan_id, "week": session.week_index})
        return f"{reverse('coaching:plan-review')}?{query}#item-{item.pk}"
    return reverse("coaching:session", args=[session.pk])


@login_required
@require_POST
def item_edit_remove(request: HtmxHttpRequest, item_id: int) -> HttpResponse:
    """Take the coach's edit off an item: the engine's prescription for that day returns."""
    item = _coach_item(request, item_id)
    back = _review_url(item)
    try:
        now = plan_item_edit_remove(item=item)
    except ItemEditError as error:
        messages.error(request, str(error))
        return redirect(back)
    if now is None:
        messages.info(
            request, f"Removed the edit of {item.name}; that day no longer has a session."
        )
        if request.htmx:
            return HttpResponse("")
    elif request.htmx:
        return render(request, "coaching/_partials/item_row.html", {"item": now})
    else:
        messages.success(request, f"Removed the edit of {item.name}.")
    return redirect(back)


def _coach_item(request: HttpRequest, item_id: int) -> PlannedItem:
    coach = coach_for(request.user)
    try:
        return PlannedItem.objects.select_related("session__athlete", "session__plan", "text").get(
            pk=item_id, session__athlete__squad__coach=coach
        )
    except PlannedItem.DoesNotExist:
        raise Http404 from None
