"""Personal API tokens: created only after the second factor, shown once, stored as a hash; they
expire, can be revoked by their owner and by the organisation administrator, and every creation
and revocation is in the access log."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken
from audit.models import AccessLogEntry, ChangeRecord
from conftest import login

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
CASES = "/api/v1/cases/"


def _api(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _log(what: str) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(what=what).order_by("id"))


def test_token_created_when_verified_and_key_shown_once(client: Client, personas: Any, time_machine: Any) -> None:
    time_machine.move_to(T0, tick=False)
    user = personas.a_me
    login(client, user)
    page = client.get(reverse("accounts:tokens"))
    assert page.status_code == 200
    assert page.context["form"]["days"].value() == 90  # the longest life is the default
    response = client.post(reverse("accounts:tokens"), {"name": "laporan bulanan", "days": "90"},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=user)
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    assert token.expires_at == T0 + dt.timedelta(days=90)
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
    [entry] = _log(AccessLogEntry.What.API_TOKEN_CREATED)
    assert (entry.user_id, entry.organisation_id, entry.ip_address) == (user.pk, personas.org_a.pk, "10.1.2.3")


def test_the_owner_may_choose_a_shorter_life(client: Client, personas: Any, time_machine: Any) -> None:
    time_machine.move_to(T0, tick=False)
    login(client, personas.a_me)
    response = client.post(reverse("accounts:tokens"), {"name": "uji coba", "days": "7"})
    assert response.status_code == 200 and response.context["new_key"]
    assert ApiToken.objects.get().expires_at == T0 + dt.timedelta(days=7)


@pytest.mark.parametrize("days", ["0", "91", "-3", "tujuh"])
def test_a_life_outside_1_to_the_maximum_is_refused(client: Client, personas: Any, days: str) -> None:
    login(client, personas.a_me)
    response = client.post(reverse("accounts:tokens"), {"name": "x", "days": days})
    assert response.status_code == 200
    assert response.context["new_key"] is None
    assert response.context["form"].errors["days"]
    assert not ApiToken.objects.exists()
    assert not _log(AccessLogEntry.What.API_TOKEN_CREATED)


def test_the_maximum_life_is_configurable(client: Client, personas: Any, settings: Any, time_machine: Any) -> None:
    time_machine.move_to(T0, tick=False)
    settings.SINTAS_API_TOKEN_DAYS = 30
    login(client, personas.a_me)
    assert client.get(reverse("accounts:tokens")).context["form"]["days"].value() == 30
    refused = client.post(reverse("accounts:tokens"), {"name": "x", "days": "31"})
    assert "days" in refused.context["form"].errors
    client.post(reverse("accounts:tokens"), {"name": "x", "days": ""})  # blank: the longest allowed
    assert ApiToken.objects.get().expires_at == T0 + dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        services.api_token_create(user=personas.a_me, name="y", verified=True, days=31)


def test_token_page_needs_second_factor(client: Client, personas: Any) -> None:
    client.force_login(personas.a_me)
    response = client.post(reverse("accounts:tokens"), {"name": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp"))
    assert not ApiToken.objects.exists()


def test_service_refuses_unverified(personas: Any) -> None:
    with pytest.raises(ValidationError):
        services.api_token_create(user=personas.a_me, name="x", verified=False)
    assert not ApiToken.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_token_name_required(client: Client, personas: Any) -> None:
    login(client, personas.a_me)
    response = client.post(reverse("accounts:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["new_key"] is None
    assert not ApiToken.objects.exists()


def test_authenticate_records_use_at_most_once_a_minute(personas: Any, time_machine: Any) -> None:
    time_machine.move_to(T0, tick=False)
    user = personas.a_me
    token, key = services.api_token_create(user=user, name="export", verified=True)
    assert services.api_token_authenticate(key).user == user
    token.refresh_from_db()
    assert token.last_used_at == T0
    time_machine.move_to(T0 + dt.timedelta(seconds=30), tick=False)
    services.api_token_authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at == T0
    time_machine.move_to(T0 + dt.timedelta(minutes=2), tick=False)
    services.api_token_authenticate(key)
    token.refresh_from_db()
    assert token.last_used_at == T0 + dt.timedelta(minutes=2)
    for bad in (key + "x", ""):
        with pytest.raises(services.ApiTokenRefused, match="Invalid token"):
            services.api_token_authenticate(bad)


def test_an_expired_token_is_refused_with_a_json_401(personas: Any, time_machine: Any) -> None:
    time_machine.move_to(T0, tick=False)
    _token, key = services.api_token_create(user=personas.a_caseworker, name="laptop", verified=True, days=7)
    time_machine.move_to(T0 + dt.timedelta(days=7) - dt.timedelta(seconds=1), tick=False)
    assert _api(key).get(CASES).status_code == 200
    time_machine.move_to(T0 + dt.timedelta(days=7), tick=False)
    response = _api(key).get(CASES)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "This token has expired. Create a new one on the API tokens page."}


def test_a_revoked_token_is_refused_with_a_json_401(client: Client, personas: Any) -> None:
    token, key = services.api_token_create(user=personas.a_caseworker, name="laptop", verified=True)
    assert _api(key).get(CASES).status_code == 200
    login(client, personas.a_caseworker)
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert "data-confirm=" in page
    response = client.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk}), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = _api(key).get(CASES)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This token was revoked. Create a new one on the API tokens page."}
    [entry] = _log(AccessLogEntry.What.API_TOKEN_REVOKED)
    assert (entry.user_id, entry.ip_address) == (personas.a_caseworker.pk, "10.9.9.9")
    assert ChangeRecord.objects.filter(model="accounts.apitoken", object_id=str(token.pk), action="update",
                                       actor=personas.a_caseworker).exists()
    # Revoking twice writes nothing more.
    client.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk}))
    assert len(_log(AccessLogEntry.What.API_TOKEN_REVOKED)) == 1


def test_token_page_lists_expiry_and_state(client: Client, personas: Any, time_machine: Any) -> None:
    time_machine.move_to(T0, tick=False)
    services.api_token_create(user=personas.a_me, name="short", verified=True, days=1)
    services.api_token_create(user=personas.a_me, name="long", verified=True)
    time_machine.move_to(T0 + dt.timedelta(days=2), tick=False)
    login(client, personas.a_me)
    response = client.get(reverse("accounts:tokens"))
    rows = {t.name: t for t in response.context["tokens"]}
    assert rows["short"].is_expired and not rows["short"].is_live
    assert rows["long"].is_live
    html = response.content.decode()
    assert "Expires" in html and "expired" in html
    # only the live token has a revoke button
    assert html.count('class="danger"') == 1


def test_deactivated_user_or_organisation_is_refused(personas: Any) -> None:
    _, key = services.api_token_create(user=personas.a_me, name="x", verified=True)
    personas.org_a.is_active = False
    personas.org_a.save()
    with pytest.raises(services.ApiTokenRefused, match="deactivated"):
        services.api_token_authenticate(key)
    assert _api(key).get(CASES).status_code == 401
    personas.org_a.is_active = True
    personas.org_a.save()
    personas.a_me.is_active = False
    personas.a_me.save()
    with pytest.raises(services.ApiTokenRefused, match="deactivated"):
        services.api_token_authenticate(key)


def test_revoke_other_users_token_is_404(client: Client, personas: Any) -> None:
    token, key = services.api_token_create(user=personas.b_me, name="theirs", verified=True)
    login(client, personas.a_me)
    assert client.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk})).status_code == 404
    assert client.get(reverse("accounts:token_revoke", kwargs={"token_id": token.pk})).status_code == 405
    assert "theirs" not in client.get(reverse("accounts:tokens")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert services.api_token_authenticate(key).user == personas.b_me
    assert not _log(AccessLogEntry.What.API_TOKEN_REVOKED)


def test_case_worker_can_open_token_page(client: Client, personas: Any) -> None:
    """The page frame with case menu entries renders (needs cases' URLs)."""
    login(client, personas.a_supervisor)
    assert client.get(reverse("accounts:tokens")).status_code == 200


# --- The organisation administrator ----------------------------------------------------------


def test_the_admin_lists_the_organisations_tokens(client: Client, personas: Any, time_machine: Any) -> None:
    time_machine.move_to(T0, tick=False)
    mine, _ = services.api_token_create(user=personas.a_caseworker, name="laptop kupang", verified=True, days=30)
    services.api_token_create(user=personas.a_me, name="laporan", verified=True)
    services.api_token_create(user=personas.b_caseworker, name="laptop surabaya", verified=True)
    login(client, personas.a_admin)
    response = client.get(reverse("accounts:organisation_tokens"))
    assert response.status_code == 200
    assert {t.name for t in response.context["page"].object_list} == {"laptop kupang", "laporan"}
    html = response.content.decode()
    assert "laptop surabaya" not in html
    for shown in (mine.prefix, personas.a_caseworker.display_name, "1 Apr 2026 10:00"):  # expiry: T0 + 30 days, in WITA
        assert shown in html
    assert reverse("accounts:organisation_token_revoke", kwargs={"token_id": mine.pk}) in html
    assert "deactivated" not in html
    personas.a_me.is_active = False  # a person who left: their token still shows, marked
    personas.a_me.save(update_fields=["is_active"])
    assert "deactivated" in client.get(reverse("accounts:organisation_tokens")).content.decode()
    # the admin reaches it from the users page
    assert reverse("accounts:organisation_tokens") in client.get(reverse("accounts:users")).content.decode()


def test_the_admin_revokes_after_confirming(client: Client, personas: Any) -> None:
    token, key = services.api_token_create(user=personas.a_caseworker, name="laptop hilang", verified=True)
    login(client, personas.a_admin)
    url = reverse("accounts:organisation_token_revoke", kwargs={"token_id": token.pk})
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "laptop hilang" in confirm.content.decode() and token.prefix in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # looking is not revoking
    response = client.post(url, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:organisation_tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api(key).get(CASES).status_code == 401
    [entry] = _log(AccessLogEntry.What.API_TOKEN_REVOKED)
    assert (entry.user_id, entry.organisation_id, entry.ip_address) == (personas.a_admin.pk, personas.org_a.pk,
                                                                        "10.0.0.7")
    assert ChangeRecord.objects.filter(model="accounts.apitoken", object_id=str(token.pk), action="update",
                                       actor=personas.a_admin).exists()


def test_another_organisations_token_is_404_for_the_admin(client: Client, personas: Any) -> None:
    token, key = services.api_token_create(user=personas.b_caseworker, name="theirs", verified=True)
    login(client, personas.a_admin)
    url = reverse("accounts:organisation_token_revoke", kwargs={"token_id": token.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    with pytest.raises(Http404):
        services.api_token_revoke(actor=personas.a_admin, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert _api(key).get(CASES).status_code == 200
    assert not _log(AccessLogEntry.What.API_TOKEN_REVOKED)


@pytest.mark.parametrize("who", ["a_caseworker", "a_supervisor", "a_me", "platform"])
def test_the_organisation_token_pages_exist_only_for_its_administrators(client: Client, personas: Any,
                                                                          who: str) -> None:
    token, _ = services.api_token_create(user=personas.a_caseworker, name="laptop", verified=True)
    login(client, getattr(personas, who))
    assert client.get(reverse("accounts:organisation_tokens")).status_code == 404
    url = reverse("accounts:organisation_token_revoke", kwargs={"token_id": token.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- The migration ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_tokens_90_days(personas: Any, time_machine: Any) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("accounts", "0001_initial")], [("accounts", "0002_api_token_expiry")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        OldToken = old_apps.get_model("accounts", "ApiToken")
        OldToken.objects.create(user_id=personas.a_me.pk, name="lama", key_hash="1" * 64, prefix="11111111")
        time_machine.move_to(T0, tick=False)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    assert ApiToken.objects.get(name="lama").expires_at == T0 + dt.timedelta(days=90)
