"""End to end in headless Chromium: an M&E officer of a regional task force opens the regional
dashboard, filters it, downloads the Excel file, requests the annual report and downloads the PDF
when it is ready. On a 360 px phone screen, with no request to another origin and no script error."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest

from tests.browser import no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_me_officer_regional_journey(live_server: Any, browser: Any, world: Any, personas: Any, settings: Any,
                                     tmp_path: Any) -> None:
    from openpyxl import load_workbook

    from monitoring.models import MonitoringScope, ReportRequest

    settings.LANGUAGE_CODE = "id"
    settings.SINTAS_MONITORING_REPORTS_DIR = tmp_path
    MonitoringScope.objects.create(user=personas.a_me, level="region", region_id="53")

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID", accept_downloads=True)
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) or r.url.startswith("data:")
            else foreign.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 1. Log in with the second factor.
    sign_in(page, live_server, personas.a_me, then=None)

    # 2. The monitoring index lists the organisation and the regional dashboards.
    page.goto(f"{live_server.url}/monitoring/")
    page.get_by_role("link", name="Dasbor wilayah").click()
    page.wait_for_url("**/monitoring/region/**")
    assert "Dasbor wilayah" in page.locator("h1").inner_text()
    no_horizontal_scroll(page)

    # 3. Filter: the first semester of 2026, Kota Kupang, by sex.
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2026-06-30")
    page.fill("#id_region", "53.71")
    page.select_option("#id_breakdown", "sex")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**region=53.71**")
    identified = page.locator("#ind-identified")
    assert identified.locator("strong.headline").inner_text() == "12"
    assert identified.locator("svg[role=img]").count() == 1
    assert "*" in identified.locator("table").inner_text()  # 8 women and 4 men: both hidden at k = 5
    no_horizontal_scroll(page)

    # 4. Download the Excel file of what is shown.
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh Excel").click()
    sheet = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active  # noqa: SIM115
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Penyintas teridentifikasi" in cells and "*" in cells
    assert not any(c.isdigit() and 0 < int(c) < 5 for c in cells)

    # 5. Request the annual report; it is prepared (eagerly here) and offered for download.
    page.get_by_role("link", name="Laporan berkala").click()
    page.wait_for_url("**/monitoring/region/reports/")
    page.select_option("#id_period_kind", "annual")
    page.fill("#id_year", "2026")
    page.fill("#id_region", "53")
    page.get_by_role("button", name="Minta laporan").click()
    page.wait_for_url("**/monitoring/reports/**")
    page.get_by_role("link", name="Unduh PDF").wait_for(timeout=60_000)
    assert page.locator("#report-progress").get_attribute("value") == "100"
    no_horizontal_scroll(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh PDF").click()
    assert open(info.value.path(), "rb").read(4) == b"%PDF"  # noqa: SIM115
    assert ReportRequest.objects.get().status == "done"

    assert not foreign, foreign
    assert not errors, errors
    context.close()
