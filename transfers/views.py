"""Case transfer pages: propose (lead organisation), incoming list and decision (receiving
organisation's supervisors), and the sending organisation's read-only view of its own records.

Every object comes through ``access.policy`` (404 outside the user's scope)."""

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
from access import transfers as transfer_access
from access.policy import Action
from audit.models import AccessLogEntry
from audit.services import access_log_write
from cases.forms import apply_errors
from cases.views import case_view

from . import selectors, services
from .forms import AcceptForm, CancelForm, DeclineForm, ProposeForm
from .intake import intake_rows

PAGE_SIZE = 25


@case_view(Action.VIEW)
def propose(request: HttpRequest, case: Any) -> HttpResponse:
    if not transfer_access.may_propose_transfer(request.user, case):
        raise Http404
    form = ProposeForm(request.POST or None, exclude_organisation_id=case.lead_organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_propose(
                actor=request.user, case=case, to_organisation_id=form.cleaned_data["to_organisation"].pk,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Transfer proposed. The receiving organisation's supervisors will decide."))
            return redirect("transfers:detail", transfer_id=transfer.pk)
    return render(request, "transfers/propose.html", {"case": case, "form": form})


@login_required
@never_cache
def incoming(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not transfer_access.may_see_incoming(user):
        raise Http404
    page = Paginator(selectors.incoming_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "transfers/incoming.html", {"page": page})


@login_required
@never_cache
def detail(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    user: Any = request.user
    transfer = transfer_access.transfer_get_for_user(user, transfer_id)
    deciding = transfer.is_pending and transfer_access.may_decide_transfer(user, transfer)
    may_view_case = policy.can(user, Action.VIEW, transfer.case)
    return render(request, "transfers/detail.html", {
        "transfer": transfer,
        "survivor": transfer.case.survivor,
        "may_view_case": may_view_case,
        "accept_form": AcceptForm(candidates=services.lead_candidates(user.organisation_id)) if deciding else None,
        "decline_form": DeclineForm() if deciding else None,
        "cancel_form": CancelForm() if transfer.is_pending and transfer_access.may_propose_transfer(user, transfer.case)
        else None,
    })


def _post_decision(request: HttpRequest, transfer_id: Any, kind: str) -> HttpResponse:
    user: Any = request.user
    transfer = transfer_access.transfer_get_for_user(user, transfer_id)
    try:
        if kind == "accept":
            form: Any = AcceptForm(request.POST, candidates=services.lead_candidates(user.organisation_id))
            if not form.is_valid():
                raise ValidationError(_("Choose a caseworker of your organisation as lead caseworker."))
            services.transfer_accept(actor=user, transfer=transfer, lead_caseworker_id=form.cleaned_data[
                "lead_caseworker"].pk, note=form.cleaned_data["note"])
            messages.success(request, _("Transfer accepted. Your organisation now leads the case."))
            return redirect("cases:detail", case_id=transfer.case_id)
        if kind == "decline":
            form = DeclineForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Record the reason for declining."))
            services.transfer_decline(actor=user, transfer=transfer, reason=form.cleaned_data["reason"])
            messages.success(request, _("Transfer declined."))
        else:
            form = CancelForm(request.POST)
            services.transfer_cancel(actor=user, transfer=transfer,
                                     reason=form.cleaned_data["reason"] if form.is_valid() else "")
            messages.success(request, _("Transfer cancelled."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("transfers:detail", transfer_id=transfer.pk)


@require_POST
@login_required
def accept(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    return _post_decision(request, transfer_id, "accept")


@require_POST
@login_required
def decline(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    return _post_decision(request, transfer_id, "decline")


@require_POST
@login_required
def cancel(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    return _post_decision(request, transfer_id, "cancel")


@login_required
@never_cache
def transferred(request: HttpRequest) -> HttpResponse:
    """Cases the user's organisation transferred away and whose own records it keeps (own_records)."""
    if not policy.may_work_on_cases(request.user):
        raise Http404
    return render(request, "transfers/transferred.html", {"transfers": selectors.transferred_away_for(request.user)})


@login_required
@never_cache
def records(request: HttpRequest, transfer_id: Any) -> HttpResponse:
    """Read-only: what the sending organisation recorded itself. Never the identity."""
    transfer = transfer_access.transferred_records_get_for_user(request.user, transfer_id)
    access_log_write(user=request.user, what=AccessLogEntry.What.TRANSFERRED_RECORDS, case_id=transfer.case_id,
                     request=request)
    return render(request, "transfers/records.html", {
        "transfer": transfer,
        "intake": intake_rows(transfer.intake_at_handover),
        "deliveries": list(selectors.own_deliveries(transfer)),
        "assessments": list(selectors.own_assessments(transfer)),
    })
