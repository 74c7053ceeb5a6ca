"""Reintegration pages: close a case, follow-up visits with the re-trafficking risk screen, reopen.

Thin views: each case comes through ``access.policy.case_get_for_user`` (the ``case_view``
decorator), each follow-up through that case (``selectors.follow_up_get_for_case``): anything out
of scope is 404. Every change goes through ``reintegration.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access import policy
from access.policy import Action
from cases.forms import apply_errors
from cases.models import CaseStatus
from cases.views import case_view
from core import clock

from . import conf, selectors, services
from .forms import CloseForm, FollowUpRecordForm, MissedForm, ReopenForm, risk_field_name
from .models import ClosureReason, FollowUpStatus, RiskLevel
from .risk import FACTORS, YOUNG, RiskAnswer, young_answer_for


@case_view(Action.EDIT)
def close(request: HttpRequest, case: Any) -> HttpResponse:
    if case.status == CaseStatus.CLOSED:
        messages.error(request, _("This case is already closed. Reopen it first if it must be closed again."))
        return redirect("cases:detail", case_id=case.pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            closure = services.case_close(actor=request.user, case=case, reason=d["reason"], note=d["note"],
                                          follow_up_declined=d["follow_up_declined"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The case is closed."))
            if closure.reason == ClosureReason.RESTORED and closure.restored_rule_met is False:
                messages.warning(request, _("Note: the latest assessment does not meet the restored rule."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "reintegration/close.html", {
        "form": form, "case": case, "restored_rule_met": selectors.restored_rule_met(case.pk),
        "months": conf.follow_up_months(),
    })


@case_view(Action.EDIT)
def reopen(request: HttpRequest, case: Any) -> HttpResponse:
    if case.status != CaseStatus.CLOSED:
        messages.error(request, _("This case is open: only a closed case can be reopened."))
        return redirect("cases:detail", case_id=case.pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The case is reopened."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "reintegration/reopen.html", {"form": form, "case": case})


@case_view(Action.VIEW)
def follow_up_list(request: HttpRequest, case: Any) -> HttpResponse:
    today = clock.today()
    follow_ups = list(selectors.follow_ups_of(case))
    rows = [{"follow_up": f, "state": selectors.follow_up_state(f, today)} for f in follow_ups]
    return render(request, "reintegration/follow_up_list.html", {
        "case": case, "rows": rows, "closures": list(selectors.closures_of(case)),
        "can_edit": policy.can(request.user, Action.EDIT, case),
    })


@case_view(Action.VIEW)
def follow_up_detail(request: HttpRequest, case: Any, follow_up_id: Any) -> HttpResponse:
    follow_up = selectors.follow_up_get_for_case(case, follow_up_id)
    weights = conf.risk_weights()
    answers = follow_up.risk_answers or {}
    factors = [
        {"label": f.label, "answer": RiskAnswer(answers[f.code]).label if answers.get(f.code) in RiskAnswer.values
         else "", "yes": answers.get(f.code) == RiskAnswer.YES, "weight": weights.get(f.code, 0),
         "forces_high": f.code in conf.risk_force_high()}
        for f in FACTORS
    ]
    can_edit = policy.can(request.user, Action.EDIT, case)
    return render(request, "reintegration/follow_up_detail.html", {
        "case": case, "follow_up": follow_up, "state": selectors.follow_up_state(follow_up), "factors": factors,
        "can_edit": can_edit, "is_high": follow_up.risk_level == RiskLevel.HIGH,
        "can_reopen": can_edit and case.status == CaseStatus.CLOSED,
        "can_record": can_edit and follow_up.status == FollowUpStatus.SCHEDULED and case.status == CaseStatus.CLOSED,
        "missed_form": MissedForm(),
    })


@case_view(Action.EDIT)
def follow_up_record(request: HttpRequest, case: Any, follow_up_id: Any) -> HttpResponse:
    follow_up = selectors.follow_up_get_for_case(case, follow_up_id)
    if follow_up.status != FollowUpStatus.SCHEDULED:
        messages.error(request, _("This follow-up is already “%(status)s”; it cannot be recorded again.")
                       % {"status": follow_up.get_status_display()})
        return redirect("reintegration:follow_up_detail", case_id=case.pk, follow_up_id=follow_up.pk)
    if request.method == "POST":
        form = FollowUpRecordForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.follow_up_record(
                    actor=request.user, case=case, follow_up=follow_up, done_on=d["done_on"],
                    contact_mode=d["contact_mode"], notes=d["notes"], answers=form.answers(),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Follow-up recorded."))
                return redirect("reintegration:follow_up_detail", case_id=case.pk, follow_up_id=follow_up.pk)
    else:
        from livelihood.selectors import risk_screen_hints  # loss of income and recruiter debts (livelihood)

        form = FollowUpRecordForm(initial={
            "done_on": clock.today(),
            risk_field_name(YOUNG): young_answer_for(case.survivor),
            **{risk_field_name(code): answer for code, answer in risk_screen_hints(case, user=request.user).items()},
        })
    return render(request, "reintegration/follow_up_record.html", {
        "form": form, "case": case, "follow_up": follow_up, "thresholds": conf.risk_thresholds(),
    })


@case_view(Action.EDIT)
def follow_up_missed(request: HttpRequest, case: Any, follow_up_id: Any) -> HttpResponse:
    follow_up = selectors.follow_up_get_for_case(case, follow_up_id)
    if request.method == "POST":
        form = MissedForm(request.POST)
        notes = form.cleaned_data["notes"] if form.is_valid() else ""
        try:
            services.follow_up_miss(actor=request.user, case=case, follow_up=follow_up, notes=notes)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Follow-up recorded as missed."))
    return redirect("reintegration:follow_up_detail", case_id=case.pk, follow_up_id=follow_up.pk)
