from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_trail_chain_backfill")]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry", name="chain_seq", field=models.BigIntegerField(editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="changerecord", name="chain_seq", field=models.BigIntegerField(editable=False, unique=True),
        ),
    ]
