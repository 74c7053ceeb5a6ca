"""A case: intake (identification of the TPPO elements), team, and status workflow."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.choices import (
    Channel,
    ForcedLabourIndustry,
    Modus,
    RecruiterRelation,
    RecruitmentMethod,
    StatusDecidedBy,
    TraffickingStatus,
)
from core.concurrency import Versioned


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("intake")
    ASSESSMENT = "assessment", _("assessment")
    PLANNING = "planning", _("planning")
    SERVICES = "services", _("services")
    REINTEGRATION = "reintegration", _("reintegration")
    FOLLOW_UP = "follow_up", _("follow-up")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")


# The workflow: from each status, where a case may go. Going back a step is allowed where
# practice needs it (a plan revised during services); closing is possible from every open status.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.INTAKE: (CaseStatus.ASSESSMENT, CaseStatus.CLOSED),
    CaseStatus.ASSESSMENT: (CaseStatus.PLANNING, CaseStatus.CLOSED),
    CaseStatus.PLANNING: (CaseStatus.SERVICES, CaseStatus.ASSESSMENT, CaseStatus.CLOSED),
    CaseStatus.SERVICES: (CaseStatus.REINTEGRATION, CaseStatus.FOLLOW_UP, CaseStatus.PLANNING, CaseStatus.CLOSED),
    CaseStatus.REINTEGRATION: (CaseStatus.FOLLOW_UP, CaseStatus.SERVICES, CaseStatus.CLOSED),
    CaseStatus.FOLLOW_UP: (CaseStatus.CLOSED, CaseStatus.SERVICES),
    CaseStatus.CLOSED: (CaseStatus.REOPENED,),
    CaseStatus.REOPENED: (CaseStatus.ASSESSMENT, CaseStatus.CLOSED),
}


# Closing and reopening record a closure reason and a follow-up schedule: they go through the
# closure and reopening forms of the reintegration room, never the generic status change.
CLOSURE_STATUSES = (CaseStatus.CLOSED, CaseStatus.REOPENED)


class Case(Versioned, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey("survivors.Survivor", on_delete=models.PROTECT, related_name="cases")
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases", verbose_name=_("lead organisation")
    )
    lead_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lead_cases",
        verbose_name=_("lead caseworker"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.INTAKE, db_index=True
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # --- Identification and intake -------------------------------------------------------
    identified_on = models.DateField(_("date of identification"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    identification_region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("place of identification (region)"),
    )
    identification_country = CountryField(_("country of identification"), default="ID")
    # UU 21/2007 Pasal 1: the three elements, each a list of codes from core.choices.
    tppo_process = models.JSONField(_("process"), default=list, blank=True)
    tppo_means = models.JSONField(_("means"), default=list, blank=True)
    tppo_purpose = models.JSONField(_("purpose (exploitation)"), default=list, blank=True)
    ilo_indicators = models.JSONField(_("ILO forced-labour indicators"), default=list, blank=True)
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    forced_labour_industry = models.CharField(
        _("forced-labour industry"), max_length=60, choices=ForcedLabourIndustry.choices, blank=True, default=""
    )
    recruitment_method = models.CharField(
        _("method of recruitment"), max_length=40, choices=RecruitmentMethod.choices, blank=True, default=""
    )
    recruiter_relation = models.CharField(
        _("recruiter's relation to the survivor"), max_length=20, choices=RecruiterRelation.choices,
        blank=True, default="",
    )
    recruitment_country = CountryField(_("country of recruitment"), blank=True, default="")
    recruitment_region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("place of recruitment (region)"),
    )
    transit_countries = models.JSONField(_("transit countries"), default=list, blank=True)
    exploitation_country = CountryField(_("country of exploitation"), blank=True, default="")
    exploitation_region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("place of exploitation (region)"),
    )
    exploitation_started_on = models.DateField(_("exploitation began"), null=True, blank=True)
    exploitation_ended_on = models.DateField(_("exploitation ended"), null=True, blank=True)
    trafficking_status = models.CharField(
        _("trafficking status"), max_length=32, choices=TraffickingStatus.choices,
        default=TraffickingStatus.POSSIBLE,
    )
    status_decided_by = models.CharField(
        _("status decided by"), max_length=40, choices=StatusDecidedBy.choices, blank=True, default=""
    )
    modus = models.CharField(_("modus"), max_length=24, choices=Modus.choices, blank=True, default="")
    urgent_needs = models.JSONField(_("urgent needs at intake"), default=list, blank=True)
    intake_notes = models.TextField(_("intake notes"), blank=True, default="")

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["lead_organisation", "status", "-opened_at"]),
            # the caseload's default order, without a status filter
            models.Index(fields=["lead_organisation", "-opened_at"], name="case_org_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"case {self.id}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    @property
    def exploitation_months(self) -> int | None:
        if not (self.exploitation_started_on and self.exploitation_ended_on):
            return None
        start, end = self.exploitation_started_on, self.exploitation_ended_on
        return max(0, (end.year - start.year) * 12 + end.month - start.month)


class CaseTeamMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_case_team_member")]
        indexes = [models.Index(fields=["user", "case"])]
        verbose_name = _("case team member")

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id}"


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=CaseStatus.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("status change")

    def __str__(self) -> str:
        return f"{self.from_status}->{self.to_status}"


class Alert(models.Model):
    """Something a person must see now about a case (a self-harm answer, a high re-trafficking risk).

    The text holds no identity: the recipient opens the case to see more.
    """

    class Kind(models.TextChoices):
        SELF_HARM = "self_harm", _("self-harm risk (PHQ-9 item 9)")
        RETRAFFICKING_RISK = "retrafficking_risk", _("high re-trafficking risk")
        TIME_LIMIT = "time_limit", _("legal time limit passed")
        REFERRAL_OVERDUE = "referral_overdue", _("referral not answered in time")
        TRANSFER = "transfer", _("case transferred")
        OTHER = "other", _("other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True, default="")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("alert")

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
