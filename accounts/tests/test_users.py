"""Organisation administrators manage their own organisation's users, and nothing else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Role, User
from audit.models import ChangeRecord
from conftest import PASSWORD, Personas, login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sementara-Kupang-77"


def user_pages(user_id: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("accounts:user_edit", kwargs={"user_id": user_id})),
        ("post", reverse("accounts:user_edit", kwargs={"user_id": user_id})),
        ("get", reverse("accounts:user_password_reset", kwargs={"user_id": user_id})),
        ("post", reverse("accounts:user_password_reset", kwargs={"user_id": user_id})),
        ("post", reverse("accounts:user_deactivate", kwargs={"user_id": user_id})),
        ("post", reverse("accounts:user_reactivate", kwargs={"user_id": user_id})),
    ]


def assert_no_password_hash_in_history() -> None:
    for record in ChangeRecord.objects.filter(model="accounts.user"):
        text = str(record.changes)
        assert "md5$" not in text and "argon2" not in text and "pbkdf2" not in text


def test_users_list_shows_own_organisation_only(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "a_caseworker" in html
    assert "b_caseworker" not in html and "outsider" not in html and "platform" not in html


def test_users_list_search_and_pagination(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    response = client.get(reverse("accounts:users"), {"q": "psych"})
    html = response.content.decode()
    assert "a_psychologist" in html and "a_caseworker" not in html
    for i in range(30):
        User.objects.create(username=f"a_extra{i:02d}", organisation=personas.org_a)
    page1 = client.get(reverse("accounts:users")).content.decode()
    assert 'rel="next"' in page1
    page2 = client.get(reverse("accounts:users"), {"page": 2}).content.decode()
    assert 'rel="prev"' in page2


def test_org_admin_creates_user(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    assert client.get(reverse("accounts:user_create")).status_code == 200
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "a_new_worker",
            "first_name": "Maria",
            "last_name": "Lado",
            "email": "maria@example.org",
            "roles": [Role.CASEWORKER, Role.PSYCHOLOGIST],
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
            # Ignored: not fields of the form.
            "is_platform_admin": "on",
            "organisation": str(personas.org_b.pk),
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="a_new_worker")
    assert user.organisation_id == personas.org_a.pk
    assert not user.is_platform_admin and not user.is_superuser and not user.is_staff
    assert user.role_set() == {Role.CASEWORKER, Role.PSYCHOLOGIST}
    assert user.check_password(NEW_PASSWORD)
    record = ChangeRecord.objects.get(model="accounts.user", object_id=str(user.pk), action=ChangeRecord.Action.CREATE)
    assert record.actor_id == personas.a_admin.pk
    assert record.changes["password"] == [None, "•••"]
    assert ChangeRecord.objects.filter(model="accounts.roleassignment", actor=personas.a_admin).count() == 2
    assert_no_password_hash_in_history()


def test_create_user_refuses_weak_password_and_duplicate_username(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    data = {"username": "a_weak", "roles": [Role.CASEWORKER], "password": "12345678", "password_confirm": "12345678"}
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert "too short" in response.content.decode() or "too common" in response.content.decode()
    data = {
        "username": "B_CASEWORKER",
        "roles": [Role.CASEWORKER],
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert "already taken" in response.content.decode()
    assert not User.objects.filter(username__in=["a_weak", "B_CASEWORKER"]).exists()


def test_org_admin_edits_roles_and_names(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    target = personas.a_health
    response = client.post(
        reverse("accounts:user_edit", kwargs={"user_id": target.pk}),
        {"first_name": "Yohana", "last_name": "Bria", "email": "", "roles": [Role.HEALTH_WORKER, Role.SUPERVISOR],
         "version": "1"},
    )
    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.first_name == "Yohana"
    assert target.role_set() == {Role.HEALTH_WORKER, Role.SUPERVISOR}
    assert ChangeRecord.objects.filter(model="accounts.user", object_id=str(target.pk), action="update").exists()


def test_last_admin_cannot_drop_admin_role_or_deactivate_self(client: Client, personas: Personas) -> None:
    admin = personas.a_admin
    login(client, admin)
    response = client.post(
        reverse("accounts:user_edit", kwargs={"user_id": admin.pk}),
        {"first_name": "A", "last_name": "", "email": "", "roles": [Role.CASEWORKER], "version": "1"},
    )
    assert response.status_code == 200
    assert "last administrator" in response.content.decode()
    assert User.objects.get(pk=admin.pk).has_role(Role.ORG_ADMIN)
    client.post(reverse("accounts:user_deactivate", kwargs={"user_id": admin.pk}))
    assert User.objects.get(pk=admin.pk).is_active

    # With a second administrator the first may step down.
    services.user_update(
        actor=admin, user=personas.a_me, first_name="", last_name="", email="", roles=[Role.ME_OFFICER, Role.ORG_ADMIN]
    )
    services.user_update(actor=admin, user=admin, first_name="", last_name="", email="", roles=[Role.CASEWORKER])
    assert not User.objects.get(pk=admin.pk).has_role(Role.ORG_ADMIN)


def test_org_admin_resets_password_and_two_factor(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    target = personas.a_caseworker
    url = reverse("accounts:user_password_reset", kwargs={"user_id": target.pk})
    assert client.get(url).status_code == 200
    # Without the tick the authenticator stays.
    response = client.post(url, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    assert TOTPDevice.objects.filter(user=target).exists()
    # With it, the devices go too.
    other = NEW_PASSWORD + "x"
    response = client.post(url, {"password": other, "password_confirm": other, "reset_two_factor": "on"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(other)
    assert not TOTPDevice.objects.filter(user=target).exists()
    records = ChangeRecord.objects.filter(model="accounts.user", object_id=str(target.pk), action="update")
    assert records.count() == 2
    assert all(r.changes["password"] == ["•••", "•••"] for r in records)
    deleted = ChangeRecord.objects.get(model="otp_totp.totpdevice", action="delete")
    assert deleted.changes["key"] == ["•••", None]
    assert_no_password_hash_in_history()


def test_password_reset_mismatch_refused(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    target = personas.a_caseworker
    response = client.post(
        reverse("accounts:user_password_reset", kwargs={"user_id": target.pk}),
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "!"},
    )
    assert response.status_code == 200
    assert "not the same" in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(PASSWORD)


def test_org_admin_deactivates_and_reactivates(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    target = personas.a_legal
    page = client.get(reverse("accounts:user_edit", kwargs={"user_id": target.pk})).content.decode()
    assert "data-confirm=" in page
    response = client.post(reverse("accounts:user_deactivate", kwargs={"user_id": target.pk}))
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    response = client.post(reverse("accounts:user_reactivate", kwargs={"user_id": target.pk}))
    target.refresh_from_db()
    assert target.is_active
    changes = [r.changes for r in ChangeRecord.objects.filter(model="accounts.user", object_id=str(target.pk))]
    assert {"is_active": [True, False]} in changes and {"is_active": [False, True]} in changes


def test_deactivate_is_post_only(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    response = client.get(reverse("accounts:user_deactivate", kwargs={"user_id": personas.a_legal.pk}))
    assert response.status_code == 405


def test_org_admin_gets_404_for_other_organisations_users(client: Client, personas: Personas) -> None:
    login(client, personas.a_admin)
    for other in (personas.b_caseworker, personas.b_admin, personas.outsider, personas.platform):
        for method, url in user_pages(other.pk):
            response = getattr(client, method)(
                url, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD, "roles": [Role.ORG_ADMIN]}
            )
            assert response.status_code == 404, (other.username, url)
        other.refresh_from_db()
        assert other.is_active and other.check_password(PASSWORD)
    for method, url in user_pages(999_999):
        assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize("persona", ["a_caseworker", "a_supervisor", "a_me", "platform", "outsider"])
def test_non_admins_get_404_on_admin_pages(client: Client, personas: Personas, persona: str) -> None:
    login(client, getattr(personas, persona))
    assert client.get(reverse("accounts:users")).status_code == 404
    assert client.get(reverse("accounts:user_create")).status_code == 404
    assert client.post(reverse("accounts:user_create"), {}).status_code == 404
    for method, url in user_pages(personas.a_health.pk):
        assert getattr(client, method)(url).status_code == 404


def test_services_refuse_cross_organisation_writes(personas: Personas) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        services.user_set_active(actor=personas.a_admin, user=personas.b_caseworker, active=False)
    with pytest.raises(Http404):
        services.user_create(
            actor=personas.a_admin,
            organisation=personas.org_b,
            username="x_sneaky",
            roles=[Role.CASEWORKER],
            password=NEW_PASSWORD,
        )
    with pytest.raises(Http404):
        services.user_password_reset(actor=personas.a_caseworker, user=personas.a_health, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        services.user_create(
            actor=personas.a_admin,
            organisation=personas.org_a,
            username="x_role",
            roles=["wizard"],
            password=NEW_PASSWORD,
        )


def test_user_changes_own_password(client: Client, personas: Personas) -> None:
    user = personas.a_caseworker
    login(client, user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert_no_password_hash_in_history()
