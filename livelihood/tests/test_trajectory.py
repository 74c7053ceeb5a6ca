"""Income follow-ups on the economic domain of the recovery trajectory, and the re-trafficking risk
screen's hints: for those who may see livelihood data only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from livelihood import services
from recovery import selectors as recovery_selectors
from recovery.sections import trajectory_context
from recovery.tests.conftest import completed

from .test_services import _profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _instruments(db: Any) -> None:
    from recovery.instruments import instruments_load

    instruments_load()


def _income(personas: Any, months: int, on: dt.date, income: int, *, working: bool = True,
            debt: str = "same") -> None:
    services.income_follow_up_record(actor=personas.a_caseworker, case=personas.case_a, months_after=months,
                                     recorded_on=on, working=working, monthly_income=income, debt_change=debt)


def test_income_follow_ups_are_points_of_the_economic_domain(personas: Any) -> None:
    p = personas
    services.profile_save(actor=p.a_caseworker, case=p.case_a, version=0, data=_profile())
    _income(p, 3, dt.date(2026, 3, 4), 0, working=False, debt="increased")
    _income(p, 6, dt.date(2026, 3, 10), 3_500_000, debt="decreased")  # Kupang's minimum is below 3.5 million
    points = recovery_selectors.income_points(p.a_caseworker, p.case_a)
    assert [(pt.on, pt.level) for pt in points] == [(dt.date(2026, 3, 4), 1), (dt.date(2026, 3, 10), 4)]
    assert points[0].title == "Penghasilan pada 3 bulan: tidak berpenghasilan; tidak bekerja; utang: bertambah"
    # a supervisor off the case team, another organisation: no livelihood data
    assert recovery_selectors.income_points(p.a_supervisor, p.case_a) == []
    assert recovery_selectors.income_points(p.b_caseworker, p.case_a) == []
    completed(p.a_caseworker, p.case_a, on=dt.date(2026, 3, 3))
    context = trajectory_context(p.case_a, user=p.a_caseworker)
    income = context["chart"]["income"]
    assert income is not None and len(income["markers"]) == 2 and income["points"].count(",") == 2
    assert trajectory_context(p.case_a, user=p.a_supervisor)["chart"]["income"] is None
    # the line runs left to right, from no income (the bottom, y larger) to at or above the minimum
    (x1, y1), (x2, y2) = (tuple(map(float, xy.split(","))) for xy in income["points"].split())
    assert x1 < x2 and y1 > y2


def test_the_case_file_shows_income_on_the_trajectory_to_the_team_only(personas: Any) -> None:
    p = personas
    services.profile_save(actor=p.a_caseworker, case=p.case_a, version=0, data=_profile())
    _income(p, 3, dt.date(2026, 3, 4), 1_000_000)
    completed(p.a_caseworker, p.case_a, on=dt.date(2026, 3, 3))
    url = reverse("cases:detail", kwargs={"case_id": p.case_a.pk})
    team = login(Client(), p.a_caseworker).get(url).content.decode()
    assert "Tindak lanjut penghasilan (domain ekonomi)" in team  # the chart's group, legend and table
    assert "di bawah separuh upah minimum" in team
    supervisor = login(Client(), p.a_supervisor).get(url).content.decode()
    assert 'id="trajectory-h"' in supervisor and "Tindak lanjut penghasilan" not in supervisor


def _checked(html: str, name: str) -> str | None:
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and "checked" in tag:
            found = re.search(r'value="([^"]*)"', tag)
            return found.group(1) if found else None
    return None


def test_the_risk_screen_starts_from_income_loss_for_the_team_only(personas: Any) -> None:
    from reintegration.services import case_close

    p = personas
    services.profile_save(actor=p.a_caseworker, case=p.case_a, version=0, data=_profile(debt_to_recruiter=True))
    _income(p, 3, dt.date(2026, 3, 4), 0, working=False, debt="increased")
    closure = case_close(actor=p.a_caseworker, case=p.case_a, reason="survivor_choice", note="Pindah.")
    follow_up = closure.follow_ups.order_by("due_on")[0]
    url = reverse("reintegration:follow_up_record", kwargs={"case_id": p.case_a.pk, "follow_up_id": follow_up.pk})
    team = login(Client(), p.a_caseworker).get(url).content.decode()
    assert _checked(team, "risk_same_community_hardship") == "yes"
    assert _checked(team, "risk_trafficker_contact") == "yes"
    supervisor = login(Client(), p.a_supervisor).get(url)
    assert supervisor.status_code == 200  # the supervisor may record the visit, but sees no livelihood hint
    assert _checked(supervisor.content.decode(), "risk_trafficker_contact") is None
