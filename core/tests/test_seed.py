"""The synthetic demo data: coherent, encrypted at rest, idempotent, and the demo accounts work."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, Role, User
from audit.models import ChangeRecord
from cases.models import ALLOWED_TRANSITIONS, Case, CaseStatus, CaseStatusChange, CaseTeamMember
from core.choices import CHILD_AGE_BANDS
from core.seeding import DEMO_ORGANISATIONS, DEMO_PASSWORD, NEXT_STATUS, OVERRIDE_MODEL
from survivors.models import ConsentRecord, Guardian, Identity, Survivor
from survivors.validators import nik_check_consistent, nik_parse

N = 40


@pytest.fixture
def seeded(db, tmp_path):
    path = tmp_path / "out" / "demo-accounts.json"
    call_command("seed", survivors=N, demo_accounts=str(path), verbosity=0)
    return path


def counts() -> dict[str, int]:
    models = (Organisation, User, TOTPDevice, Survivor, Identity, Case, CaseTeamMember, CaseStatusChange, Guardian,
              ConsentRecord, ChangeRecord)
    return {m.__name__: m.objects.count() for m in models}


def test_status_walk_tables_follow_the_workflow():
    for status, options in NEXT_STATUS.items():
        assert {to for to, _w in options} <= set(ALLOWED_TRANSITIONS[status]), status


def test_organisations_and_users(seeded):
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


def test_survivors_are_coherent_and_encrypted(seeded):
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
        assert case.identified_on <= dt.date.today()
        if case.exploitation_started_on:
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


def test_seed_twice_keeps_counts_and_tops_up(seeded, tmp_path):
    before = counts()
    call_command("seed", survivors=N, verbosity=0)
    assert counts() == before
    call_command("seed", survivors=N + 5, verbosity=0)
    assert Survivor.objects.count() == N + 5
    assert User.objects.count() == before["User"]


def test_demo_accounts_file_and_totp(seeded):
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
