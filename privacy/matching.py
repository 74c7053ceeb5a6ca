"""Finding the same person in the vault by keyed hashes, without telling the user anything.

One indexed query per search, whatever it finds (``candidates``): the vault entries sharing a block
key with the typed identity (the NIK's keyed hash, the normalised name, its phonetic key, or the date
of birth), at most ``SINTAS_LINKAGE_MAX_CANDIDATES``, each with whether the user may see one of its
cases. Scores are computed here from the hashes (nothing is decrypted). What a match outside the
user's scope leads to (linkage requests, the access log, the probing alert) is written after the
response (``privacy.after_response``), so the answer, its status and its queries are the same as
for a person nobody knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When

from access import policy
from survivors.linkage import IdentityProbe
from survivors.models import Identity
from survivors.validators import nik_hash

from . import conf
from .keys import keys_for
from .models import LinkageRequest


@dataclass(frozen=True)
class Match:
    survivor_id: Any
    kind: str  # LinkageRequest.Kind
    score: float
    in_scope: bool


def probe_keys(probe: IdentityProbe) -> dict[str, str]:
    return {"nik_hash": nik_hash(probe.nik) if probe.nik else "", **keys_for(probe)}


def score(probe: dict[str, str], row: dict[str, Any], weights: dict[str, float]) -> float:
    """The agreement of two vault entries without a common NIK, from their keyed hashes (0 when
    both have a NIK: different NIKs are different people)."""
    if probe["nik_hash"] and row["nik_hash"]:
        return 0.0
    total = 0.0
    if probe["name_key_hash"] and probe["name_key_hash"] == row["name_key_hash"]:
        total += weights["name"]
    elif probe["name_phonetic_hash"] and probe["name_phonetic_hash"] == row["name_phonetic_hash"]:
        total += weights["name_phonetic"]
    else:
        mine = set(probe["name_tokens_hash"].split())
        theirs = set((row["name_tokens_hash"] or "").split())
        if mine and theirs:
            total += weights["name_tokens"] * len(mine & theirs) / len(mine | theirs)
    if probe["birth_date_hash"] and probe["birth_date_hash"] == row["birth_date_hash"]:
        total += weights["birth_date"]
    elif probe["birth_year_hash"] and probe["birth_year_hash"] == row["birth_year_hash"]:
        total += weights["birth_year"]
    if probe["region_hash"] and probe["region_hash"] == row["region_hash"]:
        total += weights["region"]
    return round(total, 4)


def candidates(*, actor: Any, keys: dict[str, str], exclude_survivor_id: Any = None) -> list[dict[str, Any]]:
    """The vault entries sharing a block key: exactly one query, indexed lookups only."""
    return list(candidate_queryset(actor=actor, keys=keys, exclude_survivor_id=exclude_survivor_id))


def candidate_queryset(*, actor: Any, keys: dict[str, str], exclude_survivor_id: Any = None) -> QuerySet[Any]:
    blocks = Q()
    for column in ("nik_hash", "name_key_hash", "name_phonetic_hash", "birth_date_hash"):
        if keys.get(column):
            blocks |= Q(**{column: keys[column]})
    if not blocks:
        blocks = Q(nik_hash="-")  # never matches; still one query, as for everyone else
    visible = policy.cases_visible_to(actor).filter(survivor_id=OuterRef("survivor_id"))
    qs = Identity.objects.filter(blocks)
    if exclude_survivor_id is not None:
        qs = qs.exclude(survivor_id=exclude_survivor_id)
    # When a block is crowded (a common name), the entries agreeing on most keys come first, so the
    # cap never drops the likeliest person for a merely namesake one.
    agreement = sum(
        (Case(When(Q(**{column: keys[column]}), then=Value(weight)), default=Value(0))
         for column, weight in (("nik_hash", 16), ("name_key_hash", 4), ("name_phonetic_hash", 2),
                                ("birth_date_hash", 4), ("region_hash", 1)) if keys.get(column)),
        Value(0),
    )
    return (
        qs.annotate(agreement=agreement)
        .order_by("-agreement")[: conf.max_candidates()]
        .annotate(in_scope=Exists(visible), visible_case=Subquery(visible.order_by("-opened_at").values("pk")[:1]))
        .values("survivor_id", "survivor__code", "nik_hash", "name_key_hash", "name_phonetic_hash", "name_tokens_hash",
                "birth_date_hash", "birth_year_hash", "region_hash", "in_scope", "visible_case")
    )


def matches_for(*, actor: Any, probe: IdentityProbe, exclude_survivor_id: Any = None) -> tuple[list[Match], dict[str, Any] | None]:
    """Every match at or above the threshold, and the in-scope row with the same NIK (if any)."""

    keys = probe_keys(probe)
    weights, threshold = conf.weights(), conf.threshold()
    found: list[Match] = []
    same_nik_in_scope = None
    for row in candidates(actor=actor, keys=keys, exclude_survivor_id=exclude_survivor_id):
        if keys["nik_hash"] and row["nik_hash"] == keys["nik_hash"]:
            found.append(Match(row["survivor_id"], LinkageRequest.Kind.NIK, 1.0, bool(row["in_scope"])))
            if row["in_scope"] and same_nik_in_scope is None:
                same_nik_in_scope = row
            continue
        value = score(keys, row, weights)
        if value >= threshold:
            found.append(Match(row["survivor_id"], LinkageRequest.Kind.PROBABLE, value, bool(row["in_scope"])))
    return found, same_nik_in_scope
