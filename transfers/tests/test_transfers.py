from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access import policy
from access.policy import Action
from audit.models import AccessLogEntry, ChangeRecord
from care.models import OrganisationService, Service, ServiceDelivery
from cases.models import Alert, CaseTeamMember
from conftest import login
from transfers import services
from transfers.models import CaseTransfer
from transfers.sections import transfer_section


def _accept(p: Any, transfer: CaseTransfer) -> CaseTransfer:
    return services.transfer_accept(actor=p.b_supervisor, transfer=transfer, lead_caseworker_id=p.b_caseworker2.pk)


def _case_urls(case_id: Any) -> list[str]:
    return [reverse("cases:detail", kwargs={"case_id": case_id}),
            reverse("cases:identity", kwargs={"case_id": case_id}),
            reverse("cases:intake", kwargs={"case_id": case_id}),
            reverse("care:deliveries", kwargs={"case_id": case_id}),
            f"/api/v1/cases/{case_id}/"]


# --- proposing ---------------------------------------------------------------------------------


def test_supervisor_proposes_and_receiving_supervisor_sees_it_incoming(proposed: Any, personas: Any) -> None:
    p = personas
    assert proposed.status == CaseTransfer.Status.PENDING
    assert proposed.from_organisation == p.org_a and proposed.to_organisation == p.org_b
    page = login(Client(), p.b_supervisor).get(reverse("transfers:incoming")).content.decode()
    assert p.case_a.survivor.code in page and p.org_a.name in page
    detail = login(Client(), p.b_supervisor).get(reverse("transfers:detail", kwargs={"transfer_id": proposed.pk}))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Reintegration in the home regency" in body
    assert "Sari" not in body  # no identity before acceptance
    assert reverse("transfers:accept", kwargs={"transfer_id": proposed.pk}) in body


def test_lead_caseworker_may_propose_team_member_and_other_org_may_not(personas: Any) -> None:
    p = personas
    url = reverse("transfers:propose", kwargs={"case_id": p.case_a.pk})
    assert login(Client(), p.a_caseworker).get(url).status_code == 200  # the lead caseworker
    assert login(Client(), p.a_psychologist).get(url).status_code == 404  # on the team, not lead
    assert login(Client(), p.b_supervisor).get(url).status_code == 404
    response = login(Client(), p.a_caseworker).post(url, {"to_organisation": p.org_b.pk, "reason": "Home regency"})
    transfer = CaseTransfer.objects.get(case=p.case_a)
    assert response.status_code == 302
    assert transfer.proposed_by == p.a_caseworker


def test_proposal_page_refuses_without_reason(personas: Any) -> None:
    p = personas
    url = reverse("transfers:propose", kwargs={"case_id": p.case_a.pk})
    response = login(Client(), p.a_supervisor).post(url, {"to_organisation": p.org_b.pk, "reason": " "})
    assert response.status_code == 200
    assert not CaseTransfer.objects.exists()


def test_transfer_to_the_same_organisation_is_refused(personas: Any) -> None:
    p = personas
    with pytest.raises(ValidationError) as exc:
        services.transfer_propose(actor=p.a_supervisor, case=p.case_a, to_organisation_id=p.org_a.pk, reason="x")
    assert "already led by this organisation" in str(exc.value)
    assert not CaseTransfer.objects.exists()


def test_a_second_pending_transfer_is_refused(proposed: Any, personas: Any) -> None:
    p = personas
    with pytest.raises(ValidationError, match="already awaiting a decision"):
        services.transfer_propose(actor=p.a_supervisor, case=p.case_a, to_organisation_id=p.org_c.pk, reason="x")
    assert CaseTransfer.objects.count() == 1


def test_inactive_organisation_is_refused(personas: Any) -> None:
    p = personas
    p.org_c.is_active = False
    p.org_c.save()
    with pytest.raises(ValidationError, match="active organisation"):
        services.transfer_propose(actor=p.a_supervisor, case=p.case_a, to_organisation_id=p.org_c.pk, reason="x")


# --- deciding ----------------------------------------------------------------------------------


def test_acceptance_moves_lead_and_team_in_one_go(proposed: Any, personas: Any) -> None:
    p = personas
    transfer = _accept(p, proposed)
    case = p.case_a.__class__.objects.get(pk=p.case_a.pk)
    assert transfer.status == CaseTransfer.Status.ACCEPTED
    assert case.lead_organisation_id == p.org_b.pk
    assert case.lead_caseworker_id == p.b_caseworker2.pk
    assert list(CaseTeamMember.objects.filter(case=case).values_list("user_id", flat=True)) == [p.b_caseworker2.pk]
    assert set(transfer.former_team) == {p.a_caseworker.pk, p.a_psychologist.pk}
    assert Alert.objects.filter(case=case, recipient=p.b_caseworker2).exists()
    # the history: proposed, then accepted; the team removals and the lead change
    changes = ChangeRecord.objects.filter(model="transfers.casetransfer", object_id=str(transfer.pk)).order_by("at")
    assert [c.action for c in changes] == ["create", "update"]
    last = changes.last()
    assert last is not None and last.changes["status"] == ["pending", "accepted"]
    assert ChangeRecord.objects.filter(model="cases.caseteammember", action="delete", case_id=case.pk).count() == 2


def test_accepting_twice_is_refused(proposed: Any, personas: Any) -> None:
    p = personas
    _accept(p, proposed)
    with pytest.raises(ValidationError, match="no longer awaiting a decision"):
        _accept(p, CaseTransfer.objects.get(pk=proposed.pk))


@pytest.mark.parametrize("first", ["cancel", "decline"])
def test_accepting_a_cancelled_or_declined_transfer_is_refused(proposed: Any, personas: Any, first: str) -> None:
    p = personas
    if first == "cancel":
        services.transfer_cancel(actor=p.a_supervisor, transfer=proposed, reason="changed our mind")
    else:
        services.transfer_decline(actor=p.b_supervisor, transfer=proposed, reason="no capacity")
    with pytest.raises(ValidationError, match="no longer awaiting a decision"):
        _accept(p, CaseTransfer.objects.get(pk=proposed.pk))
    assert p.case_a.__class__.objects.get(pk=p.case_a.pk).lead_organisation_id == p.org_a.pk


def test_decline_needs_a_reason_and_leaves_the_case(proposed: Any, personas: Any) -> None:
    p = personas
    with pytest.raises(ValidationError, match="reason for declining"):
        services.transfer_decline(actor=p.b_supervisor, transfer=proposed, reason="")
    client = login(Client(), p.b_supervisor)
    client.post(reverse("transfers:decline", kwargs={"transfer_id": proposed.pk}), {"reason": "No shelter place"})
    proposed.refresh_from_db()
    assert proposed.status == CaseTransfer.Status.DECLINED and proposed.decision_reason == "No shelter place"
    assert policy.can(p.a_caseworker, Action.VIEW_IDENTITY, p.case_a)


@pytest.mark.parametrize("who", ["outsider", "b_caseworker", "a_supervisor"])
def test_acceptance_by_anyone_but_a_receiving_supervisor_is_404(proposed: Any, personas: Any, who: str) -> None:
    p = personas
    client = login(Client(), p.users[who])
    url = reverse("transfers:accept", kwargs={"transfer_id": proposed.pk})
    response = client.post(url, {"lead_caseworker": p.b_caseworker2.pk})
    if who == "a_supervisor":  # the proposing side sees the transfer but cannot decide it
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    assert CaseTransfer.objects.get(pk=proposed.pk).status == CaseTransfer.Status.PENDING
    api = client.post(f"/api/v1/transfers/{proposed.pk}/accept/", {"lead_caseworker": p.b_caseworker2.pk})
    assert api.status_code == (400 if who == "a_supervisor" else 404)


def test_lead_caseworker_must_be_a_receiving_caseworker(proposed: Any, personas: Any) -> None:
    p = personas
    with pytest.raises(ValidationError, match="caseworker of your organisation"):
        services.transfer_accept(actor=p.b_supervisor, transfer=proposed, lead_caseworker_id=p.a_caseworker.pk)
    assert CaseTransfer.objects.get(pk=proposed.pk).status == CaseTransfer.Status.PENDING


# --- access consequences -------------------------------------------------------------------------


def test_before_acceptance_receiver_has_no_case_access(proposed: Any, personas: Any) -> None:
    p = personas
    client = login(Client(), p.b_supervisor)
    for url in _case_urls(p.case_a.pk):
        assert client.get(url).status_code == 404, url
    assert login(Client(), p.a_caseworker).get(_case_urls(p.case_a.pk)[1]).status_code == 200


@pytest.mark.parametrize("mode", ["none", "own_records"])
def test_after_acceptance_receiver_has_full_access_and_sender_none_on_the_case(
        proposed: Any, personas: Any, settings: Any, mode: str) -> None:
    settings.SINTAS_TRANSFER_SENDER_ACCESS = mode
    p = personas
    _accept(p, proposed)
    new_lead = login(Client(), p.b_caseworker2)
    for url in _case_urls(p.case_a.pk):
        assert new_lead.get(url).status_code == 200, url
    for who in ("a_caseworker", "a_supervisor", "a_psychologist"):
        client = login(Client(), p.users[who])
        for url in _case_urls(p.case_a.pk):
            assert client.get(url).status_code == 404, (who, url)
    records = reverse("transfers:records", kwargs={"transfer_id": proposed.pk})
    status = login(Client(), p.a_supervisor).get(records).status_code
    assert status == (200 if mode == "own_records" else 404)


def _a_delivery(p: Any, case: Any, actor: Any, org: Any, note: str) -> ServiceDelivery:
    service = Service.objects.get(code="psychological_support")
    OrganisationService.objects.get_or_create(organisation=org, service=service)
    return ServiceDelivery.objects.create(
        case=case, service=service, organisation=org, delivered_by=actor, created_by=actor,
        delivered_on=dt.date(2026, 3, 3), status=ServiceDelivery.Status.RECORDED, outcome_note=note)


def test_own_records_shows_only_what_the_sender_recorded_never_identity(
        proposed: Any, personas: Any, settings: Any) -> None:
    settings.SINTAS_TRANSFER_SENDER_ACCESS = "own_records"
    p = personas
    _a_delivery(p, p.case_a, p.a_psychologist, p.org_a, "Counselling by A")
    _accept(p, proposed)
    _a_delivery(p, p.case_a, p.b_caseworker2, p.org_b, "Counselling by B")
    url = reverse("transfers:records", kwargs={"transfer_id": proposed.pk})
    client = login(Client(), p.a_psychologist)  # on the team at handover
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Counselling by A" in body and "Counselling by B" not in body
    assert "Channel" in body and "police" in body  # the intake's channel, as handed over
    for secret in ("Sari", "Wulandari", "5371015204990001", "Melati", "+6281234567890"):
        assert secret not in body
    assert AccessLogEntry.objects.filter(user=p.a_psychologist, case_id=p.case_a.pk).exists()
    listing = login(Client(), p.a_psychologist).get(reverse("transfers:transferred")).content.decode()
    assert p.case_a.survivor.code in listing
    # not on the team at handover, not a supervisor; the receiving organisation; another organisation
    for who in ("a_caseworker2", "b_caseworker2", "outsider"):
        assert login(Client(), p.users[who]).get(url).status_code == 404, who


def test_own_records_is_404_for_a_pending_or_declined_transfer(proposed: Any, personas: Any, settings: Any) -> None:
    settings.SINTAS_TRANSFER_SENDER_ACCESS = "own_records"
    p = personas
    url = reverse("transfers:records", kwargs={"transfer_id": proposed.pk})
    assert login(Client(), p.a_supervisor).get(url).status_code == 404
    services.transfer_decline(actor=p.b_supervisor, transfer=proposed, reason="no")
    assert login(Client(), p.a_supervisor).get(url).status_code == 404


def test_unknown_sender_access_setting_is_an_error(settings: Any) -> None:
    from transfers.conf import sender_access

    settings.SINTAS_TRANSFER_SENDER_ACCESS = "everything"
    with pytest.raises(ValueError):
        sender_access()


# --- case file section, API --------------------------------------------------------------------


def test_section_costs_one_query_or_two_and_shows_pending_and_history(personas: Any) -> None:
    p = personas
    request = RequestFactory().get("/")
    request.user = p.a_supervisor
    never = policy.case_get_for_user(p.a_supervisor, p.case_a.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert transfer_section(request, never) is not None
    assert len(ctx.captured_queries) == 1  # a case never transferred: one query without joins
    t1 = services.transfer_propose(actor=p.a_supervisor, case=p.case_a, to_organisation_id=p.org_c.pk, reason="x")
    services.transfer_cancel(actor=p.a_supervisor, transfer=t1)
    services.transfer_propose(actor=p.a_supervisor, case=p.case_a, to_organisation_id=p.org_b.pk, reason="y")
    request = RequestFactory().get("/")
    request.user = p.a_supervisor
    case = policy.case_get_for_user(p.a_supervisor, p.case_a.pk)
    policy.can(p.a_supervisor, Action.VIEW, case)
    with CaptureQueriesContext(connection) as ctx:
        section = transfer_section(request, case)
    assert section is not None
    assert len(ctx.captured_queries) <= 2  # is there any transfer? then the transfers with their people
    assert section.context["pending"].to_organisation_id == p.org_b.pk
    assert [t.status for t in section.context["history"]] == ["cancelled"]
    assert not section.context["can_propose"]
    page = login(Client(), p.a_supervisor).get(reverse("cases:detail", kwargs={"case_id": p.case_a.pk}))
    assert 'id="transfers-h"' in page.content.decode()


def test_section_offers_the_propose_button_to_the_lead(personas: Any) -> None:
    p = personas
    page = login(Client(), p.a_caseworker).get(reverse("cases:detail", kwargs={"case_id": p.case_a.pk}))
    assert reverse("transfers:propose", kwargs={"case_id": p.case_a.pk}) in page.content.decode()
    page = login(Client(), p.a_psychologist).get(reverse("cases:detail", kwargs={"case_id": p.case_a.pk}))
    assert reverse("transfers:propose", kwargs={"case_id": p.case_a.pk}) not in page.content.decode()


def test_api_lifecycle(personas: Any) -> None:
    p = personas
    a = login(Client(), p.a_supervisor)
    response = a.post(f"/api/v1/cases/{p.case_a.pk}/transfers/", {"to_organisation": p.org_b.pk, "reason": "home"},
                      content_type="application/json")
    assert response.status_code == 201, response.content
    transfer_id = response.json()["id"]
    again = a.post(f"/api/v1/cases/{p.case_a.pk}/transfers/", {"to_organisation": p.org_c.pk, "reason": "x"},
                   content_type="application/json")
    assert again.status_code == 400
    b = login(Client(), p.b_supervisor)
    incoming = b.get("/api/v1/transfers/incoming/").json()
    assert [t["id"] for t in incoming["results"]] == [transfer_id]
    accepted = b.post(f"/api/v1/transfers/{transfer_id}/accept/", {"lead_caseworker": p.b_caseworker.pk},
                      content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    twice = b.post(f"/api/v1/transfers/{transfer_id}/accept/", {"lead_caseworker": p.b_caseworker.pk},
                   content_type="application/json")
    assert twice.status_code == 400
    assert a.get(f"/api/v1/cases/{p.case_a.pk}/transfers/").status_code == 404
    assert b.get(f"/api/v1/cases/{p.case_a.pk}/transfers/").json()[0]["status"] == "accepted"


def test_incoming_transfer_is_on_the_receiving_supervisors_work_queue(proposed: Any, personas: Any) -> None:
    page = login(Client(), personas.b_supervisor).get(reverse("care:work_queue")).content.decode()
    assert reverse("transfers:detail", kwargs={"transfer_id": proposed.pk}) in page


def test_receiving_supervisors_and_then_the_proposer_get_a_link_and_no_personal_data(
        personas: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any) -> None:
    p = personas
    p.b_supervisor.email = "spv.b@example.org"
    p.b_supervisor.save(update_fields=["email"])
    p.a_supervisor.email = "spv.a@example.org"
    p.a_supervisor.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        transfer = services.transfer_propose(actor=p.a_supervisor, case=p.case_a, to_organisation_id=p.org_b.pk,
                                             reason="Reintegration in the home regency")
    assert [m.to for m in mailoutbox] == [["spv.b@example.org"]]
    body = mailoutbox[0].body
    assert reverse("transfers:detail", kwargs={"transfer_id": transfer.pk}) in body
    for private in (p.case_a.survivor.code, "Reintegration", str(p.case_a.pk)):
        assert private not in body and private not in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.transfer_decline(actor=p.b_supervisor, transfer=transfer, reason="No place for now")
    assert mailoutbox[-1].to == ["spv.a@example.org"] and "No place" not in mailoutbox[-1].body
