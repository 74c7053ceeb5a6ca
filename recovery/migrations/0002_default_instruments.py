"""Load the shipped instruments (recovery/data/instruments.json): the Sintas Holistic Recovery
Scale v1 and the free screening measures PHQ-9, GAD-7 and PCL-5."""

from django.db import migrations


def load(apps, schema_editor):
    from recovery.instruments import instruments_load

    instruments_load(apps)


def unload(apps, schema_editor):
    from recovery.instruments import instruments_unload

    instruments_unload(apps)


class Migration(migrations.Migration):
    dependencies = [("recovery", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
