"""API test helpers: clients signed in by token or by a two-factor session."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from conftest import login


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> None:
    """Throttle counters live in the cache; one test's requests must not count against the next."""
    cache.clear()


# Rooms' API tests move the clock months or years ahead; their tokens must outlive that. (Expiry
# itself is tested in accounts/tests/test_tokens.py.)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def token_create(user: User, *, key: str | None = None, revoked: bool = False) -> tuple[ApiToken, str]:
    key = key or secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name="test", key_hash=hashlib.sha256(key.encode()).hexdigest(), prefix=key[:8],
        revoked_at=timezone.now() if revoked else None, expires_at=FAR_FUTURE,
    )
    return token, key


def token_client(user: User) -> APIClient:
    _token, key = token_create(user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # a default: a request may ask for another language
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def session_client(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    login(client, user)
    return client


@pytest.fixture
def api_as() -> Callable[[User], APIClient]:
    """``api_as(user)``: an APIClient authenticated with a fresh API token of that user (English)."""
    return token_client


@pytest.fixture
def session_as() -> Callable[[User], APIClient]:
    """``session_as(user)``: an APIClient with a two-factor-verified session (CSRF not enforced)."""
    return session_client


def ids(response: Any) -> set[str]:
    return {row["id"] for row in response.json()["results"]}
