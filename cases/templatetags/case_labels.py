"""``{{ obj|label:"field" }}``: the display label of a choice field, as ``get_FIELD_display``.

``get_FIELD_display`` rebuilds the field's choices (lazy translations, made hashable) on every
call: a caseload page of 25 rows made 125 such calls and 600 translation look-ups. This looks the
label up in a table built once per model, field and language.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()

_LABELS: dict[tuple[str, str, str | None], dict[Any, str]] = {}


@register.filter
def label(obj: Any, field_name: str) -> Any:
    value = getattr(obj, field_name)
    key = (obj._meta.label, field_name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        field = obj._meta.get_field(field_name)
        labels = _LABELS[key] = {k: str(v) for k, v in field.flatchoices}
    try:
        return labels.get(value, value)
    except TypeError:  # an unhashable value: shown as it is, as get_FIELD_display does
        return value
