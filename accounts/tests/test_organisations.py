"""Platform administrators manage organisations and their first administrators."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import Organisation, Role, User
from audit.models import ChangeRecord
from conftest import Personas, login

pytestmark = pytest.mark.django_db

ADMIN_PASSWORD = "Sementara-Ambon-2026"


def test_platform_admin_lists_organisations(client: Client, personas: Personas) -> None:
    login(client, personas.platform)
    response = client.get(reverse("accounts:organisations"))
    assert response.status_code == 200
    html = response.content.decode()
    assert personas.org_a.name in html and personas.org_b.name in html
    response = client.get(reverse("accounts:organisations"), {"q": "Surabaya"})
    assert personas.org_a.name not in response.content.decode()


def test_platform_admin_creates_organisation_with_time_zone_from_region(client: Client, personas: Personas) -> None:
    login(client, personas.platform)
    assert client.get(reverse("accounts:organisation_create")).status_code == 200
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "UPTD PPA Kota Ambon", "kind": Organisation.Kind.UPTD_PPA, "region": "81.71", "time_zone": ""},
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="UPTD PPA Kota Ambon")
    assert org.region_id == "81.71"
    assert org.time_zone == Organisation.TimeZone.WIT
    record = ChangeRecord.objects.get(model="accounts.organisation", object_id=str(org.pk))
    assert record.action == ChangeRecord.Action.CREATE and record.actor_id == personas.platform.pk


@pytest.mark.parametrize(
    ("code", "message"),
    [("99.99", "is not a known region code"), ("53.71.01", "not a district"), ("", "This field is required")],
)
def test_bad_region_code_refused_and_nothing_saved(client: Client, personas: Personas, code: str, message: str) -> None:
    login(client, personas.platform)
    before = Organisation.objects.count()
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "Yayasan Baru", "kind": Organisation.Kind.NGO, "region": code, "time_zone": ""},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == before
    assert not ChangeRecord.objects.filter(model="accounts.organisation").exists()


def test_service_refuses_bad_region(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=personas.platform, name="X", kind="ngo", region_code="00")
    assert "region" in exc.value.message_dict
    assert not Organisation.objects.filter(name="X").exists()


def test_duplicate_name_refused(client: Client, personas: Personas) -> None:
    login(client, personas.platform)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": personas.org_a.name.upper(), "kind": "ngo", "region": "53", "time_zone": ""},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_platform_admin_edits_and_deactivates(client: Client, personas: Personas) -> None:
    login(client, personas.platform)
    org = personas.org_c
    url = reverse("accounts:organisation_edit", kwargs={"org_id": org.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert 'list="region-codes"' in page.content.decode()
    response = client.post(url, {"name": "Yayasan Pelangi", "kind": "ngo", "region": "52", "time_zone": "Asia/Jakarta",
                                 "version": "1"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.region_id, org.time_zone) == ("Yayasan Pelangi", "52", "Asia/Jakarta")
    response = client.post(reverse("accounts:organisation_deactivate", kwargs={"org_id": org.pk}))
    assert response.status_code == 302
    org.refresh_from_db()
    assert not org.is_active
    assert client.get(reverse("accounts:organisation_deactivate", kwargs={"org_id": org.pk})).status_code == 405
    client.post(reverse("accounts:organisation_reactivate", kwargs={"org_id": org.pk}))
    org.refresh_from_db()
    assert org.is_active
    assert ChangeRecord.objects.filter(model="accounts.organisation", object_id=str(org.pk)).count() == 3


def test_platform_admin_creates_first_org_admin(client: Client, personas: Personas) -> None:
    login(client, personas.platform)
    org = services.organisation_create(
        actor=personas.platform, name="UPTD PPA Kota Ambon", kind="uptd_ppa", region_code="81.71"
    )
    url = reverse("accounts:organisation_admin_create", kwargs={"org_id": org.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": "ambon_admin",
            "first_name": "Nona",
            "password": ADMIN_PASSWORD,
            "password_confirm": ADMIN_PASSWORD,
            "roles": [Role.CASEWORKER],
        },
    )
    assert response.status_code == 302
    admin = User.objects.get(username="ambon_admin")
    assert admin.organisation_id == org.pk
    assert admin.role_set() == {Role.ORG_ADMIN}
    assert not admin.is_platform_admin


def test_platform_admin_cannot_create_case_workers(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        services.user_create(
            actor=personas.platform,
            organisation=personas.org_a,
            username="sneaky",
            roles=[Role.CASEWORKER],
            password=ADMIN_PASSWORD,
        )


@pytest.mark.parametrize("persona", ["a_admin", "a_supervisor", "a_caseworker", "outsider"])
def test_others_get_404_on_organisation_pages(client: Client, personas: Personas, persona: str) -> None:
    login(client, getattr(personas, persona))
    org_id = personas.org_a.pk
    assert client.get(reverse("accounts:organisations")).status_code == 404
    assert client.get(reverse("accounts:organisation_create")).status_code == 404
    assert (
        client.post(reverse("accounts:organisation_create"), {"name": "Z", "kind": "ngo", "region": "53"}).status_code
        == 404
    )
    assert client.get(reverse("accounts:organisation_edit", kwargs={"org_id": org_id})).status_code == 404
    assert client.post(reverse("accounts:organisation_deactivate", kwargs={"org_id": org_id})).status_code == 404
    assert client.get(reverse("accounts:organisation_admin_create", kwargs={"org_id": org_id})).status_code == 404
    personas.org_a.refresh_from_db()
    assert personas.org_a.is_active
    with pytest.raises(Http404):
        services.organisation_set_active(actor=getattr(personas, persona), organisation=personas.org_a, active=False)


def test_unknown_organisation_is_404(client: Client, personas: Personas) -> None:
    login(client, personas.platform)
    assert client.get(reverse("accounts:organisation_edit", kwargs={"org_id": 999_999})).status_code == 404
