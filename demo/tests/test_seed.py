"""The synthetic demo data: coherent, encrypted at rest, idempotent, and the demo accounts work."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, Role, User
from audit.models import ChangeRecord
from care.models import OrganisationService, Service, ServiceApplication, ServiceDelivery
from cases.models import ALLOWED_TRANSITIONS, Alert, Case, CaseStatus, CaseStatusChange, CaseTeamMember
from core.choices import CHILD_AGE_BANDS
from core.workqueue import work_items_for
from demo.draws import NEXT_STATUS, OVERRIDE_MODEL
from demo.staff import DEMO_ORGANISATIONS, DEMO_PASSWORD
from plans.models import Action, Goal, PhaseChange, Plan, PlanRevision
from recovery import scoring
from recovery.models import Answer, Assessment, DomainScore, Instrument, ScreeningResult
from referrals.models import Referral
from reintegration.models import Closure, FollowUp
from reintegration.risk import risk_score
from survivors.models import ConsentRecord, Guardian, Identity, Survivor
from survivors.validators import nik_check_consistent, nik_parse
from transfers.models import CaseTransfer

N = 40
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The demo is seeded at a late-evening UTC instant: the date is already 7 December in WITA and WIT,
# and nothing the seed writes may lie after the latest local date anywhere in Indonesia.
SEED_NOW = dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC)
LATEST_TODAY = dt.date(2026, 12, 7)  # Asia/Jayapura


@pytest.fixture(scope="module")
def _seeded_world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Path]:
    """Seeded once for the module (through the services that takes a while), in one transaction
    rolled back at the end; each test runs in its own savepoint inside it."""
    path = tmp_path_factory.mktemp("seed") / "out" / "demo-accounts.json"
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # As conftest._fast_tests does for each test (module fixtures come before it).
            with time_machine.travel(SEED_NOW, tick=False), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                call_command("seed", survivors=N, demo_accounts=str(path), verbosity=0)
            yield path
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(_seeded_world: Path, db: Any, time_machine: Any) -> Path:
    time_machine.move_to(SEED_NOW, tick=False)
    return _seeded_world


def counts() -> dict[str, int]:
    models = (Organisation, User, TOTPDevice, Survivor, Identity, Case, CaseTeamMember, CaseStatusChange, Guardian,
              ConsentRecord, ChangeRecord, OrganisationService, Assessment, Answer, DomainScore, ScreeningResult,
              ServiceApplication, ServiceDelivery, PhaseChange, Plan, Goal, Action, PlanRevision, Closure, FollowUp,
              Alert)
    return {m.__name__: m.objects.count() for m in models}


def test_status_walk_tables_follow_the_workflow() -> None:
    for status, options in NEXT_STATUS.items():
        assert {to for to, _w in options} <= set(ALLOWED_TRANSITIONS[status]), status


def test_organisations_and_users(seeded: Path) -> None:
    orgs = Organisation.objects.filter(name__in=[s.name for s in DEMO_ORGANISATIONS])
    assert orgs.count() == len(DEMO_ORGANISATIONS)
    assert len(set(orgs.values_list("kind", flat=True))) >= 6
    assert len(set(orgs.values_list("region__parent_id", flat=True))) >= 4  # different provinces
    for spec in DEMO_ORGANISATIONS:
        if spec.manages_cases:
            org = orgs.get(name=spec.name)
            roles = set(User.objects.filter(organisation=org).values_list("roles__role", flat=True))
            assert roles == set(Role.values), spec.name
    assert User.objects.filter(is_platform_admin=True, organisation=None).exists()
    for user in User.objects.all():
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists(), user.username
    # Every demo user shares one password hash (hashing is slow by design): checking one checks all.
    assert len(set(User.objects.values_list("password", flat=True))) == 1
    assert User.objects.get(username="ntt.caseworker1").check_password(DEMO_PASSWORD)


def test_survivors_are_coherent_and_encrypted(seeded: Path) -> None:
    survivors = list(Survivor.objects.all())
    assert len(survivors) == N
    children = [s for s in survivors if s.is_child_at_identification]
    assert 0.25 * N <= len(children) <= 0.75 * N
    assert all((s.age_band in CHILD_AGE_BANDS) == s.is_child_at_identification for s in survivors)
    sexes = {s.sex for s in survivors}
    assert {"female", "male"} <= sexes

    guarded = {str(g) for g in Guardian.objects.values_list("survivor_id", flat=True)}
    overridden = set(ChangeRecord.objects.filter(model=OVERRIDE_MODEL).values_list("object_id", flat=True))
    for child in children:
        assert str(child.pk) in guarded or str(child.pk) in overridden

    by_id = {s.pk: s for s in survivors}
    identities = list(Identity.objects.all())
    with_nik = [i for i in identities if i.nik]
    assert len(with_nik) >= N // 3
    for identity in with_nik:
        survivor = by_id[identity.survivor_id]
        assert survivor.nationality == "ID"
        parts = nik_parse(identity.nik)
        birth = dt.date.fromisoformat(identity.birth_date)
        nik_check_consistent(parts, sex=survivor.sex, birth_date=birth)
        assert parts.female == (survivor.sex == "female")

    plain = {i.survivor_id.hex: (i.full_name, i.nik) for i in identities}
    with connection.cursor() as cursor:
        cursor.execute("SELECT survivor_id, full_name, nik FROM survivors_identity")
        rows = cursor.fetchall()
    assert len(rows) == N
    for survivor_id, raw_name, raw_nik in rows:
        name, nik = plain[str(survivor_id).replace("-", "")]
        assert raw_name != name and name not in raw_name and raw_name.startswith("gAAAA")
        if nik:
            assert nik not in raw_nik and raw_nik.startswith("gAAAA")

    # Every survivor has one case, consent, a lead on the team, and a history that follows the workflow.
    for case in Case.objects.select_related("survivor"):
        assert case.lead_caseworker.has_role(Role.CASEWORKER)
        assert case.lead_caseworker.organisation_id == case.lead_organisation_id
        assert CaseTeamMember.objects.filter(case=case, user=case.lead_caseworker).exists()
        assert ConsentRecord.objects.filter(survivor=case.survivor, purpose="case_management").exists()
        assert (case.status == CaseStatus.CLOSED) == (case.closed_at is not None)
        assert case.opened_at.tzinfo is not None
        assert case.identified_on <= LATEST_TODAY
        if case.exploitation_started_on:
            assert case.exploitation_ended_on is not None and case.identified_on is not None
            assert case.exploitation_started_on <= case.exploitation_ended_on <= case.identified_on
    history = defaultdict(list)
    for change in CaseStatusChange.objects.order_by("changed_at", "id"):
        history[change.case_id].append(change)
    assert len(history) == N
    for case_id, changes in history.items():
        assert changes[0].from_status == "" and changes[0].to_status == CaseStatus.INTAKE
        for prev, nxt in zip(changes, changes[1:], strict=False):
            assert nxt.from_status == prev.to_status
            assert nxt.to_status in ALLOWED_TRANSITIONS[prev.to_status]
        assert Case.objects.get(pk=case_id).status == changes[-1].to_status


def test_seed_twice_keeps_counts_and_tops_up(seeded: Path, tmp_path: Path) -> None:
    before = counts()
    call_command("seed", survivors=N, verbosity=0)
    assert counts() == before
    call_command("seed", survivors=N + 5, verbosity=0)
    assert Survivor.objects.count() == N + 5
    assert User.objects.count() == before["User"]


def test_demo_accounts_file_and_totp(seeded: Path) -> None:
    accounts = json.loads(seeded.read_text(encoding="utf-8"))
    assert {a["username"] for a in accounts} == set(User.objects.values_list("username", flat=True))
    text = seeded.read_text(encoding="utf-8")
    for identity in Identity.objects.all():
        assert identity.full_name not in text
    for account in accounts:
        assert set(account) == {"organisation", "roles", "username", "password", "totp_secret"}
        device = TOTPDevice.objects.get(user__username=account["username"])
        key = base64.b32decode(account["totp_secret"])
        assert key == device.bin_key
        code = f"{totp(key, device.step, device.t0, device.digits, device.drift):06d}"
        assert device.verify_token(code), account["username"]

    out = io.StringIO()
    call_command("demo_accounts", str(seeded), stdout=out)
    assert "ntt.caseworker1" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    out = io.StringIO()
    call_command("demo_accounts", code="ntt.supervisor", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__username="ntt.supervisor")
    device.last_t = -1
    device.save()
    assert device.verify_token(code)


# --- recovery data ------------------------------------------------------------------------------


def _pattern(means: list[float]) -> str:
    """improving / stalling / relapsing, from the mean domain score of each completed assessment."""
    peak = max(range(len(means)), key=lambda i: means[i])
    if 0 < peak < len(means) - 1 and means[peak] - means[-1] >= 0.5 and means[peak] - means[0] >= 0.3:
        return "relapsing"
    if means[-1] - means[0] >= 0.6:
        return "improving"
    if abs(means[-1] - means[0]) < 0.6 and max(means) - min(means) < 0.8:
        return "stalling"
    return "other"


def test_assessment_histories_and_scores(seeded: Path) -> None:
    shrs = Instrument.objects.get(code="SHRS", version=1)
    completed = Assessment.objects.filter(instrument=shrs, status=Assessment.Status.COMPLETED)
    assert completed.exists()
    assert Assessment.objects.filter(status=Assessment.Status.DRAFT).count() <= completed.count() // 5
    domains = dict(shrs.items.values_list("id", "domain"))
    answers = defaultdict(list)
    for assessment_id, item_id, value in Answer.objects.filter(assessment__instrument=shrs).values_list(
            "assessment_id", "item_id", "value"):
        answers[assessment_id].append((domains[item_id], value))
    stored: dict[Any, dict[str, Any]] = defaultdict(dict)
    for assessment_id, domain, score in DomainScore.objects.values_list("assessment_id", "domain", "score"):
        stored[assessment_id][domain] = score
    means = defaultdict(list)
    for a in completed.select_related("case").order_by("assessed_on", "created_at"):
        expected = scoring.domain_scores(answers[a.pk])
        assert len(answers[a.pk]) == 18
        assert stored[a.pk] == expected, a.pk  # exactly recovery's scoring of the stored answers
        assert a.restored == scoring.is_restored(expected)
        assert a.case.identified_on <= a.assessed_on <= LATEST_TODAY
        means[a.case_id].append(float(sum(expected.values()) / len(expected)))
    patterns = {_pattern(m) for m in means.values() if len(m) >= 3}
    assert {"improving", "stalling", "relapsing"} <= patterns
    # Screening results are the instruments' own bands of the stored answers.
    for result in ScreeningResult.objects.select_related("assessment__instrument"):
        values = list(Answer.objects.filter(assessment=result.assessment).values_list("value", flat=True))
        total = scoring.screening_total(values)
        assert result.total == total
        assert result.band == scoring.screening_band(result.assessment.instrument.bands, total).code
    assert ScreeningResult.objects.filter(assessment__instrument__code="PHQ-9").exists()


def test_deliveries_follow_what_the_organisation_provides(seeded: Path) -> None:
    provided = set(OrganisationService.objects.values_list("organisation_id", "service_id"))
    kinds = {o.name: set(OrganisationService.objects.filter(organisation=o).values_list("service__code", flat=True))
             for o in Organisation.objects.all()}
    assert "medical_care" in kinds["RS Bhayangkara Mataram"]
    assert "legal_aid" in kinds["UPTD PPA Provinsi Nusa Tenggara Timur"]
    assert "medical_care" not in kinds["UPTD PPA Provinsi Nusa Tenggara Timur"]
    team = set(CaseTeamMember.objects.values_list("case_id", "user_id"))
    per_case: dict[Any, int] = defaultdict(int)
    today = LATEST_TODAY
    by_partner = {r.outcome_delivery_id: r for r in Referral.objects.filter(outcome_delivery__isnull=False)}
    assert by_partner, "the demo has a completed referral whose outcome report is a delivery"
    # A transferred case keeps what its former lead recorded, by its former team.
    former: dict[Any, tuple[Any, set[Any]]] = {
        t.case_id: (t.from_organisation_id, set(t.former_team or []))
        for t in CaseTransfer.objects.filter(status=CaseTransfer.Status.ACCEPTED)
    }
    for d in ServiceDelivery.objects.select_related("case", "goal__plan", "service", "delivered_by"):
        assert (d.organisation_id, d.service_id) in provided
        if d.pk in by_partner:  # a partner's outcome report: the recipient's delivery, by its own staff
            assert d.organisation_id == by_partner[d.pk].recipient_organisation_id == d.delivered_by.organisation_id
        elif d.case_id in former and d.organisation_id == former[d.case_id][0]:
            assert d.delivered_by_id in former[d.case_id][1]
        else:
            assert d.organisation_id == d.case.lead_organisation_id
            assert (d.case_id, d.delivered_by_id) in team
        assert d.case.identified_on is not None and d.delivered_on is not None and d.service is not None
        assert d.case.identified_on <= d.delivered_on <= today
        if d.case.closed_at:
            assert d.delivered_on <= d.case.closed_at.date() + dt.timedelta(days=1)
        if d.goal is not None:
            assert d.goal.plan.case_id == d.case_id and d.goal.domain in d.service.domains
        if d.service.category != Service.Category.ACT:
            per_case[d.case_id] += 1
    assert ServiceDelivery.objects.filter(goal__isnull=False).exists()
    assert ServiceDelivery.objects.filter(service__code="police_report_forwarded", delivered_at__isnull=False).exists()
    past_intake = Case.objects.exclude(status=CaseStatus.INTAKE).values_list("id", flat=True)
    assert max(per_case.values()) <= 17 and sum(1 for c in past_intake if per_case[c] >= 2) >= len(past_intake) // 2
    assert ServiceApplication.objects.values("case_id").distinct().count() == Case.objects.count()


def test_plans_phases_closures_and_follow_ups(seeded: Path) -> None:
    planned = Case.objects.filter(status_changes__to_status=CaseStatus.PLANNING).distinct()
    assert planned.exists()
    for case in planned:
        assert PhaseChange.objects.filter(case=case).exclude(reason="").exists()
        plan = Plan.objects.get(case=case)
        goals = list(plan.goals.all())
        assert goals and all(g.domain for g in goals)
        assert plan.version == plan.revisions.count()
        latest = plan.revisions.order_by("-number").first()
        assert latest is not None
        assert {g["id"] for g in latest.snapshot["goals"]} == {g.pk for g in goals}
        for g in latest.snapshot["goals"]:
            assert g["status"] == Goal.objects.get(pk=g["id"]).status
    assert Action.objects.filter(responsible_organisation__isnull=False, target_date__isnull=False).exists()
    statuses = set(PlanRevision.objects.values_list("status", flat=True))
    assert {"approved", "submitted"} <= statuses
    for case in Case.objects.filter(status=CaseStatus.CLOSED):
        closure = Closure.objects.filter(case=case).order_by("-closed_at").first()
        assert closure is not None and closure.closed_at == case.closed_at
        if not closure.follow_up_declined and closure.reason != "died":
            assert closure.follow_ups.count() == 4
    done = FollowUp.objects.filter(status="done")
    assert done.exists() and FollowUp.objects.filter(status="scheduled").exists()
    for f in done:
        assert risk_score(f.risk_answers).level == f.risk_level
        if f.risk_level == "high":
            assert Alert.objects.filter(case=f.case, kind="retrafficking_risk",
                                        recipient=f.case.lead_caseworker).exists()


def test_work_queue_shows_demo_work(seeded: Path) -> None:
    caseworkers = User.objects.filter(roles__role=Role.CASEWORKER, username__contains=".caseworker")
    busiest = max(caseworkers, key=lambda u: Case.objects.filter(lead_caseworker=u).count())
    assert work_items_for(busiest)
    assert any(i.overdue for u in caseworkers for i in work_items_for(u))
