"""WSGI entry point (gunicorn sintas.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sintas.settings")
application = get_wsgi_application()
