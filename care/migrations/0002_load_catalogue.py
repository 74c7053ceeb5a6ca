"""Load the service catalogue and the legal time limits from care/data/*.json."""

from django.db import migrations


def load(apps, schema_editor):
    from care.catalogue import catalogue_sync

    catalogue_sync(apps.get_model("care", "Service"), apps.get_model("care", "TimeLimitRule"))


def unload(apps, schema_editor):
    from care.catalogue import catalogue_unload

    catalogue_unload(apps.get_model("care", "Service"), apps.get_model("care", "TimeLimitRule"))


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
