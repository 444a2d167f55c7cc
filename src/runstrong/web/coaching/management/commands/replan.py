"""`runstrong manage replan`: every athlete's plan follows a changed catalog or deployment.

A club's catalog (RUNSTRONG_CATALOG) is read at start-up, so a new one reaches athletes' plans
here: each athlete's sessions from today on without a logged set are re-derived, and the
change is listed on their page with this cause. Logged sessions are not touched.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from runstrong.web.coaching.models import Athlete, PlanChange
from runstrong.web.coaching.replanning import plan_follow
from runstrong.web.coaching.site_catalog import site_catalog


class Command(BaseCommand):
    help = "Re-derive every athlete's future unlogged sessions (after a catalog change)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cause", default="Catalog changed", help="Shown on each athlete's plan changes."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = PlanChange._meta.get_field("cause").max_length
        if len(options["cause"]) > limit:
            raise CommandError(f"--cause: at most {limit} characters")
        catalog = site_catalog()
        athletes = Athlete.objects.filter(plans__published_at__isnull=False).distinct()
        followed = changed = 0
        for athlete in athletes.iterator():
            result = plan_follow(athlete=athlete, cause=options["cause"], catalog=catalog)
            if result is not None:
                followed += 1
                changed += len(result.changes)
        self.stdout.write(
            f"Replanned {followed} athletes with catalog {catalog.name!r}: {changed} plan changes."
        )
