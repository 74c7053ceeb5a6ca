"""Legal protection and restitution: criminal proceedings with their stages and hearings, suspects
and perpetrators (identity encrypted), LPSK applications, the loss ledger with encrypted evidence,
restitution claims (versioned PDFs), restitution ordered per perpetrator, payments and non-payment
steps (UU 21/2007 Pasal 48-50, Perma 1/2022, PP 7/2018, PP 43/2017, UU 31/2014; docs/legal.md).

Nothing here is edited silently: stages, losses, claims, payments and steps are appended; a
payment is corrected by a new entry with a reason. Only a proceeding's particulars and a hearing's
accompanying person are edited, with optimistic concurrency (``core.concurrency``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from core.crypto import EncryptedBinaryField, EncryptedTextField


class Stage(models.TextChoices):
    """The criminal process (DOMAIN.md section 11), in order."""

    POLICE_REPORT = "police_report", _("police report (laporan polisi)")
    INVESTIGATION = "investigation", _("investigation (penyidikan)")
    FILE_COMPLETE = "file_complete", _("case file complete (P-21)")
    PROSECUTION = "prosecution", _("prosecution (penuntutan)")
    TRIAL = "trial", _("trial (persidangan)")
    VERDICT = "verdict", _("verdict (putusan)")
    FINAL = "final", _("final and binding (inkracht)")
    APPEAL = "appeal", _("appeal (banding)")
    CASSATION = "cassation", _("cassation (kasasi)")


STAGE_ORDER = {value: i for i, value in enumerate(Stage.values)}


class SurvivorRole(models.TextChoices):
    VICTIM_WITNESS = "victim_witness", _("victim-witness")
    VICTIM = "victim", _("victim, not a witness")
    REPORTER = "reporter", _("victim and reporting party")


class Proceeding(Versioned, models.Model):
    """One criminal proceeding in which the survivor is a victim (a case may have several)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="proceedings")
    title = models.CharField(_("short description"), max_length=200)
    survivor_role = models.CharField(_("the survivor's role"), max_length=20, choices=SurvivorRole.choices,
                                     default=SurvivorRole.VICTIM_WITNESS)
    police_report_number = models.CharField(_("police report number"), max_length=100, blank=True, default="")
    police_unit = models.CharField(_("police unit"), max_length=200, blank=True, default="")
    police_report_date = models.DateField(_("police report date"), null=True, blank=True)
    court_name = models.CharField(_("court"), max_length=200, blank=True, default="")
    child_victim = models.BooleanField(
        _("child victim (PP 43/2017 applies)"), default=False,
        help_text=_("The perpetrator then has the period for child victims to pay restitution."))
    stage = models.CharField(_("current stage"), max_length=20, choices=Stage.choices, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("criminal proceeding")
        verbose_name_plural = _("criminal proceedings")

    def __str__(self) -> str:
        return self.title


class StageEvent(models.Model):
    """A stage the proceeding reached: date, responsible institution and its case number."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    on = models.DateField(_("date"))
    institution = models.CharField(_("responsible institution"), max_length=200)
    case_number = models.CharField(_("case number"), max_length=100, blank=True, default="")
    # Verdict only: what the court decided.
    articles_proven = models.CharField(_("articles proven"), max_length=300, blank=True, default="")
    sentence = models.CharField(_("sentence"), max_length=300, blank=True, default="")
    # Final judgment only: when it was served on (made known to) the parties.
    served_on = models.DateField(_("date the final judgment was served"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("stage of a proceeding")
        verbose_name_plural = _("stages of a proceeding")

    def __str__(self) -> str:
        return f"{self.proceeding_id}: {self.stage} {self.on}"


class Hearing(Versioned, models.Model):
    """A hearing on the calendar, with who accompanies the survivor (a user, or a name)."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="hearings")
    at = models.DateTimeField(_("date and time"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, default="")
    companion_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("accompanying person (user)"))
    companion_name = models.CharField(_("accompanying person (name)"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.proceeding_id}: {self.at}"

    @property
    def has_companion(self) -> bool:
        return bool(self.companion_user_id or self.companion_name)


class PartyRole(models.TextChoices):
    SUSPECT = "suspect", _("suspect (tersangka)")
    DEFENDANT = "defendant", _("defendant (terdakwa)")
    CONVICTED = "convicted", _("convicted perpetrator (terpidana)")


class Relationship(models.TextChoices):
    RECRUITER = "recruiter", _("recruiter or broker")
    AGENCY = "agency", _("placement agency")
    EMPLOYER = "employer", _("employer")
    FAMILY = "family", _("family member")
    PARTNER = "partner", _("partner or spouse")
    ACQUAINTANCE = "acquaintance", _("acquaintance")
    STRANGER = "stranger", _("stranger")
    OTHER = "other", _("other")


class Party(models.Model):
    """A suspect or perpetrator, recorded minimally. The identity is specific personal data
    (criminal proceedings, UU 27/2022 Pasal 4): encrypted, shown to legal officers only, logged."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)
    relationship = models.CharField(_("relationship to the survivor"), max_length=20, choices=Relationship.choices)
    at_large = models.BooleanField(_("at large (DPO)"), default=False)
    name = EncryptedTextField(_("name"))
    identity_note = EncryptedTextField(_("other identifying details"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("suspect or perpetrator")
        verbose_name_plural = _("suspects and perpetrators")

    def __str__(self) -> str:
        return f"{self.proceeding_id}: {self.role} #{self.pk}"


class Protection(models.TextChoices):
    PHYSICAL = "physical", _("physical protection")
    PROCEDURAL = "procedural", _("procedural rights")
    MEDICAL = "medical", _("medical aid")
    PSYCHOSOCIAL = "psychosocial", _("psychosocial rehabilitation")
    RESTITUTION = "restitution", _("restitution facilitation")


class LpskDecision(models.TextChoices):
    GRANTED = "granted", _("granted")
    PARTLY = "partly", _("partly granted")
    REFUSED = "refused", _("refused")


class LpskApplication(models.Model):
    """An application to LPSK for protection (UU 31/2014)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="lpsk_applications")
    applied_on = models.DateField(_("date of application"))
    requested = models.JSONField(_("protection requested"), default=list)
    complete_on = models.DateField(_("found complete on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=LpskDecision.choices, blank=True, default="")
    decided_on = models.DateField(_("date of decision"), null=True, blank=True)
    granted = models.JSONField(_("protection granted"), default=list)
    protection_until = models.DateField(_("protection until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["applied_on", "id"]
        verbose_name = _("LPSK application")
        verbose_name_plural = _("LPSK applications")

    def __str__(self) -> str:
        return f"LPSK {self.case_id} {self.applied_on}"

    @property
    def requested_labels(self) -> str:
        return ", ".join(str(Protection(v).label) for v in self.requested if v in Protection.values)

    @property
    def granted_labels(self) -> str:
        return ", ".join(str(Protection(v).label) for v in self.granted if v in Protection.values)


class LossHead(models.TextChoices):
    """Heads of loss of UU 21/2007 Pasal 48(2) and Perma 1/2022."""

    PROPERTY_INCOME = "property_income", _("lost property or income")
    SUFFERING = "suffering", _("suffering")
    MEDICAL = "medical", _("medical and psychological costs")
    TRANSPORT = "transport", _("transport costs")
    LEGAL = "legal", _("legal costs")
    OTHER = "other", _("other losses")


class Loss(models.Model):
    """One loss in the ledger. Never edited; a loss recorded in error is withdrawn with a reason."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="legal_losses")
    head = models.CharField(_("head of loss"), max_length=20, choices=LossHead.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=0)
    incurred_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True, default="")
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Prefilled from a recorded service delivery's cost (medical and psychological costs): each
    # delivery is in the ledger at most once, even after its loss is withdrawn.
    delivery = models.OneToOneField(
        "care.ServiceDelivery", on_delete=models.RESTRICT, null=True, blank=True, related_name="legal_loss",
        verbose_name=_("from the service delivery"))

    class Meta:
        ordering = ["incurred_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="legal_loss_amount_positive")]
        verbose_name = _("loss")
        verbose_name_plural = _("losses")

    def __str__(self) -> str:
        return f"{self.head} {self.amount}"


class Evidence(models.Model):
    """An evidence document of a loss, encrypted at rest; every opening is access-logged."""

    loss = models.ForeignKey(Loss, on_delete=models.CASCADE, related_name="evidence")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    content = EncryptedBinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self) -> str:
        return self.filename


class ClaimRecipient(models.TextChoices):
    LPSK = "lpsk", _("LPSK")
    PROSECUTOR = "prosecutor", _("public prosecutor")
    COURT = "court", _("court (directly)")


class Claim(models.Model):
    """One version of the restitution claim (PP 7/2018 content), with its PDF as generated."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="claims")
    number = models.PositiveIntegerField(_("version"))
    recipient = models.CharField(_("submitted to"), max_length=12, choices=ClaimRecipient.choices)
    amount = models.DecimalField(_("amount claimed (Rp)"), max_digits=14, decimal_places=0)
    snapshot = models.JSONField(_("content"))
    pdf = EncryptedBinaryField()
    filed_on = models.DateField(_("filed on"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("prepared"))

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["proceeding", "number"], name="unique_legal_claim_number")]
        verbose_name = _("restitution claim")
        verbose_name_plural = _("restitution claims")

    def __str__(self) -> str:
        return f"claim {self.proceeding_id} v{self.number}"


class Order(models.Model):
    """Restitution ordered by the verdict against one perpetrator."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="orders")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="orders", verbose_name=_("perpetrator"))
    amount = models.DecimalField(_("restitution ordered (Rp)"), max_digits=14, decimal_places=0)
    served_on = models.DateField(_("final judgment served on"), null=True, blank=True)
    due_on = models.DateField(_("payment due"), null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="legal_order_amount_positive"),
            models.UniqueConstraint(fields=["proceeding", "party"], name="unique_legal_order_party"),
        ]
        verbose_name = _("restitution order")
        verbose_name_plural = _("restitution orders")

    def __str__(self) -> str:
        return f"order {self.pk} {self.amount}"


class PaymentChannel(models.TextChoices):
    DIRECT = "direct", _("paid to the survivor")
    COURT = "court", _("deposited at the court")
    LPSK = "lpsk", _("through LPSK")


class Payment(models.Model):
    """A payment received, or a correction of an earlier one (a new entry with a reason, the
    amount it adds or, negative, takes away). Never edited."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=0)
    channel = models.CharField(_("how it was paid"), max_length=10, choices=PaymentChannel.choices)
    proof_reference = models.CharField(_("proof (receipt or transfer number)"), max_length=100, blank=True,
                                       default="")
    proof_sha256 = models.CharField(max_length=64, blank=True, default="")
    proof_filename = models.CharField(_("proof file"), max_length=200, blank=True, default="")
    proof_content_type = models.CharField(max_length=60, blank=True, default="")
    proof = EncryptedBinaryField(null=True, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
                                 verbose_name=_("corrects"))
    reason = models.TextField(_("reason for the correction"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("restitution payment")
        verbose_name_plural = _("restitution payments")

    def __str__(self) -> str:
        return f"payment {self.pk} {self.amount}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


class NonPaymentStep(models.TextChoices):
    WARNING = "warning", _("court warning")
    SEIZURE = "seizure", _("seizure and auction of assets")
    CONFINEMENT = "confinement", _("substitute confinement")


STEP_ORDER = {value: i for i, value in enumerate(NonPaymentStep.values)}


class EnforcementStep(models.Model):
    """A step taken because restitution was not paid (UU 21/2007 Pasal 50(2)-(4))."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=12, choices=NonPaymentStep.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("non-payment step")
        verbose_name_plural = _("non-payment steps")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.step} {self.on}"


class ClockAlert(models.Model):
    """That the alert for one passed legal deadline was raised (so it is raised once)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80, unique=True)
    raised_at = models.DateTimeField()

    class Meta:
        verbose_name = _("legal deadline alert")

    def __str__(self) -> str:
        return self.key


ZERO = Decimal(0)
