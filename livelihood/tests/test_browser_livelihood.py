"""End to end in headless Chromium, the livelihood journey on a 360 px screen: the caseworker fills
the economic profile with the survivor, sees ranked suggestions with their reasons, records the
survivor's choice, sends the referral from the suggestion (the existing referral form, prefilled),
the training centre accepts it in its inbox, the caseworker enrols the survivor, the training
centre records completion, the caseworker records a placement that
passes the decent-work check and, at the 6-month visit, the income. No request to another origin,
no JavaScript error. The interface is switched to English first (selectors by visible text)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser import no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _submit(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


def test_profile_suggestions_choice_completion_placement_income(live_server: Any, browser: Any) -> None:
    from accounts.models import Organisation, Role
    from conftest import make_user, register_case
    from core import clock
    from livelihood import services
    from livelihood.models import Enrolment, IncomeFollowUp, MatchChoice, Placement
    from referrals.models import Referral
    from survivors.services import ConsentInput, consent_record

    from .conftest import partner

    org = Organisation.objects.create(name="UPTD PPA Kota Kupang", kind="uptd_ppa", region_id="53.71",
                                      time_zone="Asia/Makassar")
    user = make_user("pendamping", org, [Role.CASEWORKER])
    centre = Organisation.objects.create(name="BLK Kupang", kind="training", region_id="53.71",
                                         time_zone="Asia/Makassar")
    officer = make_user("blk", centre, [Role.LIVELIHOOD_OFFICER])
    sewing = services.opportunity_save(actor=officer, opportunity=None, version=None, values={
        "kind": "training", "status": "open", "title": "Sewing for beginners", "sector": "C_Manufacturing",
        "skills": ["sewing"], "region": "53.71", "places_free": 5, "hours_per_week": 20})
    services.opportunity_save(actor=officer, opportunity=None, version=None, values={
        "kind": "training", "status": "open", "title": "Welding", "sector": "F_Construction",
        "skills": ["welding"], "region": "35.78", "places_free": 5, "hours_per_week": 40})
    case = register_case(user)
    partner(centre)  # in the partner directory, providing economic empowerment
    consent_record(actor=user, case=case, data=ConsentInput(
        purpose="referral", lawful_basis="consent", given_by="survivor", given_on=clock.today(),
        recipient_organisation_id=centre.pk))

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) or r.url.startswith("data:")
            else foreign.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    sign_in(page, live_server, user)
    _submit(page, page.locator("button[name=language][value=en]"))
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("section[aria-labelledby=livelihood-h]").get_by_role("link", name="Open economic empowerment").click()
    page.get_by_role("link", name="Fill in the profile").click()
    page.select_option("#id_education", "junior")
    page.fill("#id_interests_text", "I want to sew clothes")
    page.check("input[name=interest_sectors][value=C_Manufacturing]")
    page.fill("#id_preferred_region", "53.71")
    page.select_option("#id_skill-0-skill", "sewing")
    page.select_option("#id_skill-0-self_level", "1")
    no_horizontal_scroll(page)
    _submit(page, page.get_by_role("button", name="Save profile"))
    assert "Economic profile saved." in page.locator("main").inner_text()

    ranked = page.locator("[data-suggestions] > li")
    assert ranked.count() == 2
    assert "Sewing for beginners" in ranked.nth(0).inner_text()  # interest, skills, distance
    ranked.nth(0).locator("summary").click()
    assert "skill gap closed" in ranked.nth(0).inner_text()
    no_horizontal_scroll(page)
    _submit(page, ranked.nth(0).get_by_role("button", name="The survivor chooses this"))
    assert MatchChoice.objects.get(case=case).opportunity_id == sewing.pk

    # One step from the suggestion to the referral form: the centre, the service, the training
    # packet and the profile's shareable summary are filled in; the sender adds the contact route.
    _submit(page, page.locator("[data-suggestions] > li").nth(0).get_by_role("button", name="Refer"))
    assert "/referrals/new/" in page.url
    assert "Sewing" in page.locator("[name='text_referral.skills_interests']").input_value()
    page.fill("[name='text_referral.contact_route']", "Through the caseworker at UPTD PPA")
    no_horizontal_scroll(page)
    _submit(page, page.locator("form[method=post] button.primary"))
    referral = Referral.objects.get(case=case)
    assert (referral.recipient_organisation_id, referral.status) == (centre.pk, "sent")

    # Without the centre's answer the survivor cannot be enrolled in its programme.
    page.goto(f"{live_server.url}/cases/{case.pk}/livelihood/enrolments/new/")
    page.select_option("#id_opportunity", str(sewing.pk))
    _submit(page, page.get_by_role("button", name="Save"))
    assert "has not accepted a referral" in page.locator("main").inner_text()

    # The training centre accepts the referral in its inbox.
    provider = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID").new_page()
    provider.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(provider, live_server, officer, then=None)
    provider.goto(f"{live_server.url}/referrals/")
    _submit(provider, provider.locator(f"a[href='/referrals/{referral.pk}/']"))
    _submit(provider, provider.locator("button[name=accept]"))
    referral.refresh_from_db()
    assert referral.status == "accepted"

    page.goto(f"{live_server.url}/cases/{case.pk}/livelihood/")
    page.get_by_role("link", name="Enrol in training").click()
    page.select_option("#id_opportunity", str(sewing.pk))
    _submit(page, page.get_by_role("button", name="Save"))
    assert "Enrolment recorded." in page.locator("main").inner_text()
    enrolment = Enrolment.objects.get(case=case)
    assert enrolment.referral_id == referral.pk

    provider.goto(f"{live_server.url}/livelihood/enrolments/")
    provider.get_by_role("link", name="Catat hasilnya").click()
    provider.fill("#id_certificate", "BNSP 2026-17")
    _submit(provider, provider.locator("form button[type=submit].primary"))
    assert Enrolment.objects.get(pk=enrolment.pk).status == "completed"

    page.reload()
    page.get_by_role("link", name="Record a placement").click()
    page.fill("#id_employer_name", "CV Tenun Ina")
    page.select_option("#id_sector", "C_Manufacturing")
    page.fill("#id_region", "53.71")
    page.fill("#id_started_on", clock.today().isoformat())
    page.fill("#id_monthly_wage", "3000000")
    page.fill("#id_hours_per_week", "40")
    page.select_option("#id_contract_type", "pkwt")
    page.check("#id_bpjs_registered")
    no_horizontal_scroll(page)
    _submit(page, page.get_by_role("button", name="Check and record"))
    assert "Placement recorded." in page.locator("main").inner_text()
    assert Placement.objects.get(case=case).work_check.status == "passed"

    page.get_by_role("link", name="Record an income follow-up").click()
    page.select_option("#id_months_after", "6")
    page.check("#id_working")
    page.check("#id_decent_work")
    page.fill("#id_monthly_income", "3000000")
    page.select_option("#id_debt_change", "decreased")
    _submit(page, page.get_by_role("button", name="Save"))
    assert IncomeFollowUp.objects.get(case=case).band == "at_or_above"
    assert "at or above the minimum wage" in page.locator("#income").inner_text()
    assert not foreign and not errors, (foreign, errors)
