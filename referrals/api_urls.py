"""/api/v1/ referrals endpoints."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
