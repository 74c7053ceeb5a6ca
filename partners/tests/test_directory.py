"""The partner directory: search by service, region (nearest first), availability and eligibility;
who may edit a profile; the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Organisation
from care.models import OrganisationService, Service
from conftest import login
from partners import services
from partners.models import PartnerProfile, PartnerRegion
from partners.selectors import SearchParams, directory_search


def org(name: str, *, services: tuple[str, ...] = ("medical_care",), regions: tuple[str, ...] = (),
        national: bool = False, **profile: Any) -> Organisation:
    o = Organisation.objects.create(name=name, kind="health", region_id="53.71")
    for code in services:
        OrganisationService.objects.create(organisation=o, service=Service.objects.get(code=code))
    p = PartnerProfile.objects.create(organisation=o, national=national, **profile)
    for code in regions:
        PartnerRegion.objects.create(profile=p, region_id=code)
    return o


@pytest.fixture
def directory(db: Any) -> dict[str, Organisation]:
    return {
        "national": org("A National", national=True),
        "province": org("B Province NTT", regions=("53",)),
        "kupang": org("C Kota Kupang", regions=("53.71",)),
        "other_regency": org("D Kabupaten Kupang", regions=("53.01",)),
        "java": org("E Surabaya", regions=("35.78",)),
        "shelter": org("F Shelter", services=("safe_housing",), regions=("53.71",), shelter_beds_total=10,
                       shelter_beds_available=0, serves_men=False),
        "hidden": org("G Hidden", regions=("53.71",), is_listed=False),
    }


def names(params: SearchParams) -> list[str]:
    return [p.organisation.name for p in directory_search(params)]


def test_nearest_region_first(directory: Any) -> None:
    found = names(SearchParams(service="medical_care", region="53.71"))
    # Same kabupaten, then same province (the province, then a regency in it), national, then the rest.
    assert found == ["C Kota Kupang", "B Province NTT", "D Kabupaten Kupang", "A National", "E Surabaya"]


def test_filters(directory: Any) -> None:
    assert names(SearchParams(service="safe_housing")) == ["F Shelter"]
    assert names(SearchParams(service="safe_housing", availability=("shelter_beds",))) == []
    assert "F Shelter" not in names(SearchParams(eligible=("men",)))
    assert "G Hidden" not in names(SearchParams())
    Organisation.objects.filter(name="C Kota Kupang").update(is_active=False)
    assert "C Kota Kupang" not in names(SearchParams())


def test_search_page_paginated_and_api(directory: Any, personas: Any, client: Any) -> None:
    login(client, personas.a_caseworker)
    page = client.get(reverse("partners:search"), {"service": "medical_care", "region": "53.71"},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.index("C Kota Kupang") < page.index("B Province NTT") < page.index("E Surabaya")
    api = client.get("/api/v1/partners/", {"service": "medical_care", "region": "53.71"}).json()
    assert [r["name"] for r in api["results"]][:2] == ["C Kota Kupang", "B Province NTT"]
    assert api["results"][0]["nearness"] == 0 and "medical_care" in api["results"][0]["services"]
    hidden = directory["hidden"].pk
    assert client.get(reverse("partners:detail", kwargs={"partner_id": hidden})).status_code == 404
    assert client.get(f"/api/v1/partners/{hidden}/").status_code == 404
    assert client.get(reverse("partners:detail", kwargs={"partner_id": directory["kupang"].pk})).status_code == 200


def test_only_admins_and_supervisors_edit_their_own_profile(personas: Any, client: Any) -> None:
    p = personas
    with pytest.raises(ValidationError):
        services.profile_save(actor=p.a_caseworker, values={"description": "x"})
    login(client, p.a_caseworker)
    assert client.get(reverse("partners:edit")).status_code == 404
    assert client.patch("/api/v1/partners/mine/", {"national": True}, content_type="application/json").status_code == 404
    profile = services.profile_save(actor=p.a_supervisor, values={
        "description": "UPTD PPA", "regions": ["53", "53.71"], "shelter_beds_total": 5, "shelter_beds_available": 2,
        "languages": "Bahasa Indonesia, Tetun"})
    assert profile.organisation_id == p.org_a.pk and profile.languages == ["Bahasa Indonesia", "Tetun"]
    assert set(profile.regions.values_list("region_id", flat=True)) == {"53", "53.71"}
    # A supervisor may not change the services (care's rule); an administrator may.
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        services.profile_save(actor=p.a_supervisor, values={"services": ["legal_aid"]})
    assert "Only an organisation administrator" in str(exc.value)
    login(client, p.a_admin)
    assert client.get("/api/v1/partners/mine/")["ETag"] == '"1"'
    r = client.patch("/api/v1/partners/mine/", {"services": ["legal_aid"], "regions": ["53.71"]},
                     content_type="application/json", HTTP_IF_MATCH='"1"')
    assert r.status_code == 200 and r.json()["services"] == ["legal_aid"] and r.json()["regions"] == ["53.71"]
    assert r["ETag"] == '"2"'
    # The same change again, based on the version before it: refused, the saved profile stays.
    r = client.patch("/api/v1/partners/mine/", {"regions": ["53"]}, content_type="application/json",
                     HTTP_IF_MATCH='"1"')
    assert r.status_code == 412 and r.json()["version"] == 2 and r.json()["changed_fields"] == ["regions"]
    assert r.json()["changed_fields"] == ["regions"]


def test_bad_profile_input_refused_and_nothing_saved(personas: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.profile_save(actor=personas.a_admin, values={
            "regions": ["99.99"], "shelter_beds_total": 1, "shelter_beds_available": 3, "contact_email": "nope"})
    errors = exc.value.message_dict
    assert set(errors) == {"regions", "shelter_beds_available", "contact_email"}
    assert not PartnerProfile.objects.filter(organisation=personas.org_a).exists()


def test_profile_page_saves(personas: Any, client: Any) -> None:
    login(client, personas.a_admin)
    response = client.post(reverse("partners:edit"), {
        "is_listed": "on", "accepting_referrals": "on", "serves_women": "on", "description": "Layanan terpadu",
        "regions": ["53.71"], "services": ["medical_care"], "languages": "Bahasa Indonesia", "version": "0"})
    assert response.status_code == 302
    profile = PartnerProfile.objects.get(organisation=personas.org_a)
    assert profile.description == "Layanan terpadu" and not profile.serves_men
    assert list(OrganisationService.objects.filter(organisation=personas.org_a).values_list(
        "service__code", flat=True)) == ["medical_care"]
