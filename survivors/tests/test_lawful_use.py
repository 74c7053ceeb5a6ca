"""The one rule of consent where data leaves (survivors.lawful_use): which records count, and how
the setting moves internal figures. The exits themselves are tested in releases, monitoring and
interop (each exit's tests call its own page or service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Q

from survivors import lawful_use
from survivors.lawful_use import Exit
from survivors.models import ConsentRecord, Survivor

ON = dt.date(2026, 6, 2)
WITHDRAWN = dt.datetime(2026, 5, 1, 3, 0, tzinfo=dt.UTC)


def _record(survivor: Any, user: Any, **kw: Any) -> ConsentRecord:
    values: dict[str, Any] = {"purpose": "statistics", "lawful_basis": "consent", "given_by": "survivor",
                              "given_on": dt.date(2026, 3, 2), **kw}
    return ConsentRecord.objects.create(survivor=survivor, recorded_by=user, **values)


def _consented(s: Any, u: Any) -> None:
    _record(s, u)


def _public_task(s: Any, u: Any) -> None:
    _record(s, u, lawful_basis="public_task", given_by="not_applicable", basis_reason="Perpres 55/2024")


def _legal_obligation(s: Any, u: Any) -> None:
    _record(s, u, lawful_basis="legal_obligation", given_by="not_applicable", basis_reason="reporting duty")


def _renewed_after_withdrawal(s: Any, u: Any) -> None:
    old = _record(s, u, withdrawn_at=WITHDRAWN, withdrawal_reason="changed mind")
    _record(s, u, version=2, supersedes=old, given_on=dt.date(2026, 5, 20))


def _withdrawn(s: Any, u: Any) -> None:
    _record(s, u, withdrawn_at=WITHDRAWN, withdrawal_reason="does not want to be counted")


def _expired(s: Any, u: Any) -> None:
    _record(s, u, expires_on=dt.date(2026, 6, 1))


def _expires_today(s: Any, u: Any) -> None:
    _record(s, u, expires_on=ON)


def _superseded_by_a_withdrawn_version(s: Any, u: Any) -> None:
    old = _record(s, u)
    _record(s, u, version=2, supersedes=old, withdrawn_at=WITHDRAWN, withdrawal_reason="no")


def _given_later(s: Any, u: Any) -> None:
    _record(s, u, given_on=dt.date(2026, 6, 3))


def _vital_interest(s: Any, u: Any) -> None:
    _record(s, u, lawful_basis="vital_interest", given_by="not_applicable", basis_reason="in danger")


def _other_purposes_only(s: Any, u: Any) -> None:
    _record(s, u, purpose="case_management")
    _record(s, u, purpose="data_sharing")


def _never_asked(s: Any, u: Any) -> None:
    return None


STATES = [
    (_consented, True), (_public_task, True), (_legal_obligation, True), (_renewed_after_withdrawal, True),
    (_withdrawn, False), (_expired, False), (_expires_today, False), (_superseded_by_a_withdrawn_version, False),
    (_given_later, False), (_vital_interest, False), (_other_purposes_only, False), (_never_asked, False),
]


@pytest.mark.parametrize(("state", "has_basis"), STATES, ids=[fn.__name__.strip("_") for fn, _b in STATES])
def test_which_records_give_a_statistics_basis(personas: Any, state: Any, has_basis: bool) -> None:
    survivor = personas.case_a.survivor
    state(survivor, personas.a_caseworker)
    assert Survivor.objects.filter(lawful_use.statistics_basis_q(on=ON, survivor="pk")).exists() is has_basis
    public = Survivor.objects.filter(lawful_use.included_q(Exit.PUBLIC_RELEASE, on=ON, survivor="pk"))
    assert public.filter(pk=survivor.pk).exists() is has_basis
    # case_b's survivor has no record at all: never in a public release
    assert not public.filter(pk=personas.case_b.survivor_id).exists()


@pytest.mark.parametrize("exit", [Exit.INTERNAL_FIGURES, Exit.SIMFONI])
def test_internal_exits_follow_the_setting(personas: Any, settings: Any, exit: Exit) -> None:
    _withdrawn(personas.case_a.survivor, personas.a_caseworker)
    _consented(personas.case_b.survivor, personas.b_caseworker)
    survivors = Survivor.objects.filter(pk__in=[personas.case_a.survivor_id, personas.case_b.survivor_id])
    assert lawful_use.statistics_without_consent() == "aggregate_only"  # the default
    assert lawful_use.included_q(exit, on=ON, survivor="pk") == Q()
    assert survivors.filter(lawful_use.included_q(exit, on=ON, survivor="pk")).count() == 2
    settings.SINTAS_STATISTICS_WITHOUT_CONSENT = "exclude"
    assert list(survivors.filter(lawful_use.included_q(exit, on=ON, survivor="pk"))) == [personas.case_b.survivor]


def test_an_unknown_setting_stops_the_exit(settings: Any) -> None:
    settings.SINTAS_STATISTICS_WITHOUT_CONSENT = "include"
    with pytest.raises(ImproperlyConfigured, match="SINTAS_STATISTICS_WITHOUT_CONSENT must be one of"):
        lawful_use.included_q(Exit.INTERNAL_FIGURES, on=ON)


def _share(personas: Any, **kw: Any) -> lawful_use.SharingBasis:
    values = {"survivor_id": personas.case_a.survivor_id, "recipient_id": personas.org_b.pk,
              "recipient_name": personas.org_b.name, "lawful_basis": "consent", "on": ON, **kw}
    return lawful_use.sharing_basis(**values)


def test_sharing_needs_a_consent_naming_the_recipient_or_a_reason(personas: Any) -> None:
    p = personas
    with pytest.raises(ValidationError, match="No consent of the survivor in force covers sharing this case with "
                                              "Dinas Sosial Kota Surabaya"):
        _share(p)
    # a consent for someone else, for statistics, withdrawn or expired covers nothing
    _record(p.case_a.survivor, p.a_caseworker, purpose="data_sharing", recipient_organisation=p.org_c)
    _record(p.case_a.survivor, p.a_caseworker, purpose="statistics", recipient_organisation=p.org_b)
    _record(p.case_a.survivor, p.a_caseworker, purpose="data_sharing", recipient_organisation=p.org_b,
            withdrawn_at=WITHDRAWN, withdrawal_reason="no")
    _record(p.case_a.survivor, p.a_caseworker, purpose="referral", recipient_organisation=p.org_b,
            expires_on=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="No consent"):
        _share(p)
    with pytest.raises(ValidationError, match="Give the legal provision or reason"):
        _share(p, lawful_basis="legal_obligation", reason="  ")
    with pytest.raises(ValidationError, match="Choose a value from the list"):
        _share(p, lawful_basis="public_task", reason="x")
    basis = _share(p, lawful_basis="vital_interest", reason="a child in danger tonight")
    assert basis.consent is None and basis.reason == "a child in danger tonight"
    covering = _record(p.case_a.survivor, p.a_caseworker, purpose="data_sharing", recipient_organisation=p.org_b)
    assert _share(p).consent == covering
    assert _share(p, consent_id=str(covering.pk)).consent == covering
    with pytest.raises(ValidationError, match="No consent"):
        _share(p, consent_id="not-a-uuid")
