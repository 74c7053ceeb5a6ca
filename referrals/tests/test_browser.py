"""In headless Chromium on a 360 px phone: a caseworker finds a partner and refers with consent;
the partner signs in, accepts and reports the outcome; the caseworker sees it in the case file."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser import no_horizontal_scroll, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def test_refer_accept_report_outcome(live_server: Any, browser: Any, world: Any) -> None:
    from referrals.models import Referral

    p = world.p
    errors: list[str] = []

    # The caseworker finds a partner from the case file and refers with the recorded consent.
    ctx = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, p.a_caseworker)
    page.goto(f"{live_server.url}/cases/{p.case_a.pk}/")
    with page.expect_navigation():
        page.locator("#referrals-h ~ .actions a").click()
    page.select_option("#id_service", "medical_care")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    no_horizontal_scroll(page)
    with page.expect_navigation():
        page.locator(f"a[href*='/referrals/new/?partner={world.clinic.pk}']").click()
    no_horizontal_scroll(page)
    page.fill("[name='text_referral.health_needs']", "Sakit kepala dan sulit tidur")
    page.fill("[name='text_referral.contact_route']", "Melalui pendamping di UPTD PPA")
    with page.expect_navigation():
        page.locator("form[method=post] button.primary").click()
    assert page.locator("#referral-status").inner_text() == "terkirim"
    referral = Referral.objects.get()
    assert set(referral.packet_fields) == {"identity.first_name", "survivor.sex", "survivor.age_band",
                                           "referral.health_needs", "referral.contact_route"}
    no_horizontal_scroll(page)
    sender_page = page  # stays signed in (a second TOTP sign-in in the same 30 s would reuse the code)

    # The partner signs in, sees the packet, accepts and reports the outcome.
    partner_ctx = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = partner_ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, world.nurse)
    page.goto(f"{live_server.url}/referrals/")
    with page.expect_navigation():
        page.locator(f"a[href='/referrals/{referral.pk}/']").click()
    assert page.locator("[data-key='identity.first_name']").inner_text() == "Sari"
    assert page.locator(".packet dd").count() == 5
    no_horizontal_scroll(page)
    with page.expect_navigation():
        page.locator("button[name=accept]").click()
    assert page.locator("#referral-status").inner_text() == "diterima"
    page.fill("#id_delivered_on", "2026-03-05")
    page.fill("#id_outcome_report", "Diperiksa dokter; obat tidur ringan diberikan")
    with page.expect_navigation():
        page.locator("button[name=complete]").click()
    assert page.url.endswith("/referrals/")
    no_horizontal_scroll(page)
    # The packet is gone for the partner, and the case was never theirs.
    assert page.goto(f"{live_server.url}/referrals/{referral.pk}/").status == 404
    assert page.goto(f"{live_server.url}/cases/{p.case_a.pk}/").status == 404
    partner_ctx.close()

    # The caseworker sees the outcome in the case file, as a referral and as a service delivery.
    page = sender_page
    page.goto(f"{live_server.url}/cases/{p.case_a.pk}/")
    section = page.locator("#referrals-h").locator("..")
    assert "Diperiksa dokter" in section.inner_text()
    assert "selesai" in section.inner_text()
    page.goto(f"{live_server.url}/cases/{p.case_a.pk}/services/")
    assert "Diperiksa dokter" in page.content()
    no_horizontal_scroll(page)
    assert not errors, errors
