from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from care.clocks import rules_cache_clear
from care.services import application_record
from care.workqueue import time_limits_for
from conftest import login, register_case

UTC = dt.UTC
LATE = dt.datetime(2026, 3, 12, 3, 0, tzinfo=UTC)


def _applications(p: Any) -> None:
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    application_record(actor=p.b_caseworker, case=p.case_b, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")


def test_mine_is_the_cases_on_my_team(providing: Any, set_now: Any) -> None:
    p = providing
    _applications(p)
    set_now(LATE)
    items = time_limits_for(p.a_caseworker, scope="mine")
    assert [(i.case_id, i.kind, i.overdue) for i in items] == [(p.case_a.pk, "time_limit", True)]
    assert "Pasal 52" in items[0].title and items[0].responsible == p.a_caseworker.display_name
    assert time_limits_for(p.a_psychologist, scope="mine")  # on the team
    assert time_limits_for(p.a_caseworker2, scope="mine") == []  # same organisation, not on the team
    assert time_limits_for(p.a_supervisor, scope="mine") == []  # not on the team
    assert [i.case_id for i in time_limits_for(p.a_supervisor, scope="organisation")] == [p.case_a.pk]
    assert time_limits_for(p.a_caseworker2, scope="organisation") == []  # only supervisors see the organisation
    for nobody in (p.a_me, p.a_admin, p.outsider, p.platform):
        assert time_limits_for(nobody, scope="organisation") == []


def test_work_queue_page_mine_and_organisation(providing: Any, set_now: Any) -> None:
    p = providing
    _applications(p)
    set_now(LATE)
    url = reverse("care:work_queue")
    code_a, code_b = p.case_a.survivor.code, p.case_b.survivor.code

    page = login(Client(), p.a_caseworker).get(url).content.decode()
    assert code_a in page and code_b not in page
    assert reverse("cases:detail", kwargs={"case_id": p.case_a.pk}) in page
    # A caseworker asking for the organisation still sees only their own.
    page = login(Client(), p.a_caseworker2).get(url, {"scope": "organisation"}).content.decode()
    assert code_a not in page

    supervisor = login(Client(), p.a_supervisor)
    assert code_a not in supervisor.get(url).content.decode()
    page = supervisor.get(url, {"scope": "organisation"}).content.decode()
    assert code_a in page and code_b not in page

    page = login(Client(), p.b_supervisor).get(url, {"scope": "organisation"}).content.decode()
    assert code_b in page and code_a not in page


def test_work_queue_empty_state_and_who_may_open_it(personas: Any, set_now: Any) -> None:
    url = reverse("care:work_queue")
    response = login(Client(), personas.a_caseworker).get(url)
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert login(Client(), personas.a_admin).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # sign in first


def test_time_limit_provider_uses_a_fixed_number_of_queries(providing: Any, set_now: Any) -> None:
    p = providing
    _applications(p)
    set_now(LATE)

    def count() -> int:
        p.a_supervisor._role_cache = None
        rules_cache_clear()  # count the cold path: the rules are read too
        with CaptureQueriesContext(connection) as ctx:
            time_limits_for(p.a_supervisor, scope="organisation")
        return len(ctx.captured_queries)

    small = count()
    for i in range(8):
        case = register_case(p.a_caseworker, name=f"P {i}", birth_date=dt.date(1990, 1, 1 + i))
        application_record(actor=p.a_caseworker, case=case, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    assert count() == small
    assert len(time_limits_for(p.a_supervisor, scope="organisation")) == 9
