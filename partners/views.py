"""Partner directory pages: search (nearest region first), a profile, and editing one's own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from access import care as care_access
from access import partners as partner_access
from access import policy
from access import referrals as referral_access
from care.services import services_provided_by
from cases.forms import apply_errors
from cases.selectors import service_regions
from core.concurrency import StaleVersion, conflict_shown
from core.pagination import CappedPaginator

from . import selectors, services
from .forms import ProfileForm, SearchForm
from .selectors import RANK_LABELS, SearchParams

PAGE_SIZE = 20


def _case_for_referring(user: Any, case_id: Any) -> Any:
    """The case a search is for, when the user may refer it; otherwise None (no error: a search
    without a case is fine)."""
    if not case_id:
        return None
    try:
        case = policy.case_get_for_user(user, case_id, policy.Action.EDIT)
    except Http404:
        return None
    return case if referral_access.may_send(user, case) and case.is_open else None


@login_required
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    if not partner_access.may_search(request.user):
        raise Http404
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    case = _case_for_referring(request.user, data.get("case"))
    region = data.get("region") or ""
    if case is not None and not request.GET.get("region") and "region" not in request.GET:
        regions = service_regions(case)
        region = regions[0].code if regions else ""
        form = SearchForm(initial={**request.GET.dict(), "region": region, "case": case.pk})
    params = SearchParams(service=data.get("service") or "", region=region,
                          eligible=tuple(data.get("eligible") or ()), availability=tuple(data.get("availability") or ()),
                          q=(data.get("q") or "").strip())
    page = CappedPaginator(selectors.directory_search(params), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "partners/search.html", {
        "form": form, "page": page, "query": query.urlencode(), "case": case, "params": params,
        "rank_labels": RANK_LABELS, "can_edit": partner_access.may_edit_profile(request.user),
    })


@login_required
@never_cache
def detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    if not partner_access.may_search(request.user):
        raise Http404
    profile = selectors.profile_get(partner_id)
    return render(request, "partners/detail.html", {"profile": profile, "org": profile.organisation})


@login_required
@never_cache
def edit(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not partner_access.may_edit_profile(user):
        raise Http404
    profile = services.profile_for(user.organisation)
    initial = {
        "services": [s.code for s in services_provided_by(user.organisation_id)],
        "regions": list(profile.regions.values_list("region_id", flat=True)) if profile.pk else [],
        "languages": ", ".join(profile.languages or []),
        "version": services.profile_version(profile),
    }
    form = ProfileForm(request.POST or None, instance=profile, initial=initial,
                       can_edit_services=care_access.may_manage_services(user))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(actor=user, values=form.values(), version=form.cleaned_data["version"])
        except StaleVersion as exc:
            conflict = conflict_shown(request, form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Partner profile saved."))
            return redirect("partners:edit")
    return render(request, "partners/edit.html", {"form": form, "org": user.organisation, "conflict": conflict},
                  status=409 if conflict else 200)
