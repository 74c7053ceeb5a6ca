"""The work queue (due within 14 days and overdue) and the case-file section (fixed queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, reset_queries
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Personas, login, register_case
from core.workqueue import work_items_for
from reintegration.case_section import reintegration_section
from reintegration.services import case_reopen, follow_up_record
from reintegration.workqueue import follow_ups_for

from .conftest import NO_RISK, close


def _fresh(user: Any) -> Any:
    """The user as a request would load it (nothing cached from an earlier call)."""
    return type(user).objects.get(pk=user.pk)


def _follow_up_items(user: Any, scope: str = "mine") -> list[Any]:
    return [i for i in work_items_for(user, scope=scope) if i.kind == "follow_up"]


def test_due_and_overdue_follow_ups_with_a_controlled_clock(personas: Personas, clock_at: Any) -> None:
    close(personas)  # first visit due 30 April 2026
    clock_at(dt.date(2026, 4, 15))  # 15 days ahead: not yet
    assert _follow_up_items(personas.a_caseworker) == []
    clock_at(dt.date(2026, 4, 16))  # 14 days ahead: due
    [item] = _follow_up_items(personas.a_caseworker)
    assert (item.overdue, item.due_at.date(), item.survivor_code) == (False, dt.date(2026, 4, 30),
                                                                       personas.case_a.survivor.code)
    clock_at(dt.date(2026, 4, 30))
    assert [i.overdue for i in _follow_up_items(personas.a_caseworker)] == [False]
    clock_at(dt.date(2026, 5, 1))
    assert [i.overdue for i in _follow_up_items(personas.a_caseworker)] == [True]
    assert login(Client(), personas.a_caseworker).get(item.url).status_code == 200
    clock_at(dt.date(2026, 7, 20))  # the 6-month visit is due too, the 3-month one still overdue
    assert [i.overdue for i in _follow_up_items(personas.a_caseworker)] == [True, False]


def test_who_sees_the_follow_ups(personas: Personas, clock_at: Any) -> None:
    close(personas)
    close(personas, case=personas.case_b, actor=personas.b_caseworker)
    clock_at(dt.date(2026, 5, 1))
    code_a = personas.case_a.survivor.code
    for user in (personas.a_caseworker, personas.a_psychologist):  # lead, and team member
        assert [i.survivor_code for i in _follow_up_items(user)] == [code_a]
    for user in (personas.a_caseworker2, personas.a_me, personas.a_admin, personas.outsider, personas.platform):
        assert _follow_up_items(user) == [] and _follow_up_items(user, "organisation") == []
    assert _follow_up_items(personas.a_supervisor) == []  # not on the team: not "mine"
    assert [i.survivor_code for i in _follow_up_items(personas.a_supervisor, "organisation")] == [code_a]
    assert [i.survivor_code for i in _follow_up_items(personas.b_supervisor, "organisation")] == [
        personas.case_b.survivor.code]


def test_done_and_reopened_leave_the_queue(personas: Personas, clock_at: Any) -> None:
    closure = close(personas)
    clock_at(dt.date(2026, 5, 1))
    follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=closure.follow_ups.first(),
                     done_on=dt.date(2026, 5, 1), contact_mode="visit", answers=NO_RISK)
    assert _follow_up_items(personas.a_caseworker) == []
    clock_at(dt.date(2026, 7, 25))
    assert len(_follow_up_items(personas.a_caseworker)) == 1
    case_reopen(actor=personas.a_caseworker, case=personas.case_a, reason="Kembali ke layanan.")
    assert _follow_up_items(personas.a_caseworker) == []


def test_work_queue_queries_do_not_grow(personas: Personas, clock_at: Any) -> None:
    close(personas)
    clock_at(dt.date(2026, 5, 1))
    supervisor = _fresh(personas.a_supervisor)
    with CaptureQueriesContext(connection) as small:
        assert len(follow_ups_for(supervisor, scope="organisation")) == 1
    clock_at(dt.date(2026, 1, 31))
    for i in range(5):
        close(personas, case=register_case(personas.a_caseworker, name=f"P {i}", birth_date=dt.date(1990, 1, i + 1)))
    clock_at(dt.date(2027, 2, 1))
    supervisor = _fresh(personas.a_supervisor)
    with CaptureQueriesContext(connection) as large:
        assert len(follow_ups_for(supervisor, scope="organisation")) == 18
    assert len(large.captured_queries) == len(small.captured_queries) <= 3


def _close_three_times(p: Personas, clock_at: Any) -> None:
    for day in (dt.date(2026, 3, 1), dt.date(2026, 4, 1)):
        case_reopen(actor=p.a_caseworker, case=p.case_a, reason="lagi")
        clock_at(day)
        close(p, reason="survivor_choice", note="lagi")
    clock_at(dt.date(2026, 9, 1))
    latest = p.case_a.closures.order_by("-closed_at").first()
    follow_up_record(actor=p.a_caseworker, case=p.case_a, follow_up=latest.follow_ups.order_by("due_on").first(),
                     done_on=dt.date(2026, 7, 2), contact_mode="visit", answers=NO_RISK)


def test_section_uses_a_fixed_number_of_queries(personas: Personas, clock_at: Any) -> None:
    close(personas)
    client = login(Client(), personas.a_caseworker)
    url = reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})
    def measure() -> tuple[int, int]:
        reset_queries()  # the query log holds at most 9,000 entries; this test writes more than that
        request = RequestFactory().get(url)
        request.user = _fresh(personas.a_caseworker)
        case = type(personas.case_a).objects.select_related("survivor", "lead_caseworker").get(pk=personas.case_a.pk)
        with CaptureQueriesContext(connection) as section:
            reintegration_section(request, case)
        client.get(url)  # steady state: the session is renewed at most once a minute
        with CaptureQueriesContext(connection) as page:
            assert client.get(url).status_code == 200
        return len(section.captured_queries), len(page.captured_queries)

    one = measure()
    _close_three_times(personas, clock_at)
    assert personas.case_a.closures.count() == 3 and personas.case_a.follow_ups.count() == 12
    three = measure()
    assert three == one
    assert one[0] <= 4, one  # closures, follow-ups; the policy's user checks (cached on the case file page)
    body = client.get(url).content.decode()
    assert reverse("reintegration:reopen", kwargs={"case_id": personas.case_a.pk}) in body


def test_section_offers_close_to_editors_only(personas: Personas) -> None:
    url = reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})
    close_url = reverse("reintegration:close", kwargs={"case_id": personas.case_a.pk})
    assert close_url in login(Client(), personas.a_caseworker).get(url).content.decode()
    assert close_url not in login(Client(), personas.a_psychologist).get(url).content.decode()
