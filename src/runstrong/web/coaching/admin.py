from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Field
from django.http import HttpRequest

from runstrong.web.coaching.models import Athlete, Club, Coach, Plan, Race, Squad
from runstrong.web.coaching.site_catalog import group_choices


@admin.register(Club, Coach, Squad, Race, Plan)
class PlainAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    pass


@admin.register(Athlete)
class AthleteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "event_group", "squad"]
    list_filter = ["event_group", "squad"]
    search_fields = ["name", "email"]

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        # The catalog's groups as a list to pick from: the model field has no `choices`.
        if db_field.name == "event_group":
            return forms.ChoiceField(choices=group_choices, label="Event group")
        return super().formfield_for_dbfield(db_field, request, **kwargs)
