"""Monitoring pages: the dashboards of the three levels with their downloads, periodic reports, and
the platform administrator's monitoring scopes.

Thin views. The level comes through ``selectors.scope_get_for_user`` (404 when the user does not
hold it); a report through ``selectors.report_get_for_user`` (404 outside the user's scope). Nothing
here reads a case or an identity: only aggregates that passed through ``monitoring.disclosure``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from access import accounts as account_access
from access import monitoring as monitoring_access
from access.monitoring import Scope
from cases.forms import apply_errors
from core.models import Region

from . import conf, exports, selectors, services
from .dashboard import EFFECTIVENESS_NOTE, Dashboard, dashboard_build
from .facts import facts_refreshed_at, facts_stale
from .forms import DashboardForm, ReportRequestForm, ScopeGrantForm
from .indicators import Params
from .models import Level, MonitoringScope, ReportRequest
from .tasks import facts_refresh_schedule, facts_refresh_soon, report_enqueue

LEVEL_TITLES: dict[str, str] = {
    Level.ORGANISATION: "Organisation dashboard",
    Level.REGION: "Regional dashboard",
    Level.NATIONAL: "National dashboard",
}


def _title(level: str) -> str:
    titles: dict[str, str] = {Level.ORGANISATION: _("Organisation dashboard"), Level.REGION: _("Regional dashboard"),
              Level.NATIONAL: _("National dashboard")}
    return titles[level]


@login_required
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    scopes = selectors.scopes_for(request.user)
    if not scopes and not account_access.may_manage_organisations(request.user):
        raise Http404
    return render(request, "monitoring/index.html", {
        "scopes": [(scope, _title(scope.level)) for scope in scopes],
        "may_manage_scopes": account_access.may_manage_organisations(request.user),
    })


def _params(scope: Scope, form: DashboardForm) -> tuple[Params, str]:
    data = form.cleaned_data
    region = data.get("region")
    code = region.code if region is not None else None
    if scope.level == Level.REGION and code is None:
        code = scope.regions[0]
    params = Params(start=data["start"], end=data["end"],
                    organisation_id=scope.organisation_id if scope.level == Level.ORGANISATION else None,
                    region=code)
    return params, data["breakdown"]


def _scope_label(scope: Scope, params: Params) -> str:
    if scope.level == Level.ORGANISATION:
        return scope.organisation_name
    if params.region:
        region = Region.objects.filter(code=params.region).first()
        return f"{region.name} ({region.code})" if region else params.region
    return _("Indonesia (national)")


def _board(request: HttpRequest, level: str) -> tuple[Scope, DashboardForm, Dashboard | None]:
    scope = selectors.scope_get_for_user(request.user, level)
    form = DashboardForm(request.GET or {}, scope=scope)
    if not form.is_valid():
        return scope, form, None
    params, breakdown = _params(scope, form)
    board = dashboard_build(level=level, scope_label=_scope_label(scope, params), params=params, breakdown=breakdown)
    return scope, form, board


@login_required
@never_cache
def dashboard(request: HttpRequest, level: str) -> HttpResponse:
    scope, form, board = _board(request, level)
    query = request.GET.urlencode()
    # The figures shown are the last ones, with their "as of" time; a stale set is refreshed after
    # this response has been sent (or by Celery), never while the user waits.
    stale = board is not None and facts_stale()
    response = render(request, "monitoring/dashboard.html", {
        "scope": scope, "form": form, "board": board, "title": _title(level), "level": level, "query": query,
        "effectiveness_note": EFFECTIVENESS_NOTE, "may_report": monitoring_access.may_request_reports(request.user, scope),
        "refreshed_at": facts_refreshed_at(), "refreshing": stale,
    }, status=200 if board is not None else 400)
    if stale:
        facts_refresh_schedule(response)
    return response


@login_required
@never_cache
def download(request: HttpRequest, level: str, fmt: str) -> HttpResponse:
    scope, form, board = _board(request, level)
    if board is None:
        return render(request, "monitoring/dashboard.html", {
            "scope": scope, "form": form, "board": None, "title": _title(level), "level": level,
        }, status=400)
    rows = board.as_rows()
    name = f"sintas-{level}-{board.params.start.isoformat()}-{board.params.end.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(exports.to_xlsx(rows, title=_title(level)),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    facts_refresh_soon(response)
    return response


# --- periodic reports --------------------------------------------------------------------------------


@login_required
@never_cache
def reports(request: HttpRequest, level: str) -> HttpResponse:
    scope = selectors.scope_get_for_user(request.user, level)
    allowed = monitoring_access.may_request_reports(request.user, scope)
    form = ReportRequestForm(request.POST or None, scope=scope)
    status = 200
    if request.method == "POST":
        if not allowed:
            messages.error(request, _("Your role may not request periodic reports."))
            status = 400
        elif form.is_valid():
            try:
                report = services.report_request(actor=request.user, scope=scope,
                                                 period_kind=form.cleaned_data["period_kind"],
                                                 year=form.cleaned_data["year"],
                                                 region=form.cleaned_data.get("region"),
                                                 enqueue=report_enqueue)
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                return redirect("monitoring:report_detail", report_id=report.pk)
        else:
            status = 400
    visible = [r for r in selectors.reports_for(request.user) if r.level == level]
    return render(request, "monitoring/reports.html", {
        "scope": scope, "form": form, "reports": visible, "level": level, "title": _title(level),
        "may_request": allowed,
    }, status=status)


@login_required
@never_cache
def report_detail(request: HttpRequest, report_id: Any) -> HttpResponse:
    report = selectors.report_get_for_user(request.user, report_id)
    return render(request, "monitoring/report_detail.html", {
        "report": report, "scope_label": services.report_scope_label(report),
        "running": report.status in (ReportRequest.Status.QUEUED, ReportRequest.Status.RUNNING),
    })


@login_required
@never_cache
def report_download(request: HttpRequest, report_id: Any, fmt: str) -> HttpResponseBase:
    report = selectors.report_get_for_user(request.user, report_id)
    if not report.is_done:
        raise Http404
    stored = report.pdf_path if fmt == "pdf" else report.xlsx_path
    path = Path(stored)
    # Only files under the configured reports directory are ever served.
    if not stored or not path.is_file() or conf.reports_dir().resolve() not in path.resolve().parents:
        raise Http404
    content_type = "application/pdf" if fmt == "pdf" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = f"sintas-report-{report.level}-{report.period_kind}-{report.year}.{fmt}"
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


# --- monitoring scopes (platform administrators) ---------------------------------------------------


@login_required
@never_cache
def scopes(request: HttpRequest) -> HttpResponse:
    if not account_access.may_manage_organisations(request.user):
        raise Http404
    if request.method == "POST" and "revoke" in request.POST:
        # Revoking is a field of this page's form, not a URL of its own: scopes are the platform
        # administrator's to manage, like organisations.
        raw = str(request.POST["revoke"])
        scope = MonitoringScope.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
        if scope is None:
            raise Http404
        services.scope_revoke(actor=request.user, scope=scope)
        messages.success(request, _("The monitoring scope was revoked."))
        return redirect(reverse("monitoring:scopes"))
    form = ScopeGrantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.scope_grant(actor=request.user, username=form.cleaned_data["username"],
                                     level=form.cleaned_data["level"], region_code=form.cleaned_data["region"])
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("The monitoring scope was granted."))
                return redirect("monitoring:scopes")
        else:
            status = 400
    rows = MonitoringScope.objects.select_related("user", "region", "user__organisation").order_by(
        "user__username", "level", "region_id")
    return render(request, "monitoring/scopes.html", {"form": form, "rows": rows}, status=status)
