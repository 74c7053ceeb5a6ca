"""In headless Chromium on a 360 px phone: the lead organisation's supervisor proposes a transfer;
the receiving supervisor accepts it and names the new lead caseworker; the case is then theirs,
and the sending organisation gets 404 on it (the default: it keeps no access)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser import no_horizontal_scroll, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def test_propose_accept_and_the_case_changes_hands(live_server: Any, browser: Any, personas: Any) -> None:
    from cases.models import Case
    from transfers.models import CaseTransfer

    p = personas
    errors: list[str] = []
    case_url = f"{live_server.url}/cases/{p.case_a.pk}/"

    # The sending supervisor proposes the transfer from the case file.
    sender = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID").new_page()
    sender.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(sender, live_server, p.a_supervisor)
    sender.goto(case_url)
    with sender.expect_navigation():
        sender.locator("section[aria-labelledby=transfers-h] .actions a").click()
    sender.select_option("#id_to_organisation", str(p.org_b.pk))
    sender.fill("#id_reason", "Reintegrasi di kabupaten asal penyintas")
    no_horizontal_scroll(sender)
    with sender.expect_navigation():
        sender.locator("form[method=post] button.primary").click()
    transfer = CaseTransfer.objects.get()
    assert transfer.status == CaseTransfer.Status.PENDING
    sender.goto(case_url)
    assert "menunggu keputusan" in sender.locator("section[aria-labelledby=transfers-h]").inner_text()

    # The receiving supervisor finds it among the incoming transfers, cannot open the case yet,
    # and accepts with a new lead caseworker.
    receiver = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID").new_page()
    receiver.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(receiver, live_server, p.b_supervisor)
    assert receiver.goto(case_url).status == 404
    receiver.goto(f"{live_server.url}/transfers/incoming/")
    with receiver.expect_navigation():
        receiver.locator(f"a[href='/transfers/{transfer.pk}/']").first.click()
    assert p.case_a.survivor.code in receiver.locator("h1").inner_text()
    no_horizontal_scroll(receiver)
    receiver.select_option("#id_lead_caseworker", str(p.b_caseworker.pk))
    with receiver.expect_navigation():
        receiver.locator(f"form[action='/transfers/{transfer.pk}/accept/'] button.primary").click()
    case = Case.objects.get(pk=p.case_a.pk)
    assert case.lead_organisation_id == p.org_b.pk and case.lead_caseworker_id == p.b_caseworker.pk

    # Now the receiver opens the case file; the sender's supervisor gets 404 on it.
    assert receiver.goto(case_url).status == 200
    assert p.case_a.survivor.code in receiver.locator("h1").inner_text()
    assert sender.goto(case_url).status == 404
    assert not errors, errors
