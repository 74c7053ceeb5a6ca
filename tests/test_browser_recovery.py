"""End to end in headless Chromium (Debian's chromium, driven by Playwright), the recovery journey:
a caseworker of a UPTD PPA assesses a survivor (holistic scale, baseline), writes a plan with two
goals, logs three service deliveries, reassesses, and sees the trajectory change on the case file.
On a 360 px wide phone screen, with no request to another origin and no JavaScript error.

The interface is switched to English first, so the selectors by visible text do not depend on the
Indonesian translations. Same skip rule as tests/test_browser.py: a skip where Chromium is not
installed, a failure under CI=true.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from tests.browser import no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Holistic scale answers per domain, in item order. The baseline is low (1s and 2s); the periodic
# reassessment raises every domain but social support, which stays the same.
BASELINE = {"safety": [1, 2, 1], "legal": [2, 1, 2], "mental": [1, 1, 2], "economic": [1, 1, 1],
            "social": [2, 2, 1], "physical": [2, 2, 2]}
PERIODIC = {"safety": [3, 3, 3], "legal": [2, 2, 3], "mental": [2, 2, 3], "economic": [2, 2, 2],
            "social": [2, 2, 1], "physical": [3, 2, 3]}
RAISED = ["safety", "legal", "mental", "economic", "physical"]

GOAL_SAFETY = "Lives in a safe place, away from the recruiter"
GOAL_ECONOMIC = "Earns an income from her own small business"

# (service code, date, goal description or None)
DELIVERIES = [
    ("safe_housing", "2026-03-12", GOAL_SAFETY),
    ("psychological_support", "2026-05-20", None),
    ("economic_empowerment", "2026-07-08", GOAL_ECONOMIC),
]


def _submit(page: Any, button: Any) -> None:
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def _reference_data() -> None:
    """The instruments and the service catalogue come from data migrations; a browser test before
    this one flushed the database, so load them again when they are missing."""
    from care.catalogue import catalogue_sync
    from care.models import Service, TimeLimitRule
    from recovery.instruments import instruments_load
    from recovery.models import Instrument

    if not Instrument.objects.filter(code="SHRS").exists():
        instruments_load()
    if not Service.objects.exists():
        catalogue_sync(Service, TimeLimitRule)


def _fill_assessment(page: Any, scores: dict[str, list[int]]) -> None:
    from recovery.models import Item

    items = Item.objects.filter(instrument__code="SHRS", instrument__version=1).order_by("number")
    by_domain: dict[str, list[int]] = {}
    for item in items:
        by_domain.setdefault(str(item.domain), []).append(item.number)
    for domain, values in scores.items():
        for number, value in zip(by_domain[domain], values, strict=True):
            page.check(f"input[name=item_{number}][value='{value}']")


def _start_assessment(page: Any, kind: str, on: str) -> None:
    from recovery.models import Instrument

    shrs = Instrument.objects.get(code="SHRS", version=1)
    trajectory = page.locator("section[aria-labelledby=trajectory-h]")
    trajectory.get_by_role("link", name="Start an assessment").click()
    page.wait_for_url("**/assessments/new/")
    page.select_option("#id_instrument", str(shrs.pk))
    page.select_option("#id_kind", kind)
    page.fill("#id_assessed_on", on)
    _submit(page, page.locator("form button[type=submit].primary"))
    assert re.search(r"/assessments/[0-9a-f-]+/edit/$", page.url), page.url


def _fill_goal(page: Any, domain: str, goal: str, action: str, target: str) -> None:
    """Fill the blank goal at the end of the plan editor, with its first action."""
    i = int(page.locator("input[name=goal_count]").input_value()) - 1
    assert page.locator(f"#id_g{i}-domain").input_value() == ""  # the blank one, not a suggestion
    page.select_option(f"#id_g{i}-domain", domain)
    page.fill(f"#id_g{i}-description", goal)
    page.fill(f"#id_g{i}-a0-description", action)
    page.fill(f"#id_g{i}-a0-target_date", target)


def test_assess_plan_serve_reassess_trajectory(live_server: Any, browser: Any) -> None:
    from django.utils import translation
    from django.utils.text import capfirst

    from accounts.models import Organisation, Role
    from care.models import ServiceDelivery
    from care.services import organisation_services_set
    from cases.services import case_transition
    from conftest import make_user, register_case
    from core.choices import Domain
    from plans.models import Goal
    from recovery.models import Assessment

    _reference_data()
    org = Organisation.objects.create(name="UPTD PPA Kota Kupang", kind="uptd_ppa", region_id="53.71",
                                      time_zone="Asia/Makassar")
    user = make_user("pendamping", org, [Role.CASEWORKER])
    admin = make_user("admin_ppa", org, [Role.ORG_ADMIN])
    organisation_services_set(actor=admin, service_codes=[code for code, _on, _goal in DELIVERIES] + ["medical_care"])
    case = register_case(user)  # identified on 2 March 2026
    case_transition(actor=user, case=case, to_status="assessment", reason="Intake complete.")
    code = case.survivor.code
    with translation.override("en"):
        labels = {c: capfirst(str(label)) for c, label in Domain.choices}

    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) or r.url.startswith("data:")
            else foreign.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # 1. Log in with password and the authenticator code, then switch the interface to English.
    sign_in(page, live_server, user)
    _submit(page, page.locator("button[name=language][value=en]"))
    assert page.locator("h1").inner_text() == "Caseload"

    # 2. Open the case from the caseload.
    page.get_by_role("link", name=code).click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    case_url = page.url
    trajectory = page.locator("section[aria-labelledby=trajectory-h]")
    assert "No holistic assessment has been completed yet." in trajectory.inner_text()

    # 3. Baseline holistic assessment, low scores.
    _start_assessment(page, "baseline", "2026-03-10")
    no_horizontal_scroll(page)
    _fill_assessment(page, BASELINE)
    _submit(page, page.locator("button[name=action][value=complete]"))
    assert re.search(r"/assessments/[0-9a-f-]+/$", page.url), page.url
    main = page.locator("main").inner_text()
    assert "Assessment completed." in main and "first completed assessment" in main

    # 4. The plan: two goals in two domains, one action each, from the plan editor.
    page.goto(case_url)
    page.locator("section[aria-labelledby=plan-h]").get_by_role("link", name="Open the plan").click()
    page.get_by_role("link", name="Write the plan").click()
    page.wait_for_url("**/plan/edit/")
    assert "Suggested goal" in page.locator("main").inner_text()  # low scores suggest goals
    page.fill("#id_priorities", "A safe place to stay first, then work.")
    _fill_goal(page, "safety", GOAL_SAFETY, "Arrange a place in the shelter", "2026-12-15")
    no_horizontal_scroll(page)
    _submit(page, page.get_by_role("button", name="Save and add more"))
    assert page.url.endswith("/plan/edit/")
    assert "Plan saved as revision 1" in page.locator("main").inner_text()
    _fill_goal(page, "economic", GOAL_ECONOMIC, "Enrol in the village business training", "2027-01-31")
    no_horizontal_scroll(page)
    _submit(page, page.get_by_role("button", name="Save", exact=True))
    assert page.url.endswith("/plan/")
    plan_text = page.locator("main").inner_text()
    assert GOAL_SAFETY in plan_text and GOAL_ECONOMIC in plan_text
    assert "Arrange a place in the shelter" in plan_text and "Enrol in the village business training" in plan_text
    goals = {g.description: g for g in Goal.objects.filter(plan__case=case)}
    assert set(goals) == {GOAL_SAFETY, GOAL_ECONOMIC}
    assert {g.domain for g in goals.values()} == {"safety", "economic"}
    assert all(g.actions.count() == 1 for g in goals.values())

    # 5. Three service deliveries, two of them for a goal of the plan.
    page.goto(case_url)
    page.locator("section[aria-labelledby=care-h]").get_by_role("link", name="Record a service delivery").click()
    for n, (service, on, goal) in enumerate(DELIVERIES, start=1):
        page.wait_for_url("**/services/new/")
        page.select_option("#id_service", service)
        if goal is not None:
            page.select_option("#id_goal", str(goals[goal].pk))
        page.fill("#id_delivered_on", on)
        page.fill("#id_place", "Shelter of the UPTD PPA")
        page.fill("#id_duration_minutes", "60")
        page.fill("#id_outcome_note", f"Session {n} went as planned.")
        _submit(page, page.locator("button[name=action][value=record]"))
        assert page.url.endswith("/services/"), page.url
        assert "Service delivery recorded." in page.locator("main").inner_text()
        if n < len(DELIVERIES):
            page.get_by_role("link", name="Record a service delivery").click()
    recorded = ServiceDelivery.objects.filter(case=case, status=ServiceDelivery.Status.RECORDED)
    assert recorded.count() == 3
    assert {d.goal_id for d in recorded} == {goals[GOAL_SAFETY].pk, goals[GOAL_ECONOMIC].pk, None}

    # 6. Periodic reassessment, later, higher scores.
    page.goto(case_url)
    _start_assessment(page, "periodic", "2026-09-15")
    _fill_assessment(page, PERIODIC)
    _submit(page, page.locator("button[name=action][value=complete]"))
    assert re.search(r"/assessments/[0-9a-f-]+/$", page.url), page.url
    assert "Compared with the assessment of 10 Mar 2026." in page.locator("main").inner_text()
    assert list(Assessment.objects.filter(case=case).values_list("status", flat=True)) == ["completed"] * 2

    # 7. The trajectory on the case file.
    page.goto(case_url)
    trajectory = page.locator("section[aria-labelledby=trajectory-h]")
    chart = trajectory.locator("svg[role=img]")
    assert chart.count() == 1
    assert "3 dated events (services delivered" in (chart.locator("desc").text_content() or "")
    assert chart.locator("line title").count() == 3  # one tick per delivery
    scores = trajectory.locator("table", has=page.locator("caption", has_text="Domain scores by assessment"))
    rows = scores.locator("tbody tr")
    assert rows.count() == 2
    assert "10 Mar 2026" in rows.nth(0).locator("th").inner_text()
    assert "15 Sep 2026" in rows.nth(1).locator("th").inner_text()
    changes = trajectory.locator("table", has=page.locator("caption", has_text="What changed"))
    for domain in RAISED:
        row = changes.locator("tbody tr", has=page.locator("th", has_text=labels[domain]))
        assert "improved" in row.inner_text(), f"{domain}: {row.inner_text()}"
    social = changes.locator("tbody tr", has=page.locator("th", has_text=labels["social"]))
    assert "unchanged" in social.inner_text()
    trajectory.locator("details summary", has_text="3 dated events").click()
    markers = trajectory.locator("details ul").inner_text()
    for label in ("12 Mar 2026: Safe housing", "20 May 2026: Psychological support",
                  "8 Jul 2026: Economic empowerment"):
        assert label in markers, markers
    no_horizontal_scroll(page)

    # 8. Nothing left the origin, no script failed.
    assert not foreign, f"requests to other origins: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"
    context.close()
