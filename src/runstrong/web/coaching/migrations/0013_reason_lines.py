import hashlib
import json

from django.db import migrations, models


def _json(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _text_digest(cues, ladder):
    return _digest("[" + _json(cues) + "," + _json(ladder) + "]")


def split_reasons(apps, schema_editor):
    """Each distinct reason becomes one ReasonLine; each item lists its reasons by id; the
    item texts keep cues and ladder only, one row per distinct pair."""
    ItemText = apps.get_model("coaching", "ItemText")
    ReasonLine = apps.get_model("coaching", "ReasonLine")
    PlannedItem = apps.get_model("coaching", "PlannedItem")
    lines = {}
    kept = {}
    for text in ItemText.objects.order_by("pk").iterator(chunk_size=500):
        ids = []
        for reason in text.reasons:
            body, keys = str(reason["text"]), list(reason.get("keys", []))
            digest = _digest(body + "\x00" + _json(keys))
            if digest not in lines:
                lines[digest] = ReasonLine.objects.create(digest=digest, text=body, keys=keys).pk
            ids.append(lines[digest])
        digest = _text_digest(text.cues, text.ladder)
        keep = kept.setdefault(digest, text.pk)
        if keep == text.pk:
            ItemText.objects.filter(pk=text.pk).update(digest=digest)
        # Fingerprints name the old texts: the next replan rewrites these future items.
        PlannedItem.objects.filter(text_id=text.pk).update(
            text_id=keep, reason_ids=ids, fingerprint=""
        )
    ItemText.objects.exclude(pk__in=list(kept.values())).delete()


def join_reasons(apps, schema_editor):
    """Backwards: one item text per distinct (cues, reasons, ladder), as 0008 made them."""
    ItemText = apps.get_model("coaching", "ItemText")
    ReasonLine = apps.get_model("coaching", "ReasonLine")
    PlannedItem = apps.get_model("coaching", "PlannedItem")
    lines = {line.pk: {"text": line.text, "keys": line.keys} for line in ReasonLine.objects.all()}
    texts = {text.pk: text for text in ItemText.objects.all()}
    made = {}
    for item in PlannedItem.objects.order_by("pk").iterator(chunk_size=2000):
        text = texts[item.text_id]
        reasons = [lines[pk] for pk in item.reason_ids if pk in lines]
        digest = _digest(_json([text.cues, reasons, text.ladder]))
        if digest not in made:
            made[digest] = ItemText.objects.create(
                digest=digest, cues=text.cues, reasons=reasons, ladder=text.ladder
            ).pk
        PlannedItem.objects.filter(pk=item.pk).update(text_id=made[digest], fingerprint="")
    ItemText.objects.filter(pk__in=list(texts)).delete()


class Migration(migrations.Migration):
    """Reasons stored once each and listed by id on items: a squad's preview wrote thousands of
    item texts of about 2 KB, nearly all of them a new mix of the same thousand reasons."""

    dependencies = [
        ("coaching", "0012_pain_per_exercise"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReasonLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(max_length=32, unique=True)),
                ("text", models.TextField()),
                ("keys", models.JSONField(default=list)),
            ],
        ),
        migrations.AddField(
            model_name="planneditem",
            name="reason_ids",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(split_reasons, join_reasons),
        migrations.RemoveField(model_name="itemtext", name="reasons"),
    ]
