"""The three legal time limits, each running, due soon, overdue, met and met late, on a clock
the test controls. Case A's organisation is in Kupang (WITA, UTC+8); case A was identified on
2 March 2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from care.clocks import State, clocks_for_case, clocks_for_cases, rules_cache_clear
from care.services import application_record, delivery_save
from cases.models import Case
from conftest import register_case

UTC = dt.UTC
WITA = dt.timezone(dt.timedelta(hours=8))


def _record(p: Any, service: str, day: dt.date, time: dt.time | None = None) -> None:
    delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True,
                  values={"service": service, "delivered_on": day, "delivered_time": time})


def _only(case: Any, rule: str) -> Any:
    found = [c for c in clocks_for_case(case) if c.rule.code == rule]
    assert len(found) == 1, found
    return found[0]


# --- UU 21/2007 Pasal 52: services at most 7 days after an application ------------------------------
# Applied on 3 March: due at the end of 10 March in Kupang = 11 March 00:00 WITA = 10 March 16:00 UTC.
APP_DUE = dt.datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(("now", "delivered", "state"), [
    (dt.datetime(2026, 3, 5, 3, 0, tzinfo=UTC), None, State.RUNNING),
    (dt.datetime(2026, 3, 9, 20, 0, tzinfo=UTC), None, State.DUE_SOON),  # 20 hours left (warned 48 h before)
    (dt.datetime(2026, 3, 10, 16, 0, tzinfo=UTC), None, State.OVERDUE),
    (dt.datetime(2026, 3, 12, 3, 0, tzinfo=UTC), dt.date(2026, 3, 10), State.MET),  # on the last day
    (dt.datetime(2026, 3, 12, 3, 0, tzinfo=UTC), dt.date(2026, 3, 11), State.MET_LATE),
])
def test_services_after_application(providing: Any, set_now: Any, now: dt.datetime, delivered: Any,
                                    state: str) -> None:
    p = providing
    set_now(now)
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3), applicant_kind="family")
    _record(p, "social_rehabilitation", dt.date(2026, 3, 2))  # before the application: does not count
    _record(p, "police_report_forwarded", dt.date(2026, 3, 4))  # an act, not a service: does not count
    if delivered:
        _record(p, "social_rehabilitation", delivered)
    clock = _only(p.case_a, "services_after_application")
    assert clock.due_at == APP_DUE
    assert clock.due_local.tzname() == "WITA"
    assert clock.state == state
    assert (clock.met_at is not None) == (delivered is not None)


def test_each_application_has_its_own_clock(providing: Any, set_now: Any) -> None:
    p = providing
    set_now(dt.datetime(2026, 3, 25, 3, 0, tzinfo=UTC))
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3), applicant_kind="family")
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 15), applicant_kind="police")
    _record(p, "repatriation", dt.date(2026, 3, 5))
    states = sorted(c.state for c in clocks_for_case(p.case_a) if c.rule.code == "services_after_application")
    assert states == [State.MET, State.OVERDUE]


# --- UU 21/2007 Pasal 53: first aid within 7 days for urgent medical needs -----------------------------
# Identified on 2 March: due at the end of 9 March in Kupang = 9 March 16:00 UTC.
AID_DUE = dt.datetime(2026, 3, 9, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(("now", "delivered", "state"), [
    (dt.datetime(2026, 3, 5, 3, 0, tzinfo=UTC), None, State.RUNNING),
    (dt.datetime(2026, 3, 8, 17, 0, tzinfo=UTC), None, State.DUE_SOON),
    (dt.datetime(2026, 3, 9, 16, 1, tzinfo=UTC), None, State.OVERDUE),
    (dt.datetime(2026, 3, 12, 3, 0, tzinfo=UTC), dt.date(2026, 3, 9), State.MET),
    (dt.datetime(2026, 3, 12, 3, 0, tzinfo=UTC), dt.date(2026, 3, 10), State.MET_LATE),
])
def test_first_aid_for_urgent_medical_needs(providing: Any, set_now: Any, now: dt.datetime, delivered: Any,
                                            state: str) -> None:
    p = providing
    set_now(now)
    Case.objects.filter(pk=p.case_a.pk).update(urgent_needs=["medical", "shelter"])
    p.case_a.refresh_from_db()
    _record(p, "safe_housing", dt.date(2026, 3, 3))  # not a health service: does not stop it
    if delivered:
        _record(p, "medical_care", delivered)
    clock = _only(p.case_a, "first_aid_urgent")
    assert clock.due_at == AID_DUE
    assert clock.state == state


def test_first_aid_limit_only_for_urgent_medical_needs(providing: Any, set_now: Any) -> None:
    p = providing
    assert not [c for c in clocks_for_case(p.case_a) if c.rule.code == "first_aid_urgent"]
    Case.objects.filter(pk=p.case_a.pk).update(urgent_needs=["medical"])
    p.case_a.refresh_from_db()
    _record(p, "health_rehabilitation", dt.date(2026, 3, 4))
    assert _only(p.case_a, "first_aid_urgent").state == State.MET


# --- UU 12/2022 Pasal 41: the report forwarded to the police within 3 x 24 hours -------------------------
OPENED = dt.datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 WITA
POLICE_DUE = OPENED + dt.timedelta(hours=72)


def _not_from_police(p: Any) -> None:
    Case.objects.filter(pk=p.case_a.pk).update(opened_at=OPENED, channel="sapa129")
    p.case_a.refresh_from_db()


@pytest.mark.parametrize(("now", "delivered", "state"), [
    (dt.datetime(2026, 3, 3, 2, 0, tzinfo=UTC), None, State.RUNNING),
    (dt.datetime(2026, 3, 4, 3, 0, tzinfo=UTC), None, State.DUE_SOON),  # 23 hours left (warned 24 h before)
    (dt.datetime(2026, 3, 5, 2, 0, tzinfo=UTC), None, State.OVERDUE),
    # Without a time the end of the day counts: 4 March 24:00 WITA is before 5 March 10:00 WITA.
    (dt.datetime(2026, 3, 6, 3, 0, tzinfo=UTC), (dt.date(2026, 3, 4), None), State.MET),
    (dt.datetime(2026, 3, 6, 3, 0, tzinfo=UTC), (dt.date(2026, 3, 5), dt.time(9, 30)), State.MET),
    (dt.datetime(2026, 3, 6, 3, 0, tzinfo=UTC), (dt.date(2026, 3, 5), dt.time(10, 30)), State.MET_LATE),
    (dt.datetime(2026, 3, 6, 3, 0, tzinfo=UTC), (dt.date(2026, 3, 5), None), State.MET_LATE),
])
def test_report_forwarded_to_police(providing: Any, set_now: Any, now: dt.datetime, delivered: Any,
                                    state: str) -> None:
    p = providing
    set_now(now)
    _not_from_police(p)
    if delivered:
        _record(p, "police_report_forwarded", *delivered)
    _record(p, "legal_aid", dt.date(2026, 3, 2))  # another service does not stop it
    clock = _only(p.case_a, "police_report_forwarding")
    assert clock.started_at == OPENED and clock.due_at == POLICE_DUE
    assert clock.state == state


def test_no_police_forwarding_limit_for_a_case_the_police_referred(providing: Any, set_now: Any) -> None:
    assert providing.case_a.channel == "police"
    assert not [c for c in clocks_for_case(providing.case_a) if c.rule.code == "police_report_forwarding"]


# --- configuration -------------------------------------------------------------------------------------


def test_settings_override_a_rule(providing: Any, set_now: Any, settings: Any) -> None:
    p = providing
    _not_from_police(p)
    settings.SINTAS_TIME_LIMITS = {"police_report_forwarding": {"duration_value": 24}}
    clock = _only(p.case_a, "police_report_forwarding")
    assert clock.due_at == OPENED + dt.timedelta(hours=24)
    assert clock.state == State.OVERDUE
    settings.SINTAS_TIME_LIMITS = {"police_report_forwarding": {"is_active": False}}
    assert not [c for c in clocks_for_case(p.case_a) if c.rule.code == "police_report_forwarding"]


def test_bulk_clocks_use_a_fixed_number_of_queries(providing: Any, set_now: Any) -> None:
    p = providing
    set_now(dt.datetime(2026, 3, 20, 3, 0, tzinfo=UTC))

    def count(n_cases: int) -> int:
        cases = list(Case.objects.filter(lead_organisation=p.org_a))[:n_cases]
        rules_cache_clear()  # count the cold path: the rules are read too
        with CaptureQueriesContext(connection) as ctx:
            result = clocks_for_cases(cases)
        assert len(result) == len(cases)
        return len(ctx.captured_queries)

    small = count(1)
    for i in range(5):
        case = register_case(p.a_caseworker, name=f"P {i}", birth_date=dt.date(1990, 1, 1 + i))
        application_record(actor=p.a_caseworker, case=case, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
        for day in range(3, 8):
            delivery_save(actor=p.a_caseworker, case=case, complete=True,
                          values={"service": "medical_care", "delivered_on": dt.date(2026, 3, day)})
    assert count(6) == small <= 4


@pytest.mark.django_db
def test_rules_are_read_once_and_reread_after_a_change() -> None:
    from care.clocks import rules_active
    from care.models import TimeLimitRule

    first = {r.code: r.duration_value for r in rules_active()}
    with CaptureQueriesContext(connection) as ctx:
        again = {r.code: r.duration_value for r in rules_active()}
    assert again == first and len(ctx.captured_queries) == 0  # cached in this process
    rule = TimeLimitRule.objects.get(code=next(iter(first)))
    rule.duration_value += 5
    rule.save()  # an administrator's change is seen at once
    assert {r.code: r.duration_value for r in rules_active()}[rule.code] == first[rule.code] + 5
