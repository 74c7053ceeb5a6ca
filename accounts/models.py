"""Organisations, people and their roles."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock
from core.concurrency import Versioned


class Organisation(Versioned, models.Model):
    class Kind(models.TextChoices):
        UPTD_PPA = "uptd_ppa", _("UPTD PPA")
        DINAS_SOSIAL = "dinas_sosial", _("Dinas Sosial")
        KEMENSOS_SHELTER = "kemensos_shelter", _("Kemensos shelter or sentra")
        HEALTH = "health", _("health facility")
        POLICE_PPA = "police_ppa", _("police PPA unit")
        LPSK = "lpsk", _("LPSK")
        KP2MI = "kp2mi", _("KP2MI/BP2MI")
        KEMLU = "kemlu", _("Kemlu or mission abroad")
        NGO = "ngo", _("NGO")
        COMMUNITY = "community", _("faith or community organisation")
        VILLAGE = "village", _("village government")
        EMPLOYER = "employer", _("employer")
        TRAINING = "training", _("training provider")
        OTHER = "other", _("other")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", _("WIB (UTC+7)")
        WITA = "Asia/Makassar", _("WITA (UTC+8)")
        WIT = "Asia/Jayapura", _("WIT (UTC+9)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    time_zone = models.CharField(_("time zone"), max_length=20, choices=TimeZone.choices, default=TimeZone.WIB)
    is_active = models.BooleanField(_("active"), default=True)
    # The version of the list of services it provides (care's page and the partner profile edit it).
    services_version = models.PositiveIntegerField(_("version of the list of services"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


# Provinces in WITA and WIT; every other province is WIB.
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def time_zone_for_region(region_code: str) -> str:
    province = region_code[:2]
    if province in WIT_PROVINCES:
        return Organisation.TimeZone.WIT
    if province in WITA_PROVINCES:
        return Organisation.TimeZone.WITA
    return Organisation.TimeZone.WIB


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("caseworker")
    SUPERVISOR = "supervisor", _("supervisor")
    PSYCHOLOGIST = "psychologist", _("psychologist")
    HEALTH_WORKER = "health_worker", _("health worker")
    LEGAL_OFFICER = "legal_officer", _("legal officer")
    LIVELIHOOD_OFFICER = "livelihood_officer", _("livelihood officer")
    ME_OFFICER = "me_officer", _("monitoring & evaluation officer")
    ORG_ADMIN = "org_admin", _("organisation administrator")


# Roles whose holders can be on a case team and so see case files.
CASE_ROLES = frozenset(
    {
        Role.CASEWORKER,
        Role.SUPERVISOR,
        Role.PSYCHOLOGIST,
        Role.HEALTH_WORKER,
        Role.LEGAL_OFFICER,
        Role.LIVELIHOOD_OFFICER,
    }
)


class User(Versioned, AbstractUser):
    """A person who works in Sintas. Belongs to one organisation (platform administrators may not)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    is_platform_admin = models.BooleanField(_("platform administrator"), default=False)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def role_set(self) -> frozenset[str]:
        """The user's roles, read once per request object."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            if not self.pk:
                cached = frozenset()
            else:
                cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set() & set(roles))

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]
        verbose_name = _("role assignment")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


def api_token_default_expiry() -> dt.datetime:
    """A token lives ``SINTAS_API_TOKEN_DAYS`` (90) days unless its owner chose fewer."""
    return clock.now() + dt.timedelta(days=settings.SINTAS_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the key is shown once.

    A token stands in for a two-factor sign-in, so it does not live for ever: it expires
    (``expires_at``) and can be revoked by its owner or their organisation's administrator."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=api_token_default_expiry)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= clock.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired
