"""A break-the-glass use, end to end in headless Chromium: organisation A's caseworker opens
organisation B's case by the NIK and a reason, reads it under the banner and cannot edit it; B's
supervisor finds the use in the work queue and accepts it."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_break_the_glass_use_is_reviewed(live_server: Any, browser: Any, personas: Any) -> None:
    from privacy.models import EmergencyGrant

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 1. Organisation A's caseworker: the person in front of them gives their NIK.
    sign_in(page, live_server, personas.a_caseworker)
    page.goto(f"{live_server.url}/privacy/emergency/")
    page.fill("#id_nik", "3578010107880002")
    page.fill("#id_reason", "Penyintas datang malam hari, diancam perekrut")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(f"**/cases/{personas.case_b.pk}/")
    assert page.locator(".emergency-banner").is_visible()
    assert personas.case_b.survivor.code in page.locator("main").inner_text()
    # Read-only: the intake page (an edit route) is not found.
    response = page.goto(f"{live_server.url}/cases/{personas.case_b.pk}/intake/")
    assert response is not None and response.status == 404
    context.close()

    # 2. Organisation B's supervisor: the use is in the work queue; they accept it.
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, personas.b_supervisor, then=None)
    page.goto(f"{live_server.url}/work/?scope=mine")
    page.get_by_text("Tinjau akses darurat (break-the-glass)").first.click()
    page.wait_for_url("**/privacy/emergency/*/")
    page.select_option("#id_decision", "accepted")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_load_state()
    assert "Tinjauan telah dicatat." in page.locator("main").inner_text()
    grant = EmergencyGrant.objects.get()
    assert grant.review == EmergencyGrant.Review.ACCEPTED and grant.reviewed_by_id == personas.b_supervisor.pk
    assert not errors
    context.close()
