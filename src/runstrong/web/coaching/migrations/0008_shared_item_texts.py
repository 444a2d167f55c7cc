import hashlib
import json

import django.db.models.deletion
from django.db import migrations, models


def _digest(cues, reasons, ladder):
    body = json.dumps(
        [cues, reasons, ladder], separators=(",", ":"), ensure_ascii=False, sort_keys=True
    )
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


def share_texts(apps, schema_editor):
    """Move each item's cues, reasons and ladder into one shared row per distinct content."""
    PlannedItem = apps.get_model("coaching", "PlannedItem")
    ItemText = apps.get_model("coaching", "ItemText")
    ids = {}
    for item in PlannedItem.objects.all().iterator(chunk_size=2000):
        digest = _digest(item.cues, item.reasons, item.ladder)
        if digest not in ids:
            text, _ = ItemText.objects.get_or_create(
                digest=digest,
                defaults={"cues": item.cues, "reasons": item.reasons, "ladder": item.ladder},
            )
            ids[digest] = text.pk
        PlannedItem.objects.filter(pk=item.pk).update(
            text_id=ids[digest],
            measure=str((item.ladder or {}).get("measure", "reps")),
            fingerprint="",
        )


def unshare_texts(apps, schema_editor):
    """Back to texts on each item (run after the item columns are restored)."""
    PlannedItem = apps.get_model("coaching", "PlannedItem")
    for item in PlannedItem.objects.select_related("text").iterator(chunk_size=2000):
        PlannedItem.objects.filter(pk=item.pk).update(
            cues=item.text.cues, reasons=item.text.reasons, ladder=item.text.ladder
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0007_fingerprints_and_legacy_edits"),
    ]

    operations = [
        migrations.CreateModel(
            name="ItemText",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(max_length=32, unique=True)),
                ("cues", models.JSONField(default=list)),
                ("reasons", models.JSONField(default=list)),
                ("ladder", models.JSONField(default=dict)),
            ],
        ),
        migrations.AddField(
            model_name="planneditem",
            name="measure",
            field=models.CharField(default="reps", max_length=8),
        ),
        migrations.AddField(
            model_name="planneditem",
            name="text",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="coaching.itemtext",
            ),
        ),
        migrations.RunPython(share_texts, unshare_texts),
        migrations.RemoveField(model_name="planneditem", name="cues"),
        migrations.RemoveField(model_name="planneditem", name="reasons"),
        migrations.RemoveField(model_name="planneditem", name="ladder"),
        migrations.AlterField(
            model_name="planneditem",
            name="text",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="coaching.itemtext",
            ),
        ),
    ]
