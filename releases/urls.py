"""Public releases pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "releases"

urlpatterns: list[URLPattern] = []
