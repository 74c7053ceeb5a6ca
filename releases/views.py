"""Public releases pages: prepare a DP table or the CTDC-shaped data set, see the privacy-budget
ledger, download what was released and its disclosure report; the SIMFONI-PPA export.

Thin views: who may (access.releases) is checked first, and anyone else gets 404, exactly as for
a page that does not exist; the rules live in releases.services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from access.releases import may_export_simfoni, may_release
from cases.forms import apply_errors
from core import clock
from survivors import lawful_use

from . import selectors, services, simfoni
from .downloads import csv_response, read_csv, xlsx_response
from .forms import PeriodForm, SimfoniForm, TableReleaseForm
from .models import Release


def releaser_view(fn: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, not cached, and allowed to release; anyone else: 404."""

    @login_required
    @never_cache
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_release(request.user):
            raise Http404
        return fn(request, *args, **kwargs)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _default_period() -> dict[str, dt.date]:
    today = clock.today()
    return {"period_start": dt.date(today.year - 1, 1, 1), "period_end": dt.date(today.year - 1, 12, 31)}


@releaser_view
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "releases/index.html", {
        "budget": selectors.budget_state(),
        "releases": selectors.releases()[:50],
        "reference": selectors.ctdc_reference_summary(),
        "sources": selectors.ctdc_sources()[:10],
    })


@releaser_view
@require_http_methods(["GET", "POST"])
def table_new(request: HttpRequest) -> HttpResponse:
    budget = selectors.budget_state()
    initial = {**_default_period(), "epsilon": min(budget["default"], budget["remaining"]) or budget["default"]}
    form = TableReleaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            release = services.release_table(actor=request.user, table=d["table"], period_start=d["period_start"],
                                             period_end=d["period_end"], epsilon=d["epsilon"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Released. Epsilon %(eps)s was spent from the privacy budget.")
                             % {"eps": release.epsilon})
            return redirect("releases:detail", release_id=release.pk)
    return render(request, "releases/table_form.html", {"form": form, "budget": budget})


@releaser_view
@require_http_methods(["GET", "POST"])
def dataset(request: HttpRequest) -> HttpResponse:
    """Check (GET with a period) and release (POST) the CTDC-shaped record-level data set."""
    data = request.POST if request.method == "POST" else (request.GET if "period_start" in request.GET else None)
    form = PeriodForm(data, initial=_default_period())
    check = None
    if data is not None and form.is_valid():
        d = form.cleaned_data
        if request.method == "POST":
            try:
                release = services.release_dataset(actor=request.user, period_start=d["period_start"],
                                                   period_end=d["period_end"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The record-level data set was released."))
                return redirect("releases:detail", release_id=release.pk)
        check = services.dataset_check(d["period_start"], d["period_end"])
        check.pop("records")
    return render(request, "releases/dataset.html", {"form": form, "check": check})


@releaser_view
@require_http_methods(["GET"])
def ledger(request: HttpRequest) -> HttpResponse:
    return render(request, "releases/ledger.html", {"budget": selectors.budget_state(),
                                                    "entries": selectors.ledger()[:500]})


@releaser_view
@require_http_methods(["GET"])
def detail(request: HttpRequest, release_id: Any) -> HttpResponse:
    release = selectors.release_get(release_id)
    rows = read_csv(release.content)
    preview = rows[:51]
    return render(request, "releases/detail.html", {
        "release": release, "header": preview[0] if preview else [], "rows": preview[1:],
        "more": max(0, len(rows) - 51), "report_rows": report_rows(release),
    })


def report_rows(release: Release) -> list[list[str]]:
    """The disclosure report as two columns (what, value): for the page, CSV and Excel."""
    r = release.report
    rows = [[_("release"), str(release.pk)], [_("kind"), str(release.get_kind_display())],
            [_("period"), f"{release.period_start.isoformat()} – {release.period_end.isoformat()}"],
            [_("released"), release.created_at.isoformat()]]
    if release.kind == Release.Kind.DP_TABLE:
        rows += [[_("table"), str(r.get("title", release.table))], [_("epsilon spent"), str(release.epsilon)],
                 [_("mechanism"), str(r.get("mechanism", ""))], [_("noise scale"), str(r.get("scale", ""))],
                 [_("L1 sensitivity"), str(r.get("sensitivity", ""))],
                 [_("smallest count shown (k)"), str(r.get("k", ""))],
                 [_("hidden numbers"), str(r.get("hidden_cells", ""))], [_("note"), str(r.get("legend", ""))]]
    else:
        measures = ((_("records"), "records"), (_("equivalence classes"), "classes"),
                    (_("smallest class (k)"), "k"), (_("l-diversity (l)"), "l"),
                    (_("classes violating k or l"), "violating_classes"))
        for label, key in ((_("before suppression"), "before"), (_("after suppression"), "after")):
            part = r.get(key, {})
            rows += [[f"{label}: {name}", str(part.get(field, ""))] for name, field in measures]
        before = r.get("before", {})
        rows += [[_("k required"), str(before.get("k_required", ""))],
                 [_("l required"), str(before.get("l_required", ""))],
                 [_("quasi-identifiers"), ", ".join(before.get("quasi_identifiers", []))],
                 [_("sensitive attribute"), str(before.get("sensitive", ""))],
                 [_("records suppressed"), str(r.get("suppressed_records", ""))]]
    rows.append([_("attribution"), _("Sintas public release; survivors are protected by disclosure control.")])
    return rows


@releaser_view
@require_http_methods(["GET"])
def download(request: HttpRequest, release_id: Any, fmt: str) -> HttpResponse:
    release = selectors.release_get(release_id)
    rows = read_csv(release.content)
    base = f"sintas-{release.kind}-{release.table}-{release.period_start:%Y%m%d}-{release.period_end:%Y%m%d}"
    if fmt == "csv":
        return csv_response(rows, f"{base}.csv")
    if fmt == "xlsx":
        return xlsx_response([(_("data"), rows), (_("report"), report_rows(release))], f"{base}.xlsx")
    if fmt == "report.csv":
        return csv_response(report_rows(release), f"{base}-report.csv")
    raise Http404


# --- SIMFONI-PPA --------------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET"])
def simfoni_export(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not may_export_simfoni(user):
        raise Http404
    regions = list(simfoni.allowed_regions(user.organisation))
    data = request.GET if "period_start" in request.GET else None
    form = SimfoniForm(data, regions=regions, initial={**_default_period(), "region": user.organisation.region_id})
    count = None
    if data is not None and form.is_valid():
        d = form.cleaned_data
        region = next(r for r in regions if r.code == d["region"])
        cases = list(simfoni.cases_for_export(user.organisation, region, d["period_start"], d["period_end"]))
        fmt = request.GET.get("format", "")
        if fmt in ("csv", "xlsx"):
            services.simfoni_export_logged(user=user, cases=cases, request=request)
            rows = simfoni.rows_for_export(cases)
            name = f"simfoni-ppa-{region.code}-{d['period_start']:%Y%m%d}-{d['period_end']:%Y%m%d}"
            if fmt == "csv":
                return csv_response(rows, f"{name}.csv")
            return xlsx_response([("SIMFONI-PPA", rows)], f"{name}.xlsx")
        count = len(cases)
    return render(request, "releases/simfoni.html", {
        "form": form, "count": count, "query": request.GET.urlencode(),
        "statistics_excluded": lawful_use.statistics_without_consent() == lawful_use.EXCLUDE})
