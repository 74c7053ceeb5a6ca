"""Referrals pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "referrals"

urlpatterns: list[URLPattern] = []
