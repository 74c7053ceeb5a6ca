"""Assessment instruments (as data, versioned) and the assessments recorded with them.

An instrument is never edited in place once used: a changed wording or scale is a new ``version``,
so every past assessment keeps the exact items it was answered with.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import Domain


def in_indonesian() -> bool:
    return (get_language() or "id").startswith("id")


def localised(obj: Any, stem: str) -> str:
    """``obj.<stem>_id`` in Indonesian, ``obj.<stem>_en`` otherwise (falling back to the other)."""
    first, second = ("id", "en") if in_indonesian() else ("en", "id")
    text: str = getattr(obj, f"{stem}_{first}") or getattr(obj, f"{stem}_{second}")
    return text


def localised_dict(data: dict[str, Any], stem: str) -> str:
    first, second = ("id", "en") if in_indonesian() else ("en", "id")
    return str(data.get(f"{stem}_{first}") or data.get(f"{stem}_{second}") or "")


class Instrument(models.Model):
    class Kind(models.TextChoices):
        HOLISTIC = "holistic", _("holistic (six domains)")
        SCREENING = "screening", _("screening")

    class Scoring(models.TextChoices):
        # Each domain's score is the mean of its answered items; unanswered items are skipped.
        DOMAIN_MEAN = "domain_mean", _("mean per domain")
        # The total of all items, placed in the instrument's published bands.
        SUM_BANDS = "sum_bands", _("total with bands")

    code = models.CharField(_("code"), max_length=20)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    scoring = models.CharField(_("scoring rule"), max_length=12, choices=Scoring.choices)
    scale_min = models.PositiveSmallIntegerField(_("lowest answer"))
    scale_max = models.PositiveSmallIntegerField(_("highest answer"))
    instructions_id = models.TextField(_("instructions (Indonesian)"), blank=True, default="")
    instructions_en = models.TextField(_("instructions (English)"), blank=True, default="")
    # Answer labels shared by every item (screening instruments): [{"value", "label_id", "label_en"}].
    options = models.JSONField(_("answer options"), default=list, blank=True)
    # Published bands, lowest first: [{"min", "code", "label_id", "label_en", "setting"?}]. "setting"
    # names a Django setting that may override "min" (the PCL-5 cut-off).
    bands = models.JSONField(_("bands"), default=list, blank=True)
    source = models.CharField(_("source and licence"), max_length=300, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_instrument_version")]
        verbose_name = _("instrument")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def instructions(self) -> str:
        return localised(self, "instructions")

    @property
    def is_screening(self) -> bool:
        return self.kind == self.Kind.SCREENING

    def option_label(self, value: int) -> str:
        for option in self.options:
            if option.get("value") == value:
                return localised_dict(option, "label")
        return ""


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices, null=True, blank=True)
    text_id = models.TextField(_("text (Indonesian)"))
    text_en = models.TextField(_("text (English)"))
    # An answer at or above this value raises an alert of ``alert_kind`` at once (PHQ-9 item 9).
    alert_at = models.PositiveSmallIntegerField(null=True, blank=True)
    alert_kind = models.CharField(max_length=24, blank=True, default="")

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="unique_item_number")]
        verbose_name = _("item")

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.number}"

    @property
    def text(self) -> str:
        return localised(self, "text")


class Level(models.Model):
    """What a value of a holistic item looks like in the survivor's life (1 = high vulnerability,
    4 = thriving). Sintas's own wording."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("value"))
    text_id = models.TextField(_("description (Indonesian)"))
    text_en = models.TextField(_("description (English)"))

    class Meta:
        ordering = ["item", "value"]
        constraints = [models.UniqueConstraint(fields=["item", "value"], name="unique_item_level")]
        verbose_name = _("level description")

    def __str__(self) -> str:
        return f"{self.item} = {self.value}"

    @property
    def text(self) -> str:
        return localised(self, "text")


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", _("baseline")
    PERIODIC = "periodic", _("periodic")
    CLOSURE = "closure", _("closure")
    FOLLOW_UP = "follow_up", _("follow-up")


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        COMPLETED = "completed", _("completed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments",
                                   verbose_name=_("instrument"))
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices)
    assessed_on = models.DateField(_("date of assessment"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Whether all domains reached "restored" at completion (holistic instruments only).
    restored = models.BooleanField(_("restored"), null=True, blank=True)
    # When an alert item (PHQ-9 item 9) first crossed its threshold and the alert was raised.
    alerted_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: every write increments it; a write based on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        indexes = [models.Index(fields=["case", "status", "assessed_on"])]
        verbose_name = _("assessment")

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.kind} {self.assessed_on}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("value"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="unique_answer_item")]
        verbose_name = _("answer")

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class DomainScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domain_scores")
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices)
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="unique_domain_score")]
        verbose_name = _("domain score")

    def __str__(self) -> str:
        return f"{self.domain}={self.score}"


class ScreeningResult(models.Model):
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="screening")
    total = models.PositiveSmallIntegerField(_("total"))
    band = models.CharField(_("band"), max_length=24)
    band_label_id = models.CharField(max_length=100, blank=True, default="")
    band_label_en = models.CharField(max_length=100, blank=True, default="")
    # An alert item (PHQ-9 item 9) was answered at or above its threshold.
    flagged = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("screening result")

    def __str__(self) -> str:
        return f"{self.total} ({self.band})"

    @property
    def band_label(self) -> str:
        return localised(self, "band_label")
