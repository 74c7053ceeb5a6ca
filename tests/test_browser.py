"""End to end in headless Chromium (Debian's chromium, driven by Playwright):
log in with two-factor, register a survivor, complete an intake, find the case in the caseload,
switch the language, log out. On a 360 px wide phone screen, with no request to another origin.

Skips with a clear message where Chromium is not installed, except under CI=true, where a skip
is a failure (CI installs Debian's chromium).
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from tests.browser import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

def test_caseworker_journey(live_server: Any, browser: Any) -> None:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Organisation, Role
    from conftest import PASSWORD, make_user

    org = Organisation.objects.create(name="UPTD PPA Provinsi NTT", kind="uptd_ppa", region_id="53.71",
                                      time_zone="Asia/Makassar")
    user = make_user("pendamping", org, [Role.CASEWORKER])
    device = TOTPDevice.objects.get(user=user)

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) or r.url.startswith("data:")
            else foreign.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 1. Log in: password, then the code from the authenticator app.
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "pendamping")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/accounts/otp/**")
    no_horizontal_scroll(page)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name=token]", f"{totp.token():06d}")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/cases/")
    assert page.locator("h1").inner_text() == "Daftar kasus"  # Indonesian first
    no_horizontal_scroll(page)

    # 2. Register a survivor.
    assert not page.locator("nav.site-nav ul").is_visible()  # on a phone the menu is folded away
    page.locator("main").get_by_role("link", name="Daftarkan penyintas").click()
    page.fill("#id_full_name", "Maria Ndun")
    page.select_option("#id_sex", "female")
    page.fill("#id_birth_date", "1998-05-17")
    page.fill("#id_nik", "5301015705980001")
    page.select_option("#id_origin_province", "53")
    page.select_option("#id_origin_regency", "53.01")
    page.fill("#id_identified_on", "2026-10-02")
    page.select_option("#id_channel", "kemlu")
    no_horizontal_scroll(page)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/intake/")
    code = page.locator("h1 .code").inner_text()
    assert code.startswith("SNT-")

    # 3. Complete the intake.
    page.check("input[name=tppo_process][value=recruitment]")
    page.check("input[name=tppo_means][value=deception]")
    page.check("input[name=tppo_purpose][value=forced_labour]")
    page.check("input[name=exploitation_types][value=ForcedLabour]")
    page.check("input[name=ilo_indicators][value=retention_of_documents]")
    page.select_option("#id_modus", "domestic_work")
    page.select_option("#id_exploitation_country", "MY")
    page.fill("#id_exploitation_started_on", "2024-01-15")
    page.fill("#id_exploitation_ended_on", "2026-09-20")
    page.select_option("#id_trafficking_status", "ActualVictimOfTrafficking")
    page.check("input[name=urgent_needs][value=shelter]")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url("**/cases/*/")
    body = page.locator("main").inner_text()
    assert "Malaysia" in body and "pekerjaan rumah tangga" in body.lower()
    assert "Maria" not in body  # the case file shows the code, not the name
    no_horizontal_scroll(page)

    # 4. Find the case in the caseload.
    page.get_by_text("Menu", exact=True).click()  # unfold the menu
    page.locator("nav.site-nav").get_by_role("link", name="Daftar kasus").click()
    page.fill("#id_q", code)
    page.locator("form[role=search] button").click()
    page.wait_for_url(re.compile(r".*/cases/\?(.*&)?q=SNT"))
    assert page.locator("table tbody tr").count() == 1
    assert code in page.locator("table").inner_text()
    # ... and by NIK: the form is POSTed; the address names a token, never the NIK.
    page.fill("#id_q", "5301 0157 0598 0001")
    page.locator("form[role=search] button").click()
    page.wait_for_url(re.compile(r".*/cases/\?(.*&)?search=[\w-]+$"))
    assert "5301" not in page.url
    assert page.locator("table tbody tr").count() == 1
    assert code in page.locator("table").inner_text()
    page.reload()  # the result survives a reload (and the back button) without the NIK in the address
    assert code in page.locator("table").inner_text()

    # 5. Switch the language.
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Caseload"
    page.locator("button[name=language][value=id]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Daftar kasus"

    # 6. Log out.
    page.locator(".logout-form button").click()
    page.wait_for_url("**/accounts/login/**")
    page.goto(f"{live_server.url}/cases/")
    assert "/accounts/login/" in page.url

    assert not foreign, f"requests to other origins: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"
    context.close()
