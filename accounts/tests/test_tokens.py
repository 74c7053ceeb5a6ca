"""Personal API tokens: created only after the second factor, shown once, stored as a hash."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken
from audit.models import ChangeRecord
from conftest import login

pytestmark = pytest.mark.django_db


def test_token_created_when_verified_and_key_shown_once(client: Client, personas) -> None:
    user = personas.a_me
    login(client, user)
    assert client.get(reverse("accounts:tokens")).status_code == 200
    response = client.post(reverse("accounts:tokens"), {"name": "laporan bulanan"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    # Stored only as its SHA-256 and an 8-character prefix.
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8]
    row = ApiToken.objects.filter(pk=token.pk).values().first()
    assert row is not None and all(key not in str(v) for v in row.values())
    # Never again.
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in again and token.prefix in again
    record = ChangeRecord.objects.get(model="accounts.apitoken", object_id=str(token.pk))
    assert token.key_hash not in str(record.changes) and key not in str(record.changes)


def test_token_page_needs_second_factor(client: Client, personas) -> None:
    client.force_login(personas.a_me)
    response = client.post(reverse("accounts:tokens"), {"name": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp"))
    assert not ApiToken.objects.exists()


def test_service_refuses_unverified(personas) -> None:
    with pytest.raises(ValidationError):
        services.api_token_create(user=personas.a_me, name="x", verified=False)
    assert not ApiToken.objects.exists()


def test_token_name_required(client: Client, personas) -> None:
    login(client, personas.a_me)
    response = client.post(reverse("accounts:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["new_key"] is None
    assert not ApiToken.objects.exists()


def test_authenticate_and_revoke(client: Client, personas) -> None:
    user = personas.a_me
    token, key = services.api_token_create(user=user, name="export", verified=True)
    assert services.api_token_authenticate(key) == user
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    # Within the minute: no new write.
    services.api_token_authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    services.api_token_authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at > first_use

    assert services.api_token_authenticate(key + "x") is None
    assert services.api_token_authenticate("") is None

    login(client, user)
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert "data-confirm=" in page
    response = client.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk}))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.api_token_authenticate(key) is None


def test_authenticate_refuses_deactivated_user_and_organisation(personas) -> None:
    _, key = services.api_token_create(user=personas.a_me, name="x", verified=True)
    personas.org_a.is_active = False
    personas.org_a.save()
    assert services.api_token_authenticate(key) is None
    personas.org_a.is_active = True
    personas.org_a.save()
    personas.a_me.is_active = False
    personas.a_me.save()
    assert services.api_token_authenticate(key) is None


def test_revoke_other_users_token_is_404(client: Client, personas) -> None:
    token, key = services.api_token_create(user=personas.b_me, name="theirs", verified=True)
    login(client, personas.a_me)
    assert client.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk})).status_code == 404
    assert client.get(reverse("accounts:token_revoke", kwargs={"token_id": token.pk})).status_code == 405
    assert "theirs" not in client.get(reverse("accounts:tokens")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert services.api_token_authenticate(key) == personas.b_me


def test_case_worker_can_open_token_page(client: Client, personas) -> None:
    """The page frame with case menu entries renders (needs cases' URLs)."""
    login(client, personas.a_supervisor)
    assert client.get(reverse("accounts:tokens")).status_code == 200
