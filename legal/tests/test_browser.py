"""The restitution journey in headless Chromium on a 360 px phone: losses with evidence, the claim
PDF, the verdict with restitution ordered, a partial payment, the remaining amount and the overdue flag."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser import no_horizontal_scroll, sign_in

from .conftest import PDF, to_trial

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def test_restitution_journey(live_server: Any, browser: Any, personas: Any) -> None:
    from legal.models import Claim, Evidence, Order, Payment

    p = personas
    proceeding = to_trial(p)
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, p.a_legal)
    base = f"{live_server.url}/cases/{p.case_a.pk}/legal/"

    # A loss with its evidence document; a wrong file is refused with what was typed kept.
    page.goto(base + "losses/new/")
    page.select_option("#id_head", "medical")
    page.fill("#id_description", "Visum dan perawatan luka")
    page.fill("#id_amount", "750000")
    page.fill("#id_incurred_on", "2026-03-03")
    page.set_input_files("#id_evidence", files=[{"name": "tiket.exe", "mimeType": "application/pdf",
                                                  "buffer": b"MZ not a document"}])
    page.locator("form button[type=submit].primary").click()
    assert page.locator("p.error").first.is_visible()
    assert page.locator("#id_description").input_value() == "Visum dan perawatan luka"
    page.set_input_files("#id_evidence", files=[{"name": "visum.pdf", "mimeType": "application/pdf",
                                                  "buffer": PDF}])
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(base)
    assert Evidence.objects.count() == 1

    # The claim, as a PDF.
    page.goto(f"{base}proceedings/{proceeding.pk}/claims/new/")
    page.select_option("#id_recipient", "lpsk")
    page.fill("#id_filed_on", "2026-04-25")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(base)
    claim = Claim.objects.get()
    pdf = context.request.get(f"{base}claims/{claim.pk}/pdf/")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The verdict, the final judgment served, restitution ordered.
    for stage, on, extra in (("verdict", "2026-05-04", {"#id_articles_proven": "UU 21/2007 Pasal 2 ayat (1)"}),
                             ("final", "2026-05-11", {"#id_served_on": "2026-05-11"})):
        page.goto(f"{base}proceedings/{proceeding.pk}/stages/new/")
        page.select_option("#id_stage", stage)
        page.fill("#id_on", on)
        page.fill("#id_institution", "PN Kupang")
        for selector, value in extra.items():
            page.fill(selector, value)
        page.locator("form button[type=submit].primary").click()
        page.wait_for_url(base)
    page.goto(f"{base}proceedings/{proceeding.pk}/orders/new/")
    page.fill("#id_amount", "30000000")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(base)
    order = Order.objects.get()
    assert order.due_on is not None and order.due_on.isoformat() == "2026-05-25"

    # A partial payment; the remaining amount and the overdue payment are shown.
    page.goto(f"{base}orders/{order.pk}/payments/new/")
    page.fill("#id_paid_on", "2026-05-20")
    page.fill("#id_amount", "10000000")
    page.select_option("#id_channel", "court")
    page.fill("#id_proof_reference", "KW-PN-0001")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(base)
    assert Payment.objects.count() == 1
    remaining = page.locator(f"[data-order='{order.pk}'] [data-remaining]").inner_text()
    assert "20.000.000" in remaining or "20,000,000" in remaining
    assert page.locator("[data-clock=payment][data-status=overdue]").is_visible()
    no_horizontal_scroll(page)
    if os.environ.get("SINTAS_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SINTAS_SCREENSHOTS"], "legal.png"), full_page=True)
    assert not errors, errors
