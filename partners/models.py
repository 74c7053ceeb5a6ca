"""Partner directory: organisation profiles, services, regions served, capacity.

The services an organisation provides are care's ``OrganisationService`` rows (one list for the
directory and for recording deliveries); this room adds what the directory needs besides.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned


class PartnerProfile(Versioned, models.Model):
    """How an organisation presents itself to partners who refer survivors to it."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, primary_key=True, related_name="partner_profile",
        verbose_name=_("organisation"),
    )
    is_listed = models.BooleanField(
        _("listed in the partner directory"), default=True,
        help_text=_("An organisation not listed cannot be found or referred to."),
    )
    accepting_referrals = models.BooleanField(_("accepting referrals now"), default=True)
    description = models.TextField(_("description"), blank=True, default="")
    national = models.BooleanField(_("serves all of Indonesia"), default=False)
    serves_children = models.BooleanField(_("serves children"), default=True)
    serves_women = models.BooleanField(_("serves women"), default=True)
    serves_men = models.BooleanField(_("serves men"), default=True)
    serves_foreign_nationals = models.BooleanField(_("serves foreign nationals"), default=False)
    shelter_beds_total = models.PositiveIntegerField(_("shelter beds"), null=True, blank=True)
    shelter_beds_available = models.PositiveIntegerField(_("shelter beds free now"), null=True, blank=True)
    training_places_total = models.PositiveIntegerField(_("training places"), null=True, blank=True)
    training_places_available = models.PositiveIntegerField(_("training places free now"), null=True, blank=True)
    # Language names as written by the organisation ("Bahasa Indonesia", "Tetun", "Sasak"...).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    contact_name = models.CharField(_("contact person or desk"), max_length=200, blank=True, default="")
    contact_email = models.EmailField(_("contact email"), blank=True, default="")
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, default="")
    contact_hours = models.CharField(_("opening hours"), max_length=200, blank=True, default="")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")

    def __str__(self) -> str:
        return f"profile of {self.organisation_id}"


class PartnerRegion(models.Model):
    """A region an organisation serves: a whole province or one kabupaten/kota."""

    profile = models.ForeignKey(PartnerProfile, on_delete=models.CASCADE, related_name="regions")
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "region"], name="unique_partner_region")]
        indexes = [models.Index(fields=["region", "profile"])]
        verbose_name = _("region served")

    def __str__(self) -> str:
        return f"{self.profile_id}:{self.region_id}"
