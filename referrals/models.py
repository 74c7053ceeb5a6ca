"""Consent-scoped referrals: a case sends a minimal, purpose-bound packet to a partner organisation.

The packet is a snapshot taken when the referral is sent: the partner sees what the sender chose
then, not the case as it changes later. Its values are personal data and are stored encrypted
(``packet_values``: JSON, with the same keys as ``packet_fields``).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("consent of the survivor")
        LEGAL_OBLIGATION = "legal_obligation", _("legal obligation")
        VITAL_INTEREST = "vital_interest", _("vital interest")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    sender_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_sent",
        verbose_name=_("from"),
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sent by"))
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_received",
        verbose_name=_("to"),
    )
    service = models.ForeignKey("care.Service", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service"))
    goal = models.ForeignKey("plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("plan goal"))
    service_region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("where the service is needed"))
    template = models.CharField(_("packet template"), max_length=40)
    lawful_basis = models.CharField(_("lawful basis"), max_length=20, choices=Basis.choices)
    consent = models.ForeignKey("survivors.ConsentRecord", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="referrals", verbose_name=_("consent record"))
    basis_reason = models.TextField(_("reason for the lawful basis"), blank=True, default="")
    packet_fields = models.JSONField(_("fields shared"), default=list)
    packet_values = EncryptedTextField(_("packet"), default="{}")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField(_("sent"))
    respond_by = models.DateTimeField(_("answer due"))
    expires_at = models.DateTimeField(_("access ends"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    decline_reason = models.TextField(_("reason for declining"), blank=True, default="")
    started_at = models.DateTimeField(_("work started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    outcome_report = models.TextField(_("outcome report"), blank=True, default="")
    outcome_delivery = models.ForeignKey("care.ServiceDelivery", on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("service delivery"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    revoke_reason = models.TextField(_("reason for revoking"), blank=True, default="")
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # The last change the recipient should notice (sending, revocation): unread until opened after it.
    last_event_at = models.DateTimeField()
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["recipient_organisation", "status", "sent_at"]),
            models.Index(fields=["sender_organisation", "status", "sent_at"]),
            models.Index(fields=["status", "respond_by"]),
        ]

    def __str__(self) -> str:
        return f"referral {self.id}"

    ACTIVE = (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def values(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.packet_values or "{}")
        return data


class ReferralRead(models.Model):
    """When a person last opened a referral, for the inbox's unread counts."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "user"], name="unique_referral_read")]

    def __str__(self) -> str:
        return f"{self.referral_id}:{self.user_id}"
