"""The skills vocabulary (``data/skills.json``): codes a profile records and opportunities teach or require."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django.utils.translation import get_language

from .conf import DATA


@cache
def _all() -> tuple[dict[str, Any], ...]:
    data = json.loads((DATA / "skills.json").read_text(encoding="utf-8"))
    return tuple(data["skills"])


def codes() -> set[str]:
    return {s["code"] for s in _all()}


def choices() -> list[tuple[str, str]]:
    key = "name_en" if (get_language() or "id").startswith("en") else "name_id"
    return [(s["code"], s[key]) for s in _all()]


def label(code: str) -> str:
    return dict(choices()).get(code, code)
