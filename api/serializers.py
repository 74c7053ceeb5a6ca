"""Serializer fields and helpers every room's API uses (below the rooms: imports no room).

Each room's serializers live in its own ``api.py``; they only check types and shapes, every rule
lives in the service functions, which the pages call too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from rest_framework import serializers

REGION_CODE_MAX = 8


def country_code_clean(value: str) -> str:
    """The code upper-cased; a ValidationError for a code that is not an ISO 3166-1 country."""
    code = (value or "").strip().upper()
    if code and code not in countries:
        raise serializers.ValidationError(_("Unknown country code: %(code)s.") % {"code": code})
    return code


class CountryCodeField(serializers.CharField):
    """An ISO 3166-1 alpha-2 country code (``ID``, ``MY``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, "code", value) or "")


class RegionCodeField(serializers.CharField):
    """A Kemendagri region code (``53``, ``53.71``, ``53.71.01``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", REGION_CODE_MAX)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, "code", value))


class BlankChoicesKept(serializers.ModelSerializer[Any]):
    """A model serializer whose read-only choice fields keep the model field's blank value.

    DRF drops ``allow_blank`` from read-only fields, so the schema's enum would leave out the
    ``""`` these fields do hold while nothing was chosen; a client validating the response against
    the schema would then reject a real case file. Mix it in before ``ModelSerializer``.
    """

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        model: Any = self.Meta.model
        meta = model._meta
        for name, field in fields.items():
            if not isinstance(field, serializers.ChoiceField) or not field.read_only or field.allow_blank:
                continue
            try:
                model_field = meta.get_field(field.source or name)
            except FieldDoesNotExist:
                continue
            if model_field.blank and isinstance(model_field, models.CharField):
                field.allow_blank = True
        return fields


def choice_list(choice_class: Any, **kwargs: Any) -> serializers.ListField:
    """A list of values of one of ``core.choices``' choice classes."""
    return serializers.ListField(child=serializers.ChoiceField(choices=choice_class.choices), **kwargs)
