"""Interoperability pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "interop"

urlpatterns: list[URLPattern] = []
