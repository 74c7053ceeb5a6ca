"""The person-level count beside monitoring's case count (``monitoring.indicators`` registry).

Monitoring counts cases; a survivor registered by two organisations and linked (a confirmed linkage
request: the other organisation proposed a referral or a transfer) is one person. The indicator
``persons_identified`` counts the cases identified in the period with each linked person once,
for an organisation, a region or the nation alike, through the same disclosure control.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from monitoring.indicators import COUNT, Indicator, register
from monitoring.indicators.builtin import COHORT, identified

from .selectors import persons_of


def persons_identified(params: Any) -> QuerySet[Any]:


    return persons_of(identified(params))


def register_indicators() -> None:

    register(Indicator(
        code="persons_identified", title=_("Persons identified (a person registered by two organisations counted once)"),
        kind=COUNT, population=persons_identified, source=_("UU 21/2007; Gugus Tugas PP-TPPO reporting"),
        period=COHORT, unit=_("persons"), order=11, group=_("Identification"),
    ))
