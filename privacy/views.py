"""Pages of the privacy room. URL keywords: linkage_id (the 404 walker knows it, privacy/tests/walk.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access import policy
from access import privacy as access_privacy

from . import selectors, services
from .forms import LinkageDecisionForm, LinkageFilterForm
from .models import LinkageRequest

PAGE_SIZE = 25


@login_required
@never_cache
def linkage_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not access_privacy.may_decide_linkage(user):
        raise Http404
    form = LinkageFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    qs = selectors.linkage_requests_for(user, code=params.get("code", ""), status=params.get("status", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/linkage_list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@never_cache
def linkage_detail(request: HttpRequest, linkage_id: Any) -> HttpResponse:
    linkage = access_privacy.linkage_request_get_for_user(request.user, linkage_id)
    return render(request, "privacy/linkage_detail.html", {
        "linkage": linkage, "survivor": linkage.matched_case.survivor,
        "form": LinkageDecisionForm() if linkage.status == LinkageRequest.Status.PENDING else None,
        "next_step": services.linkage_next_step_url(linkage) if linkage.is_confirmed else "",
    })


def _decided(request: HttpRequest, linkage_id: Any, decide: Any) -> HttpResponse:
    linkage = access_privacy.linkage_request_get_for_user(request.user, linkage_id)
    form = LinkageDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decided = decide(linkage, note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("privacy:linkage_detail", linkage_id=linkage.pk)
    if decided.is_confirmed:
        messages.success(request, _("Recorded. Now propose it through the usual page, with the survivor's consent."))
        return redirect(services.linkage_next_step_url(decided))
    messages.success(request, _("The linkage request is ignored. The other organisation is not told."))
    return redirect("privacy:linkage_list")


@login_required
@never_cache
@require_POST
def linkage_ignore(request: HttpRequest, linkage_id: Any) -> HttpResponse:
    return _decided(request, linkage_id,
                    lambda linkage, note: services.linkage_ignore(actor=request.user, request=linkage, note=note))


def _proposed(request: HttpRequest, linkage_id: Any, route: str) -> HttpResponse:
    return _decided(request, linkage_id, lambda linkage, note: services.linkage_propose(
        actor=request.user, request=linkage, route=route, note=note))


@login_required
@never_cache
@require_POST
def linkage_propose_referral(request: HttpRequest, linkage_id: Any) -> HttpResponse:
    return _proposed(request, linkage_id, "referral")


@login_required
@never_cache
@require_POST
def linkage_propose_transfer(request: HttpRequest, linkage_id: Any) -> HttpResponse:
    return _proposed(request, linkage_id, "transfer")


@login_required
@never_cache
def linkage_mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.may_work_on_cases(user):
        raise Http404
    page = Paginator(selectors.linkage_outcomes_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/linkage_mine.html", {"page": page})


@login_required
@never_cache
def probing(request: HttpRequest) -> HttpResponse:
    if not access_privacy.may_see_probing_alerts(request.user):
        raise Http404
    page = Paginator(selectors.probing_alerts_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/probing.html", {"page": page})
