"""Reading transfers. Visibility of a single transfer is decided by ``access.policy``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from access import policy
from accounts.models import Role
from care.models import ServiceDelivery
from cases.models import Case
from recovery.models import Assessment

from .conf import OWN_RECORDS, sender_access
from .models import CaseTransfer

RELATED = ("from_organisation", "to_organisation", "proposed_by", "decided_by", "new_lead_caseworker")


def transfers_for_case(case: Case) -> QuerySet[CaseTransfer]:
    """A case's transfers, newest first (the caller has checked the case is visible)."""
    return CaseTransfer.objects.filter(case_id=case.pk).select_related(*RELATED).order_by("-proposed_at")


def incoming_for(user: Any) -> QuerySet[CaseTransfer]:
    """Transfers to the user's organisation, for its supervisors; pending first, then newest."""
    if not (policy.may_work_on_cases(user) and user.has_role(Role.SUPERVISOR)):
        return CaseTransfer.objects.none()
    return (
        CaseTransfer.objects.filter(to_organisation_id=user.organisation_id)
        .select_related("case__survivor", *RELATED)
        .order_by("-proposed_at")
    )


def transferred_away_for(user: Any) -> list[CaseTransfer]:
    """Accepted transfers from the user's organisation whose own records the user may still read
    (empty unless SINTAS_TRANSFER_SENDER_ACCESS is "own_records")."""
    if sender_access() != OWN_RECORDS or not policy.may_work_on_cases(user):
        return []
    qs = (
        CaseTransfer.objects.filter(from_organisation_id=user.organisation_id, status=CaseTransfer.Status.ACCEPTED)
        .select_related("case__survivor", "to_organisation").order_by("-decided_at")
    )
    if user.has_role(Role.SUPERVISOR):
        return list(qs)
    # former_team is a short JSON list; SQLite cannot filter inside it, so filter here.
    return [t for t in qs if user.pk in (t.former_team or [])]


def own_deliveries(transfer: CaseTransfer) -> QuerySet[ServiceDelivery]:
    """Service deliveries the sending organisation recorded in the case (recorded, not drafts)."""
    return (
        ServiceDelivery.objects.filter(case_id=transfer.case_id, organisation_id=transfer.from_organisation_id,
                                       status=ServiceDelivery.Status.RECORDED)
        .select_related("service", "delivered_by").order_by("-delivered_on", "-created_at")
    )


def own_assessments(transfer: CaseTransfer) -> QuerySet[Assessment]:
    """Assessments completed in the case by people of the sending organisation."""
    return (
        Assessment.objects.filter(case_id=transfer.case_id, recorded_by__organisation_id=transfer.from_organisation_id,
                                  status=Assessment.Status.COMPLETED)
        .select_related("instrument", "recorded_by").order_by("-assessed_on")
    )
