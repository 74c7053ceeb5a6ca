"""``manage.py load_care_catalogue``: create or update the services and time-limit rules from
care/data/services.json and care/data/time_limits.json (matched by code)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from care.catalogue import catalogue_sync
from care.models import Service, TimeLimitRule


class Command(BaseCommand):
    help = "Load the service catalogue and the legal time limits from care/data/*.json."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            services, rules = catalogue_sync(Service, TimeLimitRule)
        self.stdout.write(f"{services} services and {rules} time-limit rules loaded.")
