"""Assessment pages. Thin: every case comes through ``access.policy.case_get_for_user`` (404 outside
the user's scope) and every assessment is looked up within that case; writes go through
``recovery.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access import recovery as recovery_access
from access.policy import Action
from audit.models import AccessLogEntry
from audit.services import access_log_write
from cases.forms import apply_errors
from cases.views import case_view
from core import clock
from core.choices import Domain
from core.concurrency import StaleVersion, conflict_shown

from . import charts, scoring, selectors, services
from .forms import AssessmentFillForm, AssessmentStartForm
from .models import Assessment, AssessmentKind


def _recordable_instruments(user: Any, case: Any) -> Any:
    allowed = [i.pk for i in selectors.instruments_active() if recovery_access.may_record(user, case, i)]
    return selectors.instruments_active().filter(pk__in=allowed)


@case_view(Action.VIEW)
def assessment_list(request: HttpRequest, case: Any) -> HttpResponse:
    assessments = list(selectors.assessments_of(case))
    today = clock.today()
    schedule = [{"due": d, "overdue": d.overdue(today)} for d in selectors.assessment_schedule(case)]
    rows = [{
        "a": a,
        "may_continue": recovery_access.may_continue(request.user, case, a),
        "may_see": recovery_access.may_see_content(request.user, case, a.instrument),
    } for a in assessments]
    return render(request, "recovery/assessment_list.html", {
        "case": case, "rows": rows, "schedule": schedule,
        "can_record": recovery_access.may_record_any(request.user, case),
    })


@case_view(Action.VIEW)
def assessment_start(request: HttpRequest, case: Any) -> HttpResponse:
    if not recovery_access.may_record_any(request.user, case):
        raise Http404
    instruments = _recordable_instruments(request.user, case)
    initial: dict[str, Any] = {}
    if request.GET.get("kind") in AssessmentKind.values:
        initial["kind"] = request.GET["kind"]
    form = AssessmentStartForm(request.POST or None, instruments=instruments, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            assessment = services.assessment_start(actor=request.user, case=case, instrument=d["instrument"],
                                                   kind=d["kind"], assessed_on=d["assessed_on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("recovery:fill", case_id=case.pk, assessment_id=assessment.pk)
    return render(request, "recovery/assessment_start.html", {"case": case, "form": form})


def _flagged(assessment: Assessment, items: list[Any], answers: dict[int, Any]) -> bool:
    by_number = {item.number: item for item in items}
    return bool(scoring.flagged_items((by_number[n], v) for n, v in answers.items() if n in by_number))


@case_view(Action.VIEW)
def assessment_fill(request: HttpRequest, case: Any, assessment_id: Any) -> HttpResponse:
    assessment = selectors.assessment_get(case, assessment_id)
    if not recovery_access.may_continue(request.user, case, assessment):
        if assessment.is_draft:
            messages.error(request, _("Only the person who started this draft may continue it."))
        return redirect("recovery:detail", case_id=case.pk, assessment_id=assessment.pk)
    instrument = assessment.instrument
    items = list(instrument.items.all())
    saved = {a.item_id: a.value for a in assessment.answers.all()}
    initial: dict[str, Any] = {"assessed_on": assessment.assessed_on, "version": assessment.version}
    initial.update({f"item_{item.number}": saved[item.pk] for item in items if item.pk in saved})
    conflict = None
    if request.method == "POST":
        form = AssessmentFillForm(request.POST, instrument=instrument, items=items)
        if form.is_valid():
            d = form.cleaned_data
            complete = request.POST.get("action") == "complete"
            service = services.assessment_complete if complete else services.assessment_save_draft
            try:
                service(actor=request.user, case=case, assessment=assessment, answers=form.answers(),
                        assessed_on=d["assessed_on"], expected_version=d["version"])
            except StaleVersion as exc:
                conflict = conflict_shown(request, form, exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if complete:
                    messages.success(request, _("Assessment completed."))
                    return redirect("recovery:detail", case_id=case.pk, assessment_id=assessment.pk)
                messages.success(request, _("Draft saved. You can continue it later."))
                return redirect("recovery:fill", case_id=case.pk, assessment_id=assessment.pk)
        answers = {int(k.removeprefix("item_")): int(str(v)) for k, v in request.POST.items()
                   if k.startswith("item_") and k.removeprefix("item_").isdigit() and str(v).isdigit()}
    else:
        form = AssessmentFillForm(initial=initial, instrument=instrument, items=items)
        answers = {item.number: saved[item.pk] for item in items if item.pk in saved}
    return render(request, "recovery/assessment_fill.html", {
        "case": case, "assessment": assessment, "instrument": instrument, "form": form,
        "safety_alert": _flagged(assessment, items, answers),
        "may_discard": recovery_access.may_discard(request.user, case, assessment), "conflict": conflict,
    }, status=409 if conflict else 200)


@case_view(Action.VIEW)
def assessment_detail(request: HttpRequest, case: Any, assessment_id: Any) -> HttpResponse:
    assessment = selectors.assessment_get(case, assessment_id)
    instrument = assessment.instrument
    may_see = recovery_access.may_see_content(request.user, case, instrument)
    context: dict[str, Any] = {
        "case": case, "assessment": assessment, "instrument": instrument, "may_see": may_see,
        "may_continue": recovery_access.may_continue(request.user, case, assessment),
        "may_discard": recovery_access.may_discard(request.user, case, assessment),
    }
    if may_see and instrument.is_screening:
        # Screening answers are health data of the most sensitive kind: every showing is logged.
        access_log_write(user=request.user, what=AccessLogEntry.What.SCREENING, case_id=case.pk,
                         survivor_id=case.survivor_id, request=request)
    if may_see:
        items = list(instrument.items.all())
        values = {a.item_id: a.value for a in assessment.answers.all()}
        answers: list[dict[str, Any]] = []
        for item in items:
            value = values.get(item.pk)
            level = next((lv for lv in item.levels.all() if lv.value == value), None)
            label = level.text if level else (instrument.option_label(value) if value is not None else "")
            answers.append({"item": item, "value": value, "label": label})
        context["answers"] = answers
        context["safety_alert"] = _flagged(assessment, items, {a["item"].number: a["value"] for a in answers
                                                              if a["value"] is not None})
        if not assessment.is_draft and not instrument.is_screening:
            scores = {s.domain: s.score for s in assessment.domain_scores.all()}
            points = selectors.trajectory_of(case.pk)
            index = next((i for i, p in enumerate(points) if p.assessment_id == assessment.pk), None)
            previous = points[index - 1] if index else None
            context["previous"] = previous
            context["changes"] = charts.changes_between(previous.scores if previous else None, scores)
            context["scores"] = [(label, scores.get(code)) for code, label in Domain.choices]
        if not assessment.is_draft and instrument.is_screening:
            context["previous_screening"] = (
                Assessment.objects.filter(case_id=case.pk, instrument__code=instrument.code,
                                          status=Assessment.Status.COMPLETED, assessed_on__lte=assessment.assessed_on)
                .exclude(pk=assessment.pk).select_related("screening").order_by("-assessed_on", "-completed_at")
                .first()
            )
    return render(request, "recovery/assessment_detail.html", context)


@case_view(Action.VIEW)
def assessment_discard(request: HttpRequest, case: Any, assessment_id: Any) -> HttpResponse:
    assessment = selectors.assessment_get(case, assessment_id)
    if request.method != "POST":
        return redirect("recovery:detail", case_id=case.pk, assessment_id=assessment.pk)
    version = request.POST.get("version", "")
    try:
        services.assessment_discard_draft(actor=request.user, case=case, assessment=assessment,
                                          expected_version=int(version) if version.isdigit() else 0)
    except StaleVersion:
        messages.error(request, _("Someone else saved this draft after you opened it, so it was not discarded. "
                                  "Look at it again first."))
        return redirect("recovery:detail", case_id=case.pk, assessment_id=assessment.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("recovery:detail", case_id=case.pk, assessment_id=assessment.pk)
    messages.success(request, _("Draft discarded."))
    return redirect("recovery:list", case_id=case.pk)
