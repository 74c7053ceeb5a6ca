"""The case figures' refresh: incremental (only changed cases, marked by their change history),
a full rebuild that writes the same rows, one refresh at a time, and never inside a request."""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import ChangeRecord
from audit.services import history_record
from care.models import OrganisationService, Service
from care.services import delivery_save
from conftest import login
from monitoring import facts
from monitoring.models import CaseFact, DirtyCase
from recovery.models import AssessmentKind
from reintegration.models import ClosureReason

from .conftest import T0, _case, assess, close

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}
T1 = T0 + dt.timedelta(hours=1)


def figures() -> dict[str, dict[str, Any]]:
    return {str(row["case_id"]): dict(row) for row in CaseFact.objects.values()}


def row_versions() -> dict[str, str]:
    """PostgreSQL: each row's version (xmin), which changes whenever the row is rewritten."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT case_id::text, xmin::text FROM monitoring_casefact")
        return {str(uuid.UUID(case_id)): xmin for case_id, xmin in cursor.fetchall()}


def test_incremental_refresh_recomputes_only_the_changed_cases(frozen: Any, world: Any, personas: Any) -> None:
    p, c = personas, world
    before = figures()
    versions = row_versions() if connection.vendor == "postgresql" else {}
    frozen.move_to(T1, tick=False)
    # A delivery recorded through the care service.
    OrganisationService.objects.get_or_create(organisation=p.org_a, service=Service.objects.get(code="legal_aid"))
    delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True,
                  values={"service": "legal_aid", "delivered_on": dt.date(2026, 3, 5)})
    # An assessment, a closure and a referral, each with the change record its service writes.
    baseline = assess(c["c7"], AssessmentKind.BASELINE, dt.date(2026, 2, 3), {"safety": "2.00"})
    history_record(actor=p.a_caseworker, instance=baseline, action=ChangeRecord.Action.CREATE, case_id=c["c7"].pk)
    closure = close(c["c9"], ClosureReason.RESTORED, dt.date(2026, 6, 1))
    history_record(actor=p.a_caseworker, instance=closure, action=ChangeRecord.Action.CREATE, case_id=c["c9"].pk)
    ChangeRecord.objects.create(actor=p.a_caseworker, model="referrals.referral", object_id=str(uuid.uuid4()),
                                action=ChangeRecord.Action.CREATE, case_id=c["c10"].pk)
    # A new case written without the services (no change record): counted because it has no figures.
    new = _case(p.org_a, p.a_caseworker, sex="female", identified=dt.date(2026, 3, 3))
    marked = {str(case_id) for case_id in DirtyCase.objects.values_list("case_id", flat=True)}
    assert marked == {str(p.case_a.pk), str(c["c7"].pk), str(c["c9"].pk), str(c["c10"].pk)}

    result = facts.facts_refresh()

    assert result.ran and not result.full
    assert result.cases == 5  # the four marked cases and the new one, not the other 19
    assert result.written == 3  # the closure and the referral change no figure: their rows stay
    after = figures()
    assert after[str(p.case_a.pk)]["legal_aid_on"] == dt.date(2026, 3, 5)
    assert after[str(p.case_a.pk)]["refreshed_at"] == T1
    assert after[str(c["c7"].pk)]["baseline_assessment_id"] == baseline.pk
    assert after[str(new.pk)]["sex"] == "female" and after[str(new.pk)]["refreshed_at"] == T1
    untouched = set(before) - {str(p.case_a.pk), str(c["c7"].pk)}
    for case_id in untouched:
        assert after[case_id] == before[case_id]  # same figures, same refreshed time
    if versions:
        now = row_versions()
        assert all(now[case_id] == versions[case_id] for case_id in untouched)  # not rewritten at all
    assert not DirtyCase.objects.exists()
    assert facts.facts_refreshed_at() == T1

    # The full rebuild computes exactly the same rows: it finds nothing to write.
    frozen.move_to(T1 + dt.timedelta(hours=1), tick=False)
    full = facts.facts_refresh(full=True)
    assert full.ran and full.full and full.cases == len(after)
    assert full.written == 0
    assert figures() == after


def test_full_rebuild_picks_up_what_left_no_mark_and_runs_no_vacuum_full(frozen: Any, world: Any) -> None:
    from .conftest import deliver

    deliver(world["c10"], "legal_aid", dt.date(2026, 2, 20))  # behind the services' back: no change record
    frozen.move_to(T1, tick=False)
    with CaptureQueriesContext(connection) as ctx:
        incremental = facts.facts_refresh()
        assert figures()[str(world["c10"].pk)]["legal_aid_on"] is None
        full = facts.facts_refresh(full=True)
    assert incremental.cases == 0 and full.full and full.written == 1
    assert figures()[str(world["c10"].pk)]["legal_aid_on"] == dt.date(2026, 2, 20)
    statements = [q["sql"].upper() for q in ctx.captured_queries]
    assert not any("VACUUM" in sql for sql in statements)


def test_changed_organisation_and_survivor_mark_their_cases(world: Any, personas: Any) -> None:
    """A change with no case of its own marks the cases whose figures copy it."""
    from core.models import Region

    org = personas.org_a
    before = {"region": org.region_id}
    org.region = Region.objects.get(code="53")
    org.save(update_fields=["region"])
    history_record(actor=personas.platform, instance=org, action=ChangeRecord.Action.UPDATE, before=before)
    marked = set(DirtyCase.objects.values_list("case_id", flat=True))
    assert marked == set(org.cases.values_list("pk", flat=True)) and len(marked) >= 12
    DirtyCase.objects.all().delete()
    survivor = world["c1"].survivor
    before = {"sex": survivor.sex}
    survivor.sex = "male"
    survivor.save(update_fields=["sex"])
    history_record(actor=personas.a_caseworker, instance=survivor, action=ChangeRecord.Action.UPDATE, before=before)
    assert list(DirtyCase.objects.values_list("case_id", flat=True)) == [world["c1"].pk]
    result = facts.facts_refresh()
    assert result.cases == 1
    assert CaseFact.objects.get(case=world["c1"]).sex == "male"


def test_a_changed_time_limit_rebuilds_every_case(world: Any, settings: Any) -> None:
    """Figures are computed with the rules in force: a corrected limit changes past figures too."""
    assert CaseFact.objects.get(case=world["c2"]).police_met is False  # forwarded on day 3 of 3 x 24 hours
    settings.SINTAS_TIME_LIMITS = {"police_report_forwarding": {"duration_value": 120}}
    result = facts.facts_refresh()
    assert result.full and result.cases == CaseFact.objects.count()
    assert CaseFact.objects.get(case=world["c2"]).police_met is True


def test_a_second_refresh_skips_while_one_runs(world: Any) -> None:
    as_of = facts.facts_refreshed_at()
    with facts._running:  # a refresh running in this process (the after-response job, say)
        assert facts.facts_refresh() == facts.Refresh(ran=False)
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")  # another process's refresh
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [facts.LOCK_KEY])
                held = cursor.fetchone()
            assert held is not None and held[0]
            assert facts.facts_refresh() == facts.Refresh(ran=False)
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [facts.LOCK_KEY])
        finally:
            other.close()
    assert facts.facts_refreshed_at() == as_of
    assert facts.facts_refresh().ran


def test_refresh_facts_command(world: Any) -> None:
    out = io.StringIO()
    call_command("refresh_facts", stdout=out)
    assert out.getvalue().startswith("Changed cases: 0 case(s) recomputed, 0 row(s) written")
    out = io.StringIO()
    call_command("refresh_facts", "--full", stdout=out)
    assert out.getvalue().startswith(f"Full rebuild: {CaseFact.objects.count()} case(s) recomputed, 0 row(s)")


def _stale_dashboard(frozen: Any, client: Client, personas: Any) -> str:
    frozen.move_to(T1, tick=False)
    login(client, personas.a_me)
    return reverse("monitoring:dashboard_organisation")


def test_outside_a_transaction_the_refresh_runs_in_one_background_thread(
        frozen: Any, client: Client, world: Any, personas: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Served at once (the refresh has not even started when the response is complete), with no
    more queries than fresh figures need; one thread refreshes, however many views find them stale."""
    release, ran_in = threading.Event(), []

    def slow_refresh(*, full: bool = False) -> facts.Refresh:
        ran_in.append(threading.current_thread().name)
        release.wait(10)
        return facts.Refresh(ran=True)

    monkeypatch.setattr(facts, "facts_refresh", slow_refresh)
    monkeypatch.setattr(facts, "_request_in_transaction", lambda: False)  # as in a server
    url = reverse("monitoring:dashboard_organisation")
    login(client, personas.a_me)
    client.get(url, PERIOD)
    with CaptureQueriesContext(connection) as fresh:
        client.get(url, PERIOD)
    assert ran_in == []
    url = _stale_dashboard(frozen, client, personas)
    with CaptureQueriesContext(connection) as stale:
        first = client.get(url, PERIOD)
    second = client.get(url, PERIOD)
    thread = facts.refresh_thread()
    assert thread is not None and thread.is_alive() and thread is not threading.current_thread()
    assert first.status_code == second.status_code == 200
    assert "Newer figures are being prepared" in second.content.decode()
    assert len(stale.captured_queries) <= len(fresh.captured_queries)
    release.set()
    thread.join(10)
    assert ran_in == ["sintas-facts-refresh"]  # once, in its own thread


def test_with_a_broker_one_celery_task_is_queued(frozen: Any, client: Client, world: Any, personas: Any,
                                                   settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from monitoring import tasks

    queued: list[Any] = []
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(tasks.facts_refresh_task, "delay", lambda *a, **k: queued.append(a))
    cache.delete(facts.QUEUED_KEY)
    try:
        url = _stale_dashboard(frozen, client, personas)
        for _n in range(3):
            assert client.get(url, PERIOD).status_code == 200
        assert len(queued) == 1
        assert facts.facts_refreshed_at() == T0  # nothing refreshed by the requests themselves
        tasks.facts_refresh_task()  # the worker runs it
        assert facts.facts_refreshed_at() == T1
        client.get(url, PERIOD)
        assert len(queued) == 1  # fresh again: nothing queued
    finally:
        cache.delete(facts.QUEUED_KEY)
