"""API tokens expire. Tokens made before this had no end: each gets one, SINTAS_API_TOKEN_DAYS
(90) days from the moment this migration runs, so no client stops working without notice."""

import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import accounts.models


def give_existing_tokens_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = getattr(settings, "SINTAS_API_TOKEN_DAYS", 90)
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + dt.timedelta(days=days))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=accounts.models.api_token_default_expiry, verbose_name="expires"),
        ),
    ]
