from typing import Any

from django.contrib import admin

from runstrong.web.coaching.models import Athlete, Club, Coach, Plan, Race, Squad


@admin.register(Club, Coach, Squad, Race, Plan)
class PlainAdmin(admin.ModelAdmin[Any]):
    pass


@admin.register(Athlete)
class AthleteAdmin(admin.ModelAdmin[Athlete]):
    list_display = ["name", "event_group", "squad"]
    list_filter = ["event_group", "squad"]
    search_fields = ["name", "email"]
