"""CTDC reference data (an external data set, never cases) and the public releases with their
privacy-budget ledger."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CtdcSource(models.Model):
    """One imported CTDC data file. Importing a file of the same name again replaces its rows."""

    class Shape(models.TextChoices):
        SYNTHETIC_2024 = "synthetic_2024", _("CTDC Global Synthetic Dataset 2024 (27 variables)")
        GLOBAL_2020 = "global_2020", _("CTDC Global Dataset 2020 (k-anonymised, 63 variables)")
        GLOBAL_2020_RECODED = "global_2020_recoded", _("recoded extract of the CTDC Global Dataset 2020 (10 columns)")

    file_name = models.CharField(_("file name"), max_length=255, unique=True)
    shape = models.CharField(_("format"), max_length=24, choices=Shape.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    imported_at = models.DateTimeField(_("imported"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("CTDC data file")
        verbose_name_plural = _("CTDC data files")

    def __str__(self) -> str:
        return self.file_name


class CtdcRecord(models.Model):
    """One record of a CTDC file, in the 2024 vocabulary ("" = NULL, flags True/False/None)."""

    source = models.ForeignKey(CtdcSource, on_delete=models.CASCADE, related_name="records")
    year = models.PositiveSmallIntegerField(null=True)
    gender = models.CharField(max_length=40, blank=True, default="")
    age_band = models.CharField(max_length=8, blank=True, default="")
    citizenship = models.CharField(max_length=3, blank=True, default="")
    country_of_exploitation = models.CharField(max_length=3, blank=True, default="")
    traffick_months = models.CharField(max_length=20, blank=True, default="")
    data_source = models.CharField(max_length=40, blank=True, default="")
    means_debt_bondage_earnings = models.BooleanField(null=True)
    means_threats = models.BooleanField(null=True)
    means_abuse_psy_phy_sex = models.BooleanField(null=True)
    means_false_promises = models.BooleanField(null=True)
    means_drugs_alcohol = models.BooleanField(null=True)
    means_deny_basic_needs = models.BooleanField(null=True)
    means_excessive_work_hours = models.BooleanField(null=True)
    means_withhold_docs = models.BooleanField(null=True)
    is_forced_labour = models.BooleanField(null=True)
    is_sexual_exploit = models.BooleanField(null=True)
    is_other_exploit = models.BooleanField(null=True)
    type_of_labour_agriculture = models.BooleanField(null=True)
    type_of_labour_construction = models.BooleanField(null=True)
    type_of_labour_domestic_work = models.BooleanField(null=True)
    type_of_labour_hospitality = models.BooleanField(null=True)
    type_of_sex_prostitution = models.BooleanField(null=True)
    type_of_sex_pornography = models.BooleanField(null=True)
    recruiter_relation_intimate_partner = models.BooleanField(null=True)
    recruiter_relation_friend = models.BooleanField(null=True)
    recruiter_relation_family = models.BooleanField(null=True)
    recruiter_relation_other = models.BooleanField(null=True)
    # Columns of older shapes with no 2024 variable (e.g. the recoded extract's Labor_Type).
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("CTDC record")

    def __str__(self) -> str:
        return f"CTDC record {self.pk}"


class Release(models.Model):
    """A public release: a differentially private table or a k-anonymous record-level data set.

    The released content is kept exactly as published (CSV text), so a download is always the
    same file and a released number can be traced to its epsilon.
    """

    class Kind(models.TextChoices):
        DP_TABLE = "dp_table", _("aggregate table with differential privacy")
        DATASET = "dataset", _("record-level CTDC-shaped data set")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    table = models.CharField(_("table"), max_length=32, blank=True, default="")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    epsilon = models.DecimalField(_("epsilon"), max_digits=8, decimal_places=4, default=0)
    content = models.TextField(_("released content (CSV)"))
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    report = models.JSONField(_("disclosure report"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("released by"))
    created_at = models.DateTimeField(_("released"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("public release")
        verbose_name_plural = _("public releases")
        permissions = [("make_release", _("Can make public statistical releases"))]

    def __str__(self) -> str:
        return f"{self.kind} {self.table} {self.period_start}..{self.period_end}"


class PrivacyLedgerEntry(models.Model):
    """The epsilon one release spent. The sum of all entries is what the installation has spent of
    ``SINTAS_DP_TOTAL_EPSILON``; entries are never changed or deleted."""

    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="ledger_entry")
    epsilon = models.DecimalField(_("epsilon"), max_digits=8, decimal_places=4)
    mechanism = models.CharField(_("mechanism"), max_length=120)
    sensitivity = models.PositiveSmallIntegerField(_("L1 sensitivity"))
    scale = models.FloatField(_("noise scale"))
    total_after = models.DecimalField(_("total spent after this release"), max_digits=10, decimal_places=4)
    spent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    spent_at = models.DateTimeField(_("spent"))

    class Meta:
        ordering = ["-spent_at", "-id"]
        verbose_name = _("privacy budget ledger entry")
        verbose_name_plural = _("privacy budget ledger")

    def __str__(self) -> str:
        return f"ε={self.epsilon} for {self.release_id}"


class BudgetLock(models.Model):
    """A single row locked (SELECT ... FOR UPDATE) while a release checks and spends the budget, so
    two releases at once cannot both spend the last of it."""

    name = models.CharField(max_length=20, unique=True)

    def __str__(self) -> str:
        return self.name
