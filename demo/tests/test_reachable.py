"""The demo's states are states the product can reach: the demo is written through the services.

Every status history follows the workflow, every closure and reopening is the reintegration room's,
every plan revision and its approval was written by the plan services, and every demo write has its
audit ChangeRecord. The bulk path (``seed --bulk``, for the benchmark only) writes none of those
audit records: the last test shows the checks here can tell the two apart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import models, transaction
from django.test.utils import override_settings

from accounts.models import Role
from audit.models import ChangeRecord
from care.models import ServiceApplication, ServiceDelivery
from cases.models import ALLOWED_TRANSITIONS, Case, CaseStatus, CaseStatusChange, CaseTeamMember
from demo.seed import SeedResult, seed
from plans.models import Goal, PhaseChange, PlanRevision, RevisionStatus
from recovery.models import Assessment
from referrals.models import Referral
from reintegration.models import Closure, FollowUp, FollowUpStatus
from survivors.models import ConsentRecord, Identity
from transfers.models import CaseTransfer

N = 24
SEED_NOW = dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def told(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SeedResult]:
    """The demo for the whole module, in one transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with time_machine.travel(SEED_NOW, tick=False), override_settings(
                    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):  # as conftest._fast_tests
                result = seed(N, seed_value=11)
            yield result
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def created(model: type[models.Model]) -> set[str]:
    return set(ChangeRecord.objects.filter(model=model._meta.label_lower, action=ChangeRecord.Action.CREATE)
               .values_list("object_id", flat=True))


def test_no_drawn_event_was_refused(told: SeedResult, db: Any) -> None:
    assert told.survivors_added == N
    assert told.refused == 0, told.refusals


def test_every_status_history_follows_the_workflow(told: SeedResult, db: Any) -> None:
    history: dict[Any, list[CaseStatusChange]] = defaultdict(list)
    for change in CaseStatusChange.objects.order_by("changed_at", "id"):
        history[change.case_id].append(change)
    assert len(history) == Case.objects.count() == N
    closures = defaultdict(list)
    for closure in Closure.objects.order_by("closed_at"):
        closures[closure.case_id].append(closure)
    for case_id, changes in history.items():
        assert changes[0].from_status == "" and changes[0].to_status == CaseStatus.INTAKE
        for prev, nxt in zip(changes, changes[1:], strict=False):
            assert nxt.from_status == prev.to_status
            assert nxt.to_status in ALLOWED_TRANSITIONS[prev.to_status], (case_id, prev.to_status, nxt.to_status)
            assert nxt.changed_at >= prev.changed_at
        # Closing and reopening went through the reintegration room: a closure for each close, at
        # the moment of the status change, reopened at the moment of the reopening.
        closes = [c.changed_at for c in changes if c.to_status == CaseStatus.CLOSED]
        reopens = [c.changed_at for c in changes if c.to_status == CaseStatus.REOPENED]
        assert [c.closed_at for c in closures[case_id]] == closes
        assert [c.reopened_at for c in closures[case_id] if c.reopened_at] == reopens
        assert Case.objects.get(pk=case_id).status == changes[-1].to_status
    # Months of work: the histories reach back well before the seeding.
    assert min(c.changed_at for cs in history.values() for c in cs) < SEED_NOW - dt.timedelta(days=365)


def test_plan_revisions_and_approvals_were_written_by_the_services(told: SeedResult, db: Any) -> None:
    revisions = list(PlanRevision.objects.select_related("plan__case", "decided_by"))
    assert {RevisionStatus.APPROVED, RevisionStatus.SUBMITTED} <= {r.status for r in revisions}
    made = created(PlanRevision)
    decisions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in ChangeRecord.objects.filter(model="plans.planrevision", action=ChangeRecord.Action.UPDATE):
        decisions[record.object_id].append(record.changes)
    for revision in revisions:
        assert str(revision.pk) in made
        assert revision.snapshot["goals"], revision.pk
        if revision.status == RevisionStatus.APPROVED:
            assert revision.decided_by is not None and revision.decided_by.has_role(Role.SUPERVISOR)
            # The lead organisation's supervisor at the time (a transferred case had another lead before).
            leads = {revision.plan.case.lead_organisation_id} | set(CaseTransfer.objects.filter(
                case_id=revision.plan.case_id, status=CaseTransfer.Status.ACCEPTED).values_list(
                "from_organisation_id", flat=True))
            assert revision.decided_by.organisation_id in leads
            assert any(c.get("status") == [RevisionStatus.SUBMITTED, RevisionStatus.APPROVED]
                       for c in decisions[str(revision.pk)])
            assert revision.submitted_at is not None and revision.decided_at is not None
            assert revision.created_at <= revision.submitted_at <= revision.decided_at
    for plan_case, numbers in _numbers(revisions).items():
        assert numbers == list(range(1, len(numbers) + 1)), plan_case


def _numbers(revisions: list[PlanRevision]) -> dict[Any, list[int]]:
    out: dict[Any, list[int]] = defaultdict(list)
    for r in sorted(revisions, key=lambda r: r.number):
        out[r.plan.case_id].append(r.number)
    return out


def test_audit_records_exist_for_demo_writes(told: SeedResult, db: Any) -> None:
    for model in (Case, Identity, CaseTeamMember, ConsentRecord, Assessment, ServiceApplication, PhaseChange,
                  Goal, Closure, Referral):
        pks = {str(pk) for pk in model._default_manager.values_list("pk", flat=True)}
        assert pks, model
        assert pks <= created(model), model
    deliveries = {str(pk) for pk in ServiceDelivery.objects.values_list("pk", flat=True)}
    assert deliveries and deliveries <= created(ServiceDelivery)
    recorded = {str(pk) for pk in FollowUp.objects.exclude(status__in=[FollowUpStatus.SCHEDULED,
                                                                      FollowUpStatus.CANCELLED])
                .values_list("pk", flat=True)}
    updated = set(ChangeRecord.objects.filter(model="reintegration.followup", action=ChangeRecord.Action.UPDATE)
                  .values_list("object_id", flat=True))
    assert recorded and recorded <= updated
    # Written at the events' moments, not at the seeding.
    assert ChangeRecord.objects.filter(at__lt=SEED_NOW - dt.timedelta(days=180)).exists()


def test_the_bulk_path_leaves_no_audit_trail(told: SeedResult, db: Any) -> None:
    """The checks above tell the paths apart: bulk-inserted cases have no audit records."""
    with time_machine.travel(SEED_NOW, tick=False):
        seed(N + 5, seed_value=11, bulk_insert=True)
    new = {str(pk) for pk in Case.objects.values_list("pk", flat=True)} - created(Case)
    assert len(new) == 5
