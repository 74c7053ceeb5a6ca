"""The referral lifecycle through the service functions: sending with consent or another basis,
what the partner may and may not do, and nothing half-saved when refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from access import referrals as referral_access
from audit.models import ChangeRecord
from care.models import ServiceDelivery
from referrals import services
from referrals.models import Referral

from .conftest import NOW, consent_for, partner_org, send


def _refused(fn: Any, *args: Any, **kwargs: Any) -> str:
    before = (Referral.objects.count(), ServiceDelivery.objects.count(), ChangeRecord.objects.count())
    with pytest.raises(ValidationError) as exc:
        fn(*args, **kwargs)
    assert (Referral.objects.count(), ServiceDelivery.objects.count(), ChangeRecord.objects.count()) == before
    return " ".join(exc.value.messages)


def test_send_with_consent_snapshots_only_the_chosen_fields(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = send(world)
    assert r.status == Referral.Status.SENT and r.consent == world.consent
    assert r.values() == {"identity.first_name": "Sari", "survivor.age_band": world.p.case_a.survivor.age_band,
                          "referral.health_needs": "Sakit kepala berulang"}
    # Stored encrypted: the first name is not in the table.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT packet_values FROM referrals_referral")
        assert "Sari" not in cur.fetchone()[0]
    # Thursday 11:00 WITA + 3 working days = Tuesday 11:00 WITA.
    assert r.respond_by == dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)
    # The email carries a link only.
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"/referrals/{r.pk}/" in body and "Sari" not in body and world.p.case_a.survivor.code not in body
    assert set(mail.outbox[0].to) == {"nurse@example.org", "klinik@example.org"}


def test_without_consent_refused_with_a_clear_message(world: Any) -> None:
    other = partner_org("Klinik Lain", "health", "53.71", services=("medical_care",), regions=("53.71",))
    message = _refused(send, world, recipient_organisation_id=other.pk)
    assert "No consent of the survivor in force covers a referral to Klinik Lain" in message


def test_withdrawn_or_expired_consent_does_not_cover(world: Any, set_now: Any) -> None:
    from survivors.services import consent_withdraw

    consent_withdraw(actor=world.p.a_caseworker, case=world.p.case_a, record=world.consent, reason="berubah pikiran")
    assert "No consent" in _refused(send, world)
    consent_for(world.p, world.clinic, expires_on=dt.date(2026, 3, 4))
    assert "No consent" in _refused(send, world)


def test_other_lawful_basis_needs_a_reason(world: Any) -> None:
    other = partner_org("Klinik Lain", "health", "53.71", services=("medical_care",), regions=("53.71",))
    message = _refused(send, world, recipient_organisation_id=other.pk, lawful_basis="vital_interest")
    assert "Give the legal provision or reason" in message
    r = send(world, recipient_organisation_id=other.pk, lawful_basis="vital_interest",
             basis_reason="Perdarahan, perlu perawatan segera")
    assert r.consent is None and r.lawful_basis == "vital_interest"


def test_service_not_offered_or_region_not_served_refused(world: Any) -> None:
    assert "does not offer this service" in _refused(send, world, service="legal_aid")
    far = partner_org("RS Surabaya", "health", "35.78", services=("medical_care",), regions=("35",))
    consent_for(world.p, far)
    assert "RS Surabaya does not serve Kota Kupang" in _refused(send, world, recipient_organisation_id=far.pk)


def test_eligibility_and_template_fields_checked(world: Any) -> None:
    men_only = partner_org("Rumah Singgah Laki-laki", "ngo", "53.71", services=("medical_care",), national=True,
                           serves_women=False)
    consent_for(world.p, men_only)
    assert "does not serve women" in _refused(send, world, recipient_organisation_id=men_only.pk)
    assert "not part of the template" in _refused(send, world, fields=["case.exploitation_types"])
    assert "Write the text to share" in _refused(send, world, texts={})


def test_identity_fields_only_from_the_case_team(world: Any) -> None:
    # The supervisor may change the case but is not on its team: no identity in the packet.
    message = _refused(send, world, actor=world.p.a_supervisor)
    assert "Only the case team may share identity fields" in message
    r = send(world, actor=world.p.a_supervisor, fields=["survivor.age_band"])
    assert r.values() == {"survivor.age_band": world.p.case_a.survivor.age_band}


def test_lifecycle_to_completion_records_a_delivery(world: Any) -> None:
    r = send(world)
    r = services.referral_accept(actor=world.nurse, referral=r)
    assert r.status == Referral.Status.ACCEPTED
    assert "already accepted" in _refused(services.referral_accept, actor=world.nurse2, referral=r)
    r = services.referral_start(actor=world.nurse, referral=r)
    assert r.status == Referral.Status.IN_PROGRESS
    # An outcome report from outside the recipient organisation is refused.
    assert "Only the organisation the referral was sent to" in _refused(
        services.referral_complete, actor=world.p.a_caseworker, referral=r, outcome_report="x",
        delivered_on=dt.date(2026, 3, 5))
    assert "Only the organisation the referral was sent to" in _refused(
        services.referral_complete, actor=world.p.outsider, referral=r, outcome_report="x",
        delivered_on=dt.date(2026, 3, 5))
    assert "in the future" in _refused(services.referral_complete, actor=world.nurse, referral=r,
                                       outcome_report="Diperiksa", delivered_on=dt.date(2026, 3, 6))
    r = services.referral_complete(actor=world.nurse, referral=r, outcome_report="Diperiksa, obat diberikan",
                                   delivered_on=dt.date(2026, 3, 5))
    assert r.status == Referral.Status.COMPLETED
    d = r.outcome_delivery
    assert d is not None and d.service is not None
    assert d.case_id == world.p.case_a.pk and d.service.code == "medical_care" and d.organisation == world.clinic
    assert d.status == ServiceDelivery.Status.RECORDED and d.outcome_note == "Diperiksa, obat diberikan"
    assert not referral_access.access_open(r)


def test_accept_after_revocation_or_expiry_refused(world: Any, set_now: Any) -> None:
    r = send(world)
    assert "Give the reason" in _refused(services.referral_revoke, actor=world.p.a_caseworker, referral=r, reason=" ")
    services.referral_revoke(actor=world.p.a_caseworker, referral=r, reason="Salah kirim")
    assert "revoked" in _refused(services.referral_accept, actor=world.nurse, referral=r)
    assert "Only an active referral" in _refused(services.referral_revoke, actor=world.p.a_caseworker,
                                                  referral=r, reason="lagi")

    r2 = send(world)
    set_now(NOW + dt.timedelta(days=31))  # unanswered for longer than 30 days
    assert "expired" in _refused(services.referral_accept, actor=world.nurse, referral=r2)
    assert services.referrals_expire() == 1
    r2.refresh_from_db()
    assert r2.status == Referral.Status.EXPIRED


def test_consent_expiry_ends_access(world: Any, set_now: Any) -> None:
    Referral.objects.all().delete()
    world.consent.delete()
    consent = consent_for(world.p, world.clinic, expires_on=dt.date(2026, 3, 20))
    r = send(world)
    assert r.consent == consent and r.expires_at is not None
    services.referral_accept(actor=world.nurse, referral=r)
    set_now(dt.datetime(2026, 3, 19, 16, 1, tzinfo=dt.UTC))  # 20 March 00:01 WITA
    r.refresh_from_db()
    assert not referral_access.access_open(r)
    assert "expired" in _refused(services.referral_start, actor=world.nurse, referral=r)


def test_decline_needs_a_reason(world: Any) -> None:
    r = send(world)
    assert "reason for declining" in _refused(services.referral_decline, actor=world.nurse, referral=r, reason="")
    r = services.referral_decline(actor=world.nurse, referral=r, reason="Penuh")
    assert r.status == Referral.Status.DECLINED and not referral_access.access_open(r)
    assert "declined" in _refused(services.referral_accept, actor=world.nurse, referral=r)


def test_duplicate_active_referral_refused(world: Any) -> None:
    send(world)
    assert "already has an active referral" in _refused(send, world)


def test_consent_withdrawal_revokes_every_active_referral_it_covered(world: Any) -> None:
    from survivors.services import consent_withdraw

    active = send(world)
    accepted = services.referral_accept(actor=world.nurse, referral=send(world, service="health_rehabilitation",
                                                                          template="health"))
    other = partner_org("Klinik Lain", "health", "53.71", services=("medical_care",), regions=("53.71",))
    basis = send(world, recipient_organisation_id=other.pk, lawful_basis="legal_obligation",
                 basis_reason="UU 21/2007 Pasal 51")
    consent_withdraw(actor=world.p.a_caseworker, case=world.p.case_a, record=world.consent, reason="Tidak mau lagi")
    for r in (active, accepted):
        r.refresh_from_db()
        assert r.status == Referral.Status.REVOKED
        with translation.override(settings.LANGUAGE_CODE):  # stored in the interface's first language
            assert r.revoke_reason == gettext("The survivor withdrew the consent this referral relied on.")
    basis.refresh_from_db()
    assert basis.status == Referral.Status.SENT


def test_closed_case_refused(world: Any) -> None:
    from cases.models import Case

    Case.objects.filter(pk=world.p.case_a.pk).update(status="closed")
    world.p.case_a.refresh_from_db()
    assert "closed case" in _refused(send, world)
