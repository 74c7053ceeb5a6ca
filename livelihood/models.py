"""Economic empowerment: the survivor's economic profile, opportunities (training, vacancies,
enterprise support), the decent-work check, the survivor's choice, enrolment, placement,
enterprise, income follow-up and labour-market demand (docs/livelihood.md).

Sectors are ISIC Rev. 4 sections (KBLI is aligned with ISIC at the section level), the same codes
as the intake's forced-labour industry. Amounts are rupiah, whole numbers. Nothing here is deleted
by the application: a training enrolment is *dropped*, a placement *ended*.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import ForcedLabourIndustry
from core.concurrency import Versioned

Sector = ForcedLabourIndustry


class Education(models.TextChoices):
    NONE = "none", _("no schooling")
    PRIMARY = "primary", _("primary school (SD)")
    JUNIOR = "junior", _("junior secondary (SMP)")
    SENIOR = "senior", _("senior secondary (SMA)")
    VOCATIONAL = "vocational", _("vocational secondary (SMK)")
    DIPLOMA = "diploma", _("diploma (D1-D4)")
    UNIVERSITY = "university", _("university degree")


class Literacy(models.TextChoices):
    NONE = "none", _("cannot read or write")
    BASIC = "basic", _("reads and writes a little")
    FLUENT = "fluent", _("reads and writes well")


class Constraint(models.TextChoices):
    CHILDCARE = "childcare", _("childcare")
    HEALTH = "health", _("health")
    TRAVEL = "travel", _("travel distance")
    HOURS = "hours", _("limited hours")
    DOCUMENTS = "documents", _("identity documents missing")


# The constraints a referral packet may carry: a health constraint stays with the case team.
SHAREABLE_CONSTRAINTS = (Constraint.CHILDCARE, Constraint.TRAVEL, Constraint.HOURS, Constraint.DOCUMENTS)


class IncomeSource(models.TextChoices):
    NONE = "none", _("no income")
    WAGES = "wages", _("wages")
    OWN_BUSINESS = "own_business", _("own business")
    FARMING = "farming", _("farming or fishing")
    FAMILY = "family", _("family support")
    SOCIAL_ASSISTANCE = "social_assistance", _("social assistance")
    REMITTANCES = "remittances", _("remittances")


class SkillLevel(models.IntegerChoices):
    NONE = 0, _("none")
    BASIC = 1, _("basic")
    GOOD = 2, _("good")
    EXPERT = 3, _("expert")


class EconomicProfile(models.Model):
    """The survivor's economic profile, one per case, versioned like the plan: ``version`` is the
    number of the latest revision (0 before the first save); every save keeps a snapshot.

    Visible to the case team only (``access.livelihood``). Its work history and debts never leave
    the case team; a referral packet carries only ``shareable_summary`` (selectors)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="economic_profile")
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True, default="")
    literacy = models.CharField(_("literacy"), max_length=8, choices=Literacy.choices, blank=True, default="")
    languages = models.CharField(_("languages"), max_length=300, blank=True, default="")
    certificates = models.TextField(_("certificates"), blank=True, default="")
    interests_text = models.TextField(_("interests, in the survivor's own words"), blank=True, default="")
    interest_sectors = models.JSONField(_("sectors of interest"), default=list, blank=True)
    constraints = models.JSONField(_("constraints"), default=list, blank=True)
    constraint_notes = models.TextField(_("about the constraints"), blank=True, default="")
    income_sources = models.JSONField(_("income now"), default=list, blank=True)
    debt_amount = models.PositiveBigIntegerField(_("debts (rupiah)"), default=0)
    debt_to_recruiter = models.BooleanField(_("some of the debt is owed to a recruiter or agent"), default=False)
    preferred_region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("where the survivor wants to live and work"),
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(_("last changed"), null=True)

    class Meta:
        verbose_name = _("economic profile")
        verbose_name_plural = _("economic profiles")

    def __str__(self) -> str:
        return f"economic profile of {self.case_id} v{self.version}"


class WorkHistory(models.Model):
    profile = models.ForeignKey(EconomicProfile, on_delete=models.CASCADE, related_name="work_history")
    sector = models.CharField(_("sector"), max_length=60, choices=Sector.choices)
    role = models.CharField(_("role"), max_length=200)
    employer_name = models.CharField(_("employer or recruiter"), max_length=200, blank=True, default="")
    country = models.CharField(_("country"), max_length=2, blank=True, default="")
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    was_exploitative = models.BooleanField(_("the exploitative job"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("work history")

    def __str__(self) -> str:
        return self.role


class SkillRecord(models.Model):
    profile = models.ForeignKey(EconomicProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.CharField(_("skill"), max_length=40)
    self_level = models.PositiveSmallIntegerField(_("level (the survivor's own view)"), choices=SkillLevel.choices)
    assessed_level = models.PositiveSmallIntegerField(_("level (assessed)"), choices=SkillLevel.choices, null=True,
                                                      blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="unique_profile_skill")]
        verbose_name = _("skill")

    def __str__(self) -> str:
        return self.skill

    @property
    def level(self) -> int:
        """The assessed level where there is one: it is what a provider or employer will test."""
        return int(self.assessed_level if self.assessed_level is not None else self.self_level)


class ProfileRevision(models.Model):
    profile = models.ForeignKey(EconomicProfile, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    snapshot = models.JSONField(_("content"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("saved"))

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["profile", "number"], name="unique_profile_revision")]

    def __str__(self) -> str:
        return f"{self.profile_id} r{self.number}"


# --- opportunities ---------------------------------------------------------------------------------


class OpportunityKind(models.TextChoices):
    TRAINING = "training", _("training programme")
    VACANCY = "vacancy", _("job vacancy")
    ENTERPRISE = "enterprise", _("enterprise support")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", pgettext_lazy("status of an opportunity", "open")
    CLOSED = "closed", _("closed")


class ContractType(models.TextChoices):
    PERMANENT = "pkwtt", _("permanent (PKWTT)")
    FIXED_TERM = "pkwt", _("fixed term (PKWT)")
    DAILY = "daily", _("daily or piece work")
    NONE = "none", _("no written contract")


class Accommodation(models.TextChoices):
    NONE = "none", _("no accommodation")
    ADEQUATE = "adequate", _("provided, adequate, free to leave")
    INADEQUATE = "inadequate", _("provided, overcrowded or unsafe")
    RESTRICTED = "restricted", _("provided, movement restricted")


class SupportType(models.TextChoices):
    GRANT = "grant", _("grant")
    IN_KIND = "in_kind", _("in-kind support")
    MICROCREDIT = "microcredit", _("microcredit")
    MENTORING = "mentoring", _("mentoring")


class Opportunity(Versioned):
    """A training programme, job vacancy or enterprise support an organisation publishes.

    One table for the three kinds, so that matching reads every open opportunity in one query.
    A draft is visible to its organisation only; an open one to everyone who works on cases."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="opportunities",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=12, choices=OpportunityKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=OpportunityStatus.choices,
                              default=OpportunityStatus.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    sector = models.CharField(_("sector"), max_length=60, choices=Sector.choices)
    skills = models.JSONField(_("skills taught or required"), default=list, blank=True)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("regency or city"))
    online = models.BooleanField(_("online"), default=False)
    start_date = models.DateField(_("starts"), null=True, blank=True)
    end_date = models.DateField(_("ends"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours a week"), null=True, blank=True)
    places_free = models.PositiveIntegerField(_("places free"), default=0)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    women_only = models.BooleanField(_("for women only"), default=False)
    childcare_available = models.BooleanField(_("childcare available"), default=False)
    flexible_schedule = models.BooleanField(_("flexible schedule"), default=False)
    documents_required = models.BooleanField(_("identity documents required"), default=True)
    # training
    certification = models.CharField(_("certificate"), max_length=200, blank=True, default="")
    cost = models.PositiveBigIntegerField(_("cost to the participant (rupiah)"), default=0)
    stipend = models.PositiveBigIntegerField(_("stipend (rupiah)"), default=0)
    # vacancy
    employer_name = models.CharField(_("employer"), max_length=200, blank=True, default="")
    monthly_wage = models.PositiveBigIntegerField(_("monthly wage (rupiah)"), null=True, blank=True)
    contract_type = models.CharField(_("contract"), max_length=8, choices=ContractType.choices, blank=True,
                                     default="")
    bpjs_registered = models.BooleanField(_("registered in BPJS Ketenagakerjaan"), default=False)
    accommodation = models.CharField(_("accommodation"), max_length=12, choices=Accommodation.choices,
                                     default=Accommodation.NONE)
    abroad = models.BooleanField(_("work abroad"), default=False)
    destination_country = models.CharField(_("country of work"), max_length=2, blank=True, default="")
    p3mi_licence = models.CharField(_("licence of the placement company (P3MI)"), max_length=100, blank=True,
                                    default="")
    worker_fee = models.PositiveBigIntegerField(_("fee charged to the worker (rupiah)"), default=0)
    retains_documents = models.BooleanField(_("employer keeps identity documents"), default=False)
    # enterprise support
    support_type = models.CharField(_("support"), max_length=12, choices=SupportType.choices, blank=True,
                                    default="")
    amount_max = models.PositiveBigIntegerField(_("largest amount (rupiah)"), default=0)
    conditions = models.TextField(_("conditions"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("last changed"))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "kind"]), models.Index(fields=["organisation", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                                   | Q(end_date__gte=models.F("start_date")), name="opportunity_dates_in_order"),
        ]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")

    def __str__(self) -> str:
        return self.title


class CheckStatus(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    OVERRIDDEN = "overridden", _("failed, overridden by a supervisor")


class DecentWorkCheck(models.Model):
    """One run of the decent-work check on an offer's terms, for a vacancy (``case`` empty) or for one
    survivor (a proposal or a placement). ``items`` is the list of results (livelihood.decent_work)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="checks")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    terms = models.JSONField(_("terms checked"))
    items = models.JSONField(_("results"))
    warnings = models.JSONField(_("warning signs"), default=list)
    status = models.CharField(_("result"), max_length=12, choices=CheckStatus.choices)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked"))
    override_reason = models.TextField(_("reason for the override"), blank=True, default="")
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    overridden_at = models.DateTimeField(_("overridden"), null=True, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("decent-work check")

    def __str__(self) -> str:
        return f"check {self.pk}: {self.status}"

    @property
    def allows_proposal(self) -> bool:
        return self.status in (CheckStatus.PASSED, CheckStatus.OVERRIDDEN)

    @property
    def failures(self) -> list[dict[str, object]]:
        return [i for i in self.items if not i.get("passed")]


class MatchChoice(models.Model):
    """What the survivor chose from the suggestions shown, or that they chose none (and why)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="livelihood_choices")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("chosen"))
    note = models.TextField(_("in the survivor's words"), blank=True, default="")
    shown = models.JSONField(_("suggestions shown"), default=list)
    work_check = models.ForeignKey(DecentWorkCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"choice {self.pk}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    COMPLETED = "completed", _("completed")
    DROPPED = "dropped", _("dropped out")


class Enrolment(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="enrolments")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="enrolments",
                                    verbose_name=_("training programme"))
    goal = models.ForeignKey("plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("plan goal"))
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ENROLLED)
    enrolled_on = models.DateField(_("enrolled"))
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    certificate = models.CharField(_("certificate"), max_length=200, blank=True, default="")
    # The basis on which the provider knows the survivor (access.livelihood): the referral to the
    # provider that it accepted (its id: the referrals room sits above this one), or, when the
    # survivor enrolled directly, the consent naming the provider. Neither for the lead's own programme.
    referral_id = models.UUIDField(_("referral"), null=True, blank=True)
    direct_consent = models.ForeignKey("survivors.ConsentRecord", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("consent to enrol directly"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-enrolled_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "opportunity"], name="unique_enrolment"),
            models.CheckConstraint(condition=Q(completed_on__isnull=True) | Q(completed_on__gte=models.F("enrolled_on")),
                                   name="enrolment_dates_in_order"),
        ]
        verbose_name = _("training enrolment")

    def __str__(self) -> str:
        return f"{self.case_id} in {self.opportunity_id}"

    @property
    def basis(self) -> str:
        """How the provider came to know the survivor: "referral", "direct" or "" (the lead's own)."""
        if self.referral_id is not None:
            return "referral"
        return "direct" if self.direct_consent_id is not None else ""


class Placement(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="placements")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("vacancy"))
    goal = models.ForeignKey("plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("plan goal"))
    employer_name = models.CharField(_("employer"), max_length=200)
    sector = models.CharField(_("sector"), max_length=60, choices=Sector.choices)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("regency or city"))
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    monthly_wage = models.PositiveBigIntegerField(_("monthly wage (rupiah)"))
    hours_per_week = models.PositiveSmallIntegerField(_("hours a week"))
    contract_type = models.CharField(_("contract"), max_length=8, choices=ContractType.choices)
    work_check = models.ForeignKey(DecentWorkCheck, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("decent-work check"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="placement_dates_in_order"),
        ]
        verbose_name = _("placement")

    def __str__(self) -> str:
        return f"{self.case_id} at {self.employer_name}"


class Enterprise(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="enterprises")
    goal = models.ForeignKey("plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("plan goal"))
    business_type = models.CharField(_("business"), max_length=200)
    sector = models.CharField(_("sector"), max_length=60, choices=Sector.choices)
    plan = models.TextField(_("business plan"), blank=True, default="")
    support = models.ForeignKey(Opportunity, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("enterprise support"))
    support_amount = models.PositiveBigIntegerField(_("support received (rupiah)"), default=0)
    started_on = models.DateField(_("started"))
    first_sales_on = models.DateField(_("first sales"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(first_sales_on__isnull=True)
                                   | Q(first_sales_on__gte=models.F("started_on")), name="enterprise_sales_after_start"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("started_on")),
                                   name="enterprise_closed_after_start"),
        ]
        verbose_name = _("enterprise")

    def __str__(self) -> str:
        return self.business_type


class IncomeBand(models.TextChoices):
    NONE = "none", _("no income")
    BELOW_HALF = "below_half", _("below half the minimum wage")
    BELOW = "below", _("below the minimum wage")
    AT_OR_ABOVE = "at_or_above", _("at or above the minimum wage")


class DebtChange(models.TextChoices):
    NO_DEBT = "no_debt", _("no debt")
    DECREASED = "decreased", _("decreased")
    SAME = "same", _("unchanged")
    INCREASED = "increased", _("increased")


class IncomeFollowUp(models.Model):
    """Income at a follow-up visit (3, 6, 12, 24 months after the start of the livelihood work)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="income_follow_ups")
    months_after = models.PositiveSmallIntegerField(_("months after"))
    recorded_on = models.DateField(_("date of the visit"))
    working = models.BooleanField(_("working or running a business"))
    decent_work = models.BooleanField(_("in decent work"), default=False)
    monthly_income = models.PositiveBigIntegerField(_("monthly income (rupiah)"), default=0)
    minimum_wage = models.PositiveBigIntegerField(_("minimum wage that applied (rupiah)"))
    band = models.CharField(_("income band"), max_length=12, choices=IncomeBand.choices)
    debt_change = models.CharField(_("debts since the last visit"), max_length=10, choices=DebtChange.choices)
    note = models.TextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["months_after"]
        constraints = [models.UniqueConstraint(fields=["case", "months_after"], name="unique_income_follow_up")]
        verbose_name = _("income follow-up")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.months_after}m"


class LabourDemand(models.Model):
    """Published labour-market figures per kabupaten/kota and sector, imported by an administrator."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("regency or city"))
    sector = models.CharField(_("sector"), max_length=60, choices=Sector.choices)
    period = models.CharField(_("period"), max_length=7)  # "2026" or "2026-03"
    openings = models.PositiveIntegerField(_("openings"), null=True, blank=True)
    growth_percent = models.DecimalField(_("growth (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_date = models.DateField(_("date of the source"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        ordering = ["region_id", "sector", "-period"]
        constraints = [models.UniqueConstraint(fields=["region", "sector", "period", "source"],
                                               name="unique_labour_demand")]
        verbose_name = _("labour-market demand")

    def __str__(self) -> str:
        return f"{self.region_id} {self.sector} {self.period}"
