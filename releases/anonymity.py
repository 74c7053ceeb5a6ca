"""k-anonymity and l-diversity of a record-level data set, and the suppression that enforces them.

k-anonymity (Sweeney 2002): every combination of quasi-identifier values (an *equivalence class*)
is shared by at least k records. Distinct l-diversity (Machanavajjhala et al. 2007): every class
holds at least l distinct values of the sensitive attribute, so knowing someone's class does not
reveal it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

# The quasi-identifiers (what an adversary may know about a person) and the sensitive attribute.
QUASI_IDENTIFIERS = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation")


@dataclass(frozen=True)
class AnonymityReport:
    records: int
    classes: int
    k: int  # the smallest class size (0 for an empty data set)
    l: int  # noqa: E741 - the smallest number of distinct sensitive values in a class
    k_required: int
    l_required: int
    violating_classes: int  # classes below k_required or below l_required
    violating_records: int
    k_violating_classes: int
    l_violating_classes: int
    quasi_identifiers: tuple[str, ...]
    sensitive: str

    @property
    def passes(self) -> bool:
        return self.records > 0 and self.violating_classes == 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["quasi_identifiers"] = list(self.quasi_identifiers)
        data["passes"] = self.passes
        return data


def _classes(records: Sequence[dict[str, Any]], qi: Sequence[str]) -> dict[tuple[Any, ...], list[int]]:
    classes: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for n, record in enumerate(records):
        classes[tuple(record.get(q) for q in qi)].append(n)
    return classes


def check(records: Sequence[dict[str, Any]], *, k_required: int, l_required: int,
          sensitive: Callable[[dict[str, Any]], Any], sensitive_name: str,
          qi: Sequence[str] = QUASI_IDENTIFIERS) -> AnonymityReport:
    classes = _classes(records, qi)
    k = min((len(m) for m in classes.values()), default=0)
    diversity = {key: len({sensitive(records[n]) for n in members}) for key, members in classes.items()}
    l_value = min(diversity.values(), default=0)
    k_bad = {key for key, members in classes.items() if len(members) < k_required}
    l_bad = {key for key, d in diversity.items() if d < l_required}
    bad = k_bad | l_bad
    return AnonymityReport(
        records=len(records), classes=len(classes), k=k, l=l_value, k_required=k_required, l_required=l_required,
        violating_classes=len(bad), violating_records=sum(len(classes[key]) for key in bad),
        k_violating_classes=len(k_bad), l_violating_classes=len(l_bad), quasi_identifiers=tuple(qi),
        sensitive=sensitive_name,
    )


def suppress_violations(records: Sequence[dict[str, Any]], *, k_required: int, l_required: int,
                        sensitive: Callable[[dict[str, Any]], Any],
                        qi: Sequence[str] = QUASI_IDENTIFIERS) -> list[dict[str, Any]]:
    """The records outside every class that is smaller than k or less diverse than l. Removing whole
    classes leaves every remaining class unchanged, so the result passes the same check."""
    classes = _classes(records, qi)
    keep: list[int] = []
    for members in classes.values():
        if len(members) >= k_required and len(Counter(sensitive(records[n]) for n in members)) >= l_required:
            keep.extend(members)
    return [records[n] for n in sorted(keep)]
