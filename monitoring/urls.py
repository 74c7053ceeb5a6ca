"""Monitoring and evaluation pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "monitoring"

urlpatterns: list[URLPattern] = []
