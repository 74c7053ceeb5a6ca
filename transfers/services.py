"""Every write to a case transfer: propose, cancel, decline, accept. Each validates everything
before it writes anything, runs in one transaction, and records the change history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from access import transfers as transfer_access
from accounts.models import Organisation, Role, User
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from cases.models import Alert, Case, CaseStatus, CaseTeamMember
from cases.services import INTAKE_FIELDS, alert_raise
from core import clock
from core.notify import in_site_language, link_mail_on_commit
from core.validation import Errors

from .models import CaseTransfer


def transfer_propose(*, actor: Any, case: Case, to_organisation_id: Any, reason: str) -> CaseTransfer:
    """Propose to hand the case over to another organisation (supervisor or lead caseworker of the lead
    organisation). The receiving organisation's supervisors then accept or decline."""
    if not transfer_access.may_propose_transfer(actor, case):
        raise ValidationError(_("You may not transfer this case."))
    e = Errors()
    reason = (reason or "").strip()
    if not reason:
        e.add("reason", _("Record the reason for the transfer."))
    to_org = None
    if str(to_organisation_id or "").isdigit():
        to_org = Organisation.objects.filter(pk=to_organisation_id, is_active=True).first()
    if to_org is None:
        e.add("to_organisation", _("Choose an active organisation."))
    elif to_org.pk == case.lead_organisation_id:
        e.add("to_organisation", _("The case is already led by this organisation; choose another."))
    e.raise_if_any()
    assert to_org is not None
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.lead_organisation_id != case.lead_organisation_id:
            raise ValidationError(_("This case has just been transferred; reload the page."))
        if locked.status == CaseStatus.CLOSED:
            raise ValidationError(_("A closed case cannot be transferred; reopen it first."))
        if CaseTransfer.objects.filter(case=locked, status=CaseTransfer.Status.PENDING).exists():
            raise ValidationError(_("A transfer of this case is already awaiting a decision."))
        transfer = CaseTransfer.objects.create(
            case=locked, from_organisation_id=locked.lead_organisation_id, to_organisation=to_org,
            reason=reason, proposed_by=actor, proposed_at=clock.now(),
        )
        history_record(actor=actor, instance=transfer, action=ChangeRecord.Action.CREATE, case_id=locked.pk)
        _notify_receivers(transfer)
    return transfer


def _notify_receivers(transfer: CaseTransfer) -> None:
    """E-mail the receiving organisation's supervisors: a sentence and a link, no personal data."""
    emails = User.objects.filter(organisation_id=transfer.to_organisation_id, is_active=True,
                                 roles__role=Role.SUPERVISOR).exclude(email="").values_list("email", flat=True)
    with in_site_language():
        subject = _("Sintas: a case transfer awaits your decision")
        body = _("Another organisation proposes to transfer a case to yours. Sign in to accept or decline it:")
    link_mail_on_commit(emails, subject, body, reverse("transfers:detail", kwargs={"transfer_id": transfer.pk}))


def _notify_proposer(transfer: CaseTransfer) -> None:
    email = User.objects.filter(pk=transfer.proposed_by_id).values_list("email", flat=True).first()
    with in_site_language():
        subject = _("Sintas: your case transfer was answered")
        body = _("The receiving organisation answered a case transfer you proposed. Sign in to see it:")
    link_mail_on_commit([email or ""], subject, body, reverse("transfers:detail", kwargs={"transfer_id": transfer.pk}))


def _locked_pending(transfer: CaseTransfer) -> CaseTransfer:
    locked = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status != CaseTransfer.Status.PENDING:
        raise ValidationError(
            _("This transfer is no longer awaiting a decision (it is %(status)s).")
            % {"status": CaseTransfer.Status(locked.status).label}
        )
    return locked


def _decide(actor: Any, locked: CaseTransfer, status: str, reason: str, **extra: Any) -> CaseTransfer:
    before = snapshot(locked)
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = clock.now()
    locked.decision_reason = reason
    for name, value in extra.items():
        setattr(locked, name, value)
    locked.save()
    history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                   case_id=locked.case_id)
    return locked


def transfer_cancel(*, actor: Any, transfer: CaseTransfer, reason: str = "") -> CaseTransfer:
    """Withdraw a pending proposal (whoever may propose a transfer of the case)."""
    if not transfer_access.may_propose_transfer(actor, transfer.case):
        raise ValidationError(_("You may not cancel this transfer."))
    with transaction.atomic():
        locked = _locked_pending(transfer)
        return _decide(actor, locked, CaseTransfer.Status.CANCELLED, (reason or "").strip())


def transfer_decline(*, actor: Any, transfer: CaseTransfer, reason: str) -> CaseTransfer:
    if not transfer_access.may_decide_transfer(actor, transfer):
        raise ValidationError(_("Only a supervisor of the receiving organisation can decide on this transfer."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Record the reason for declining.")]})
    with transaction.atomic():
        locked = _locked_pending(transfer)
        _notify_proposer(locked)
        return _decide(actor, locked, CaseTransfer.Status.DECLINED, reason)


def lead_candidates(organisation_id: Any) -> Any:
    """Caseworkers of the receiving organisation who may become the lead caseworker."""
    return (
        User.objects.filter(organisation_id=organisation_id, is_active=True, roles__role=Role.CASEWORKER)
        .distinct().order_by("first_name", "username")
    )


def transfer_accept(*, actor: Any, transfer: CaseTransfer, lead_caseworker_id: Any, note: str = "") -> CaseTransfer:
    """Accept: in one transaction the receiving organisation becomes lead, with the lead caseworker it
    chose; the sending organisation's people leave the case team."""
    if not transfer_access.may_decide_transfer(actor, transfer):
        raise ValidationError(_("Only a supervisor of the receiving organisation can decide on this transfer."))
    lead = None
    if str(lead_caseworker_id or "").isdigit():
        lead = lead_candidates(transfer.to_organisation_id).filter(pk=lead_caseworker_id).first()
    if lead is None:
        raise ValidationError({"lead_caseworker": [_("Choose a caseworker of your organisation as lead caseworker.")]})
    with transaction.atomic():
        locked = _locked_pending(transfer)
        case = Case.objects.select_for_update().get(pk=locked.case_id)
        if case.lead_organisation_id != locked.from_organisation_id:
            raise ValidationError(_("The case is no longer led by the organisation that proposed this transfer."))
        members = list(CaseTeamMember.objects.filter(case=case).select_related("user"))
        former = sorted({m.user_id for m in members} | {case.lead_caseworker_id})
        intake = snapshot(case, list(INTAKE_FIELDS))
        for member in members:
            history_record(actor=actor, instance=member, action=ChangeRecord.Action.DELETE, before=snapshot(member),
                           case_id=case.pk)
        CaseTeamMember.objects.filter(pk__in=[m.pk for m in members]).delete()
        before = snapshot(case)
        case.lead_organisation_id = locked.to_organisation_id
        case.lead_caseworker = lead
        case.save(update_fields=["lead_organisation", "lead_caseworker", "updated_at"])
        history_record(actor=actor, instance=case, action=ChangeRecord.Action.UPDATE, before=before, case_id=case.pk)
        member = CaseTeamMember.objects.create(case=case, user=lead, added_by=actor)
        history_record(actor=actor, instance=member, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        _decide(actor, locked, CaseTransfer.Status.ACCEPTED, (note or "").strip(), new_lead_caseworker=lead,
                former_team=former, intake_at_handover=intake)
        alert_raise(case=case, recipients=[lead], kind=Alert.Kind.TRANSFER, actor=actor,
                    detail=_("Case transferred to your organisation; you are the lead caseworker."))
        _notify_proposer(locked)
    return locked
