"""Signing in: password, then TOTP; lockout; enrolment; logout."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from audit.models import ChangeRecord
from conftest import PASSWORD, Personas, login, make_user

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse  # what the stubs say Client.post returns

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_step(client: Client, username: str, password: str = PASSWORD, next_url: str | None = None) -> _MonkeyPatchedWSGIResponse:
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def test_login_page_renders_labelled_form(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_username"' in html and 'for="id_password"' in html
    assert 'autocomplete="current-password"' in html
    assert "style=" not in html and "<script>" not in html


def test_full_login_flow_with_real_totp_code(client: Client, personas: Personas) -> None:
    user = personas.a_admin
    response = password_step(client, user.username, next_url=reverse("accounts:users"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp"))
    assert "next=" in response["Location"]

    # Signed in, not yet verified: everything but the OTP step sends back to it.
    assert client.get(reverse("accounts:users"))["Location"].startswith(reverse("accounts:otp"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:otp"), {"token": code_for(device), "next": reverse("accounts:users")})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:users")
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("accounts:users")).status_code == 200


def test_otp_redirect_ignores_foreign_next(client: Client, personas: Personas) -> None:
    user = personas.a_me
    password_step(client, user.username)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:otp"), {"token": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_refused_with_message(client: Client, personas: Personas) -> None:
    response = password_step(client, personas.a_admin.username, "not-the-password")
    assert response.status_code == 200
    assert "Username or password is wrong." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_otp_code_refused(client: Client, personas: Personas) -> None:
    user = personas.a_admin
    password_step(client, user.username)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:otp"), {"token": wrong})
    assert response.status_code == 200
    assert "This code is wrong or has expired." in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    # Throttled: the counter moved, so a burst of guesses is slowed down.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.get(reverse("accounts:users"))["Location"].startswith(reverse("accounts:otp"))


def test_non_numeric_code_refused(client: Client, personas: Personas) -> None:
    password_step(client, personas.a_admin.username)
    response = client.post(reverse("accounts:otp"), {"token": "abcdef"})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_lockout_after_failure_limit(client: Client, personas: Personas) -> None:
    user = personas.a_admin
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = password_step(client, user.username, "wrong-password-123")
        assert response.status_code == 200
    response = password_step(client, user.username, "wrong-password-123")
    assert "too many wrong attempts" in response.content.decode()
    # Now even the right password is refused, with the locked-out page.
    response = password_step(client, user.username, PASSWORD)
    assert response.status_code != 302
    assert "too many wrong attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unverified_user_redirected_to_otp(client: Client, personas: Personas) -> None:
    client.force_login(personas.a_admin)
    for name in ("accounts:users", "accounts:tokens", "accounts:organisations"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp"))


def test_otp_step_requires_password_first(client: Client) -> None:
    response = client.get(reverse("accounts:otp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_enrolment_flow_confirms_device(client: Client, personas: Personas) -> None:
    user = User.objects.create_user(username="new_person", password=PASSWORD, organisation=personas.org_a)
    password_step(client, user.username)
    # No device yet: the OTP step sends to enrolment.
    response = client.get(reverse("accounts:otp"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_setup")

    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    assert secret[:4] in html  # shown for entry by hand
    assert "no-store" in page["Cache-Control"]
    # Reloading keeps the same secret (no pile of half-enrolled devices).
    client.get(reverse("accounts:otp_setup"))
    assert TOTPDevice.objects.filter(user=user).count() == 1

    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:otp_setup"), {"token": wrong})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed

    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    record = ChangeRecord.objects.filter(model="otp_totp.totpdevice", object_id=str(device.pk)).first()
    assert record is not None
    assert device.key not in str(record.changes)


def test_enrolment_refused_when_device_exists(client: Client, personas: Personas) -> None:
    """A stolen password alone must not let anyone enrol a second authenticator."""
    password_step(client, personas.a_admin.username)
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp")
    assert TOTPDevice.objects.filter(user=personas.a_admin).count() == 1


def test_logout_is_post_only(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "You have logged out." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_deactivated_user_cannot_sign_in(client: Client, personas: Personas) -> None:
    user = make_user("gone", personas.org_a, [], is_active=False)
    response = password_step(client, user.username)
    assert response.status_code == 200
    assert "Username or password is wrong." in response.content.decode()


def test_deactivated_organisation_cannot_sign_in(client: Client, personas: Personas) -> None:
    personas.org_b.is_active = False
    personas.org_b.save()
    response = password_step(client, personas.b_admin.username)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
