"""An athlete's running plan: the calendar it comes from and the runs it holds.

Imported by models.py, so these are the coaching app's models like any other.
"""

from __future__ import annotations

from django.db import models

from runstrong.web.coaching.models import Athlete


class RunningCalendar(models.Model):
    """Where an athlete's running plan comes from: an uploaded .ics or a subscription URL.

    The last good copy is kept whole: a failed fetch records when and why and changes nothing
    else, so the planned runs stay as they were.
    """

    athlete = models.OneToOneField(
        Athlete, on_delete=models.CASCADE, related_name="running_calendar"
    )
    url = models.URLField(max_length=2000, blank=True)
    good_ics = models.TextField(blank=True)
    good_at = models.DateTimeField(null=True, blank=True)
    good_from = models.CharField(
        max_length=6, blank=True, choices=[("upload", "Upload"), ("url", "Subscription")]
    )
    tried_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    error_at = models.DateTimeField(null=True, blank=True)


class PlannedRun(models.Model):
    """One run of the plan, from an event (one occurrence of a repeating one)."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="planned_runs")
    uid = models.CharField(max_length=255)
    date = models.DateField()
    start = models.TimeField(null=True, blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    hard = models.BooleanField(default=False)
    race = models.BooleanField(default=False)
    reasons = models.JSONField(default=list, blank=True)
    rule_keys = models.JSONField(default=list, blank=True)
    # The coach's word over the engine's, kept across syncs while the event stays.
    override = models.CharField(
        max_length=4, blank=True, choices=[("hard", "Hard"), ("easy", "Easy")]
    )
    override_by = models.CharField(max_length=150, blank=True)
    override_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "uid", "date"], name="planned_run_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["athlete", "date"])]

    @property
    def is_hard(self) -> bool:
        if self.override:
            return self.override == "hard"
        return self.hard
