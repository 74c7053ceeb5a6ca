"""Every write of the monitoring room: granting and revoking monitoring scopes, requesting a periodic
report and generating it (in the background: ``monitoring.tasks`` queues and runs it).

Each function checks who may do it, validates all input first (every error at once), then writes in
one transaction with its change history.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import monitoring as monitoring_access
from access.accounts import may_manage_organisations
from access.monitoring import Scope, may_request_reports
from accounts.models import User
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from core import clock
from core.models import Region
from core.validation import Errors

from . import conf, exports
from .dashboard import EFFECTIVENESS_NOTE, dashboard_build
from .facts import facts_refresh, facts_stale
from .indicators import Params
from .models import Level, MonitoringScope, ReportRequest

log = logging.getLogger(__name__)


# --- scopes ---------------------------------------------------------------------------------------------


def scope_grant(*, actor: Any, username: str, level: str, region_code: str = "") -> MonitoringScope:
    """Give a monitoring & evaluation officer a region or national scope (platform administrators only)."""
    if not may_manage_organisations(actor):
        raise ValidationError(_("Only a platform administrator may grant monitoring scopes."))
    e = Errors()
    user = User.objects.filter(username=username).first()
    if user is None:
        e.add("username", _("No user has this username."))
    elif not monitoring_access.may_hold_scope(user):
        e.add("username", _("Only an active monitoring & evaluation officer can hold a monitoring scope."))
    region = None
    if level == Level.REGION:
        region = Region.objects.filter(code=(region_code or "").strip(),
                                       level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]).first()
        if region is None:
            e.add("region", _("Unknown region: use a province or regency/city code such as 53 or 53.71."))
    elif level == Level.NATIONAL:
        if region_code:
            e.add("region", _("A national scope has no region."))
    else:
        e.add("level", _("Choose region or national."))
    if user is not None and not e.errors and MonitoringScope.objects.filter(user=user, level=level, region=region).exists():
        e.add("username", _("This user already has this scope."))
    e.raise_if_any()
    assert user is not None
    with transaction.atomic():
        scope = MonitoringScope.objects.create(user=user, level=level, region=region, granted_by=actor)
        history_record(actor=actor, instance=scope, action=ChangeRecord.Action.CREATE)
    return scope


def scope_revoke(*, actor: Any, scope: MonitoringScope) -> None:
    if not may_manage_organisations(actor):
        raise ValidationError(_("Only a platform administrator may revoke monitoring scopes."))
    with transaction.atomic():
        before = snapshot(scope)
        history_record(actor=actor, instance=scope, action=ChangeRecord.Action.DELETE, before=before)
        scope.delete()


# --- periodic reports -------------------------------------------------------------------------------------


def report_period(kind: str, year: int) -> tuple[dt.date, dt.date]:
    if kind == ReportRequest.PeriodKind.SEMESTER_1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if kind == ReportRequest.PeriodKind.SEMESTER_2:
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    if kind == ReportRequest.PeriodKind.ANNUAL:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    raise ValidationError({"period_kind": [_("Choose a semester or the year.")]})


def report_request(*, actor: Any, scope: Scope, period_kind: str, year: int, region: Region | None = None,
                   enqueue: Callable[[str], object]) -> ReportRequest:
    """Ask for a periodic report of the scope (a region within a region scope) and queue it:
    ``enqueue(report_id)`` runs once the request is committed (``monitoring.tasks.report_enqueue``,
    passed in by the caller, so this module never imports the tasks above it)."""
    e = Errors()
    if not may_request_reports(actor, scope):
        raise ValidationError(_("Your role may not request periodic reports."))
    start = end = None
    try:
        start, end = report_period(period_kind, int(year))
    except (ValidationError, ValueError, TypeError):
        e.add("period_kind", _("Choose a semester or the year."))
    if start and start > clock.today():
        e.add("year", _("This period has not started yet."))
    if scope.level == Level.REGION:
        if region is None:
            e.add("region", _("Choose a region within your scope."))
        elif not scope.covers_region(region.code):
            e.add("region", _("This region is outside your monitoring scope."))
    elif region is not None and not scope.covers_region(region.code):
        e.add("region", _("This region is outside your monitoring scope."))
    e.raise_if_any()
    assert start is not None and end is not None
    with transaction.atomic():
        report = ReportRequest.objects.create(
            requested_by=actor, level=scope.level,
            organisation_id=scope.organisation_id if scope.level == Level.ORGANISATION else None,
            region=region, period_kind=period_kind, year=int(year), start=start, end=end,
        )
        history_record(actor=actor, instance=report, action=ChangeRecord.Action.CREATE)
        transaction.on_commit(lambda: enqueue(str(report.pk)))
    return report


def _progress(report: ReportRequest, value: int, status: str | None = None) -> None:
    fields: dict[str, Any] = {"progress": value}
    if status:
        fields["status"] = status
    ReportRequest.objects.filter(pk=report.pk).update(**fields)


def report_params(report: ReportRequest) -> Params:
    return Params(start=report.start, end=report.end, organisation_id=report.organisation_id,
                  region=report.region_id or None)


def report_scope_label(report: ReportRequest) -> str:
    if report.level == Level.ORGANISATION and report.organisation is not None:
        return report.organisation.name
    if report.region is not None:
        return f"{report.region.name} ({report.region.code})"
    return _("Indonesia (national)")


REPORT_BREAKDOWNS: dict[str, tuple[str, ...]] = {
    Level.ORGANISATION: ("sex", "age_band", "modus"),
    Level.REGION: ("regency", "sex", "age_band", "modus"),
    Level.NATIONAL: ("province", "sex", "age_band", "modus"),
}


def report_generate(report_id: Any) -> ReportRequest:
    """Build the report's PDF and Excel files (called by the Celery task). Progress is written as it
    goes, so the page can show it; a failure is recorded on the request, never half a file."""
    report = ReportRequest.objects.select_related("region", "organisation").get(pk=report_id)
    if report.status == ReportRequest.Status.DONE:
        return report
    _progress(report, 5, ReportRequest.Status.RUNNING)
    try:
        if facts_stale():
            facts_refresh()
        _progress(report, 20)
        params = report_params(report)
        label = report_scope_label(report)
        boards = []
        breakdowns = REPORT_BREAKDOWNS[report.level]
        for n, breakdown in enumerate(breakdowns):
            boards.append(dashboard_build(level=report.level, scope_label=label, params=params, breakdown=breakdown,
                                          with_charts=(n == 0), with_effectiveness=(n == 0)))
            _progress(report, 20 + int(65 * (n + 1) / len(breakdowns)))
        directory = conf.reports_dir()
        directory.mkdir(parents=True, exist_ok=True)
        sheets = [(str(board.breakdown_label), board.as_rows()) for board in boards]
        xlsx = exports.to_xlsx_sheets(sheets)
        _progress(report, 90)
        pdf = exports.to_pdf({"report": report, "boards": boards, "main": boards[0], "scope_label": label,
                              "effectiveness_note": EFFECTIVENESS_NOTE, "generated_at": timezone.now()})
        pdf_path = directory / f"{report.pk}.pdf"
        xlsx_path = directory / f"{report.pk}.xlsx"
        xlsx_path.write_bytes(xlsx)
        pdf_path.write_bytes(pdf)
    except Exception as exc:
        log.exception("report %s failed", report.pk)
        ReportRequest.objects.filter(pk=report.pk).update(status=ReportRequest.Status.FAILED, error=str(exc)[:500],
                                                           finished_at=timezone.now())
        report.refresh_from_db()
        return report
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportRequest.Status.DONE, progress=100, pdf_path=str(pdf_path), xlsx_path=str(xlsx_path),
        finished_at=timezone.now())
    report.refresh_from_db()
    return report
