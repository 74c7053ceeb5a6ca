"""Sections other rooms add to the case file, so each room owns its part of the page.

A room registers, in its AppConfig.ready(), a function (request, case) -> CaseSection | None.
It must check the access policy itself (the case file is already visible to the user) and use a
fixed number of queries, whatever the amount of data (the case file's query count is tested).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CaseSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


SectionProvider = Callable[[Any, Any], "CaseSection | None"]
_SECTIONS: list[SectionProvider] = []


def register(provider: SectionProvider) -> SectionProvider:
    if provider not in _SECTIONS:
        _SECTIONS.append(provider)
    return provider


def sections_for(request: Any, case: Any) -> list[CaseSection]:
    found = [s for s in (provider(request, case) for provider in _SECTIONS) if s is not None]
    return sorted(found, key=lambda s: s.order)
