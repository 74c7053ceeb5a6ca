"""Services (layanan): the catalogue, what each organisation provides, what was delivered, the
applications for services and the legal time limits that run on them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned


class Service(models.Model):
    """One service of the catalogue (care/data/services.json), with the law that grants it."""

    class Category(models.TextChoices):
        INTEGRATED = "integrated_service", _("integrated service (PP 9/2008)")
        RECOVERY = "recovery_service", _("recovery service (UU 12/2022)")
        # Not a service to the survivor but a duty of the service unit that stops a time limit
        # (forwarding the report to the police, UU 12/2022 Pasal 41).
        ACT = "act", _("procedural act")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    legal_source = models.CharField(_("legal source"), max_length=300, blank=True, default="")
    domains = models.JSONField(_("recovery domains"), default=list, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the current language (Indonesian first)."""
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class OrganisationService(models.Model):
    """A service an organisation provides; deliveries are refused for services it does not."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="provided_services",
        verbose_name=_("organisation"),
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("service"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "service"], name="unique_organisation_service"),
        ]
        verbose_name = _("service provided by an organisation")

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.service_id}"


class ServiceDelivery(Versioned, models.Model):
    """One service given to a survivor (pemberian layanan). A draft may be incomplete; a recorded
    delivery has its service, date and deliverer, and counts for the legal time limits."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        RECORDED = "recorded", _("recorded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="service_deliveries")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries", verbose_name=_("service")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("delivered by")
    )
    # The plan goal this service works towards (UU 21/2007 services follow the rehabilitation plan).
    goal = models.ForeignKey(
        "plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries",
        verbose_name=_("plan goal"),
    )
    delivered_on = models.DateField(_("date"), null=True, blank=True)
    # Optional: the moment, when the time of day is known (entered as a local time on
    # ``delivered_on`` in the lead organisation's zone). Limits counted in hours (UU 12/2022
    # Pasal 41) need it; without it the end of the day counts, so a limit is never shown as met
    # when it may not have been.
    delivered_at = models.DateTimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    place_region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("place (regency or city)"),
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    # Optional: what the service cost, in whole rupiah (the legal room's loss ledger proposes the
    # medical and psychological ones as losses under UU 21/2007 Pasal 48(2)).
    cost = models.DecimalField(_("cost (Rp)"), max_digits=14, decimal_places=0, null=True, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-delivered_on", "-created_at"]
        verbose_name = _("service delivery")
        verbose_name_plural = _("service deliveries")
        indexes = [models.Index(fields=["case", "status", "delivered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(service__isnull=False) & models.Q(delivered_on__isnull=False)),
                name="care_delivery_recorded_complete",
            ),
            models.CheckConstraint(condition=models.Q(cost__isnull=True) | models.Q(cost__gte=0),
                                   name="care_delivery_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.id}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ServiceApplication(models.Model):
    """An application for services (UU 21/2007 Pasal 51): it starts the 7-day limit of Pasal 52."""

    class Applicant(models.TextChoices):
        VICTIM = "victim", _("the survivor")
        FAMILY = "family", _("family")
        COMPANION = "companion", _("companion")
        POLICE = "police", _("police")
        SOCIAL_WORKER = "social_worker", _("social worker")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="service_applications")
    applied_on = models.DateField(_("date of application"))
    applicant_kind = models.CharField(_("applicant"), max_length=16, choices=Applicant.choices)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-created_at"]
        verbose_name = _("application for services")
        verbose_name_plural = _("applications for services")

    def __str__(self) -> str:
        return f"application {self.id}"


class TimeLimitRule(models.Model):
    """A legal time limit as data (care/data/time_limits.json); settings.SINTAS_TIME_LIMITS may
    override any field of a rule by its code (docs/care.md)."""

    class Start(models.TextChoices):
        APPLICATION = "application", _("an application for services")
        CASE_IDENTIFIED_URGENT_MEDICAL = "case_identified_urgent_medical", _(
            "identification of a case with urgent medical needs"
        )
        CASE_OPENED = "case_opened", _("the case was opened")

    class Unit(models.TextChoices):
        HOURS = "hours", _("hours")
        DAYS = "days", _("days")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    legal_source = models.CharField(_("legal source"), max_length=300)
    start = models.CharField(_("starts at"), max_length=40, choices=Start.choices)
    # Services whose recorded delivery stops the clock; empty: any integrated or recovery service.
    stop_service_codes = models.JSONField(_("stopped by services"), default=list, blank=True)
    duration_value = models.PositiveIntegerField(_("duration"))
    duration_unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices)
    due_soon_hours = models.PositiveIntegerField(_("due soon (hours before)"), default=24)
    # Cases that came through these channels are not subject to the rule (a case the police
    # referred needs no forwarding to the police).
    exclude_channels = models.JSONField(_("not for cases from channels"), default=list, blank=True)
    # Organisation kinds the duty applies to; empty: every organisation.
    organisation_kinds = models.JSONField(_("for organisation types"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("legal time limit")
        verbose_name_plural = _("legal time limits")

    def __str__(self) -> str:
        return self.code


class TimeLimitEscalation(models.Model):
    """A record that a clock's passing was escalated, so it is alerted once only."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    rule_code = models.SlugField(max_length=60)
    clock_key = models.CharField(max_length=120)
    due_at = models.DateTimeField()
    escalated_at = models.DateTimeField()
    alert_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "clock_key"], name="unique_time_limit_escalation"),
        ]
        verbose_name = _("time-limit escalation")

    def __str__(self) -> str:
        return self.clock_key
