"""The policies a room registers with its own models and settings: releases, transfers, referrals,
monitoring; and that each is registered by its room."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404

from access import monitoring as monitoring_access
from access import referrals as referral_access
from access import releases as releases_access
from access import transfers as transfer_access
from access.base import PolicySlot
from conftest import Personas
from monitoring.models import Level, MonitoringScope, ReportRequest
from referrals.models import Referral
from transfers.models import CaseTransfer


def test_each_room_registers_its_policy_with_its_own_model() -> None:
    assert transfer_access.slot.get().model is CaseTransfer
    assert referral_access.slot.get().model is Referral
    assert monitoring_access.slot.get().scope_model is MonitoringScope
    assert isinstance(releases_access.slot.get(), releases_access.ReleasesPolicy)


def test_an_unregistered_policy_says_which_room_is_missing() -> None:
    with pytest.raises(ImproperlyConfigured, match="livelihood"):
        PolicySlot[object]("livelihood").get()


def test_the_monitoring_levels_are_the_models_levels() -> None:
    assert {monitoring_access.ORGANISATION, monitoring_access.REGION, monitoring_access.NATIONAL} == set(Level.values)


def _fresh(user: Any) -> Any:
    return type(user).objects.get(pk=user.pk)  # the permission cache is per object


def test_who_may_release(personas: Personas) -> None:
    p = personas
    permission = Permission.objects.get(codename="make_release", content_type__app_label="releases")
    for user in (p.a_me, p.platform, p.a_supervisor):
        assert not releases_access.may_release(user)  # no permission yet
        user.user_permissions.add(permission)
    assert releases_access.may_release(_fresh(p.a_me)) and releases_access.may_release(_fresh(p.platform))
    assert not releases_access.may_release(_fresh(p.a_supervisor))  # the permission without the role


def test_who_may_export_to_simfoni(personas: Personas, settings: Any) -> None:
    p = personas
    assert releases_access.may_export_simfoni(p.a_supervisor)
    assert not releases_access.may_export_simfoni(p.a_me) and not releases_access.may_export_simfoni(p.platform)
    settings.SINTAS_SIMFONI_ROLES = ["me_officer"]  # read at call time
    assert releases_access.may_export_simfoni(p.a_me) and not releases_access.may_export_simfoni(p.a_supervisor)


def test_transfers(personas: Personas, settings: Any) -> None:
    p = personas
    assert transfer_access.may_propose_transfer(p.a_supervisor, p.case_a)
    assert transfer_access.may_propose_transfer(p.a_caseworker, p.case_a)  # the lead caseworker
    assert not transfer_access.may_propose_transfer(p.a_psychologist, p.case_a)
    transfer = CaseTransfer.objects.create(case=p.case_a, from_organisation=p.org_a, to_organisation=p.org_b,
                                           proposed_by=p.a_supervisor, reason="pindah", proposed_at=_now())
    assert transfer_access.may_decide_transfer(p.b_supervisor, transfer)
    assert not transfer_access.may_decide_transfer(p.b_caseworker, transfer)
    assert not transfer_access.may_decide_transfer(p.a_supervisor, transfer)
    for user in (p.b_supervisor, p.a_supervisor, p.a_caseworker):
        assert transfer_access.transfer_get_for_user(user, transfer.pk) == transfer
    for user in (p.b_caseworker, p.a_caseworker2, p.outsider):
        with pytest.raises(Http404):
            transfer_access.transfer_get_for_user(user, transfer.pk)
    with pytest.raises(Http404):
        transfer_access.transfer_get_for_user(p.b_supervisor, "not-a-uuid")
    assert transfer_access.may_see_incoming(p.b_supervisor) and not transfer_access.may_see_incoming(p.b_caseworker)
    settings.SINTAS_TRANSFER_SENDER_ACCESS = "none"
    assert not transfer_access.may_read_sender_records(p.a_supervisor)
    settings.SINTAS_TRANSFER_SENDER_ACCESS = "own_records"
    assert transfer_access.may_read_sender_records(p.a_supervisor)
    handed_over = SimpleNamespace(former_team=[p.a_psychologist.pk])
    assert transfer_access.may_read_records_of(p.a_supervisor, handed_over)
    assert transfer_access.may_read_records_of(p.a_psychologist, handed_over)
    assert not transfer_access.may_read_records_of(p.a_caseworker2, handed_over)
    with pytest.raises(Http404):  # pending, not accepted
        transfer_access.transferred_records_get_for_user(p.a_supervisor, transfer.pk)


def test_referral_sides(personas: Personas) -> None:
    p = personas
    assert referral_access.may_send(p.a_caseworker, p.case_a) and referral_access.may_send(p.a_supervisor, p.case_a)
    assert not referral_access.may_send(p.a_psychologist, p.case_a)
    referral: Any = SimpleNamespace(case=p.case_a, recipient_organisation_id=p.org_b.pk, is_active=True,
                                    expires_at=None, status=Referral.Status.SENT, sent_at=_now())
    assert referral_access.side_of(p.a_psychologist, referral) == referral_access.SENDER
    assert referral_access.side_of(p.b_caseworker, referral) == referral_access.RECIPIENT
    assert referral_access.side_of(p.b_me, referral) is None  # no case role
    assert referral_access.side_of(p.outsider, referral) is None
    referral.is_active = False
    assert referral_access.side_of(p.b_caseworker, referral) is None  # the packet is gone


def _now() -> Any:
    from core import clock

    return clock.now()


def test_monitoring_levels_and_reports(personas: Personas) -> None:
    p = personas
    assert [s.level for s in monitoring_access.scopes_for(p.a_supervisor)] == ["organisation"]
    assert monitoring_access.scopes_for(p.a_caseworker) == [] and monitoring_access.scopes_for(p.platform) == []
    MonitoringScope.objects.create(user=p.a_me, level="region", region_id="53")
    MonitoringScope.objects.create(user=p.a_me, level="national")
    scopes = monitoring_access.scopes_for(p.a_me)
    assert [s.level for s in scopes] == ["organisation", "region", "national"]
    assert scopes[1].covers_region("53.71") and not scopes[1].covers_region("35.78")
    with pytest.raises(Http404):
        monitoring_access.scope_get_for_user(p.a_supervisor, "national")
    assert monitoring_access.may_request_reports(p.a_supervisor, scopes[0])
    assert not monitoring_access.may_request_reports(p.a_supervisor, scopes[2])
    assert monitoring_access.may_hold_scope(p.a_me) and not monitoring_access.may_hold_scope(p.a_supervisor)
    report = ReportRequest(level="organisation", organisation=p.org_a, requested_by=p.a_supervisor)
    assert monitoring_access.report_visible_to(p.a_me, report)
    assert not monitoring_access.report_visible_to(p.b_me, report)
    assert monitoring_access.shows_menu(p.a_supervisor) and monitoring_access.shows_menu(p.platform)
    assert not monitoring_access.shows_menu(p.a_caseworker)
