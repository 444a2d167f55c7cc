"""Who may log a set is written twice: as plain SQL for the one-statement set upsert
(`access.own_published_item_sql`) and through the ORM for every page and endpoint
(`access.session_get_for_user(write=True)`). Both must give the same answer for each case."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from runstrong.web.coaching.access import AnyUser, own_published_item_sql, session_get_for_user
from runstrong.web.coaching.models import Plan, PlannedItem, PlannedSession
from tests.personas import World


def sql_allows(user: AnyUser, session: PlannedSession, item: PlannedItem) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 {own_published_item_sql()}", [item.pk, session.pk, user.pk])
        return cursor.fetchone() is not None


def orm_allows(user: AnyUser, session: PlannedSession, item: PlannedItem) -> bool:
    try:
        found = session_get_for_user(user=user, session_id=session.pk, write=True)
    except (Http404, PermissionDenied):
        return False
    return found.items.filter(pk=item.pk).exists()


def first_item(session: PlannedSession) -> PlannedItem:
    item = session.items.order_by("pk").first()
    assert item is not None
    return item


def account(user: User | None) -> User:
    assert user is not None
    return user


CASES = {
    # case: (who asks, whose session, expected)
    "athlete, own published session": ("athlete_a", "athlete_a", True),
    "athlete, a squad-mate's session": ("athlete_b", "athlete_a", False),
    "athlete of another coach": ("athlete_c", "athlete_a", False),
    "coach of the athlete's squad (reads, never logs)": ("coach_x", "athlete_a", False),
    "another coach": ("coach_y", "athlete_a", False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_sql_and_orm_agree_on_who_logs(world: World, case: str) -> None:
    asker, owner, expected = CASES[case]
    user = account(getattr(world, asker).user)
    session = world.next_session(getattr(world, owner))
    item = first_item(session)
    assert (sql_allows(user, session, item), orm_allows(user, session, item)) == (
        expected,
        expected,
    )


def test_both_refuse_a_draft_plan(world: World) -> None:
    session = world.next_session(world.athlete_a)
    Plan.objects.filter(pk=session.plan_id).update(published_at=None)
    user, item = account(world.athlete_a.user), first_item(session)
    assert (sql_allows(user, session, item), orm_allows(user, session, item)) == (False, False)


def test_both_refuse_an_item_of_another_session(world: World) -> None:
    session = world.next_session(world.athlete_a)
    other = PlannedSession.objects.filter(athlete=world.athlete_a).exclude(pk=session.pk).first()
    assert other is not None
    user, item = account(world.athlete_a.user), first_item(other)
    assert (sql_allows(user, session, item), orm_allows(user, session, item)) == (False, False)


def test_both_refuse_someone_signed_out(world: World) -> None:
    session = world.next_session(world.athlete_a)
    user, item = AnonymousUser(), first_item(session)
    assert (sql_allows(user, session, item), orm_allows(user, session, item)) == (False, False)


def test_deactivated_athlete_agrees_too(world: World) -> None:
    """Neither rule looks at `is_active`: a deactivated account cannot sign in or use a
    token (the login and token lookups refuse it), so both rules still call it the owner."""
    user = account(world.athlete_a.user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.refresh_from_db()
    session = world.next_session(world.athlete_a)
    item = first_item(session)
    assert (sql_allows(user, session, item), orm_allows(user, session, item)) == (True, True)
