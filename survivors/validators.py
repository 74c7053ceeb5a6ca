"""Checks of survivor input that the services run before they write: the NIK and its keyed hash,
and uploaded photos.

A NIK (Nomor Induk Kependudukan) has 16 digits: the 6-digit region code of registration
(province, kabupaten/kota, kecamatan), the birth date as DDMMYY with 40 added to the day for
women, and a 4-digit serial. Field errors are collected with ``core.validation.Errors``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.crypto import keyed_hash
from core.models import Region
from core.validation import Errors


@dataclass(frozen=True)
class NikParts:
    region_code: str  # PP.KK.CC
    birth_date: dt.date
    female: bool
    serial: str


def nik_normalise(value: str) -> str:
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch not in ".-")


def nik_hash(nik: str) -> str:
    """The keyed hash a NIK is found by (the NIK itself is stored only encrypted)."""
    return keyed_hash(nik_normalise(nik), purpose="nik")


def nik_parse(value: str, *, today: dt.date | None = None) -> NikParts:
    """Parse and validate a NIK; raise ValidationError with a message for the user."""
    nik = nik_normalise(value)
    if len(nik) != 16 or not nik.isdigit():
        raise ValidationError(_("A NIK has exactly 16 digits."), code="nik_format")
    region_code = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
    regency_code = region_code[:5]
    if settings.SINTAS_NIK_STRICT_DISTRICT:
        known = Region.objects.filter(code=region_code).exists()
    else:
        known = Region.objects.filter(code=regency_code).exists() and nik[4:6] != "00"
    if not known:
        raise ValidationError(
            _("The NIK does not start with a known region code (%(code)s).") % {"code": region_code},
            code="nik_region",
        )
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    today = today or timezone.localdate()
    century = 2000 if 2000 + year2 <= today.year else 1900
    try:
        birth = dt.date(century + year2, month, day)
    except ValueError as exc:
        raise ValidationError(_("The birth date inside the NIK is not a real date."), code="nik_date") from exc
    if birth > today:
        raise ValidationError(_("The birth date inside the NIK is in the future."), code="nik_date")
    if nik[12:16] == "0000":
        raise ValidationError(_("The last four digits of a NIK cannot be 0000."), code="nik_serial")
    return NikParts(region_code=region_code, birth_date=birth, female=female, serial=nik[12:16])


def nik_check_consistent(parts: NikParts, *, sex: str, birth_date: dt.date | None) -> None:
    """The NIK must agree with the sex (+40 rule) and the birth date, where those are known."""
    if sex == "female" and not parts.female:
        raise ValidationError(
            _("For a woman the day in the NIK has 40 added (41–71); this NIK is a man's."), code="nik_sex"
        )
    if sex == "male" and parts.female:
        raise ValidationError(
            _("This NIK has 40 added to the day, which marks a woman; the sex says male."), code="nik_sex"
        )
    # The NIK holds a two-digit year: compare day, month and year modulo 100.
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        parts.birth_date.day,
        parts.birth_date.month,
        parts.birth_date.year % 100,
    ):
        raise ValidationError(
            _("The date of birth does not match the one inside the NIK (%(date)s).")
            % {"date": parts.birth_date.strftime("%d-%m-%Y")},
            code="nik_birth_date",
        )


# --- photos ------------------------------------------------------------------------------------


ALLOWED_PHOTO_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def photo_validate(errors: Errors, photo: Any) -> tuple[bytes, str] | None:
    """Read and check an uploaded photo before anything is stored: size first, then the file's own
    signature (the browser's claimed content type and the file name are not trusted)."""
    if photo is None:
        return None
    size = getattr(photo, "size", None)
    limit = settings.SINTAS_PHOTO_MAX_BYTES
    if size is not None and size > limit:
        errors.add("photo", _("The photo is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
        return None
    data = photo.read(limit + 1)
    if len(data) > limit:
        errors.add("photo", _("The photo is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
        return None
    for signature, content_type in ALLOWED_PHOTO_TYPES.items():
        if data.startswith(signature):
            return data, content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return data, "image/webp"
    errors.add("photo", _("The photo must be a JPEG, PNG or WebP image."))
    return None
