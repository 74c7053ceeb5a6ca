"""The decent-work check: the markers of DOMAIN.md section 10, item by item, on an offer's terms.

A pure function of the terms (no database): the services store each run with its results. A
failed item blocks the proposal with its reason; a supervisor may override it, with a reason
(``services.decent_work_override``). The ILO forced-labour indicators of the intake are the warning
signs: each item names the indicator its failure points to, and a warning says so louder when the
survivor's own intake recorded that indicator.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from core.choices import IloIndicator

from . import conf, wages
from .models import Accommodation, ContractType


@dataclass
class Terms:
    """What an offer says about the work (a vacancy, or a placement's actual terms)."""

    region: str = ""  # the kabupaten/kota of the workplace (Indonesia), empty when abroad
    monthly_wage: int | None = None
    contract_type: str = ""
    employer_name: str = ""
    bpjs_registered: bool = False
    worker_fee: int = 0
    abroad: bool = False
    destination_country: str = ""
    p3mi_licence: str = ""
    retains_documents: bool = False
    hours_per_week: int | None = None
    accommodation: str = Accommodation.NONE
    sector: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Item:
    code: str
    passed: bool
    message: str
    ilo: str = ""  # the ILO indicator a failure points to

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Result:
    items: list[Item]
    minimum_wage: int | None
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(i.passed for i in self.items)

    @property
    def failures(self) -> list[Item]:
        return [i for i in self.items if not i.passed]


def rupiah(amount: int | None) -> str:
    return "-" if amount is None else "Rp " + f"{amount:,}".replace(",", ".")


def evaluate(terms: Terms, *, survivor_ilo: list[str] | None = None) -> Result:
    items: list[Item] = []
    minimum: int | None = None
    if terms.abroad:
        # Work abroad: the regional minimum wage does not apply; UU 18/2017 Pasal 30 forbids charging
        # the worker placement costs and Pasal 51 allows placement only through a licensed P3MI.
        items.append(Item("p3mi", bool(terms.p3mi_licence.strip()),
                          _("Work abroad only through a licensed placement company (P3MI, UU 18/2017).")
                          if not terms.p3mi_licence.strip() else _("Placed through a licensed P3MI."),
                          IloIndicator.DECEPTION))
        items.append(Item("destination", bool(terms.destination_country),
                          _("The country of work is named.") if terms.destination_country
                          else _("The country of work is not named."), IloIndicator.DECEPTION))
    else:
        minimum = wages.minimum_wage(terms.region)
        if minimum is None:
            items.append(Item("wage", False, _("No minimum wage is known for this region: the wage cannot be "
                                               "checked."), IloIndicator.WAGES))
        elif terms.monthly_wage is None or terms.monthly_wage < minimum:
            items.append(Item("wage", False, _("The wage %(wage)s is below the regional minimum wage %(min)s.")
                              % {"wage": rupiah(terms.monthly_wage), "min": rupiah(minimum)}, IloIndicator.WAGES))
        else:
            items.append(Item("wage", True, _("The wage %(wage)s is at or above the regional minimum wage %(min)s.")
                              % {"wage": rupiah(terms.monthly_wage), "min": rupiah(minimum)}))
    written = bool(terms.contract_type) and terms.contract_type != ContractType.NONE
    items.append(Item("contract", written, _("A written contract.") if written
                      else _("There is no written contract."), IloIndicator.DECEPTION))
    items.append(Item("employer", bool(terms.employer_name.strip()),
                      _("The employer is identified.") if terms.employer_name.strip()
                      else _("The employer is not identified."), IloIndicator.DECEPTION))
    items.append(Item("bpjs", terms.bpjs_registered, _("Registered in BPJS Ketenagakerjaan.") if terms.bpjs_registered
                      else _("Not registered in BPJS Ketenagakerjaan."), IloIndicator.VULNERABILITY))
    items.append(Item("fee", terms.worker_fee == 0, _("No fee is charged to the worker.") if terms.worker_fee == 0
                      else _("A fee of %(fee)s is charged to the worker.") % {"fee": rupiah(terms.worker_fee)},
                      IloIndicator.DEBT))
    items.append(Item("documents", not terms.retains_documents,
                      _("The worker keeps their identity documents.") if not terms.retains_documents
                      else _("The employer keeps the worker's identity documents."), IloIndicator.DOCUMENTS))
    limit = conf.max_weekly_hours()
    hours_ok = terms.hours_per_week is not None and terms.hours_per_week <= limit
    items.append(Item("hours", hours_ok, _("%(hours)s hours a week, within the law.") % {"hours": terms.hours_per_week}
                      if hours_ok else _("The hours a week are unknown or above %(limit)s.") % {"limit": limit},
                      IloIndicator.OVERTIME))
    accommodation_ok = terms.accommodation in (Accommodation.NONE, Accommodation.ADEQUATE)
    items.append(Item("accommodation", accommodation_ok, _("Accommodation conditions are acceptable.")
                      if accommodation_ok else _("The accommodation is unsafe or restricts movement."),
                      IloIndicator.MOVEMENT if terms.accommodation == Accommodation.RESTRICTED
                      else IloIndicator.CONDITIONS))
    experienced = set(survivor_ilo or [])
    labels = dict(IloIndicator.choices)
    warnings = []
    for item in items:
        if not item.passed and item.ilo:
            warnings.append({"ilo": item.ilo, "label": str(labels.get(item.ilo, item.ilo)),
                             "experienced": item.ilo in experienced, "item": item.code})
    return Result(items=items, minimum_wage=minimum, warnings=warnings)
