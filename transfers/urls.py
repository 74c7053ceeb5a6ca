"""Case transfers pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "transfers"

urlpatterns: list[URLPattern] = []
