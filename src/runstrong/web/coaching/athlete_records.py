"""Saving a coach's athlete forms, the same for the pages and the API.

The forms (AthleteAddForm, AthleteProfileForm, RaceFormSet, RaceForm) hold the rules; these
functions are what happens once a form is valid: one transaction, and the athlete's plan
follows a changed profile or race calendar from today on (logged sessions are kept).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm

from runstrong.engine.profile import counted_kettlebells, kettlebells_text
from runstrong.web.coaching.forms import AthleteAddForm, AthleteProfileForm
from runstrong.web.coaching.models import Athlete, Race
from runstrong.web.coaching.replanning import FollowResult, plan_follow

PROFILE_CAUSE = "Profile or races edited by coach"


def athlete_add_save(form: AthleteAddForm, races: BaseInlineFormSet[Any, Any, Any]) -> Athlete:
    """The new athlete of a valid add form, with the races of a valid race formset. The
    caller issues the invitation in the same transaction (`transaction.atomic` around both)."""
    athlete = form.save(commit=False)
    athlete.squad = form.cleaned_data["squad"]
    athlete.save()
    races.instance = athlete
    races.save()
    return athlete


def athlete_profile_save(
    *,
    athlete: Athlete,
    form: AthleteProfileForm,
    races: BaseInlineFormSet[Any, Any, Any] | None = None,
) -> FollowResult | None:
    """Save a valid profile form (and races): the plan follows from today on."""
    with transaction.atomic():
        form.save()
        if races is not None:
            races.save()
        return plan_follow(athlete=athlete, cause=PROFILE_CAUSE)


def race_add_save(*, athlete: Athlete, form: ModelForm[Race]) -> tuple[Race, FollowResult | None]:
    """A valid race form saved for the athlete; the plan makes room for it (taper, no hard
    strength the days before). The same race again (a retry) is the one already saved."""
    with transaction.atomic():
        race = form.save(commit=False)
        same = Race.objects.filter(
            athlete=athlete, name=race.name, date=race.date, priority=race.priority
        ).first()
        if same is not None:
            return same, None
        race.athlete = athlete
        race.save()
        return race, plan_follow(athlete=athlete, cause=PROFILE_CAUSE)


def race_remove(*, race: Race) -> FollowResult | None:
    with transaction.atomic():
        athlete = race.athlete
        race.delete()
        return plan_follow(athlete=athlete, cause=PROFILE_CAUSE)


def athlete_remove(*, athlete: Athlete) -> None:
    """The athlete, their login and everything recorded for them: the coach's explicit
    "delete all their data" (the page asks first), the one path that removes logs."""
    with transaction.atomic():
        if athlete.user is not None:
            athlete.user.delete()
        athlete.delete()


def profile_form_data(athlete: Athlete) -> dict[str, Any]:
    """The athlete's profile as the profile form would post it: a partial change is laid
    over this and the whole form validates, so unchanged fields keep their values."""
    fields = AthleteProfileForm.Meta.fields
    data: dict[str, Any] = {name: getattr(athlete, name) for name in fields}
    data["kettlebells"] = kettlebells_text(counted_kettlebells(athlete.kettlebells_kg or []))
    return data
