"""Checking input in the service functions: collect every field error, then raise them together.

Every room's services use ``Errors`` so that the user sees all the problems of a form at once,
as one ``ValidationError`` (field -> messages) that the pages and the API both show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.models import Region


class Errors:
    """Collects field errors so the user sees every problem at once, then raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field_name: str, message: str) -> None:
        self.errors.setdefault(field_name, []).append(str(message))

    def check(self, field_name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            for message in exc.messages:
                self.add(field_name, message)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def not_in_future(errors: Errors, field_name: str, value: dt.date | None, *, today: dt.date) -> None:
    if value and value > today:
        errors.add(field_name, _("This date is in the future."))


def region_at_level(errors: Errors, field_name: str, code: str | None, *levels: int) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code, level__in=levels).first()
    if region is None:
        errors.add(field_name, _("Unknown region code: %(code)s.") % {"code": code})
    return region
