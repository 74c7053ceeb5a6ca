"""A caseworker writes a plan on a 360 px phone, and is shown a conflict, in headless Chromium."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.browser import no_horizontal_scroll, sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def test_plan_on_a_phone(live_server: Any, browser: Any, personas: Any) -> None:  # noqa: F811
    from plans.models import Goal, Plan
    from plans.services import PlanInput, plan_save

    p = personas
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server, p.a_caseworker)

    page.goto(f"{live_server.url}/cases/{p.case_a.pk}/plan/edit/")
    no_horizontal_scroll(page)
    page.fill("#id_priorities", "Ingin pulang ke ibu")
    page.select_option("#id_g0-domain", "safety")
    page.fill("#id_g0-description", "Tinggal di rumah aman")
    page.fill("#id_g0-a0-description", "Susun rencana keselamatan")
    page.fill("#id_g0-a0-target_date", "2027-01-15")
    page.locator("button[name=continue]").click()
    page.wait_for_url("**/plan/edit/")
    assert Goal.objects.filter(plan__case=p.case_a).count() == 1
    no_horizontal_scroll(page)

    # Someone else saves meanwhile; this save is refused and the difference shown.
    plan = Plan.objects.get(case=p.case_a)
    plan_save(actor=p.a_supervisor, case=p.case_a, version=plan.version, data=PlanInput(priorities="Versi supervisor"))
    page.fill("#id_priorities", "Versi pendamping")
    page.locator("form button[type=submit].primary").click()
    assert page.locator("#conflict-h").is_visible()
    assert page.locator("#id_priorities").input_value() == "Versi pendamping"
    no_horizontal_scroll(page)
    if os.environ.get("SINTAS_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SINTAS_SCREENSHOTS"], "plan_conflict.png"), full_page=True)
    page.goto(f"{live_server.url}/cases/{p.case_a.pk}/")
    no_horizontal_scroll(page)
    if os.environ.get("SINTAS_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SINTAS_SCREENSHOTS"], "case_file.png"), full_page=True)
    assert not errors, errors
