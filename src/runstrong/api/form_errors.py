"""A Django form's refusals as the API's 422: `{detail, errors: [{field, reason}]}`.

The coach operations validate through the same forms as the pages, so the rules live once;
this turns what a form says into the API's error shape, each error naming its field (a
formset's as `races.0.date`, a form-wide one as `body`).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.forms import BaseForm, BaseFormSet
from ninja.errors import ValidationError

FORM_WIDE = "__all__"


def refused(errors: list[tuple[str, str]]) -> NoReturn:
    """422 with these (field, reason) pairs. The location starts with `body` as ninja's own
    errors do; the error handler names the field after it."""
    raise ValidationError(
        [{"loc": ("body", *field.split(".")), "msg": reason, "type": "value_error"}
         for field, reason in errors]
    )  # fmt: skip


def form_errors(
    form: BaseForm, prefix: str = "", names: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """(field, reason) pairs; `names` maps a form field to the API's name for it (`squad` is
    `squad_id` in JSON)."""
    names = names or {}
    found = []
    for field, messages in form.errors.items():
        if field == FORM_WIDE:
            name = prefix.rstrip(".") or "body"
        else:
            name = f"{prefix}{names.get(field, field)}"
        found += [(name, str(message)) for message in messages]
    return found


def formset_errors(formset: BaseFormSet[Any], name: str) -> list[tuple[str, str]]:
    found = [(name, str(message)) for message in formset.non_form_errors()]
    for index, form in enumerate(formset.forms):
        found += form_errors(form, f"{name}.{index}.")
    return found


def check(form: BaseForm, names: dict[str, str] | None = None) -> None:
    """Return when the form is valid; else the 422 naming each bad field."""
    if not form.is_valid():
        refused(form_errors(form, names=names))
