"""Quoted table and column names for the few statements written as plain SQL.

Django's ORM spends about 0.4 ms compiling a joined query that the database answers in 0.02 ms;
statements that run on every API request or every logged set are written out once instead. The
names come from the models, so a renamed field cannot leave a stale statement behind.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def table(model: type[Model]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def columns(model: type[Model]) -> dict[str, str]:
    """Field name → quoted column, for every concrete field (foreign keys by field name)."""
    quote = connection.ops.quote_name
    return {field.name: str(quote(field.column)) for field in model._meta.concrete_fields}
