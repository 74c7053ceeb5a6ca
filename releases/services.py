"""Every write of the releases room: importing CTDC reference data, differentially private table
releases (spending the privacy budget), record-level CTDC-shaped releases (after k-anonymity and
l-diversity), and the access log of SIMFONI-PPA exports.

Each function validates all of its input first (collecting every error), then writes in one
transaction: a refused release spends nothing and stores nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.releases import may_release
from audit.models import AccessLogEntry, ChangeRecord
from audit.services import access_log_write, client_ip, history_record
from core import clock
from core.validation import Errors
from monitoring import disclosure

from . import anonymity, conf, ctdc, dp, importer, selectors
from .importer import CtdcFormatError, parse
from .models import BudgetLock, CtdcRecord, CtdcSource, PrivacyLedgerEntry, Release
from .tables import TABLES, true_table

BULK_BATCH = 2000
MAX_PERIOD_YEARS = 20

# --- CTDC import ---------------------------------------------------------------------------------------


def ctdc_import(*, raw: bytes, file_name: str, actor: Any = None) -> CtdcSource:
    """Validate a whole CTDC file, then replace the rows of the file of that name in one
    transaction. Raises CtdcFormatError (nothing stored) when the file is not acceptable."""
    name = (file_name or "").strip().replace("\\", "/").rsplit("/", 1)[-1][:255]
    if not name:
        raise CtdcFormatError([_("The file needs a name.")])
    parsed = parse(raw)
    with transaction.atomic():
        CtdcSource.objects.filter(file_name=name).delete()  # re-import replaces (records cascade)
        source = CtdcSource.objects.create(
            file_name=name, shape=parsed.shape, sha256=parsed.sha256, row_count=len(parsed.rows),
            imported_at=clock.now(), imported_by=actor if getattr(actor, "pk", None) else None,
        )
        fields = importer.RECORD_FIELDS
        for start in range(0, len(parsed.rows), BULK_BATCH):  # a batch of objects at a time, not 200,000
            CtdcRecord.objects.bulk_create(
                [CtdcRecord(source=source, **dict(zip(fields, row, strict=True)))
                 for row in parsed.rows[start:start + BULK_BATCH]])
        history_record(actor=actor, instance=source, action=ChangeRecord.Action.CREATE)
    return source


# --- validation shared by both kinds of release -----------------------------------------------------


def _period(errors: Errors, start: dt.date | None, end: dt.date | None) -> None:
    if start is None:
        errors.add("period_start", _("Give the first day of the period."))
    if end is None:
        errors.add("period_end", _("Give the last day of the period."))
    if start and end:
        if end < start:
            errors.add("period_end", _("The period ends before it starts."))
        elif end.year - start.year >= MAX_PERIOD_YEARS:
            errors.add("period_end", _("A period may span at most %(n)d years.") % {"n": MAX_PERIOD_YEARS})
        if start > clock.today():
            errors.add("period_start", _("The period starts in the future."))


def _require_releaser(actor: Any) -> None:
    if not may_release(actor):
        raise PermissionDenied(_("Your role may not make public releases."))


def parse_epsilon(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None


def _epsilon(errors: Errors, epsilon: Any, remaining: Decimal) -> Decimal | None:
    eps = parse_epsilon(epsilon) if not isinstance(epsilon, Decimal) else epsilon
    if eps is None or not eps.is_finite():
        errors.add("epsilon", _("Epsilon must be a number."))
        return None
    if eps <= 0:
        errors.add("epsilon", _("Epsilon must be greater than 0."))
        return None
    if eps != eps.quantize(Decimal("0.0001")):
        errors.add("epsilon", _("Epsilon has at most four decimal places."))
        return None
    if eps > conf.dp_max_release_epsilon():
        errors.add("epsilon", _("One release may spend at most epsilon %(max)s.") % {"max": conf.dp_max_release_epsilon()})
        return None
    if eps > remaining:
        errors.add("epsilon", _("Epsilon %(eps)s is more than the privacy budget that remains (%(remaining)s of "
                                "%(total)s). Nothing was released and nothing was spent.")
                   % {"eps": eps, "remaining": remaining, "total": conf.dp_total_epsilon()})
        return None
    return eps


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


# --- differentially private tables ---------------------------------------------------------------------


def noisy_table(code: str, cases: list[dict[str, Any]], start: dt.date, end: dt.date,
                epsilon: Decimal) -> tuple[disclosure.CountTable, dp.NoisyCounts]:
    """The table with OpenDP noise (rounded, clamped at 0), then through disclosure control."""
    truth = true_table(code, cases, start, end)
    noisy = dp.noisy_counts(truth.flat(), epsilon=epsilon, sensitivity=truth.sensitivity)
    n_cols = len(truth.cols)
    grid = [noisy.counts[i * n_cols:(i + 1) * n_cols] for i in range(len(truth.rows))]
    labels = [label for _c, label in truth.rows]
    codes = [c for c, _l in truth.rows]
    title = str(truth.spec.title)
    if truth.spec.two_way:
        table = disclosure.CountTable.two_way(title, labels, [label for _c, label in truth.cols], grid, codes=codes)
    else:
        table = disclosure.CountTable.one_way(title, labels, [row[0] for row in grid], codes=codes)
    return disclosure.suppress(table, disclosure.threshold(disclosure.PUBLIC)), noisy


def release_table(*, actor: Any, table: str, period_start: dt.date | None, period_end: dt.date | None,
                  epsilon: Any = None) -> Release:
    """Release one DP table, spending ``epsilon`` (default ``SINTAS_DP_RELEASE_EPSILON``) from the
    budget. Refused, with nothing spent, when the input is wrong or the budget does not suffice."""
    _require_releaser(actor)
    if epsilon in (None, ""):
        epsilon = conf.dp_release_epsilon()
    with transaction.atomic():
        # One release at a time checks and spends the budget (the lock row serialises them).
        BudgetLock.objects.get_or_create(name="dp")
        BudgetLock.objects.select_for_update().get(name="dp")
        errors = Errors()
        if table not in TABLES:
            errors.add("table", _("Unknown table."))
        _period(errors, period_start, period_end)
        eps = _epsilon(errors, epsilon, selectors.budget_state()["remaining"])
        errors.raise_if_any()
        assert period_start and period_end and eps is not None
        cases = selectors.release_cases(period_start, period_end)
        shown, noisy = noisy_table(table, cases, period_start, period_end, eps)
        now = clock.now()
        rows = shown.as_rows()
        release = Release.objects.create(
            kind=Release.Kind.DP_TABLE, table=table, period_start=period_start, period_end=period_end, epsilon=eps,
            content=_csv(rows), row_count=len(rows) - 1, created_by=actor, created_at=now,
            report={
                "title": shown.title, "epsilon": str(eps), "epsilon_opendp": noisy.epsilon,
                "mechanism": dp.MECHANISM, "scale": noisy.scale, "sensitivity": noisy.sensitivity,
                "k": shown.k, "hidden_cells": len(shown.suppressed), "legend": shown.legend(),
                "table": shown.as_dict(),
            },
        )
        spent_before = selectors.budget_spent()
        PrivacyLedgerEntry.objects.create(
            release=release, epsilon=eps, mechanism=dp.MECHANISM, sensitivity=noisy.sensitivity, scale=noisy.scale,
            total_after=spent_before + eps, spent_by=actor, spent_at=now,
        )
        history_record(actor=actor, instance=release, action=ChangeRecord.Action.CREATE, redact=frozenset({"content"}))
    return release


# --- the record-level CTDC-shaped data set ------------------------------------------------------------------


def dataset_check(period_start: dt.date, period_end: dt.date) -> dict[str, Any]:
    """The CTDC-shaped records of the period, the k-anonymity / l-diversity report before and after
    suppression, and whether a release is possible. Reads only."""
    records = [ctdc.case_to_ctdc(row) for row in selectors.release_cases(period_start, period_end)]
    k_required = disclosure.threshold(disclosure.PUBLIC)
    l_required = conf.release_min_l()
    before = anonymity.check(records, k_required=k_required, l_required=l_required,
                             sensitive=ctdc.exploitation_label, sensitive_name="type of exploitation")
    kept = anonymity.suppress_violations(records, k_required=k_required, l_required=l_required,
                                         sensitive=ctdc.exploitation_label)
    after = anonymity.check(kept, k_required=k_required, l_required=l_required,
                            sensitive=ctdc.exploitation_label, sensitive_name="type of exploitation")
    suppressed = len(records) - len(kept)
    share = suppressed / len(records) if records else 0.0
    problem = ""
    if not records:
        problem = _("No survivor identified in this period has a basis for statistics in force (their consent, "
                    "or a recorded legal obligation or public task): there is nothing to release.")
    elif not kept:
        problem = _("Every record is in a group smaller than k or less diverse than l: nothing could be released.")
    elif share > conf.release_max_suppressed_share():
        problem = _("%(pct)s%% of the records would have to be suppressed (at most %(max)s%% is allowed): the rest "
                    "would be too biased to publish. Choose a longer period, or publish DP tables instead.") % {
            "pct": round(100 * share, 1), "max": round(100 * conf.release_max_suppressed_share(), 1)}
    return {
        "before": before.as_dict(), "after": after.as_dict(), "suppressed_records": suppressed,
        "suppressed_share": round(share, 4), "max_suppressed_share": conf.release_max_suppressed_share(),
        "releasable": not problem, "problem": problem, "records": kept,
        "period_start": period_start.isoformat(), "period_end": period_end.isoformat(),
    }


def release_dataset(*, actor: Any, period_start: dt.date | None, period_end: dt.date | None) -> Release:
    """Release the CTDC-shaped record-level data set of a period: records in classes below k (the
    public threshold) or below l are suppressed; refused when too many would go. Spends no epsilon
    (it is not a DP mechanism) but is recorded as a release with its k/l report."""
    _require_releaser(actor)
    errors = Errors()
    _period(errors, period_start, period_end)
    errors.raise_if_any()
    assert period_start and period_end
    check = dataset_check(period_start, period_end)
    if not check["releasable"]:
        raise ValidationError({"__all__": [check["problem"]]})
    records = check.pop("records")
    with transaction.atomic():
        release = Release.objects.create(
            kind=Release.Kind.DATASET, table="ctdc_2024", period_start=period_start, period_end=period_end,
            epsilon=Decimal("0"), content=_csv([ctdc.VARIABLES, *ctdc.rows_in_order(records)]),
            row_count=len(records), created_by=actor, created_at=clock.now(), report=check,
        )
        history_record(actor=actor, instance=release, action=ChangeRecord.Action.CREATE, redact=frozenset({"content"}))
    return release


# --- SIMFONI-PPA export: the access log -------------------------------------------------------------------


def simfoni_export_logged(*, user: Any, cases: list[Any], request: Any = None) -> None:
    """An export of case-level rows is a showing of each case: one access-log entry per case
    (what = "simfoni_export"), or one without a case when the export is empty."""
    if not cases:
        access_log_write(user=user, what=SIMFONI_LOG_WHAT, request=request)
        return
    ip = client_ip(request)
    AccessLogEntry.objects.bulk_create([
        AccessLogEntry(user=user, organisation_id=getattr(user, "organisation_id", None), what=SIMFONI_LOG_WHAT,
                       case_id=case.pk, survivor_id=case.survivor_id, ip_address=ip)
        for case in cases
    ], batch_size=BULK_BATCH)


SIMFONI_LOG_WHAT = AccessLogEntry.What.SIMFONI_EXPORT
