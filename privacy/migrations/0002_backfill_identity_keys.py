"""Fill the linkage columns of the vault (survivors 0003) from the decrypted values. Reversing it
leaves the columns as they are (survivors 0003 reversed drops them)."""

from django.db import migrations


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    from privacy.backfill import identity_keys_backfill

    identity_keys_backfill(apps.get_model("survivors", "Identity"))


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0001_linkage"),
        ("survivors", "0003_linkage"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
