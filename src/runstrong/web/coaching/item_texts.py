"""Item texts (cues, reasons, ladder) stored once per distinct content and shared by items."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection

from runstrong.web.coaching.models import ItemText

# An item's cues, reasons and ladder, each as its JSON text.
Payload = tuple[str, str, str]


def text_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def json_list(texts: Iterable[str]) -> str:
    """The JSON list of these JSON texts: `text_json` of the list, without parsing them."""
    return "[" + ",".join(texts) + "]"


def text_digest(payload: Payload) -> str:
    """32 hex digits naming what an item says: the same content always has the same row."""
    return hashlib.blake2b(json_list(payload).encode(), digest_size=16).hexdigest()


def text_ids(payloads: dict[str, Payload]) -> dict[str, int]:
    """The row id for each digest, inserting the texts not stored yet; two statements at most
    besides the inserts, however many items share them."""
    if not payloads:
        return {}
    found = dict(ItemText.objects.filter(digest__in=list(payloads)).values_list("digest", "pk"))
    # Sorted, so two transactions adding the same new texts take their locks in one order.
    missing = sorted(digest for digest in payloads if digest not in found)
    if missing:
        quote = connection.ops.quote_name
        cast = "::jsonb" if connection.vendor == "postgresql" else ""
        table = quote(ItemText._meta.db_table)
        conflict = "ON CONFLICT (digest) DO NOTHING"
        sql = (
            f"INSERT INTO {table} (digest, cues, reasons, ladder)"
            f" VALUES (%s, %s{cast}, %s{cast}, %s{cast}) {conflict}"
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                sql,
                [(digest, *payloads[digest]) for digest in missing],
            )
        found.update(ItemText.objects.filter(digest__in=missing).values_list("digest", "pk"))
    return found


def text_for(
    cues: Iterable[str], reasons: Iterable[dict[str, Any]], ladder: dict[str, Any]
) -> ItemText:
    """The stored row for one item's texts (a coach's edit adds a reason)."""
    payload: Payload = (text_json(list(cues)), text_json(list(reasons)), text_json(dict(ladder)))
    digest = text_digest(payload)
    return ItemText.objects.get(pk=text_ids({digest: payload})[digest])
