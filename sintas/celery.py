"""Celery application. Workers: `celery -A sintas worker`; schedules: `celery -A sintas beat`.

Without CELERY_BROKER_URL (the embedded default) tasks run eagerly in the web process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sintas.settings")
app = Celery("sintas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
