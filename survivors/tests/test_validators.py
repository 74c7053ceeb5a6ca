"""The checks the survivor services run before they write: NIK, dates, regions, photos, and the
error collector every room's services use."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import Region
from core.validation import Errors, not_in_future, region_at_level
from survivors.validators import nik_check_consistent, nik_hash, nik_normalise, nik_parse, photo_validate

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 60


@pytest.mark.django_db
class TestNik:
    def test_valid_female_nik(self) -> None:
        parts = nik_parse("5371015204990001", today=dt.date(2026, 11, 27))
        assert parts.female and parts.birth_date == dt.date(1999, 4, 12) and parts.region_code == "53.71.01"

    @pytest.mark.parametrize("nik, message", [
        ("12345", "16 digits"),
        ("53710152049900ab", "16 digits"),
        ("9999015204990001", "region"),
        ("5371013204990001", "not a real date"),  # day 32
        ("5371011213990001", "not a real date"),  # month 13
        ("5371011212260001", "future"),  # born 12 Dec 2026
        ("5371015204990000", "0000"),
    ])
    def test_invalid(self, nik: str, message: str) -> None:
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            nik_parse(nik, today=dt.date(2026, 11, 27))
        assert message in str(exc.value)

    def test_plus_40_rule_for_women(self) -> None:
        parts = nik_parse("5371011204990001", today=dt.date(2026, 11, 27))  # day 12: a man's NIK
        with pytest.raises(ValidationError):
            nik_check_consistent(parts, sex="female", birth_date=None)
        nik_check_consistent(parts, sex="male", birth_date=dt.date(1999, 4, 12))
        with pytest.raises(ValidationError):
            nik_check_consistent(parts, sex="male", birth_date=dt.date(1999, 4, 13))


def test_nik_as_people_type_it_is_the_same_nik() -> None:
    assert nik_normalise(" 5371 0152-0499.0001 ") == "5371015204990001"
    assert nik_hash("5371 0152 0499 0001") == nik_hash("5371015204990001")
    assert nik_hash("5371015204990001") != nik_hash("3578010107880002")
    assert "5371015204990001" not in nik_hash("5371015204990001")  # the hash does not carry the NIK


@pytest.mark.parametrize("data, content_type", [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")])
def test_photo_types_that_are_kept(data: bytes, content_type: str) -> None:
    errors = Errors()
    assert photo_validate(errors, io.BytesIO(data)) == (data, content_type)
    assert errors.errors == {}


def test_photo_type_is_read_from_the_file_not_its_name() -> None:
    errors = Errors()
    with translation.override("en"):
        assert photo_validate(errors, io.BytesIO(GIF)) is None
    assert errors.errors == {"photo": ["The photo must be a JPEG, PNG or WebP image."]}


def test_photo_too_large_is_refused_before_it_is_read(settings: object) -> None:
    settings.SINTAS_PHOTO_MAX_BYTES = 2 * 1024 * 1024  # type: ignore[attr-defined]

    class Upload(io.BytesIO):
        size = 3 * 1024 * 1024

        def read(self, *args: object) -> bytes:
            raise AssertionError("an upload over the limit must not be read")

    errors = Errors()
    with translation.override("en"):
        assert photo_validate(errors, Upload(PNG)) is None
    assert errors.errors == {"photo": ["The photo is larger than 2 MB."]}


def test_photo_without_a_size_is_measured_while_read(settings: object) -> None:
    settings.SINTAS_PHOTO_MAX_BYTES = 32  # type: ignore[attr-defined]
    errors = Errors()
    assert photo_validate(errors, io.BytesIO(PNG)) is None
    assert list(errors.errors) == ["photo"]
    assert photo_validate(Errors(), None) is None  # no photo sent: nothing to check


def test_a_date_in_the_future_is_refused_today_is_not() -> None:
    today = dt.date(2026, 3, 2)
    errors = Errors()
    with translation.override("en"):
        not_in_future(errors, "identified_on", today, today=today)
        not_in_future(errors, "birth_date", None, today=today)
        not_in_future(errors, "given_on", today + dt.timedelta(days=1), today=today)
    assert errors.errors == {"given_on": ["This date is in the future."]}


@pytest.mark.django_db
def test_region_codes_must_exist_at_the_level_asked() -> None:
    errors = Errors()
    with translation.override("en"):
        regency = region_at_level(errors, "origin_regency", "53.71", Region.Level.REGENCY)
        assert region_at_level(errors, "origin_regency", "53", Region.Level.REGENCY) is None  # a province
        assert region_at_level(errors, "origin_province", "99", Region.Level.PROVINCE) is None
        assert region_at_level(errors, "origin_province", "", Region.Level.PROVINCE) is None  # not stated
    assert regency is not None and regency.code == "53.71"
    assert errors.errors == {
        "origin_regency": ["Unknown region code: 53."],
        "origin_province": ["Unknown region code: 99."],
    }


def test_errors_are_collected_and_raised_together() -> None:
    errors = Errors()
    errors.raise_if_any()  # nothing collected: nothing raised

    def refuse(value: str) -> str:
        raise ValidationError(["first problem", "second problem"])

    assert errors.check("nik", str.upper, "ok") == "OK"
    assert errors.check("nik", refuse, "bad") is None
    errors.add("full_name", "Enter a name.")
    with pytest.raises(ValidationError) as exc:
        errors.raise_if_any()
    assert exc.value.message_dict == {"nik": ["first problem", "second problem"], "full_name": ["Enter a name."]}
