"""The response time limit: working days, escalation to the sender's supervisors once, the work queue."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command

from cases.models import Alert
from core.workqueue import work_items_for
from referrals import services
from referrals.models import Referral
from referrals.tasks import check_referrals_task

from .conftest import send

WITA = ZoneInfo("Asia/Makassar")


def test_working_days_skip_listed_public_holidays(settings: Any) -> None:
    # Nyepi (Hari Suci Nyepi) on a Thursday and collective leave on the Friday after it: a referral
    # sent on the Wednesday is due on the Tuesday, not the Monday.
    settings.SINTAS_PUBLIC_HOLIDAYS = ["2026-03-19", "2026-03-20"]
    wednesday = dt.datetime(2026, 3, 18, 10, 0, tzinfo=WITA)
    assert services.add_working_days(wednesday, 3, WITA) == dt.datetime(2026, 3, 25, 10, 0, tzinfo=WITA)
    holiday = dt.datetime(2026, 3, 19, 8, 0, tzinfo=WITA)  # sent on the holiday: counting starts Monday
    assert services.add_working_days(holiday, 1, WITA) == dt.datetime(2026, 3, 24, 0, 0, tzinfo=WITA)


def test_working_days_skip_the_weekend() -> None:
    thursday = dt.datetime(2026, 3, 5, 11, 0, tzinfo=WITA)
    assert services.add_working_days(thursday, 3, WITA) == dt.datetime(2026, 3, 10, 11, 0, tzinfo=WITA)
    saturday = dt.datetime(2026, 3, 7, 15, 0, tzinfo=WITA)
    assert services.add_working_days(saturday, 1, WITA) == dt.datetime(2026, 3, 10, 0, 0, tzinfo=WITA)
    friday = dt.datetime(2026, 3, 6, 9, 0, tzinfo=WITA)
    assert services.add_working_days(friday, 3, WITA) == dt.datetime(2026, 3, 11, 9, 0, tzinfo=WITA)


def test_limit_is_configurable(world: Any, settings: Any) -> None:
    settings.SINTAS_REFERRAL_RESPONSE_WORKING_DAYS = 1
    r = send(world)
    assert r.respond_by == dt.datetime(2026, 3, 6, 11, 0, tzinfo=WITA)


def test_escalation_after_the_limit_once(world: Any, set_now: Any) -> None:
    r = send(world)
    p = world.p
    # Monday 10:00: more than a day before the limit: not in the work queue.
    set_now(dt.datetime(2026, 3, 9, 10, 0, tzinfo=WITA))
    assert services.referrals_escalate() == 0
    items = [i for i in work_items_for(p.a_caseworker) if i.kind == "referral"]
    assert len(items) == 0
    # Tuesday 10:59: due soon in the work queue, not overdue.
    set_now(dt.datetime(2026, 3, 10, 10, 59, tzinfo=WITA))
    items = [i for i in work_items_for(p.a_caseworker) if i.kind == "referral"]
    assert len(items) == 1 and not items[0].overdue
    # Tuesday 11:00: the limit passed; the sender and the supervisors are alerted, once.
    set_now(dt.datetime(2026, 3, 10, 11, 0, tzinfo=WITA))
    call_command("check_referrals")
    alerts = Alert.objects.filter(case=p.case_a)
    assert {a.recipient_id for a in alerts} == {p.a_caseworker.pk, p.a_supervisor.pk}
    assert "Klinik Sehat Kupang" in alerts[0].detail
    assert check_referrals_task.delay().get() == [0, 0]
    assert Alert.objects.filter(case=p.case_a).count() == 2
    supervisor_items = [i for i in work_items_for(p.a_supervisor, scope="organisation") if i.kind == "referral"]
    assert len(supervisor_items) == 1 and supervisor_items[0].overdue
    r.refresh_from_db()
    assert r.escalated_at is not None


def test_answered_referral_is_not_escalated(world: Any, set_now: Any) -> None:
    r = send(world)
    services.referral_accept(actor=world.nurse, referral=r)
    set_now(dt.datetime(2026, 3, 12, 11, 0, tzinfo=WITA))
    assert services.referrals_check() == (0, 0)
    assert Referral.objects.get().status == Referral.Status.ACCEPTED
