"""The livelihood pages: what each persona sees, forms that keep what was typed, the one-step referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from livelihood import services
from livelihood.models import CheckStatus, DecentWorkCheck, MatchChoice, Opportunity, Placement

from .conftest import TRAINING, refer
from .test_services import _profile

pytestmark = pytest.mark.django_db


def _case_url(p: Any, name: str = "livelihood:case", **kw: Any) -> str:
    return reverse(name, kwargs={"case_id": p.case_a.pk, **kw})


def test_the_case_page_ranks_with_reasons_for_the_team_only(personas: Any, training: Any, vacancy: Any) -> None:
    services.profile_save(actor=personas.a_caseworker, case=personas.case_a, version=0, data=_profile())
    page = login(Client(), personas.a_caseworker).get(_case_url(personas))
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-suggestions" in html and training.title in html and vacancy.title in html
    assert [r["s"].id for r in page.context["rows"]][:2] and page.context["rows"][0]["why"]
    for user in (personas.a_supervisor, personas.a_caseworker2, personas.a_livelihood, personas.b_caseworker):
        assert login(Client(), user).get(_case_url(personas)).status_code == 404


def test_the_case_page_has_a_fixed_query_count(personas: Any, provider: Any) -> None:
    client = login(Client(), personas.a_caseworker)
    services.profile_save(actor=personas.a_caseworker, case=personas.case_a, version=0, data=_profile())

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_case_url(personas)).status_code == 200
        return len(ctx.captured_queries)

    services.opportunity_save(actor=provider, opportunity=None, version=None, values=dict(TRAINING))
    count()  # the first request warms the session and the caches
    few = count()
    for n in range(15):
        services.opportunity_save(actor=provider, opportunity=None, version=None,
                                  values={**TRAINING, "title": f"Kursus {n}"})
    assert count() == few


def test_the_profile_form_keeps_what_was_typed(personas: Any) -> None:
    client = login(Client(), personas.a_caseworker)
    url = _case_url(personas, "livelihood:profile")
    assert client.get(url).status_code == 200
    data = {"version": "0", "languages": "Dawan", "debt_amount": "-3", "preferred_region": "53.71",
            "work-TOTAL_FORMS": "1", "work-INITIAL_FORMS": "0", "work-0-sector": "", "work-0-role": "",
            "skill-TOTAL_FORMS": "1", "skill-INITIAL_FORMS": "0", "skill-0-skill": "sewing", "skill-0-self_level": "2"}
    answer = client.post(url, data)
    assert answer.status_code == 200
    assert answer.context["form"].errors["debt_amount"] and 'value="Dawan"' in answer.content.decode()
    ok = client.post(url, {**data, "debt_amount": "0"})
    assert ok.status_code == 302
    assert personas.case_a.economic_profile.skills.get().self_level == 2


def test_choice_and_one_step_referral(personas: Any, training: Any) -> None:
    from partners.models import PartnerProfile

    PartnerProfile.objects.create(organisation=training.organisation, is_listed=True)
    services.profile_save(actor=personas.a_caseworker, case=personas.case_a, version=0, data=_profile())
    client = login(Client(), personas.a_caseworker)
    assert client.post(_case_url(personas, "livelihood:choice"), {"opportunity": training.pk}).status_code == 302
    assert MatchChoice.objects.get().opportunity_id == training.pk
    answer = client.post(_case_url(personas, "livelihood:refer", opportunity_id=training.pk))
    assert answer.status_code == 302 and "service=economic_empowerment" in answer["Location"]
    assert "Dawan" not in answer["Location"]  # the summary travels in the session, not the URL
    form_page = client.get(answer["Location"])
    assert form_page.status_code == 200
    assert "Dawan" in form_page.content.decode() and "Sawit" not in form_page.content.decode()


def test_a_failing_placement_is_checked_then_overridden_by_a_supervisor(personas: Any) -> None:
    personas.case_a.team_members.create(user=personas.a_supervisor)
    client = login(Client(), personas.a_caseworker)
    url = _case_url(personas, "livelihood:placement_new")
    data = {"employer_name": "CV Laut", "sector": "C_Manufacturing", "region": "53.71", "started_on": "2026-03-02",
            "monthly_wage": "1000000", "hours_per_week": "40", "contract_type": "pkwt", "bpjs_registered": "on",
            "accommodation": "none"}
    answer = client.post(url, data)
    assert answer.status_code == 200 and not Placement.objects.exists()
    check = DecentWorkCheck.objects.get(case=personas.case_a)
    assert check.status == CheckStatus.FAILED and 'value="CV Laut"' in answer.content.decode()
    check_url = _case_url(personas, "livelihood:check", check_id=check.pk)
    client.post(check_url, {"reason": "saya"})
    assert DecentWorkCheck.objects.get(pk=check.pk).status == CheckStatus.FAILED  # a caseworker cannot
    supervisor = login(Client(), personas.a_supervisor)
    assert supervisor.post(check_url, {"reason": "Upah magang, naik ke UMK setelah 3 bulan"}).status_code == 302
    assert DecentWorkCheck.objects.get(pk=check.pk).status == CheckStatus.OVERRIDDEN
    assert client.post(url, {**data, "check_id": str(check.pk)}).status_code == 302
    assert Placement.objects.get().work_check_id == check.pk


def test_publishing_and_listing_opportunities(personas: Any, provider: Any) -> None:
    client = login(Client(), provider)
    new = reverse("livelihood:opportunity_new")
    bad = client.post(new, {"kind": "vacancy", "status": "open", "title": "Buruh", "sector": "C_Manufacturing",
                            "region": "53.71", "places_free": "3", "min_age": "18", "employer_name": "PT X",
                            "monthly_wage": "900000", "contract_type": "pkwt", "hours_per_week": "40",
                            "accommodation": "none", "version": "0"})
    assert bad.status_code == 200 and not Opportunity.objects.exists()
    assert "status" in bad.context["form"].errors
    ok = client.post(new, {"kind": "training", "status": "open", "title": "Menjahit", "sector": "C_Manufacturing",
                           "region": "53.71", "places_free": "3", "min_age": "18", "skills": ["sewing"],
                           "accommodation": "none", "version": "0"})
    assert ok.status_code == 302
    listing = login(Client(), personas.b_caseworker).get(reverse("livelihood:opportunities") + "?q=menj&sort=title")
    assert listing.status_code == 200 and "Menjahit" in listing.content.decode()
    assert login(Client(), personas.a_me).get(reverse("livelihood:opportunities")).status_code == 404


def test_the_provider_sees_its_enrolments_and_records_completion(personas: Any, provider: Any,
                                                                  training: Any) -> None:
    refer(personas, provider.organisation, accept_by=provider)
    enrolment = services.enrolment_create(actor=personas.a_caseworker, case=personas.case_a,
                                          opportunity_id=training.pk, enrolled_on=dt.date(2026, 3, 1))
    client = login(Client(), provider)
    listing = client.get(reverse("livelihood:provider_enrolments"))
    assert personas.case_a.survivor.code in listing.content.decode()
    url = reverse("livelihood:enrolment_complete", kwargs={"enrolment_id": enrolment.pk})
    assert client.post(url, {"outcome": "completed", "completed_on": "2026-03-10", "certificate": "BNSP"}).status_code == 302
    # The provider still cannot open the case's livelihood page.
    assert client.get(_case_url(personas)).status_code == 404
    assert login(Client(), personas.b_livelihood).get(url).status_code == 404


def test_the_labour_market_import_page(personas: Any) -> None:
    client = login(Client(), personas.a_admin)
    url = reverse("livelihood:demand_import")
    bad = client.post(url, {"file": SimpleUploadedFile("d.csv", b"region,sector,period,openings,growth_percent\n"
                                                                b"99.99,C_Manufacturing,2026,3,\n"),
                            "source": "BPS", "source_date": "2026-01-01"})
    assert bad.status_code == 200 and bad.context["form"].errors["file"]
    good = client.post(url, {"file": SimpleUploadedFile("d.csv", b"region,sector,period,openings,growth_percent\n"
                                                                 b"53.71,C_Manufacturing,2026,3,\n"),
                             "source": "BPS", "source_date": "2026-01-01"})
    assert good.status_code == 302
    assert "BPS" in client.get(reverse("livelihood:demand")).content.decode()
    assert login(Client(), personas.a_caseworker).get(url).status_code == 404


def test_income_follow_up_page(personas: Any) -> None:
    client = login(Client(), personas.a_caseworker)
    url = _case_url(personas, "livelihood:income_new")
    answer = client.post(url, {"months_after": "6", "recorded_on": "2026-03-10", "working": "on",
                               "monthly_income": "3000000", "debt_change": "decreased"})
    assert answer.status_code == 302
    assert client.get(_case_url(personas)).status_code == 200
    assert personas.case_a.income_follow_ups.get().band == "at_or_above"
