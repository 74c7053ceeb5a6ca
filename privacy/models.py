"""Linkage requests: the same person possibly registered by another organisation (docs/privacy.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock


class LinkageRequest(models.Model):
    """A registration (or identity change) in one organisation matched a survivor that another
    organisation (or people of the same organisation outside the registering user's scope) holds.

    It copies no identity: it names the two cases, the kind and score of the match. Only the
    supervisors of ``target_organisation`` see it (``access.privacy``); the requester learns of it
    only once they act, and only that they proposed a referral or a transfer."""

    class Kind(models.TextChoices):
        NIK = "nik", _("same NIK")
        PROBABLE = "probable", _("probable match (name, date of birth, region)")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        IGNORED = "ignored", _("ignored")
        REFERRAL = "referral", _("a referral is being proposed")
        TRANSFER = "transfer", _("a transfer is being proposed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requesting_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("requesting organisation"),
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requesting_case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    target_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation"),
    )
    matched_case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("match"), max_length=10, choices=Kind.choices)
    score = models.FloatField(_("score"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    created_at = models.DateTimeField(_("found"), default=clock.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decision_note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("linkage request")
        constraints = [
            models.UniqueConstraint(fields=["requesting_case", "matched_case"], name="privacy_linkage_pair_once"),
        ]
        indexes = [models.Index(fields=["target_organisation", "status", "created_at"])]

    def __str__(self) -> str:
        return f"linkage {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.status in CONFIRMED


CONFIRMED = (LinkageRequest.Status.REFERRAL, LinkageRequest.Status.TRANSFER)


class ProbingAlert(models.Model):
    """More registrations matching known people by one user in one day than ``SINTAS_LINKAGE_PROBE_LIMIT``:
    a pattern of probing whether people are known, for the platform administrators. One per user and day."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, null=True,
                                     related_name="+")
    day = models.DateField(_("day"))
    matches = models.PositiveIntegerField(_("registrations that matched"))
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-day", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="privacy_probing_once_a_day")]

    def __str__(self) -> str:
        return f"probing {self.user_id} {self.day}"


class EmergencyGrant(models.Model):
    """Break-the-glass: one user may view one case outside their scope, read-only, until
    ``expires_at`` (docs/privacy.md). What a grant allows is decided by ``access.policy`` alone;
    this row is the fact it reads. Each use is reviewed by a supervisor of the lead organisation
    (accepted or reported) by ``review_due``."""

    class Review(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REPORTED = "reported", _("reported as misuse")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("opened by"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation of the user"))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    lead_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("lead organisation"))
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("opened"), default=clock.now, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    review_due = models.DateField(_("review due"))
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING,
                              db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("emergency access")
        indexes = [models.Index(fields=["user", "case", "expires_at"]),
                   models.Index(fields=["lead_organisation", "review", "review_due"])]

    def __str__(self) -> str:
        return f"emergency {self.pk}"

    def is_live(self) -> bool:
        return self.expires_at > clock.now()
