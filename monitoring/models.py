"""Monitoring scopes (who may see a region's or the nation's aggregates) and periodic report requests."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    REGION = "region", _("region")
    NATIONAL = "national", _("national")


class MonitoringScope(models.Model):
    """A region (province or kabupaten/kota) or the whole country whose aggregates a monitoring &
    evaluation officer may see: a task force's secretariat, a ministry's M&E unit. Granted by a
    platform administrator; the organisation level needs no scope (an M&E officer and a supervisor
    see their own organisation's)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monitoring_scopes",
                             verbose_name=_("user"))
    level = models.CharField(_("level"), max_length=12,
                             choices=[(Level.REGION, Level.REGION.label), (Level.NATIONAL, Level.NATIONAL.label)])
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["level", "region_id"]
        verbose_name = _("monitoring scope")
        verbose_name_plural = _("monitoring scopes")
        constraints = [
            models.UniqueConstraint(fields=["user", "level", "region"], name="unique_monitoring_scope"),
            models.CheckConstraint(
                condition=(Q(level="region") & Q(region__isnull=False)) | (Q(level="national") & Q(region__isnull=True)),
                name="monitoring_scope_region_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}:{self.region_id or '-'}"


class ReportRequest(models.Model):
    """A periodic report (semester or annual, task-force style) generated in the background."""

    class PeriodKind(models.TextChoices):
        SEMESTER_1 = "semester_1", _("first semester (January-June)")
        SEMESTER_2 = "semester_2", _("second semester (July-December)")
        ANNUAL = "annual", _("annual")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being prepared")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    period_kind = models.CharField(_("period"), max_length=12, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True, default="")
    pdf_path = models.CharField(max_length=300, blank=True, default="")
    xlsx_path = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")

    def __str__(self) -> str:
        return f"report {self.id}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


FACT_SERVICES = ("health_rehabilitation", "social_rehabilitation", "legal_aid", "repatriation", "social_reintegration")
FACT_DOMAINS = ("safety", "legal", "mental", "economic", "social", "physical")


class CaseFigures(models.Model):
    """What the indicators need from the large tables (deliveries, applications, assessments) for one
    case: the fields shared by the figures dashboards read (``CaseFact``) and the refresh's scratch
    table (``CaseFactStage``). Holds no identity and no free text."""

    # The case's non-identifying attributes, for disaggregation without joins.
    identified_on = models.DateField(null=True, blank=True)
    organisation_id = models.IntegerField(null=True, blank=True)
    region_code = models.CharField(max_length=8, blank=True, default="")
    sex = models.CharField(max_length=10, blank=True, default="")
    age_band = models.CharField(max_length=8, blank=True, default="")
    is_child = models.BooleanField(null=True, blank=True)
    nationality = models.CharField(max_length=2, blank=True, default="")
    exploitation = models.CharField(max_length=40, blank=True, default="")
    modus = models.CharField(max_length=24, blank=True, default="")
    channel = models.CharField(max_length=16, blank=True, default="")
    first_service_on = models.DateField(null=True, blank=True)
    health_rehabilitation_on = models.DateField(null=True, blank=True)
    social_rehabilitation_on = models.DateField(null=True, blank=True)
    legal_aid_on = models.DateField(null=True, blank=True)
    repatriation_on = models.DateField(null=True, blank=True)
    social_reintegration_on = models.DateField(null=True, blank=True)
    # Legal time limits (care.clocks rules as configured at the refresh): the first application
    # and whether a qualifying service followed within the limit; first aid; police report.
    application_on = models.DateField(null=True, blank=True)
    application_met = models.BooleanField(null=True, blank=True)
    first_aid_met = models.BooleanField(null=True, blank=True)
    police_met = models.BooleanField(null=True, blank=True)
    # Recovery: the baseline and the most recent reassessment (holistic, completed).
    baseline_assessment_id = models.UUIDField(null=True, blank=True)
    latest_assessment_id = models.UUIDField(null=True, blank=True)
    latest_on = models.DateField(null=True, blank=True)
    baseline_mean = models.FloatField(null=True, blank=True)
    latest_mean = models.FloatField(null=True, blank=True)
    base_safety = models.FloatField(null=True, blank=True)
    base_legal = models.FloatField(null=True, blank=True)
    base_mental = models.FloatField(null=True, blank=True)
    base_economic = models.FloatField(null=True, blank=True)
    base_social = models.FloatField(null=True, blank=True)
    base_physical = models.FloatField(null=True, blank=True)
    last_safety = models.FloatField(null=True, blank=True)
    last_legal = models.FloatField(null=True, blank=True)
    last_mental = models.FloatField(null=True, blank=True)
    last_economic = models.FloatField(null=True, blank=True)
    last_social = models.FloatField(null=True, blank=True)
    last_physical = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True


class CaseFact(CaseFigures):
    """One row per case, computed in bulk SQL by ``facts.facts_refresh`` so a national dashboard reads a
    join instead of scanning millions of deliveries. A row is rewritten only when its figures change
    (``refreshed_at`` says when that last happened)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="monitoring_fact")
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("case figures (monitoring)")
        indexes = [models.Index(fields=["identified_on"]), models.Index(fields=["latest_on"]),
                   models.Index(fields=["application_on"]), models.Index(fields=["organisation_id", "identified_on"])]

    def __str__(self) -> str:
        return f"facts of {self.case_id}"


class CaseFactStage(CaseFigures):
    """The refresh's scratch table: the figures of the cases being recomputed, built here in several
    bulk passes and then merged into ``CaseFact`` (only rows that differ are written), so dashboards
    never read a half-computed row and the table they read is not rewritten pass after pass. Empty
    between refreshes; used only under the refresh's lock (unlogged on PostgreSQL)."""

    case_id = models.UUIDField(primary_key=True)

    class Meta:
        verbose_name = _("case figures being recomputed (monitoring)")

    def __str__(self) -> str:
        return f"staged facts of {self.case_id}"


class DirtyCase(models.Model):
    """A case whose figures must be recomputed by the next refresh. Written in the same transaction
    as the change itself (from the change history every service writes, see ``facts.cases_mark``),
    so a committed change always leaves its mark; the refresh deletes the marks it has taken. A plain
    insert, no unique key: writers never wait for each other or for a running refresh."""

    case_id = models.UUIDField()
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case with changed figures (monitoring)")

    def __str__(self) -> str:
        return f"changed {self.case_id}"


class FactsRefresh(models.Model):
    """The last completed refresh of the case figures (one row). ``as_of`` is when it started: every
    change committed before then is in the figures. ``fingerprint`` digests what the figures depend on
    besides the case records (time-limit rules, the service catalogue, the instruments): when it
    differs, the next refresh rebuilds every case."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    as_of = models.DateTimeField()
    finished_at = models.DateTimeField()
    full = models.BooleanField(default=False)  # whether the last refresh rebuilt every case
    full_at = models.DateTimeField(null=True, blank=True)
    cases = models.PositiveIntegerField(default=0)  # cases recomputed
    written = models.PositiveIntegerField(default=0)  # rows of CaseFact inserted, changed or deleted
    seconds = models.FloatField(default=0.0)
    fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("refresh of the case figures (monitoring)")

    def __str__(self) -> str:
        return f"figures as of {self.as_of:%Y-%m-%d %H:%M}"
