from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command

from care.models import TimeLimitEscalation
from care.services import application_record, delivery_save, time_limits_escalate
from care.tasks import time_limits_escalate_task
from cases.models import Alert, Case

UTC = dt.UTC


def test_a_passed_time_limit_alerts_the_lead_caseworker_and_supervisors_once(providing: Any, set_now: Any) -> None:
    p = providing
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    assert time_limits_escalate() == 0  # still running
    assert not Alert.objects.exists()

    set_now(dt.datetime(2026, 3, 11, 1, 0, tzinfo=UTC))
    assert time_limits_escalate() == 1
    alerts = Alert.objects.filter(case=p.case_a, kind=Alert.Kind.TIME_LIMIT)
    assert {a.recipient for a in alerts} == {p.a_caseworker, p.a_supervisor}
    assert "Pasal 52" in alerts[0].detail and "Sari" not in alerts[0].detail  # no identity in alerts
    # Idempotent: the command, the task and another run alert no one again.
    out = StringIO()
    call_command("check_time_limits", stdout=out)
    assert out.getvalue().startswith("0 ")
    assert time_limits_escalate_task.delay().get() == 0
    assert alerts.count() == 2
    assert TimeLimitEscalation.objects.get().alert_count == 2
    # Other organisations' people are never told.
    assert not Alert.objects.filter(recipient__organisation=p.org_b).exists()


def test_met_and_closed_cases_are_not_escalated(providing: Any, set_now: Any) -> None:
    p = providing
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    application_record(actor=p.b_caseworker, case=p.case_b, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True,
                  values={"service": "legal_aid", "delivered_on": dt.date(2026, 3, 4)})
    Case.objects.filter(pk=p.case_b.pk).update(status="closed")
    assert time_limits_escalate(now=dt.datetime(2026, 4, 1, tzinfo=UTC)) == 0


def test_each_clock_escalates_separately(providing: Any, set_now: Any) -> None:
    p = providing
    Case.objects.filter(pk=p.case_a.pk).update(urgent_needs=["medical"], channel="sapa129",
                                               opened_at=dt.datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    application_record(actor=p.a_caseworker, case=p.case_a, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    assert time_limits_escalate(now=dt.datetime(2026, 3, 6, tzinfo=UTC)) == 1  # the police report
    assert time_limits_escalate(now=dt.datetime(2026, 3, 12, tzinfo=UTC)) == 2  # first aid, the application
    assert time_limits_escalate(now=dt.datetime(2026, 3, 13, tzinfo=UTC)) == 0
    assert set(TimeLimitEscalation.objects.values_list("rule_code", flat=True)) == {
        "police_report_forwarding", "first_aid_urgent", "services_after_application"}
