"""Service pages: the work queue, a case's delivery log, recording deliveries and applications,
and the organisation's list of services.

Thin views. A case comes through ``access.policy.case_get_for_user`` (404 outside the user's
scope), then deliveries and applications are looked up within that case only.
"""

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

from access import care as care_access
from access import policy
from access.policy import Action
from cases.forms import apply_errors
from cases.views import case_view
from core.concurrency import StaleVersion, conflict_shown
from core.workqueue import work_items_for
from plans.models import Goal

from . import selectors, services
from .clocks import clocks_for_case
from .forms import ApplicationForm, DeliveryForm, OrganisationServicesForm, WorkQueueScopeForm
from .models import OrganisationService, ServiceDelivery

PAGE_SIZE = 25
WORK_QUEUE_PAGE_SIZE = 50


def _require_recorder(request: HttpRequest, case: Any) -> None:
    if not care_access.may_record(request.user, case):
        raise Http404


# --- work queue ----------------------------------------------------------------------------------


@login_required
@never_cache
def work_queue(request: HttpRequest) -> HttpResponse:
    """Daftar tugas: what is due and overdue, from every room, overdue first."""
    user: Any = request.user
    if not policy.may_work_on_cases(user):
        raise Http404
    is_supervisor = policy.may_see_organisation_scope(user)
    form = WorkQueueScopeForm(request.GET or None)
    scope = form.cleaned_data.get("scope") if form.is_valid() else ""
    if scope != "organisation" or not is_supervisor:
        scope = "mine"
    items = work_items_for(user, scope=scope)
    page = Paginator(items, WORK_QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/work_queue.html", {
        "page": page, "scope": scope, "is_supervisor": is_supervisor, "form": form,
        "query": f"scope={scope}", "overdue_count": sum(1 for i in items if i.overdue), "total": len(items),
    })


# --- a case's deliveries -----------------------------------------------------------------------------


@case_view(Action.VIEW)
def delivery_list(request: HttpRequest, case: Any) -> HttpResponse:
    page = Paginator(selectors.deliveries_for_case(case), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "care/delivery_list.html", {
        "case": case, "page": page, "applications": list(selectors.applications_for_case(case)),
        "clocks": clocks_for_case(case),
        "can_record": care_access.may_record(request.user, case) and case.is_open,
    })


def _delivery_form(request: HttpRequest, case: Any, delivery: ServiceDelivery | None) -> DeliveryForm:
    provided = services.services_provided_by(case.lead_organisation_id)
    team = services.team_users(case)
    if delivery is None:
        initial: dict[str, Any] = {"delivered_by": str(request.user.pk)}
    else:
        initial = DeliveryForm.initial_for(delivery, case.lead_organisation.time_zone)
    goals = Goal.objects.filter(plan__case_id=case.pk).exclude(status="dropped").order_by("id")
    return DeliveryForm(request.POST or None, initial=initial, services=provided, team=team,
                        current=delivery.service if delivery else None, goals=goals)


def _delivery_save(request: HttpRequest, case: Any, delivery: ServiceDelivery | None) -> HttpResponse:
    _require_recorder(request, case)
    if not case.is_open:
        messages.error(request, _("A closed case cannot be changed; reopen it first."))
        return redirect("care:deliveries", case_id=case.pk)
    form = _delivery_form(request, case, delivery)
    conflict = None
    if request.method == "POST":
        action = request.POST.get("action", "draft")
        if action == "discard" and delivery is not None:
            form.is_valid()
            try:
                services.delivery_discard(actor=request.user, case=case, delivery=delivery,
                                          version=form.cleaned_data.get("version", 0))
            except StaleVersion:
                messages.error(request, _("Someone else saved this draft after you opened it, so it was not "
                                          "discarded. Look at it again first."))
                return redirect("care:delivery_edit", case_id=case.pk, delivery_id=delivery.pk)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Draft discarded."))
            return redirect("care:deliveries", case_id=case.pk)
        if form.is_valid():
            try:
                saved = services.delivery_save(actor=request.user, case=case, delivery=delivery,
                                               values=form.values(), complete=action == "record",
                                               version=form.cleaned_data["version"] if delivery else None)
            except StaleVersion as exc:
                conflict = conflict_shown(request, form, exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if saved.is_draft:
                    messages.success(request, _("Draft saved. Complete it when you have the details."))
                else:
                    messages.success(request, _("Service delivery recorded."))
                return redirect("care:deliveries", case_id=case.pk)
    return render(request, "care/delivery_form.html", {
        "case": case, "form": form, "delivery": delivery, "conflict": conflict,
        "no_services": not form.fields["service"].choices[1:],  # type: ignore[attr-defined]
    }, status=409 if conflict else 200)


@case_view(Action.VIEW)
def delivery_new(request: HttpRequest, case: Any) -> HttpResponse:
    return _delivery_save(request, case, None)


@case_view(Action.VIEW)
def delivery_edit(request: HttpRequest, case: Any, delivery_id: Any) -> HttpResponse:
    delivery = selectors.delivery_get_for_case(case, delivery_id)
    return _delivery_save(request, case, delivery)


# --- applications --------------------------------------------------------------------------------------


@case_view(Action.VIEW)
def application_new(request: HttpRequest, case: Any) -> HttpResponse:
    _require_recorder(request, case)
    if not case.is_open:
        messages.error(request, _("A closed case cannot be changed; reopen it first."))
        return redirect("care:deliveries", case_id=case.pk)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Application recorded: the 7-day time limit is running."))
            return redirect("care:deliveries", case_id=case.pk)
    return render(request, "care/application_form.html", {"case": case, "form": form})


@case_view(Action.VIEW)
def application_delete(request: HttpRequest, case: Any, application_id: Any) -> HttpResponse:
    application = selectors.application_get_for_case(case, application_id)
    _require_recorder(request, case)
    if request.method == "POST":
        try:
            services.application_delete(actor=request.user, case=case, application=application)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Application removed."))
    return redirect("care:deliveries", case_id=case.pk)


# --- the organisation's services (organisation administrators) -------------------------------------


@login_required
@never_cache
def organisation_services(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not care_access.may_manage_services(user):
        raise Http404
    catalogue = list(selectors.catalogue())
    current = list(
        OrganisationService.objects.filter(organisation_id=user.organisation_id).values_list("service__code", flat=True)
    )
    form = OrganisationServicesForm(request.POST or None, catalogue=catalogue, initial={
        "services": current, "version": user.organisation.services_version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_services_set(actor=user, service_codes=form.cleaned_data["services"],
                                               version=form.cleaned_data["version"])
        except StaleVersion as exc:
            conflict = conflict_shown(request, form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The list of services was saved."))
            return redirect("care:organisation_services")
    return render(request, "care/organisation_services.html", {
        "form": form, "organisation": user.organisation, "conflict": conflict}, status=409 if conflict else 200)
