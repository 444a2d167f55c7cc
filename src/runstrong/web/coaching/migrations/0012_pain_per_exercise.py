from django.db import migrations, models

AREAS = [
    ("knee", "Knee"),
    ("shin", "Shin"),
    ("calf", "Calf"),
    ("achilles", "Achilles"),
    ("hamstring", "Hamstring"),
    ("hip", "Hip"),
    ("lower-back", "Lower back"),
    ("other", "Other"),
]
SIDES = [("left", "Left"), ("right", "Right"), ("both", "Both")]


class Migration(migrations.Migration):
    """Pain per exercise. Existing rows are kept as written: their reports have no exercise
    or area (`where` keeps the athlete's words), and their logs are marked as reported per
    session (`pain_by_exercise` false), so they fold as they always did. New logs default to
    per exercise. Backwards, the new columns go; the old ones were never touched."""

    dependencies = [
        ("coaching", "0011_planned_item_footwear"),
    ]

    operations = [
        migrations.AddField(
            model_name="painreport",
            name="exercise",
            field=models.CharField(blank=True, default="", max_length=60),
        ),
        migrations.AddField(
            model_name="painreport",
            name="area",
            field=models.CharField(blank=True, choices=AREAS, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="painreport",
            name="side",
            field=models.CharField(blank=True, choices=SIDES, default="", max_length=5),
        ),
        # Existing logs get False (their one score stepped every exercise back), then the
        # default for new rows becomes True.
        migrations.AddField(
            model_name="sessionlog",
            name="pain_by_exercise",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="sessionlog",
            name="pain_by_exercise",
            field=models.BooleanField(default=True),
        ),
    ]
