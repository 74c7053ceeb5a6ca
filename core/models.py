"""Reference data shared by every room: Indonesian administrative regions (wilayah)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A province, kabupaten/kota or kecamatan, keyed by its Kemendagri code (``32.04.05``).

    Source: Kepmendagri 300.2.2-2138/2025 via the MIT-licensed cahyadsn/wilayah dataset;
    see ``core/data/wilayah/README.md``.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        REGENCY = 2, _("regency or city")
        DISTRICT = 3, _("district")

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("province")
        KABUPATEN = "kabupaten", _("regency")
        KOTA = "kota", _("city")
        KECAMATAN = "kecamatan", _("district")

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.code[:2]
