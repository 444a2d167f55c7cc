"""Forms: every bad value comes back on the same page with its message and the typed values."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.forms import inlineformset_factory

from runstrong.engine.pain import PAIN_AREAS, PAIN_SIDES
from runstrong.engine.profile import (
    MAX_WEEKS,
    counted_kettlebells,
    kettlebells_list,
    kettlebells_text,
)
from runstrong.web.coaching.item_overrides import load_cap, substitutes_for
from runstrong.web.coaching.models import (
    EQUIPMENT,
    PRIORITIES,
    PROBLEMS,
    WEEKDAYS,
    Athlete,
    ItemOverride,
    PlannedItem,
    PlannedSession,
    Race,
    Squad,
)
from runstrong.web.coaching.phone import rest_rounds
from runstrong.web.coaching.session_log import PainEntry
from runstrong.web.coaching.site_catalog import group_choices, site_catalog
from runstrong.web.coaching.standards import club_catalog
from runstrong.web.coaching.validators import RowIdsField, plausible_date_field


class AthleteProfileForm(forms.ModelForm[Athlete]):
    # The catalog's groups, read when the form is drawn: the model field has no `choices`.
    event_group = forms.ChoiceField(choices=group_choices, label="Event group")
    problems = forms.MultipleChoiceField(
        choices=PROBLEMS, required=False, widget=forms.CheckboxSelectMultiple
    )
    equipment = forms.MultipleChoiceField(
        choices=EQUIPMENT, required=False, widget=forms.CheckboxSelectMultiple
    )
    strength_days = forms.MultipleChoiceField(
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hard_run_days = forms.MultipleChoiceField(
        choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple
    )
    kettlebells = forms.CharField(
        required=False,
        label="Kettlebells at hand (kg)",
        help_text="Sizes separated by commas, SIZExCOUNT for several of a size, e.g. 8, 12x2, "
        "16 (a farmer's carry needs a pair); none for no kettlebells; empty for a gym with the "
        "common sizes.",
    )
    threshold_hr = forms.IntegerField(
        required=False,
        min_value=60,
        max_value=240,
        label="Threshold heart rate (bpm)",
        help_text="A completed run with enough time at or above it counts as a hard day.",
    )
    threshold_pace = forms.CharField(
        required=False,
        max_length=8,
        label="Threshold pace (min:s per km)",
        help_text="e.g. 4:05. Laps faster than it make a completed run a hard day.",
    )

    class Meta:
        model = Athlete
        fields = [
            "name",
            "email",
            "event_group",
            "sex",
            "body_mass_kg",
            "experience",
            "leg_length",
            "stride_goal",
            "problems",
            "equipment",
            "strength_days",
            "hard_run_days",
            "threshold_hr",
            "threshold_pace",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.threshold_pace and not self.is_bound:
            minutes, seconds = divmod(self.instance.threshold_pace, 60)
            self.initial["threshold_pace"] = f"{minutes}:{seconds:02d}"
        gap_hours = 24 * site_catalog().rules.placement.min_gap_days
        self.fields["strength_days"].help_text = (
            "Leave all unticked to derive them from the hard-run days: after the run on a hard "
            f"day, never the day before one, {gap_hours} h apart."
        )
        if self.instance.pk and not self.is_bound:
            bells = counted_kettlebells(self.instance.kettlebells_kg or [])
            self.initial["kettlebells"] = kettlebells_text(bells)

    def clean_threshold_pace(self) -> int | None:
        """`4:05` (or whole seconds, `245`) per kilometre, stored as seconds."""
        text = str(self.cleaned_data.get("threshold_pace") or "").strip()
        if not text:
            return None
        minutes, _, seconds = text.rpartition(":")
        if not seconds.isdigit() or (minutes and not minutes.isdigit()) or len(seconds) > 3:
            raise forms.ValidationError("Write the pace as minutes:seconds, e.g. 4:05.")
        if minutes and int(seconds) > 59:
            raise forms.ValidationError("Seconds go up to 59, e.g. 4:05.")
        total = int(minutes or 0) * 60 + int(seconds)
        if not 120 <= total <= 900:
            raise forms.ValidationError("A threshold pace is between 2:00 and 15:00 per km.")
        return total

    def clean_kettlebells(self) -> list[float] | None:
        """One entry per bell, as stored (`12x2` is two 12s); None for "none"."""
        text = str(self.cleaned_data["kettlebells"]).strip()
        if text.lower() == "none":
            return None
        try:
            return kettlebells_list(counted_kettlebells(text))
        except ValueError as error:
            raise forms.ValidationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kettlebells" in data and data["kettlebells"] is None:
            # "none" means no kettlebells at all, whatever the equipment boxes say.
            data["kettlebells"] = []
            data["equipment"] = [e for e in data.get("equipment", []) if e != "kettlebells"]
        return data

    def save(self, commit: bool = True) -> Athlete:
        athlete: Athlete = super().save(commit=False)
        athlete.kettlebells_kg = self.cleaned_data["kettlebells"]
        if commit:
            athlete.save()
        return athlete


class RaceForm(forms.ModelForm[Race]):
    """A race row of the profile form. The blank row for a new race starts empty (no "Race",
    priority A typed in for the coach) and is ignored while it stays empty; a name left out
    is the model's "Race"."""

    priority = forms.ChoiceField(choices=[("", "—"), *PRIORITIES])
    date = plausible_date_field()

    class Meta:
        model = Race
        fields = ["name", "date", "priority"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].initial = None
        if self.instance.pk is None:
            self.initial = {key: value for key, value in self.initial.items() if key == "id"}

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"] or Race._meta.get_field("name").get_default())


RaceFormSet = inlineformset_factory(
    Athlete, Race, form=RaceForm, fields=["name", "date", "priority"], extra=1, can_delete=True
)


class PlanBuilderForm(forms.Form):
    group = forms.ChoiceField(
        choices=lambda: [("", "Chosen athletes only"), *group_choices()],
        required=False,
        label="Whole event group",
    )
    athletes = forms.ModelMultipleChoiceField(
        queryset=Athlete.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    start = plausible_date_field(label="Season start")
    weeks = forms.IntegerField(min_value=1, max_value=MAX_WEEKS, initial=16)

    def __init__(self, *args: Any, athletes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelMultipleChoiceField[Athlete]", self.fields["athletes"]).queryset = athletes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("group") and not data.get("athletes"):
            raise forms.ValidationError("Choose an event group or at least one athlete.")
        return data


class PublishForm(forms.Form):
    """The drafts a publish or discard names, if any: ids only (a stray `²` or a 30-digit
    number is a message, never a 500)."""

    plan = RowIdsField(required=False)


class ItemEditForm(forms.Form):
    """A coach's edit of one planned item: dose, rest, a note for the athlete and a swap to
    one of the catalog's substitutes. Labels carry the units; the catalog's load cap is the
    load's limit (plans.item_edit_check says the same when it refuses)."""

    sets = forms.IntegerField(min_value=1, max_value=10, label="Sets")
    target = forms.FloatField(min_value=1, max_value=600)
    load_kg = forms.FloatField(required=False, label="Load (kg)")
    rest_s = forms.IntegerField(min_value=0, max_value=600, required=False, label="Rest (s)")
    note = forms.CharField(required=False, max_length=200, label="Note for the athlete")
    swap_to = forms.ChoiceField(required=False, label="Exercise")

    def __init__(
        self,
        *args: Any,
        item: PlannedItem,
        substitutes: list[str],
        load_cap: float,
        note: str = "",
        swap_to: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "sets": item.sets,
                "target": f"{item.target:g}",
                "load_kg": f"{item.load_kg:g}" if item.load_kg else "",
                "rest_s": item.rest_s,
                "note": note,
                "swap_to": swap_to,
            },
        )
        super().__init__(*args, **kwargs)
        unit = item.unit
        self.fields["target"].label = f"Target ({unit}{' each side' if item.per_side else ''})"
        load = cast(forms.FloatField, self.fields["load_kg"])
        load.max_value = load_cap  # type: ignore[assignment]  # stubs: IntegerField's int
        load.validators.append(
            MaxValueValidator(
                load_cap,
                message=f"At most {load_cap:g} kg: the catalog's cap for this exercise.",
            )
        )
        load.help_text = f"Empty for bodyweight; up to {load_cap:g} kg."
        load.widget.attrs.update({"min": "0.5", "max": f"{load_cap:g}", "step": "any"})
        self.fields["target"].widget.attrs["step"] = "any"
        original = "Back to the planned exercise" if swap_to else f"{item.name} (as planned)"
        swap = cast(forms.ChoiceField, self.fields["swap_to"])
        swap.choices = [("", original), *[(name, name) for name in substitutes]]
        if not substitutes:
            del self.fields["swap_to"]

    def clean_load_kg(self) -> float | None:
        value = self.cleaned_data.get("load_kg")
        if value is not None and value <= 0:
            raise forms.ValidationError("Leave the load empty for bodyweight, or type more than 0.")
        return value


def item_edit_form(item: PlannedItem, data: Any | None = None) -> ItemEditForm:
    """The edit form of one item, with the catalog's substitutes and load cap for its club and
    the edit's current note and swap (the page and the API validate through the same form)."""
    catalog = club_catalog(item.session.athlete.squad.club)
    override = ItemOverride.objects.filter(
        plan_id=item.session.plan_id, date=item.session.date, exercise=item.exercise
    ).first()
    return ItemEditForm(
        data,
        item=item,
        substitutes=[one.name for one in substitutes_for(item.exercise, catalog)],
        load_cap=load_cap(item.exercise, catalog),
        note=override.note if override else "",
        swap_to=override.swap_to if override else "",
    )


class GroupEditForm(forms.Form):
    """One exercise's dose for an event group from a date on (plans.group_edit)."""

    group = forms.ChoiceField(choices=group_choices, label="Event group")
    exercise = forms.ChoiceField(label="Exercise")
    start = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), label="From"
    )
    sets = forms.IntegerField(min_value=1, max_value=10, label="Sets")
    target = forms.FloatField(
        min_value=1,
        max_value=600,
        label="Target",
        help_text="In the exercise's own measure (reps, m or s).",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    load_kg = forms.FloatField(
        required=False,
        min_value=0.5,
        label="Load (kg)",
        help_text="Empty keeps each athlete's own load.",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalog = site_catalog()
        cast(forms.ChoiceField, self.fields["exercise"]).choices = [
            (one.slug, f"{one.name} (in {one.dose.measure})") for one in catalog.exercises
        ]


class LoggedNumberField(forms.FloatField):
    """A number typed on a phone: "16,5" (a European keyboard's decimal comma) is 16.5, and
    every refusal says what to type instead."""

    def __init__(self, *, unit: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unit = unit
        self.error_messages = {
            **self.error_messages,
            "required": f"The box is empty: type the {unit} you did, e.g. 10.",
            "invalid": "Type a number, e.g. 12 or 16,5.",
            "min_value": "Type 0 or more.",
            "max_value": f"At most %(limit_value)s {unit}.",
        }

    # django-stubs gives FloatField the to_python of IntegerField, its base class (int | None).
    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip()
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


PAIN_SCORES = [("0", "0 none"), *[(str(n), str(n)) for n in range(1, 11)]]
ELSEWHERE = "else"


class SessionLogForm(forms.Form):
    """One field pair (done, load) per set and side, prefilled from the prescription; pain
    (score, area, side) per exercise and once for somewhere else."""

    reps_in_reserve = forms.TypedChoiceField(
        choices=[("", "—"), *[(str(n), str(n)) for n in range(6)]],
        coerce=int,
        empty_value=None,
        required=False,
        label="Reps in reserve on the hardest set",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, session: PlannedSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.locked = False
        self.rows: list[dict[str, Any]] = []
        logged = {
            (log.item_id, log.set_number, log.side): log
            for item in session.items.all()
            for log in item.set_logs.all()
        }
        rounds = rest_rounds(list(session.items.all()))
        for item in session.items.all():
            block, superset, rest = rounds[item.pk]
            sides = ["left", "right"] if item.per_side else [""]
            for number in range(1, item.sets + 1):
                for side in sides:
                    prefix = f"set-{item.pk}-{number}{'-' + side if side else ''}"
                    previous = logged.get((item.pk, number, side))
                    self.fields[f"{prefix}-done"] = LoggedNumberField(
                        unit=item.measure,
                        min_value=0,
                        max_value=600,
                        initial=_number(previous.done if previous else item.target),
                        label=f"{item.name} set {number} {side}".strip(),
                    )
                    self.fields[f"{prefix}-load"] = LoggedNumberField(
                        unit="kg",
                        min_value=0,
                        max_value=100,
                        required=False,
                        initial=_number(previous.load_kg if previous else item.load_kg),
                    )
                    self.rows.append(
                        {
                            "item": item,
                            "number": number,
                            "side": side,
                            "prefix": prefix,
                            "logged": previous is not None,
                            "block": block,
                            "superset": superset,
                            "rest": rest,
                            "done": self[f"{prefix}-done"],
                            "load": self[f"{prefix}-load"],
                        }
                    )
        self.pain_rows = [
            self._pain_row(str(item.pk), item.exercise, f"{item.slot} {item.name}")
            for item in session.items.all()
        ]
        self.pain_rows.append(self._pain_row(ELSEWHERE, "", "Somewhere else"))

    def _pain_row(self, key: str, exercise: str, label: str) -> dict[str, Any]:
        """Score, area and side for one exercise (or for somewhere else): all optional."""
        prefix = f"pain-{key}"
        self.fields[f"{prefix}-score"] = forms.TypedChoiceField(
            choices=PAIN_SCORES, coerce=int, initial="0", required=False,
            empty_value=0,  # type: ignore[arg-type]  # stubs want a str; coerced, it is an int
            label=f"Pain in {label}" if exercise else "Pain somewhere else",
        )  # fmt: skip
        self.fields[f"{prefix}-area"] = forms.ChoiceField(
            choices=[("", "Where?"), *PAIN_AREAS.items()], required=False, label="Where"
        )
        self.fields[f"{prefix}-side"] = forms.ChoiceField(
            choices=[("", "Side?"), *PAIN_SIDES.items()], required=False, label="Side"
        )
        return {
            "prefix": prefix,
            "exercise": exercise,
            "label": label,
            "score": self[f"{prefix}-score"],
            "area": self[f"{prefix}-area"],
            "side": self[f"{prefix}-side"],
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in self.pain_rows:
            prefix = row["prefix"]
            score = data.get(f"{prefix}-score") or 0
            area = data.get(f"{prefix}-area") or ""
            side = data.get(f"{prefix}-side") or ""
            if score and not area:
                self.add_error(f"{prefix}-area", "Choose where it hurts.")
            elif not score and (area or side):
                self.add_error(f"{prefix}-score", "Give the pain a score from 1 to 10.")
        return data

    def pain_entries(self) -> list[PainEntry]:
        """The pain reported, per exercise and elsewhere: rows with a score only."""
        return [
            PainEntry(
                score=self.cleaned_data[f"{row['prefix']}-score"],
                area=self.cleaned_data[f"{row['prefix']}-area"],
                side=self.cleaned_data[f"{row['prefix']}-side"],
                exercise=row["exercise"],
            )
            for row in self.pain_rows
            if self.cleaned_data.get(f"{row['prefix']}-score")
        ]

    def lock(self) -> None:
        """A finished session: its sets show as logged and take no new values; effort, pain
        and notes may still be given once after its last set finished it."""
        self.locked = True
        for row in self.rows:
            for part in ("done", "load"):
                self.fields[f"{row['prefix']}-{part}"].disabled = True

    def entries(self) -> list[tuple[int, int, str, float, float | None]]:
        return [
            (
                row["item"].pk,
                row["number"],
                row["side"],
                self.cleaned_data[f"{row['prefix']}-done"],
                self.cleaned_data[f"{row['prefix']}-load"],
            )
            for row in self.rows
        ]


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class MissedForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Why was it missed?")


class StandardsForm(forms.Form):
    """One number per event group and movement, starting from the club's current targets."""

    def __init__(self, *args: Any, cells: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cells = cells
        for cell in cells:
            self.fields[cell.field] = forms.FloatField(
                min_value=0.01, max_value=1000, initial=f"{cell.target:g}", label=cell.movement_name
            )
        self.rows = [(cell, self[cell.field]) for cell in cells]

    def targets(self) -> dict[tuple[str, str], float]:
        return {(cell.group, cell.movement): self.cleaned_data[cell.field] for cell in self.cells}


def _offer_squads(form: Any, squads: Any) -> None:
    """The form's `squad` field offers the coach's own squads, hidden when there is one."""
    form.squads = squads
    form.fields["squad"].queryset = squads
    form.fields["squad"].error_messages["invalid_choice"] = "Choose one of your squads."
    if squads.count() == 1:
        form.fields["squad"].widget = forms.HiddenInput()
    first = squads.first()
    if first is not None and not form.is_bound:
        form.initial.setdefault("squad", first.pk)


class SquadChoiceForm(forms.Form):
    """Base for the roster forms: the squad is one of the signed-in coach's own; another
    coach's squad, or `squad=abc`, is an ordinary form error."""

    squad = forms.ModelChoiceField(queryset=Squad.objects.none(), empty_label=None, required=False)
    squads: QuerySet[Squad]

    def __init__(self, *args: Any, squads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_squads(self, squads)

    def clean_squad(self) -> Squad:
        """Left out, the squad is the coach's only one."""
        squad: Squad | None = self.cleaned_data.get("squad")
        if squad is None:
            if self.squads.count() != 1:
                raise forms.ValidationError("Choose one of your squads.")
            squad = self.squads.get()
        return squad


class RosterUploadForm(SquadChoiceForm):
    file = forms.FileField(required=False, label="CSV file")
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="…or paste the CSV here",
    )
    send_email = forms.BooleanField(
        required=False,
        initial=True,
        label="Email each new athlete their invitation link (those with an email address)",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            if upload.size > 1_000_000:
                raise forms.ValidationError("The file is over 1 MB; split the roster.")
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("Save the file as UTF-8 CSV and try again.") from None
        if not data.get("text", "").strip():
            raise forms.ValidationError("Choose a CSV file or paste its contents.")
        return data


class AthleteAddForm(AthleteProfileForm):
    """One athlete by hand: the profile form plus the squad and whether to email the link."""

    squad = forms.ModelChoiceField(queryset=Squad.objects.none(), empty_label=None, required=False)
    squads: QuerySet[Squad]
    send_email = forms.BooleanField(
        required=False, initial=True, label="Email the invitation link to this address"
    )
    clean_squad = SquadChoiceForm.clean_squad

    field_order = ["squad", "name", "email", "event_group", "sex", "body_mass_kg"]

    def __init__(self, *args: Any, squads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_squads(self, squads)
        if not self.is_bound:
            self.initial.setdefault("equipment", [code for code, _ in EQUIPMENT])
            self.initial.setdefault("hard_run_days", ["tue", "thu"])

    def clean(self) -> dict[str, Any]:
        """The roster import's rule for "the same athlete": the same email in the squad, or,
        without an email, the same name and no email on file. A second submit adds nobody."""
        data = super().clean()
        squad, name, email = data.get("squad"), data.get("name", ""), data.get("email", "")
        if squad is None or not name:
            return data
        athletes = Athlete.objects.filter(squad=squad)
        same = (
            athletes.filter(email__iexact=email)
            if email
            else athletes.filter(name__iexact=name, email="")
        ).first()
        if same is not None:
            self.add_error(
                "email" if email else "name",
                f"{same.name} is already in {squad.name} with this "
                f"{'email' if email else 'name'}: edit their profile, or send a new link "
                "from Invitations.",
            )
        return data


class InvitationIssueForm(forms.Form):
    athletes = forms.ModelMultipleChoiceField(
        queryset=Athlete.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    send_email = forms.BooleanField(
        required=False, initial=True, label="Email each link (athletes with an email address)"
    )

    def __init__(self, *args: Any, squads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelMultipleChoiceField[Athlete]", self.fields["athletes"]
        ).queryset = Athlete.objects.filter(squad__in=squads, user__isnull=True)
        self.fields["athletes"].error_messages["invalid_choice"] = (
            "Choose athletes of your squad who have no login yet."
        )


class InviteAcceptForm(forms.Form):
    """The invited athlete's login: the username passes the user model's own validators
    (letters, digits and @.+-_ only, at most 150 characters) and the password the
    AUTH_PASSWORD_VALIDATORS, judged against the chosen username too."""

    username = forms.CharField(
        help_text="Letters, digits and @ . + - _ only; at most 150 characters."
    )
    password1 = forms.CharField(widget=forms.PasswordInput, label="Password")
    password2 = forms.CharField(widget=forms.PasswordInput, label="Password again")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        model_field = get_user_model()._meta.get_field("username")
        cast(forms.CharField, self.fields["username"]).max_length = model_field.max_length
        self.fields["username"].validators.extend(model_field.validators)
        self.fields["username"].widget.attrs.update(
            maxlength=str(model_field.max_length), autocomplete="username"
        )
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"

    def clean_username(self) -> str:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.base_user import AbstractBaseUser

        username = AbstractBaseUser.normalize_username(str(self.cleaned_data["username"]).strip())
        # NFKC-folded first, then the model's own rules: no zero-width space in a `coach`.
        get_user_model().username_validator(username)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken; choose another.")
        return username

    def clean(self) -> dict[str, Any]:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        elif data.get("password1"):
            user = get_user_model()(username=data.get("username", ""))
            try:
                validate_password(data["password1"], user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, label="What is it for?")
    read_only = forms.BooleanField(required=False, label="Read-only (cannot log or change)")


class TestDayForm(forms.Form):
    date = plausible_date_field()
    event_group = forms.ChoiceField(
        choices=lambda: [("", "Whole squad"), *group_choices()], required=False, label="Who"
    )
    movements = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, movements: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["movements"]).choices = movements


class TestDayMoveForm(forms.Form):
    """Move a test day not yet held to this date."""

    date = forms.DateField()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class RunFilesField(forms.FileField):
    """Several files in one field: Django's documented recipe."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        return [single(data or None, initial)]


class RunUploadForm(forms.Form):
    # Named as the API's multipart field; Django moves declared fields to `base_fields`, so
    # the form's own `files` (the upload dict) is untouched.
    files = RunFilesField(  # type: ignore[assignment]
        label="Run files",
        widget=MultipleFileInput(attrs={"accept": ".fit,.tcx,.gpx,.zip,.gz"}),
        help_text="FIT, TCX or GPX files from the watch, up to 100 at once, or a zip such as a "
        "Garmin or Strava bulk export.",
        error_messages={"required": "Choose one or more run files, or a zip."},
    )
