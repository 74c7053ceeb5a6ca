"""Who may propose, decide and read case transfers (the transfers room; docs/transfers.md).

A transfer moves ``lead_organisation``: the receiver then has the case access of ``access.policy``,
the sender none. Rules:
- **Propose or cancel** a transfer: whoever manages the case team (the lead organisation's
  supervisors and the lead caseworker).
- **Accept or decline** (while pending): a supervisor of the receiving organisation.
- **See a transfer**: the receiving organisation's supervisors, and whoever may view its case.
- **The incoming list**: supervisors who work on cases, for transfers to their organisation.
- **The sender's own records** after acceptance, only when ``SINTAS_TRANSFER_SENDER_ACCESS`` is
  ``"own_records"``: read-only, for the sending organisation's supervisors and the people who were
  on the case team at handover. Anything else answers 404.

The transfers room registers a ``TransferPolicy`` with its model and its setting in
``TransfersConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.models import Role
from cases.models import Case

from . import policy
from .base import PolicySlot, acts_in_organisation
from .policy import Action

TRANSFER_RELATED = (
    "case", "case__survivor", "case__lead_organisation", "from_organisation", "to_organisation",
    "proposed_by", "decided_by", "new_lead_caseworker",
)


class TransferPolicy:
    def __init__(self, *, model: Any, sender_keeps_own_records: Callable[[], bool]) -> None:
        self.model = model  # transfers.models.CaseTransfer
        self.sender_keeps_own_records = sender_keeps_own_records  # read at call time

    def may_propose(self, user: Any, case: Case) -> bool:
        return policy.can(user, Action.MANAGE_TEAM, case)

    def may_decide(self, user: Any, transfer: Any) -> bool:
        return bool(acts_in_organisation(user) and user.has_role(Role.SUPERVISOR)
                    and user.organisation_id == transfer.to_organisation_id)

    def may_see_incoming(self, user: Any) -> bool:
        return policy.is_supervisor(user)

    def may_read_sender_records(self, user: Any) -> bool:
        """Whether the user's organisation keeps any read access to transferred cases at all."""
        return self.sender_keeps_own_records() and policy.may_work_on_cases(user)

    def may_read_records_of(self, user: Any, transfer: Any) -> bool:
        """An accepted transfer from the user's organisation (checked by the caller's query)."""
        return bool(user.has_role(Role.SUPERVISOR)) or user.pk in (transfer.former_team or [])

    def transfer_get_for_user(self, user: Any, transfer_id: Any) -> Any:
        try:
            transfer = self.model.objects.select_related(*TRANSFER_RELATED).get(pk=transfer_id)
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc
        if self.may_decide(user, transfer) or (policy.may_work_on_cases(user)
                                               and policy.can(user, Action.VIEW, transfer.case)):
            return transfer
        raise Http404

    def transferred_records_get_for_user(self, user: Any, transfer_id: Any) -> Any:
        if not self.may_read_sender_records(user):
            raise Http404
        try:
            transfer = self.model.objects.select_related(
                "case", "case__survivor", "from_organisation", "to_organisation",
            ).get(pk=transfer_id, status=self.model.Status.ACCEPTED, from_organisation_id=user.organisation_id)
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc
        if self.may_read_records_of(user, transfer):
            return transfer
        raise Http404


slot: PolicySlot[TransferPolicy] = PolicySlot("transfers")
register = slot.register


def may_propose_transfer(user: Any, case: Case) -> bool:
    """The lead organisation's supervisors and the lead caseworker (who manage the case team)."""
    return slot.get().may_propose(user, case)


def may_decide_transfer(user: Any, transfer: Any) -> bool:
    """Accept or decline (while pending): a supervisor of the receiving organisation."""
    return slot.get().may_decide(user, transfer)


def may_see_incoming(user: Any) -> bool:
    return slot.get().may_see_incoming(user)


def may_read_sender_records(user: Any) -> bool:
    return slot.get().may_read_sender_records(user)


def may_read_records_of(user: Any, transfer: Any) -> bool:
    return slot.get().may_read_records_of(user, transfer)


def transfer_get_for_user(user: Any, transfer_id: Any) -> Any:
    """A transfer, for the receiving organisation's supervisors and for whoever may view its case; else 404."""
    return slot.get().transfer_get_for_user(user, transfer_id)


def transferred_records_get_for_user(user: Any, transfer_id: Any) -> Any:
    """An accepted transfer whose sending organisation keeps read access to its own records: for that
    organisation's supervisors and the people on the case team at handover. Otherwise 404."""
    return slot.get().transferred_records_get_for_user(user, transfer_id)
