"""Case transfer: the lead organisation hands a case over to another organisation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseTransfer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting a decision")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("from organisation")
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("to organisation")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason for the transfer"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, default="")
    new_lead_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("new lead caseworker"),
    )
    # At acceptance: who was on the case team (user ids), and the intake as the sender handed it over
    # (non-identity fields only), for the "own_records" read access of the sending organisation.
    former_team = models.JSONField(default=list, blank=True)
    intake_at_handover = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="pending"),
                                    name="transfers_one_pending_per_case"),
            models.CheckConstraint(condition=~models.Q(from_organisation=models.F("to_organisation")),
                                   name="transfers_not_to_same_organisation"),
        ]
        indexes = [models.Index(fields=["to_organisation", "status"])]

    def __str__(self) -> str:
        return f"transfer {self.id}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
