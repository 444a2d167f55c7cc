"""Clubs, squads, athletes, their published plans and what they logged."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from runstrong.engine.model import dose_words
from runstrong.engine.pain import PAIN_AREAS, PAIN_SIDES, pain_where
from runstrong.engine.profile import EQUIPMENT as ENGINE_EQUIPMENT
from runstrong.engine.profile import PROBLEMS as ENGINE_PROBLEMS
from runstrong.engine.wording import MEASURE_UNITS
from runstrong.web.coaching.site_catalog import GROUP_SLUG_MAX, validate_event_group

SEXES = [("female", "Female"), ("male", "Male"), ("unspecified", "Unspecified")]
EXPERIENCE = [("new", "New to lifting"), ("some", "Some"), ("experienced", "Experienced")]
LEG_LENGTHS = [("short", "Short"), ("average", "Average"), ("long", "Long")]
STRIDE_GOALS = [("keep", "Keep"), ("lengthen", "Lengthen")]
# The engine owns the flags: a new one reaches the forms without a change here.
PROBLEMS = list(ENGINE_PROBLEMS.items())
PAIN_AREA_CHOICES = list(PAIN_AREAS.items())
PAIN_SIDE_CHOICES = list(PAIN_SIDES.items())
EQUIPMENT = list(ENGINE_EQUIPMENT.items())
WEEKDAYS = [
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
]
PRIORITIES = [("A", "A (goal race)"), ("B", "B"), ("C", "C")]


class Club(models.Model):
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name


class Coach(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="coaches")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Squad(models.Model):
    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="squads")
    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="squads")
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name


class Athlete(models.Model):
    squad = models.ForeignKey(Squad, on_delete=models.CASCADE, related_name="athletes")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    # The catalog's groups, checked by full_clean and the forms: no `choices`, so a club
    # catalog with a group of its own needs no migration.
    event_group = models.CharField(max_length=GROUP_SLUG_MAX, validators=[validate_event_group])
    sex = models.CharField(max_length=16, choices=SEXES, default="unspecified")
    body_mass_kg = models.FloatField(
        default=60, validators=[MinValueValidator(25), MaxValueValidator(200)]
    )
    experience = models.CharField(max_length=16, choices=EXPERIENCE, default="some")
    leg_length = models.CharField(max_length=16, choices=LEG_LENGTHS, default="average")
    stride_goal = models.CharField(max_length=16, choices=STRIDE_GOALS, default="keep")
    problems = models.JSONField(default=list, blank=True)
    equipment = models.JSONField(default=list, blank=True)
    kettlebells_kg = models.JSONField(default=list, blank=True)
    strength_days = models.JSONField(default=list)
    hard_run_days = models.JSONField(default=list, blank=True)
    # What a completed run is judged against (engine/running.py); blank: that rule is skipped.
    threshold_hr = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(60), MaxValueValidator(240)]
    )
    threshold_pace = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(120), MaxValueValidator(900)],
        help_text="Seconds per kilometre",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Race(models.Model):
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="races")
    name = models.CharField(max_length=120, default="Race")
    date = models.DateField()
    priority = models.CharField(max_length=1, choices=PRIORITIES, default="A")

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.priority}) {self.date}"


class Plan(models.Model):
    """An athlete's season plan from the engine: a draft until the coach publishes it."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="plans")
    season_start = models.DateField()
    weeks = models.PositiveSmallIntegerField()
    catalog_name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # What the draft was derived from (profile, races, log); publishing re-derives it only
    # when that has changed since (plans.py).
    basis = models.CharField(max_length=16, blank=True, default="")
    # The first day a draft was laid out from: publishing as of an earlier day lays it again.
    laid_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class LiveSessions(models.Manager["PlannedSession"]):
    """Sessions still in a plan: a publish sets the replaced ones aside for the worker to purge."""

    def get_queryset(self) -> models.QuerySet[PlannedSession]:
        return super().get_queryset().filter(superseded=False)


class PlannedSession(models.Model):
    # No index of their own: (plan, date) and (athlete, date) below lead with them, and each
    # index is one more write for every session a squad's preview lays or a publish sets aside.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sessions", db_index=False
    )
    athlete = models.ForeignKey(
        Athlete, on_delete=models.CASCADE, related_name="sessions", db_index=False
    )
    date = models.DateField()
    week_index = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=16)
    deload = models.BooleanField(default=False)
    kind = models.CharField(max_length=16)
    placement = models.JSONField(default=dict)
    # Replaced by a newer plan and never logged: hidden everywhere, deleted by a background task
    # (deleting a squad's season row by row inside the publish request is most of its time).
    superseded = models.BooleanField(default=False, db_default=False)

    objects = LiveSessions()
    all_rows = models.Manager()

    class Meta:
        ordering = ["date"]
        base_manager_name = "all_rows"
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_session_a_day_per_plan")
        ]
        indexes = [models.Index(fields=["athlete", "date"])]


class ItemText(models.Model):
    """How a prescription is done (cues and ladder), stored once and shared by every item that
    says the same: a squad's season repeats a few dozen across tens of thousands of items.
    Rows are immutable and addressed by a digest of the content (item_texts.py)."""

    digest = models.CharField(max_length=32, unique=True)
    cues = models.JSONField(default=list)
    ladder = models.JSONField(default=dict)


class ReasonLine(models.Model):
    """One reason a prescription gives (its text and rule keys), stored once: items list the
    ones they give by id. Immutable and addressed by a digest of the content."""

    digest = models.CharField(max_length=32, unique=True)
    text = models.TextField()
    keys = models.JSONField(default=list)


class PlannedItems(models.QuerySet["PlannedItem"]):
    """Items read together read their reasons together: the first one asked for its reasons
    reads those of every item fetched with it, in one query (a page lists a season's worth)."""

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        batch = self._result_cache
        if fresh and batch and isinstance(batch[0], PlannedItem):
            for item in batch:
                item.__dict__["reason_batch"] = batch


def read_reasons(items: list[PlannedItem]) -> None:
    """Each item's reasons as {"text", "keys"}, in the order it lists them: one query."""
    wanted = {pk for item in items for pk in item.reason_ids}
    lines = {
        pk: {"text": text, "keys": keys}
        for pk, text, keys in ReasonLine.objects.filter(pk__in=wanted).values_list(
            "pk", "text", "keys"
        )
    }
    for item in items:
        item.__dict__["reason_lines"] = [lines[pk] for pk in item.reason_ids if pk in lines]


class PlannedItem(models.Model):
    # No database constraint: checking the key of each of the 78k items a 300-athlete preview
    # writes took a third of a second at commit on PostgreSQL. Items are written only beside
    # their session's own write and deleted before it (session_rows.py; the ORM cascades in
    # Python), and a logged set stays guarded by its own key to the item. The plan state
    # machine test checks after every step that no item outlives its session.
    session = models.ForeignKey(
        PlannedSession, on_delete=models.CASCADE, related_name="items", db_constraint=False
    )
    slot = models.CharField(max_length=4)
    exercise = models.CharField(max_length=60)
    name = models.CharField(max_length=120)
    substitute_for = models.CharField(max_length=60, blank=True)
    sets = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    target = models.FloatField(validators=[MinValueValidator(1), MaxValueValidator(600)])
    per_side = models.BooleanField(default=False)
    load_kg = models.FloatField(null=True, blank=True)
    rest_s = models.PositiveSmallIntegerField()
    rir_low = models.PositiveSmallIntegerField(default=2)
    rir_high = models.PositiveSmallIntegerField(default=3)
    measure = models.CharField(max_length=8, default="reps")
    # What to wear on the feet (socks, barefoot), from the catalog; blank when it names none.
    footwear = models.CharField(max_length=60, blank=True, default="")
    # No database constraint: texts are immutable and never deleted, and checking the key of
    # every item a squad's preview writes cost about a third of a second on PostgreSQL.
    # Nor an index: nothing looks items up by their text.
    text = models.ForeignKey(
        ItemText, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    # The ReasonLine ids of the reasons this prescription gives, in order.
    reason_ids = models.JSONField(default=list)
    edited_by_coach = models.BooleanField(default=False)
    # A digest of the fields above as the last replan wrote them (replanning.py).
    fingerprint = models.CharField(max_length=16, blank=True, default="")

    objects = PlannedItems.as_manager()

    class Meta:
        ordering = ["slot"]

    @property
    def cues(self) -> list[str]:
        return list(self.text.cues)

    @property
    def reasons(self) -> list[dict[str, Any]]:
        """Each reason as {"text", "keys"}, read with those of the items fetched alongside."""
        if "reason_lines" not in self.__dict__:
            read_reasons(self.__dict__.get("reason_batch") or [self])
        return list(self.__dict__["reason_lines"])

    @property
    def ladder(self) -> dict[str, object]:
        return dict(self.text.ladder)

    @property
    def unit(self) -> str:
        return MEASURE_UNITS[self.measure]

    @property
    def label(self) -> str:
        """`A1 Banded Spanish squat (socks)`: slot, name and footwear, for one-line listings."""
        shoes = f" ({self.footwear})" if self.footwear else ""
        return f"{self.slot} {self.name}{shoes}"

    @property
    def load_text(self) -> str:
        """`8 kg`, or `2 × 12 kg` for an exercise that holds a pair (the size is per hand)."""
        if not self.load_kg:
            return "bodyweight"
        bells = self.ladder.get("bells", 1) if self._has_text else 1
        return f"{self.load_kg:g} kg" if bells == 1 else f"{bells} × {self.load_kg:g} kg"

    @property
    def tempo(self) -> str:
        """How to do it slower past the top of the range (`lower over 3 s`), or ""."""
        return str(self.ladder.get("tempo") or "") if self._has_text else ""

    @property
    def _has_text(self) -> bool:
        # An unsaved row made only to word a dose (a plan change's before/after) is given its
        # text unsaved, or none.
        return self.text_id is not None or PlannedItem.text.is_cached(self)

    @property
    def dose_text(self) -> str:
        """`3 × 12 reps each side, 8 kg` as printed on cards and in calendars."""
        return dose_words(
            sets=self.sets,
            target=self.target,
            measure=self.measure,
            per_side=self.per_side,
            load=self.load_text,
            tempo=self.tempo,
        )


class SessionLog(models.Model):
    """What happened to a planned session: done (with sets) or missed (with a reason)."""

    session = models.OneToOneField(PlannedSession, on_delete=models.CASCADE, related_name="log")
    status = models.CharField(max_length=8, choices=[("done", "Done"), ("missed", "Missed")])
    missed_reason = models.CharField(max_length=200, blank=True)
    reps_in_reserve = models.PositiveSmallIntegerField(null=True, blank=True)
    pain = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    pain_where = models.CharField(max_length=120, blank=True)
    # True: pain was reported per exercise (PainReport rows); `pain` and `pain_where` only sum
    # them up (the worst) and step nothing back. False, logs from before: `pain` was the
    # session's one score and every exercise of the session stepped back for it.
    pain_by_exercise = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    logged_at = models.DateTimeField(auto_now=True)
    # Completed by its last set: effort, pain and notes may still follow once.
    by_last_set = models.BooleanField(default=False)
    # What the athlete was told changes next time, kept so a repeat returns the same answer.
    outcome = models.JSONField(default=list, blank=True)


class ItemOverride(models.Model):
    """A coach's edit of one exercise on one day of a plan: kept through every replan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="overrides")
    date = models.DateField()
    exercise = models.CharField(max_length=60)
    sets = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    target = models.FloatField(validators=[MinValueValidator(1), MaxValueValidator(600)])
    load_kg = models.FloatField(null=True, blank=True)
    # Rest between sets (None: the engine's), a note for the athlete, and the catalog
    # substitute (its name) done instead of the engine's exercise ("" : no swap).
    rest_s = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True, default="")
    swap_to = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "date", "exercise"], name="one_override_per_plan_day_exercise"
            )
        ]


class PlanChange(models.Model):
    """One line of an athlete's plan history: what moved, before → after, and what caused it."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="plan_changes")
    at = models.DateTimeField(auto_now_add=True)
    session_date = models.DateField(null=True, blank=True)
    what = models.CharField(max_length=200)
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    cause = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    keys = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["athlete", "-at"])]


class SetLog(models.Model):
    item = models.ForeignKey(PlannedItem, on_delete=models.CASCADE, related_name="set_logs")
    set_number = models.PositiveSmallIntegerField()
    side = models.CharField(
        max_length=5, blank=True, choices=[("left", "Left"), ("right", "Right")]
    )
    done = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(600)])
    load_kg = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["set_number", "side"]
        constraints = [
            # A double tap or a retried request updates the same set instead of adding one.
            models.UniqueConstraint(fields=["item", "set_number", "side"], name="one_log_per_set")
        ]


class PainReports(models.QuerySet["PainReport"]):
    def named(self) -> PainReports:
        """With `exercise_name`, the name of the exercise as it was in that session, and
        `by_exercise`: False for a report of a log from before pain was reported per exercise
        (its one score stepped every exercise of the session back)."""
        names = PlannedItem.objects.filter(
            session_id=models.OuterRef("session_id"), exercise=models.OuterRef("exercise")
        ).values("name")[:1]
        return self.annotate(
            exercise_name=models.Subquery(names),
            by_exercise=models.F("session__log__pain_by_exercise"),
        )


class FoldedState(models.Model):
    """An athlete's progression state as the last fold of their log left it (`folded_state`),
    with the marks of the log it was folded from: a preview of a squad reads it instead of
    folding every athlete's season again, and folds afresh whoever's marks moved since."""

    athlete = models.OneToOneField(
        Athlete, on_delete=models.CASCADE, primary_key=True, related_name="folded_state"
    )
    marks = models.CharField(max_length=32)
    state = models.JSONField()
    # The state before the newest session, with the log it was folded through (`state` holds
    # its own under "through"): a completion folds on from either where its log holds.
    before_last = models.JSONField(null=True)


class PainReport(models.Model):
    """Pain the athlete reported: in one exercise of a session (`exercise`, its slug: that
    exercise steps back), or elsewhere (`exercise` blank: a flag for the coach only).
    Reports from before areas were asked say where in free text (`where`), kept as written."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="pain_reports")
    session = models.ForeignKey(
        PlannedSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    exercise = models.CharField(max_length=60, blank=True, default="")
    area = models.CharField(max_length=16, blank=True, default="", choices=PAIN_AREA_CHOICES)
    side = models.CharField(max_length=5, blank=True, default="", choices=PAIN_SIDE_CHOICES)
    where = models.CharField(max_length=120, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = PainReports.as_manager()

    class Meta:
        ordering = ["-date"]

    @property
    def where_text(self) -> str:
        """`left knee`; an old report's own words."""
        return pain_where(self.area, self.side) or self.where

    @property
    def about(self) -> str:
        """`left knee in the Banded Spanish squat`, `right shin, not in an exercise`, or an old
        report's own words (read from `PainReports.named()` for the exercise's name)."""
        where = self.where_text
        if self.exercise:
            name = getattr(self, "exercise_name", None) or self.exercise
            return f"{where} in the {name}".strip()
        if self.area:
            return f"{where}, not in an exercise"
        return where


class BenchmarkResult(models.Model):
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="benchmarks")
    test_day = models.ForeignKey(
        "TestDay", null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    movement = models.CharField(max_length=60)
    date = models.DateField()
    value = models.FloatField(null=True, blank=True)
    left = models.FloatField(null=True, blank=True)
    right = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-date"]


class ClubStandard(models.Model):
    """A club's own benchmark target for a group and movement, replacing the catalog default."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="standards")
    event_group = models.CharField(max_length=GROUP_SLUG_MAX, validators=[validate_event_group])
    movement = models.CharField(max_length=60)
    target = models.FloatField(validators=[MinValueValidator(0.01)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["club", "event_group", "movement"],
                name="one_standard_per_club_group_movement",
            )
        ]


def invitation_expiry() -> datetime:
    """When a link issued now stops working: RUNSTRONG_INVITATION_DAYS (7) days from now."""
    return timezone.now() + timedelta(days=settings.RUNSTRONG_INVITATION_DAYS)


class Invitation(models.Model):
    """A one-time link that lets an imported athlete choose a login; only a hash is stored.

    Re-issuing replaces the hash (the old link stops working) and restarts `created_at` and
    `expires_at`."""

    athlete = models.OneToOneField(Athlete, on_delete=models.CASCADE, related_name="invitation")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker that emails the link: when it went, or why it could not.
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=200, blank=True, default="")


class ApiToken(models.Model):
    """A personal API token: shown once, stored as a SHA-256 hash, acts as its owner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    read_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class IdempotencyRecord(models.Model):
    """The first response to a request with this key, replayed for retries of the same body."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_response_per_idempotency_key")
        ]


class CalendarFeed(models.Model):
    """An athlete's subscribable calendar: a secret URL, stored as a hash, revocable."""

    athlete = models.OneToOneField(Athlete, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class SquadFeed(models.Model):
    """A coach's subscribable calendar of every athlete in their squads: one secret URL per
    coach, stored as a hash, revocable."""

    coach = models.OneToOneField(Coach, on_delete=models.CASCADE, related_name="squad_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class TestDay(models.Model):
    """A squad's benchmark session: a date and the movements to test."""

    squad = models.ForeignKey(Squad, on_delete=models.CASCADE, related_name="test_days")
    date = models.DateField()
    event_group = models.CharField(
        max_length=GROUP_SLUG_MAX, blank=True, validators=[validate_event_group]
    )
    movements = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]


RUN_UPLOAD_STATES = [
    ("queued", "Waiting"),
    ("running", "Importing"),
    ("done", "Imported"),
    ("refused", "Refused"),
    ("failed", "Failed"),
]


class RunUpload(models.Model):
    """Run files uploaded together, imported all or nothing, in the request or by the worker;
    the page polls its state. The files' bytes (RunUploadFile) go once it is imported."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="run_uploads")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=RUN_UPLOAD_STATES, default="queued")
    file_count = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    # [{"name", "reason"}]: a refused upload stores no run.
    refused = models.JSONField(default=list, blank=True)
    # Duplicates skipped and folders passed over, one sentence each.
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    @property
    def finished(self) -> bool:
        return self.state in ("done", "refused", "failed")


class RunUploadFile(models.Model):
    upload = models.ForeignKey(RunUpload, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    data = models.BinaryField()


class CompletedRun(models.Model):
    """A run the athlete did, read from their watch's file. Never rewritten by an import: a
    second upload of the same run (same start and duration) is skipped."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="runs")
    upload = models.ForeignKey(
        RunUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    date = models.DateField()
    started_at = models.DateTimeField()
    duration_s = models.PositiveIntegerField()
    distance_m = models.FloatField()
    avg_hr = models.PositiveSmallIntegerField(null=True, blank=True)
    max_hr = models.PositiveSmallIntegerField(null=True, blank=True)
    sport = models.CharField(max_length=40, default="running")
    source_name = models.CharField(max_length=255)
    # [{"duration_s", "distance_m", "avg_hr", "max_hr"}] in order; pace follows from them.
    laps = models.JSONField(default=list)
    # {bpm: seconds}: judged again when the athlete's threshold changes.
    hr_seconds = models.JSONField(default=dict)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "started_at", "duration_s"], name="one_run_per_start_duration"
            )
        ]
        indexes = [models.Index(fields=["athlete", "date"])]

    @property
    def pace_s_per_km(self) -> float | None:
        if self.distance_m < 1:
            return None
        return self.duration_s / (self.distance_m / 1000)


# Kept in a module of its own; imported here so Django finds them with the app's models.
from runstrong.web.coaching.running_models import PlannedRun, RunningCalendar  # noqa: E402, F401
