"""Who may see which athlete: one place, used by every page (and later the API).

An athlete sees only their own data; a coach sees only the athletes of their own squads.
Anything else is a 404, so an object's existence is never revealed.
"""

from __future__ import annotations

import functools
from typing import Literal

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from runstrong.web.coaching.models import (
    Athlete,
    Coach,
    Plan,
    PlannedItem,
    PlannedSession,
    TestDay,
)
from runstrong.web.coaching.sql import columns, table

Role = Literal["coach", "athlete", "none"]
AnyUser = User | AnonymousUser


def role_of(user: AnyUser) -> Role:
    if not user.is_authenticated:
        return "none"
    if Coach.objects.filter(user=user).exists():
        return "coach"
    if Athlete.objects.filter(user=user).exists():
        return "athlete"
    return "none"


def coach_for(user: AnyUser) -> Coach:
    """The signed-in coach, or 404 for anyone else (athletes included)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Coach.objects.select_related("club").get(user=user)
    except Coach.DoesNotExist:
        raise Http404 from None


def athletes_visible_to(user: AnyUser) -> QuerySet[Athlete]:
    if not user.is_authenticated:
        return Athlete.objects.none()
    if Coach.objects.filter(user=user).exists():
        return Athlete.objects.filter(squad__coach__user=user)
    return Athlete.objects.filter(user=user)


def athlete_get_for_user(*, user: AnyUser, athlete_id: int) -> Athlete:
    try:
        return athletes_visible_to(user).select_related("squad").get(pk=athlete_id)
    except Athlete.DoesNotExist:
        raise Http404 from None


def athlete_get_for_coach(*, user: AnyUser, athlete_id: int) -> Athlete:
    """An athlete of the signed-in coach's squads; 404 for athletes and other coaches."""
    coach = coach_for(user)
    try:
        return Athlete.objects.select_related("squad").get(pk=athlete_id, squad__coach=coach)
    except Athlete.DoesNotExist:
        raise Http404 from None


def athlete_of(user: AnyUser) -> Athlete:
    """The signed-in athlete's own record, or 404."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Athlete.objects.select_related("squad").get(user=user)
    except Athlete.DoesNotExist:
        raise Http404 from None


def session_get_for_athlete(*, user: AnyUser, session_id: int) -> PlannedSession:
    """One of the athlete's own published sessions."""
    athlete = athlete_of(user)
    try:
        return PlannedSession.objects.select_related("plan").get(
            pk=session_id, athlete=athlete, plan__published_at__isnull=False
        )
    except PlannedSession.DoesNotExist:
        raise Http404 from None


def session_get_for_coach(*, user: AnyUser, session_id: int) -> PlannedSession:
    """A published session of one of the signed-in coach's athletes; 404 for anyone else."""
    coach = coach_for(user)
    try:
        return PlannedSession.objects.select_related("plan", "athlete__squad").get(
            pk=session_id, athlete__squad__coach=coach, plan__published_at__isnull=False
        )
    except PlannedSession.DoesNotExist:
        raise Http404 from None


def sessions_visible_to(user: AnyUser) -> QuerySet[PlannedSession]:
    """Published sessions of the athletes the user may see."""
    return PlannedSession.objects.filter(
        athlete__in=athletes_visible_to(user), plan__published_at__isnull=False
    )


def session_get_for_user(*, user: AnyUser, session_id: int, write: bool = False) -> PlannedSession:
    """A visible session; writing (logging) is for the athlete alone, so a coach gets 403."""
    if write and user.is_authenticated:
        # The athlete logging their own session, in one read: the rest get their 403 or 404.
        own = (
            PlannedSession.objects.filter(
                pk=session_id, athlete__user=user, plan__published_at__isnull=False
            )
            .select_related("plan", "athlete")
            .first()
        )
        if own is not None:
            return own
    try:
        session = sessions_visible_to(user).select_related("plan", "athlete").get(pk=session_id)
    except PlannedSession.DoesNotExist:
        raise Http404 from None
    if write and session.athlete.user_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the athlete logs their own sessions.")
    return session


@functools.cache
def own_published_item_sql() -> str:
    """`FROM … WHERE …` selecting item `i` of a session of the user's own athlete record in a
    published plan: the logging rule, for statements that check and write in one go.

    Parameters: item id, session id, user id. Whatever this rule refuses,
    session_get_for_user explains: 404 for a session the user cannot see, 403 for a coach
    looking at an athlete's session.
    """
    item, session = columns(PlannedItem), columns(PlannedSession)
    athlete, plan = columns(Athlete), columns(Plan)
    return (
        f" FROM {table(PlannedItem)} i"
        f" JOIN {table(PlannedSession)} s ON s.{session['id']} = i.{item['session']}"
        f" JOIN {table(Athlete)} a ON a.{athlete['id']} = s.{session['athlete']}"
        f" JOIN {table(Plan)} p ON p.{plan['id']} = s.{session['plan']}"
        f" WHERE i.{item['id']} = %s AND s.{session['id']} = %s AND a.{athlete['user']} = %s"
        f" AND p.{plan['published_at']} IS NOT NULL"
    )


def plans_visible_to(user: AnyUser) -> QuerySet[Plan]:
    """A coach sees drafts and published plans of their athletes; an athlete only published."""
    plans = Plan.objects.filter(athlete__in=athletes_visible_to(user))
    if role_of(user) != "coach":
        plans = plans.filter(published_at__isnull=False)
    return plans


def test_day_get_for_coach(*, user: AnyUser, test_day_id: int) -> TestDay:
    """A test day of one of the signed-in coach's squads, or 404."""
    coach = coach_for(user)
    try:
        return TestDay.objects.select_related("squad").get(pk=test_day_id, squad__coach=coach)
    except TestDay.DoesNotExist:
        raise Http404 from None
