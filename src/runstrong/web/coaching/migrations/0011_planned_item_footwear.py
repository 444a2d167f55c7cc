from django.db import migrations, models


def fill_footwear(apps, schema_editor):
    """Give sessions not yet logged the footwear their catalog names (socks for the Spanish
    squat, barefoot for the single-leg squat). Logged sessions keep what they were given; a
    catalog that does not load leaves the column blank until the next replan fills it."""
    from runstrong.engine.errors import CatalogError
    from runstrong.web.coaching.site_catalog import site_catalog

    try:
        catalog = site_catalog()
    except CatalogError:
        return
    PlannedItem = apps.get_model("coaching", "PlannedItem")
    open_items = PlannedItem.objects.filter(
        footwear="", session__log__isnull=True, set_logs__isnull=True
    )
    for exercise in catalog.exercises:
        open_items.filter(exercise=exercise.slug, substitute_for="").update(
            footwear=exercise.footwear
        )
    for substitute in catalog.substitutes:
        if substitute.omit:
            continue
        footwear = substitute.footwear or catalog.exercise(substitute.exercise).footwear
        open_items.filter(
            exercise=substitute.exercise, substitute_for=substitute.exercise, name=substitute.name
        ).update(footwear=footwear)


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0010_superseded_sessions"),
    ]

    operations = [
        migrations.AddField(
            model_name="planneditem",
            name="footwear",
            field=models.CharField(blank=True, default="", max_length=60),
        ),
        # Backwards, the column goes and the footwear with it: nothing to undo first.
        migrations.RunPython(fill_footwear, migrations.RunPython.noop),
    ]
