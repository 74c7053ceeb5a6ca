"""Pages of the privacy room. URL keywords: linkage_id, grant_id (the 404 walker knows them, privacy/tests/walk.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access import policy
from access import privacy as access_privacy

from . import selectors, services
from .emergency import session_claim_add
from .forms import EmergencyOpenForm, EmergencyReviewForm, LinkageDecisionForm, LinkageFilterForm
from .models import EmergencyGrant, LinkageRequest

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


# --- break-the-glass ----------------------------------------------------------------------------


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@never_cache
def emergency_open(request: HttpRequest) -> HttpResponse:
    """Find a case by the survivor code or NIK the person gives, with a reason. Nothing is looked
    up until the reason is given; then the case opens (read-only, with a banner), or the same page
    says that nothing matched."""
    user: Any = request.user
    if not access_privacy.may_open_emergency(user):
        raise Http404
    form = EmergencyOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            grant = services.emergency_open(actor=user, code=d["code"], nik=d["nik"], reason=d["reason"],
                                            request=request)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if grant is not None:
                session_claim_add(request, grant.case_id)
                messages.warning(request, _("Emergency access opened: read-only, until %(time)s. Every page you "
                                            "open is logged and will be reviewed.") % {
                    "time": timezone.localtime(grant.expires_at).strftime("%H:%M")})
                return redirect("cases:detail", case_id=grant.case_id)
            messages.info(request, _("No case matches this survivor code or NIK. Your search has been recorded."))
            return redirect("privacy:emergency_open")
    return render(request, "privacy/emergency_open.html", {"form": form})


@login_required
@never_cache
def emergency_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (access_privacy.may_open_emergency(user) or access_privacy.may_see_probing_alerts(user)):
        raise Http404
    review = request.GET.get("review", "")
    page = Paginator(selectors.emergency_uses_for(user, review=review), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/emergency_list.html", {
        "page": page, "review": review, "reviews": EmergencyGrant.Review.choices,
        "platform": access_privacy.may_see_probing_alerts(user),
    })


@login_required
@never_cache
def emergency_detail(request: HttpRequest, grant_id: Any) -> HttpResponse:
    grant = access_privacy.emergency_use_get_for_user(request.user, grant_id)
    reviewer = access_privacy.may_review_emergency(request.user, grant)
    return render(request, "privacy/emergency_detail.html", {
        "grant": grant, "reviewer": reviewer,
        "form": EmergencyReviewForm() if reviewer and grant.review == EmergencyGrant.Review.PENDING else None,
    })


@login_required
@never_cache
@require_POST
def emergency_review(request: HttpRequest, grant_id: Any) -> HttpResponse:
    grant = access_privacy.emergency_use_get_for_user(request.user, grant_id)
    if not access_privacy.may_review_emergency(request.user, grant):
        raise Http404
    form = EmergencyReviewForm(request.POST)
    if form.is_valid():
        try:
            services.emergency_review(actor=request.user, grant=grant, decision=form.cleaned_data["decision"],
                                      note=form.cleaned_data["note"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("privacy:emergency_detail", grant_id=grant.pk)
    return render(request, "privacy/emergency_detail.html", {"grant": grant, "reviewer": True, "form": form},
                  status=400)
