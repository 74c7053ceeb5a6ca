"""Reads for the releases room: the CTDC reference summary, the cases a release draws on, the
privacy-budget ledger, and the SIMFONI-PPA rows. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from cases.models import Case
from core import clock
from core.choices import AgeBand, TraffickingStatus
from monitoring import disclosure
from survivors import lawful_use

from . import conf, ctdc
from .models import CtdcRecord, CtdcSource, PrivacyLedgerEntry, Release

CTDC_ATTRIBUTION = (
    "Source: Counter-Trafficking Data Collaborative (CTDC), https://www.ctdatacollaborative.org/ "
    "(data owner: IOM and CTDC partners; used under the CTDC Terms of Use)."
)

# --- CTDC reference data ------------------------------------------------------------------------------


def ctdc_latest_source() -> CtdcSource | None:
    return CtdcSource.objects.order_by("-imported_at", "-id").first()


def ctdc_sources() -> QuerySet[CtdcSource]:
    return CtdcSource.objects.select_related("imported_by").order_by("-imported_at", "-id")


EXPLOITATION_ROWS = [
    ("is_forced_labour", "isForcedLabour"),
    ("is_sexual_exploit", "isSexualExploit"),
    ("is_other_exploit", "isOtherExploit"),
]


def _exploitation_labels() -> dict[str, str]:
    return {"isForcedLabour": _("forced labour"), "isSexualExploit": _("sexual exploitation"),
            "isOtherExploit": _("other exploitation")}


def _gender_labels() -> list[tuple[str, str]]:
    return [(ctdc.GENDER_WOMAN, _("women and girls")), (ctdc.GENDER_MAN, _("men and boys")),
            (ctdc.GENDER_TRANS, _("transgender or gender non-conforming")), ("", _("not recorded"))]


def ctdc_reference_summary() -> dict[str, Any] | None:
    """The "global reference" beside Indonesian figures, from the most recently imported CTDC file,
    already through disclosure control at the public threshold. None when nothing is imported.

    Keys: ``source`` (file_name, shape, shape_label, row_count, sha256, imported_at),
    ``attribution`` (text to show with the figures), ``k``, ``total`` (records; None if hidden),
    ``tables``: ``{"sex", "age_band", "exploitation"}`` as suppressed ``monitoring.disclosure.CountTable``
    (the exploitation table has, per type, "yes" and "no" among the records that say anything
    about the type, as the CTDC codebook recommends for denominators). Four queries, whatever the size.
    """
    source = ctdc_latest_source()
    if source is None:
        return None
    k = disclosure.threshold(disclosure.PUBLIC)
    records = CtdcRecord.objects.filter(source=source)
    by_gender = dict(records.values_list("gender").annotate(n=Count("id")).order_by())
    by_age = dict(records.values_list("age_band").annotate(n=Count("id")).order_by())
    known = Q(is_forced_labour__isnull=False) | Q(is_sexual_exploit__isnull=False) | Q(is_other_exploit__isnull=False)
    aggregates: dict[str, Any] = {"known": Count("id", filter=known)}
    for field, _flag in EXPLOITATION_ROWS:
        aggregates[field] = Count("id", filter=Q(**{field: True}))
    exploitation = records.aggregate(**aggregates)

    gender_rows = _gender_labels()
    sex_table = disclosure.CountTable.one_way(
        _("CTDC records by gender"), [str(label) for _code, label in gender_rows],
        [by_gender.get(code, 0) for code, _label in gender_rows], codes=[code or "NULL" for code, _l in gender_rows])
    age_codes = [*ctdc.AGE_BANDS, ""]
    age_labels = [str(dict(AgeBand.choices)[b]) for b in ctdc.AGE_BANDS] + [_("not recorded")]
    age_table = disclosure.CountTable.one_way(
        _("CTDC records by age band"), age_labels, [by_age.get(code, 0) for code in age_codes],
        codes=[ctdc.age_to_ctdc(c) for c in age_codes])
    labels = _exploitation_labels()
    known_n = exploitation["known"]
    exploit_table = disclosure.share_table(
        _("CTDC records by type of exploitation"), [labels[flag] for _f, flag in EXPLOITATION_ROWS],
        [exploitation[field] for field, _f in EXPLOITATION_ROWS], [known_n] * len(EXPLOITATION_ROWS),
        met_label=_("yes"), not_met_label=_("no"), codes=[flag for _f, flag in EXPLOITATION_ROWS])
    tables = {
        "sex": disclosure.suppress(sex_table, k),
        "age_band": disclosure.suppress(age_table, k),
        "exploitation": disclosure.suppress(exploit_table, k),
    }
    return {
        "source": {
            "file_name": source.file_name, "shape": source.shape, "shape_label": source.get_shape_display(),
            "row_count": source.row_count, "sha256": source.sha256, "imported_at": source.imported_at,
        },
        "attribution": CTDC_ATTRIBUTION,
        "k": k,
        "total": tables["sex"].total(),
        "tables": tables,
    }


# --- the cases a public release draws on ------------------------------------------------------------


def release_cases(period_start: dt.date, period_end: dt.date) -> list[dict[str, Any]]:
    """One row per survivor (the unit of privacy): their latest case identified in the period,
    every organisation's, not "not a victim", and only survivors with a basis for statistics in
    force today (``survivors.lawful_use``, exit "public release": whoever withdrew or never gave it
    is left out). Only the fields the CTDC mapping reads; nothing identifying (no code, no name, no
    NIK, no id leaves this function). One query."""
    rows = (
        Case.objects.filter(identified_on__gte=period_start, identified_on__lte=period_end)
        .filter(lawful_use.included_q(lawful_use.Exit.PUBLIC_RELEASE, on=clock.today()))
        .exclude(trafficking_status=TraffickingStatus.NOT_A_VICTIM)
        .order_by("survivor_id", "-identified_on", "-opened_at")
        .values("survivor_id", *ctdc.CASE_FIELDS)
    )
    seen: set[Any] = set()
    result = []
    for row in rows:
        survivor = row.pop("survivor_id")
        if survivor in seen:
            continue
        seen.add(survivor)
        result.append(row)
    return result


# --- the privacy budget ---------------------------------------------------------------------------------


def budget_spent() -> Decimal:
    return PrivacyLedgerEntry.objects.aggregate(s=Sum("epsilon"))["s"] or Decimal("0")


def _plain(value: Decimal) -> Decimal:
    """0.5000 → 0.5, 10 stays 10 (databases return sums with different exponents)."""
    return Decimal(format(value.normalize(), "f"))


def budget_state() -> dict[str, Decimal]:
    total = conf.dp_total_epsilon()
    spent = budget_spent()
    return {"total": _plain(total), "spent": _plain(spent), "remaining": _plain(max(Decimal("0"), total - spent)),
            "default": _plain(conf.dp_release_epsilon()), "max_per_release": _plain(conf.dp_max_release_epsilon())}


def ledger() -> QuerySet[PrivacyLedgerEntry]:
    return PrivacyLedgerEntry.objects.select_related("release", "spent_by").order_by("-spent_at", "-id")


def releases() -> QuerySet[Release]:
    return Release.objects.select_related("created_by").defer("content").order_by("-created_at")


def release_get(release_id: Any) -> Release:
    """A release, for someone who may release (the caller checks); Http404 for a bad or unknown id."""
    try:
        return Release.objects.select_related("created_by").get(pk=release_id)
    except (Release.DoesNotExist, ValueError, TypeError, ValidationError) as exc:  # incl. a malformed UUID
        raise Http404 from exc


def ctdc_reference_rows() -> list[dict[str, str]]:
    """The same reference as flat label/value pairs, for a dashboard's fact list: the file and
    import date, the total, then each shown count of the three tables (hidden counts as the
    disclosure symbol). Empty when nothing is imported."""
    summary = ctdc_reference_summary()
    if summary is None:
        return []
    source = summary["source"]
    rows = [
        {"label": _("CTDC data file"), "value": f"{source['file_name']} ({source['imported_at']:%Y-%m-%d})"},
        {"label": _("CTDC records"), "value": disclosure.SYMBOL if summary["total"] is None else str(summary["total"])},
    ]
    for key in ("sex", "age_band"):
        table = summary["tables"][key]
        for i, label in enumerate(table.row_labels):
            rows.append({"label": f"{table.title}: {label}", "value": table.display(("cell", i, 0))})
    exploitation = summary["tables"]["exploitation"]
    for i, label in enumerate(exploitation.row_labels):
        rows.append({"label": f"{exploitation.title}: {label}", "value": exploitation.display(("cell", i, 0))})
    rows.append({"label": _("Source"), "value": summary["attribution"]})
    return rows
