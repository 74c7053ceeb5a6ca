"""The survivor: a pseudonymous core, an encrypted identity vault, guardians and consent records."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.choices import AgeBand, Sex
from core.concurrency import Versioned
from core.crypto import EncryptedBinaryField, EncryptedTextField


class Survivor(models.Model):
    """A random code plus attributes that identify no one on their own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("survivor code"), max_length=16, unique=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices)
    is_child_at_identification = models.BooleanField(_("child at identification"))
    is_child_at_exploitation = models.BooleanField(_("child at exploitation"), null=True, blank=True)
    origin_province = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province of origin"),
    )
    origin_regency = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("regency/city of origin"),
    )
    nationality = CountryField(_("nationality"), default="ID")
    registered_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survivor")
        verbose_name_plural = _("survivors")

    def __str__(self) -> str:
        return self.code


class Identity(Versioned, models.Model):
    """Identifying data, encrypted at rest with keys outside the database (UU 21/2007 Pasal 44:
    the victim's identity is confidential). Only the case team sees it, and every showing is logged."""

    survivor = models.OneToOneField(Survivor, on_delete=models.CASCADE, primary_key=True, related_name="identity")
    full_name = EncryptedTextField(_("full name"))
    aliases = EncryptedTextField(_("other names or aliases"), blank=True, default="")
    nik = EncryptedTextField(_("NIK"), blank=True, default="")
    nik_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    birth_date = EncryptedTextField(_("date of birth"), blank=True, default="")  # ISO date, encrypted
    phone_numbers = EncryptedTextField(_("phone numbers"), blank=True, default="")
    address = EncryptedTextField(_("address"), blank=True, default="")
    photo = EncryptedBinaryField(_("photo"), null=True, blank=True)
    photo_content_type = models.CharField(max_length=20, blank=True, default="")
    # Keyed hashes for finding the same person again without decrypting anything (survivors.linkage;
    # computed by the privacy room, docs/privacy.md): the normalised name (sorted tokens), its
    # phonetic key, its tokens (space-separated short hashes, for scoring only), birth date, birth year,
    # region. Named *_hash so the change history redacts them like nik_hash.
    name_key_hash = models.CharField(max_length=64, blank=True, default="")
    name_phonetic_hash = models.CharField(max_length=64, blank=True, default="")
    name_tokens_hash = models.TextField(blank=True, default="")
    birth_date_hash = models.CharField(max_length=64, blank=True, default="")
    birth_year_hash = models.CharField(max_length=64, blank=True, default="")
    region_hash = models.CharField(max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        # Plain B-tree indexes for equality (no PostgreSQL "_like" twin: nobody searches a hash's prefix).
        indexes = [
            models.Index(fields=["name_key_hash"], name="survivors_identity_name_key"),
            models.Index(fields=["name_phonetic_hash"], name="survivors_identity_name_phon"),
            models.Index(fields=["birth_date_hash"], name="survivors_identity_birth"),
        ]

    def __str__(self) -> str:
        return f"identity of {self.survivor_id}"


# Fields whose values never leave the vault, not even into the change history.
ENCRYPTED_IDENTITY_FIELDS = frozenset(
    {"full_name", "aliases", "nik", "birth_date", "phone_numbers", "address", "photo"}
)


class Guardian(models.Model):
    """A parent or guardian of a child survivor (UU 35/2014; UU 27/2022 Pasal 25 for consent)."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        GRANDPARENT = "grandparent", _("grandparent")
        SIBLING = "sibling", _("sibling")
        OTHER_RELATIVE = "other_relative", _("other relative")
        LEGAL_GUARDIAN = "legal_guardian", _("court-appointed guardian")
        INSTITUTION = "institution", _("institution (social service)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(Survivor, on_delete=models.CASCADE, related_name="guardians")
    full_name = EncryptedTextField(_("full name"))
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    phone = EncryptedTextField(_("phone"), blank=True, default="")
    is_suspect = models.BooleanField(
        _("suspected of involvement"), default=False,
        help_text=_("A guardian suspected of involvement in the trafficking cannot give consent."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("guardian")

    def __str__(self) -> str:
        return f"guardian {self.id}"


class ConsentRecord(models.Model):
    """A consent or other lawful basis for one purpose (UU 27/2022 Pasal 20). Versioned: a change
    is a new record that supersedes the old; nothing is overwritten. Withdrawal is recorded, not deleted."""

    class Purpose(models.TextChoices):
        CASE_MANAGEMENT = "case_management", _("case management and services")
        REFERRAL = "referral", _("referral to a partner")
        DATA_SHARING = "data_sharing", _("sharing data with another organisation")
        STATISTICS = "statistics", _("statistics and reporting")
        PHOTO = "photo", _("keeping a photo")
        LEGAL_PROCEEDINGS = "legal_proceedings", _("legal proceedings")

    class LawfulBasis(models.TextChoices):
        CONSENT = "consent", _("explicit consent")
        LEGAL_OBLIGATION = "legal_obligation", _("legal obligation")
        VITAL_INTEREST = "vital_interest", _("vital interest")
        PUBLIC_TASK = "public_task", _("public task")

    class GivenBy(models.TextChoices):
        SURVIVOR = "survivor", _("the survivor")
        GUARDIAN = "guardian", _("guardian")
        OVERRIDE = "override", _("documented override (guardian unavailable or a suspect)")
        NOT_APPLICABLE = "not_applicable", _("not applicable (basis other than consent)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey(Survivor, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=Purpose.choices)
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recipient organisation"),
    )
    scope = models.CharField(_("recipient or scope"), max_length=300, blank=True, default="")
    lawful_basis = models.CharField(_("lawful basis"), max_length=20, choices=LawfulBasis.choices)
    given_by = models.CharField(_("given by"), max_length=16, choices=GivenBy.choices)
    guardian = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, null=True, blank=True, related_name="consents", verbose_name=_("guardian")
    )
    basis_reason = models.TextField(_("reason or documentation"), blank=True, default="")
    given_on = models.DateField(_("date"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, default="")
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purpose", "-version"]
        verbose_name = _("consent record")

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version}"
