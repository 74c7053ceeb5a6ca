"""Closure of a case (terminasi kasus), the follow-up visits scheduled at closure (tindak lanjut),
and the re-trafficking risk screen recorded at each visit (risiko diperdagangkan kembali)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ClosureReason(models.TextChoices):
    RESTORED = "restored", _("restored (recovery reached)")
    SURVIVOR_CHOICE = "survivor_choice", _("survivor's choice")
    TRANSFERRED = "transferred", _("transferred to another organisation")
    LOST_CONTACT = "lost_contact", _("lost contact")
    DIED = "died", _("died")


class Closure(models.Model):
    """One closing of a case. A case may be closed, reopened and closed again: every closure is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(_("reason for closing"), max_length=20, choices=ClosureReason.choices)
    note = models.TextField(_("note"), blank=True, default="")
    follow_up_declined = models.BooleanField(_("the survivor declines follow-up"), default=False)
    # For reason "restored": whether the latest assessment met the restored rule when the case was
    # closed (None: no assessment, or the assessment room was not available). Shown, never enforced.
    restored_rule_met = models.BooleanField(_("latest assessment met the restored rule"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed"), db_index=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reopened by"))
    reopen_reason = models.TextField(_("reason for reopening"), blank=True, default="")

    class Meta:
        ordering = ["-closed_at"]
        indexes = [models.Index(fields=["case", "-closed_at"])]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"closure of {self.case_id} ({self.reason})"


class ContactMode(models.TextChoices):
    VISIT = "visit", _("visit")
    PHONE = "phone", _("phone")
    OTHER = "other", _("other")


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    DONE = "done", _("done")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class FollowUp(models.Model):
    """A follow-up visit after closure, and when done, its re-trafficking risk screen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follow_ups")
    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="follow_ups")
    months_after = models.PositiveSmallIntegerField(_("months after closure"))
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.SCHEDULED)
    done_on = models.DateField(_("date of the follow-up"), null=True, blank=True)
    contact_mode = models.CharField(_("contact"), max_length=10, choices=ContactMode.choices, blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    # The screen as answered: {factor code: "yes" | "no" | "unknown"}; score and level as computed
    # with the weights in force that day (kept, so a later change of weights rewrites no history).
    risk_answers = models.JSONField(_("risk screen answers"), default=dict, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("risk score"), null=True, blank=True)
    risk_level = models.CharField(_("re-trafficking risk"), max_length=8, choices=RiskLevel.choices,
                                  blank=True, default="")

    class Meta:
        ordering = ["due_on", "months_after"]
        indexes = [
            models.Index(fields=["case", "due_on"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False, risk_level__gt=""),
                name="follow_up_done_has_date_and_risk",
            ),
            models.UniqueConstraint(fields=["closure", "months_after"], name="unique_follow_up_per_closure_month"),
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"follow-up {self.months_after}m of {self.case_id}"
