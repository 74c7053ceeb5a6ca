"""Referral pages: a new referral from a case, the inbox ("shared with us" / "shared by us"),
one referral (its packet, for either side), and the lifecycle buttons.

Thin views. The sender's side comes through the case policy (``policy.can(user, VIEW, case)``);
the partner's side is only the packet, while the referral is open: anything else is 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access import policy
from access import referrals as referral_access
from access.policy import Action
from audit.models import AccessLogEntry
from audit.services import access_log_write
from care.models import Service
from care.services import services_provided_by
from cases.forms import apply_errors
from cases.selectors import service_regions
from cases.views import case_view
from core import clock
from core.pagination import CappedPaginator
from interop.htcds import packet_to_htcds
from partners.models import PartnerProfile
from plans.models import Goal

from . import selectors, services
from .forms import OutcomeForm, ReasonForm, ReferralForm
from .models import Referral
from .packet import FIELDS, display_value, template_for_service, templates

PAGE_SIZE = 25
PACKET_LOG = AccessLogEntry.What.REFERRAL_PACKET  # the access log's "what" for an opening of a packet


# --- a new referral ------------------------------------------------------------------------------


@case_view(Action.EDIT)
def referral_new(request: HttpRequest, case: Any) -> HttpResponse:
    user: Any = request.user
    if not referral_access.may_send(user, case):
        raise Http404
    if not case.is_open:
        messages.error(request, _("A closed case cannot be changed; reopen it first."))
        return redirect("cases:detail", case_id=case.pk)
    src = request.POST if request.method == "POST" else request.GET
    partner_id = str(src.get("partner") or "")
    profile = (PartnerProfile.objects.select_related("organisation")
               .filter(organisation_id=int(partner_id), is_listed=True, organisation__is_active=True).first()
               if partner_id.isdigit() else None)
    service = Service.objects.filter(code=src.get("service") or "", is_active=True).first()
    template = templates().get(src.get("template") or "") or template_for_service(service.code if service else "")
    partners = (PartnerProfile.objects.filter(is_listed=True, organisation__is_active=True)
                .exclude(organisation_id=case.lead_organisation_id).select_related("organisation")
                .order_by("organisation__name"))
    offered = []
    if profile is not None:

        offered = services_provided_by(profile.organisation_id)
    form = None
    if profile is not None and service is not None:

        goals = list(Goal.objects.filter(plan__case_id=case.pk).exclude(status="dropped").order_by("id"))
        consents = services.consents_covering(case, profile.organisation_id, on=clock.today())
        # A room that leads here in one step (livelihood) may offer texts for the packet through the
        # session, never the URL; the sender still sees and chooses everything that is shared.
        prefill = request.session.pop("referral_prefill", None) if request.method == "GET" else None
        form = ReferralForm(request.POST if request.method == "POST" else None, template=template,
                            regions=service_regions(case), goals=goals, consents=consents,
                            initial={k: v for k, v in (prefill or {}).items() if str(k).startswith("text_")})
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            data = services.ReferralInput(
                recipient_organisation_id=profile.organisation_id, service=service.code,
                service_region=d["service_region"], template=template.code, fields=list(d["packet_fields"]),
                texts=form.texts(), lawful_basis=d["lawful_basis"], consent_id=d.get("consent") or None,
                basis_reason=d.get("basis_reason") or "", goal_id=d.get("goal") or None,
            )
            try:
                referral = services.referral_send(actor=user, case=case, data=data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, msgs in exc.message_dict.items():
                        target = key if key in form.fields else (f"text_{key}" if f"text_{key}" in form.fields
                                                                  else None)
                        for message in msgs:
                            form.add_error(target, message)
                else:
                    apply_errors(form, exc)
            else:
                messages.success(request, _("Referral sent to %(org)s.") % {"org": profile.organisation.name})
                return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/new.html", {
        "case": case, "profile": profile, "service": service, "template": template, "form": form,
        "partners": partners, "offered": offered, "templates": templates().values(),
        "services_all": Service.objects.filter(is_active=True).exclude(category=Service.Category.ACT),
    })


# --- lists ---------------------------------------------------------------------------------------------


@login_required
@never_cache
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.may_work_on_cases(user):
        raise Http404
    box = request.GET.get("box") if request.GET.get("box") in ("received", "sent") else "received"
    qs = selectors.shared_with_us(user) if box == "received" else selectors.shared_by_us(user)
    status = request.GET.get("status", "")
    if status in Referral.Status.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs.order_by("-sent_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "referrals/inbox.html", {
        "box": box, "page": page, "query": query.urlencode(), "status": status, "statuses": Referral.Status.choices,
        "unread": selectors.unread_count(user),
    })


# --- one referral ------------------------------------------------------------------------------------------


def _packet_rows(referral: Referral) -> list[tuple[str, str, Any]]:
    values = referral.values()
    return [(key, str(FIELDS[key].label) if key in FIELDS else key, display_value(key, values.get(key)))
            for key in referral.packet_fields]


def _log_packet(request: HttpRequest, referral: Referral) -> None:
    access_log_write(user=request.user, what=PACKET_LOG, case_id=referral.case_id,
                     survivor_id=referral.case.survivor_id, request=request)


@login_required
@never_cache
def detail(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral, side = selectors.referral_get(request.user, referral_id)
    _log_packet(request, referral)
    if side == "recipient":
        services.mark_read(user=request.user, referral=referral)
    return render(request, "referrals/detail.html", {
        "referral": referral, "side": side, "rows": _packet_rows(referral),
        "template": templates().get(referral.template),
        "can_revoke": side == "sender" and referral.is_active and referral_access.may_send(request.user, referral.case),
        "decline_form": ReasonForm(), "revoke_form": ReasonForm(), "outcome_form": OutcomeForm(),
    })


@login_required
@never_cache
def packet_htcds(request: HttpRequest, referral_id: Any) -> HttpResponse:
    """The packet as an HTCDS 2.0 JSON document (a download; logged like every opening)."""
    referral, _side = selectors.referral_get(request.user, referral_id)
    try:
        doc = packet_to_htcds(referral.values())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("referrals:detail", referral_id=referral.pk)
    _log_packet(request, referral)
    response = HttpResponse(json.dumps(doc, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="referral-{referral.pk}-htcds.json"'
    return response


def _done(request: HttpRequest, referral: Referral, fn: Any, ok: str, **kwargs: Any) -> HttpResponse:
    try:
        updated = fn(actor=request.user, referral=referral, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if referral_access.access_open(referral) or policy.can(request.user, Action.VIEW, referral.case):
            return redirect("referrals:detail", referral_id=referral.pk)
        return redirect("referrals:inbox")
    messages.success(request, ok)
    if updated.is_active:
        return redirect("referrals:detail", referral_id=updated.pk)
    return redirect(f"{_inbox_url()}")


def _inbox_url() -> str:

    return reverse("referrals:inbox")


@login_required
@require_POST
def accept(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.referral_for_recipient_action(request.user, referral_id)
    return _done(request, referral, services.referral_accept, _("Referral accepted."))


@login_required
@require_POST
def start(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.referral_for_recipient_action(request.user, referral_id)
    return _done(request, referral, services.referral_start, _("Work on the referral started."))


@login_required
@require_POST
def decline(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.referral_for_recipient_action(request.user, referral_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(request, referral, services.referral_decline, _("Referral declined."), reason=reason)


@login_required
@require_POST
def complete(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.referral_for_recipient_action(request.user, referral_id)
    form = OutcomeForm(request.POST)
    form.is_valid()
    return _done(request, referral, services.referral_complete, _("Outcome reported. The referral is completed."),
                 outcome_report=form.cleaned_data.get("outcome_report", ""),
                 delivered_on=form.cleaned_data.get("delivered_on"))


@login_required
@require_POST
def revoke(request: HttpRequest, referral_id: Any) -> HttpResponse:
    referral = selectors.referral_for_sender(request.user, referral_id)
    if not referral_access.may_send(request.user, referral.case):
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.referral_revoke(actor=request.user, referral=referral, reason=reason)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Referral revoked. The partner can no longer open it."))
    return redirect("referrals:detail", referral_id=referral.pk)
