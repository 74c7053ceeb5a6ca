"""k-anonymity and l-diversity on a hand-made table and on the real CTDC extract."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

from releases import anonymity
from tests.shared_data import CTDC_EXTRACT

from .conftest import needs_extract

QI = ("year", "sex", "age")


def _rows(spec: list[tuple[str, str, str, str, int]]) -> list[dict[str, str]]:
    rows = []
    for year, sex, age, exploit, n in spec:
        rows += [{"year": year, "sex": sex, "age": age, "exploit": exploit}] * n
    return rows


# Classes: (2020, F, 18-20): 3 records, 2 types  -> k 3, l 2
#          (2020, M, 30-38): 2 records, 1 type   -> k 2, l 1
#          (2021, F, 9-17):  4 records, 3 types  -> k 4, l 3
HAND = _rows([
    ("2020", "F", "18-20", "sexual", 2), ("2020", "F", "18-20", "labour", 1),
    ("2020", "M", "30-38", "labour", 2),
    ("2021", "F", "9-17", "sexual", 2), ("2021", "F", "9-17", "labour", 1), ("2021", "F", "9-17", "other", 1),
])


def _check(rows: list[dict[str, str]], k: int, l_req: int) -> anonymity.AnonymityReport:
    return anonymity.check(rows, k_required=k, l_required=l_req, sensitive=lambda r: r["exploit"],
                           sensitive_name="exploit", qi=QI)


def test_hand_made_table_k_l_and_violations() -> None:
    report = _check(HAND, k=3, l_req=2)
    assert (report.records, report.classes, report.k, report.l) == (9, 3, 2, 1)
    assert report.k_violating_classes == 1 and report.l_violating_classes == 1  # the same (M, 30-38) class
    assert report.violating_classes == 1 and report.violating_records == 2
    assert not report.passes
    strict = _check(HAND, k=4, l_req=3)
    assert strict.k_violating_classes == 2 and strict.l_violating_classes == 2 and strict.violating_classes == 2
    assert strict.violating_records == 5
    assert _check(HAND, k=2, l_req=1).passes


def test_suppression_removes_exactly_the_violating_classes_and_then_passes() -> None:
    kept = anonymity.suppress_violations(HAND, k_required=3, l_required=2, sensitive=lambda r: r["exploit"], qi=QI)
    assert len(kept) == 7 and all(r["sex"] == "F" for r in kept)
    after = _check(kept, k=3, l_req=2)
    assert after.passes and (after.k, after.l) == (3, 2)


def test_empty_data_set_does_not_pass() -> None:
    report = _check([], k=11, l_req=2)
    assert report.k == 0 and not report.passes


@needs_extract
def test_on_the_real_extract_k_and_l_match_an_independent_count() -> None:
    with CTDC_EXTRACT.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    qi = ("yearOfRegistration", "gender", "ageCategories", "citizenship")
    report = anonymity.check(rows, k_required=11, l_required=2, sensitive=lambda r: r["ExploitType"],
                             sensitive_name="ExploitType", qi=qi)
    sizes = Counter(tuple(r[q] for q in qi) for r in rows)
    types: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for r in rows:
        types[tuple(r[q] for q in qi)].add(r["ExploitType"])
    assert report.records == 14299
    assert report.classes == len(sizes)
    assert report.k == min(sizes.values())
    assert report.l == min(len(v) for v in types.values())
    bad = {key for key, n in sizes.items() if n < 11} | {key for key, t in types.items() if len(t) < 2}
    assert report.violating_classes == len(bad)
    assert report.violating_records == sum(sizes[key] for key in bad)
    # Real data is skewed: some classes are tiny, as CTDC found (k-anonymity suppresses much).
    assert report.k < 11 and report.violating_records > 0
    kept = anonymity.suppress_violations(rows, k_required=11, l_required=2, sensitive=lambda r: r["ExploitType"], qi=qi)
    assert len(kept) == 14299 - report.violating_records
    assert anonymity.check(kept, k_required=11, l_required=2, sensitive=lambda r: r["ExploitType"],
                           sensitive_name="ExploitType", qi=qi).passes
