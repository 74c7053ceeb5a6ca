"""The hash chain of the access log and the change history (audit/chain.py), in three steps so each
runs in its own transaction on PostgreSQL: add the columns (empty), link the existing rows in id order
(0006), then make the link number unique and required (0007)."""

import core.clock
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_more_kinds")]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry", name="at",
            field=models.DateTimeField(db_index=True, default=core.clock.now, verbose_name="time"),
        ),
        migrations.AlterField(
            model_name="changerecord", name="at",
            field=models.DateTimeField(db_index=True, default=core.clock.now, verbose_name="time"),
        ),
        migrations.AddField(
            model_name="accesslogentry", name="chain_seq", field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="accesslogentry", name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64), preserve_default=False,
        ),
        migrations.AddField(
            model_name="changerecord", name="chain_seq", field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="changerecord", name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64), preserve_default=False,
        ),
    ]
