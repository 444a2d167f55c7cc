"""Item texts stored once per distinct content and shared by items: the how (cues and ladder,
a few dozen in a squad) as one ItemText row, and the why as ReasonLine rows, one per distinct
reason, listed by id on each item. A squad's season repeats about a thousand reasons in tens
of thousands of items, most of which carry their own mix of them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection

from runstrong.web.coaching.models import ItemText, ReasonLine

# An item's cues and ladder, each as its JSON text.
Payload = tuple[str, str]
# A reason's text and its rule keys as a JSON list.
Line = tuple[str, str]


def text_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def json_list(texts: Iterable[str]) -> str:
    """The JSON list of these JSON texts: `text_json` of the list, without parsing them."""
    return "[" + ",".join(texts) + "]"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def text_digest(payload: Payload) -> str:
    """32 hex digits naming what an item's cues and ladder say: one row for one content."""
    return _digest(json_list(payload))


def line_digest(line: Line) -> str:
    return _digest(line[0] + "\x00" + line[1])


def line_of(reason: dict[str, Any]) -> Line:
    return (str(reason["text"]), text_json(list(reason.get("keys", []))))


def text_ids(payloads: dict[str, Payload]) -> dict[str, int]:
    """The row id for each digest, inserting the texts not stored yet."""
    return _stored_ids(ItemText, ("cues", "ladder"), payloads)


def line_ids(lines: dict[str, Line]) -> dict[str, int]:
    """The ReasonLine id for each digest, inserting the reasons not stored yet."""
    return _stored_ids(ReasonLine, ("text", "keys"), lines)


def ids_json(ids: Iterable[int]) -> str:
    """An item's `reason_ids` as the JSON text a bulk write sends."""
    return "[" + ",".join(map(str, ids)) + "]"


def _stored_ids(
    model: Any, names: tuple[str, str], rows: dict[str, tuple[str, str]]
) -> dict[str, int]:
    """The ids of these rows, storing those not stored yet: one read, then one insert a batch
    of the missing ones, however many items share the rows."""
    if not rows:
        return {}
    found = dict(model.objects.filter(digest__in=list(rows)).values_list("digest", "pk"))
    # Sorted, so two transactions adding the same new rows take their locks in one order.
    missing = sorted(digest for digest in rows if digest not in found)
    if missing:
        quote = connection.ops.quote_name
        marks = []
        for name in names:
            is_json = model._meta.get_field(name).get_internal_type() == "JSONField"
            marks.append("%s::jsonb" if is_json and connection.vendor == "postgresql" else "%s")
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
        row = f"(%s, {', '.join(marks)})"
        with connection.cursor() as cursor:
            for start in range(0, len(missing), _BATCH):
                batch = missing[start : start + _BATCH]
                # One statement a batch, which answers every id: a row another transaction
                # stored meanwhile is "updated" to itself so that RETURNING gives its id too.
                cursor.execute(
                    f"INSERT INTO {quote(model._meta.db_table)} (digest, {columns})"
                    f" VALUES {', '.join([row] * len(batch))}"
                    " ON CONFLICT (digest) DO UPDATE SET digest = EXCLUDED.digest"
                    f" RETURNING digest, {quote(model._meta.pk.column)}",
                    [value for digest in batch for value in (digest, *rows[digest])],
                )
                found.update(cursor.fetchall())
    return found


# Rows an insert statement: within SQLite's limit on a statement's parameters.
_BATCH = 500


def reason_ids_for(reasons: Iterable[dict[str, Any]]) -> list[int]:
    """The ReasonLine ids for these reasons, in order (a coach's edit adds one)."""
    lines = [line_of(reason) for reason in reasons]
    ids = line_ids({line_digest(line): line for line in lines})
    return [ids[line_digest(line)] for line in lines]
