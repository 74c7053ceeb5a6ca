"""Livelihood pages. Thin: parse the form, call one service or selector, render.

URL keywords: case_id, opportunity_id, enrolment_id, check_id (the 404 walker knows them, see
tests/walk.py). The case's pages are the case team's only (``access.livelihood``): 404 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access import livelihood as rules
from cases.forms import apply_errors
from core import clock
from core.concurrency import StaleVersion, conflict_shown
from core.pagination import CappedPaginator

from . import conf, selectors, services, skills, wages
from .forms import (
    ChoiceForm,
    CompletionForm,
    DemandImportForm,
    EnrolmentForm,
    EnterpriseForm,
    IncomeForm,
    OpportunityFilterForm,
    OpportunityForm,
    OverrideForm,
    PlacementForm,
    ProfileForm,
    SkillFormSet,
    WorkFormSet,
)
from .models import LabourDemand, OpportunityKind, OpportunityStatus

PAGE_SIZE = 25
REFERRAL_SERVICE = "economic_empowerment"  # the catalogue's entry (care/data/services.json)
REFERRAL_TEMPLATE = "training"  # the packet template for training providers and employers


View = Callable[..., HttpResponse]


def livelihood_view(*, edit: bool = False) -> Callable[[View], View]:
    """Decorator: signed in, not cached, the case fetched through the livelihood rules (404 otherwise)."""

    def decorator(fn: View) -> View:
        def wrapper(request: HttpRequest, case_id: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            case = rules.livelihood_case_get(request.user, case_id, edit=edit)
            return fn(request, case, *args, **kwargs)

        wrapper.__name__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        wrapped: View = login_required(never_cache(wrapper))
        return wrapped

    return decorator


def _closed(request: HttpRequest, case: Any) -> HttpResponse | None:
    if not case.is_open:
        messages.error(request, _("A closed case cannot be changed; reopen it first."))
        return redirect("livelihood:case", case_id=case.pk)
    return None


# --- the case's livelihood page --------------------------------------------------------------------------


@livelihood_view()
def case_page(request: HttpRequest, case: Any) -> HttpResponse:
    user: Any = request.user
    profile = selectors.profile_for(case)
    suggestions = selectors.suggestions_for(user, case, profile)
    flag_labels = selectors.flag_labels()
    rows = [{"s": s, "flags": [flag_labels[f] for f in s.flags],
             "why": sorted(s.factors, key=lambda f: -f.contribution)} for s in suggestions]
    return render(request, "livelihood/case.html", {
        "case": case, "profile": profile, "rows": rows, "goals": selectors.economic_goals(case),
        "records": selectors.case_records(case), "can_edit": rules.may_edit_livelihood(user, case) and case.is_open,
        "can_override": rules.may_override_check(user, case), "skill_label": dict(skills.choices()),
        "wage_table": wages.table(),
    })


@livelihood_view(edit=True)
def profile_edit(request: HttpRequest, case: Any) -> HttpResponse:
    if (closed := _closed(request, case)) is not None:
        return closed
    profile = selectors.profile_for(case)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        work = WorkFormSet(request.POST, prefix="work")
        held = SkillFormSet(request.POST, prefix="skill")
    else:
        initial: dict[str, Any] = {"version": profile.version if profile else 0}
        if profile:
            initial.update({n: getattr(profile, n) for n in services.PROFILE_FIELDS if n != "preferred_region"})
            initial["preferred_region"] = profile.preferred_region_id or ""
        form = ProfileForm(initial=initial)
        work = WorkFormSet(prefix="work", initial=[
            {"sector": w.sector, "role": w.role, "employer_name": w.employer_name, "country": w.country,
             "months": w.months, "was_exploitative": w.was_exploitative}
            for w in (profile.work_history.all() if profile else [])])
        held = SkillFormSet(prefix="skill", initial=[
            {"skill": s.skill, "self_level": s.self_level, "assessed_level": s.assessed_level}
            for s in (profile.skills.all() if profile else [])])
    conflict = None
    if request.method == "POST" and form.is_valid() and work.is_valid() and held.is_valid():
        work_rows = [w for f in work.forms if (w := f.to_input()) is not None]
        skill_rows = [k for g in held.forms if (k := g.to_input()) is not None]
        try:
            services.profile_save(actor=request.user, case=case, version=form.cleaned_data["version"],
                                  data=form.to_input(work_rows, skill_rows))
        except StaleVersion as exc:
            conflict = conflict_shown(request, form, exc)
        except ValidationError as exc:
            _apply_nested(form, exc)
        else:
            messages.success(request, _("Economic profile saved."))
            return redirect("livelihood:case", case_id=case.pk)
    return render(request, "livelihood/profile_form.html", {
        "case": case, "form": form, "work": work, "held": held, "conflict": conflict,
    }, status=409 if conflict else 200)


def _apply_nested(form: Any, exc: ValidationError) -> None:
    """Errors of rows (``skills.1.skill``) go to the top of the form, named."""
    if not hasattr(exc, "error_dict"):
        apply_errors(form, exc)
        return
    for key, msgs in exc.message_dict.items():
        target = key if key in form.fields else None
        for message in msgs:
            form.add_error(target, message if target else f"{key}: {message}")


@livelihood_view(edit=True)
@require_POST
def choice(request: HttpRequest, case: Any) -> HttpResponse:
    if (closed := _closed(request, case)) is not None:
        return closed
    form = ChoiceForm(request.POST)
    form.is_valid()
    suggestions = selectors.suggestions_for(request.user, case, selectors.profile_for(case))
    try:
        services.choice_record(actor=request.user, case=case, opportunity_id=form.cleaned_data.get("opportunity"),
                               note=form.cleaned_data.get("note", ""), shown=services.shown_of(suggestions),
                               check_id=form.cleaned_data.get("check_id"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The survivor's choice is recorded."))
    return redirect("livelihood:case", case_id=case.pk)


@livelihood_view(edit=True)
@require_POST
def refer(request: HttpRequest, case: Any, opportunity_id: Any) -> HttpResponse:
    """One step from a suggestion to the referral flow: the partner, the service and the packet
    template chosen, and the profile's shareable summary offered as the packet's skills text (kept
    in the session, never in the URL). The sender still chooses what is shared, and the consent."""
    opportunity = rules.opportunity_get_for_user(request.user, opportunity_id)
    request.session["referral_prefill"] = {
        "text_referral.skills_interests": selectors.shareable_summary(selectors.profile_for(case))}
    query = urlencode({"partner": opportunity.organisation_id, "service": REFERRAL_SERVICE,
                       "template": REFERRAL_TEMPLATE})
    return redirect(reverse("referrals:new", kwargs={"case_id": case.pk}) + "?" + query)


@livelihood_view(edit=True)
def enrolment_new(request: HttpRequest, case: Any) -> HttpResponse:
    if (closed := _closed(request, case)) is not None:
        return closed
    trainings = list(rules.opportunities_visible_to(request.user).filter(
        kind=OpportunityKind.TRAINING, status=OpportunityStatus.OPEN).select_related("organisation").order_by("title"))
    form = EnrolmentForm(request.POST or None, trainings=trainings, goals=selectors.economic_goals(case),
                         initial={"opportunity": request.GET.get("opportunity", ""), "enrolled_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.enrolment_create(actor=request.user, case=case, opportunity_id=d["opportunity"],
                                      enrolled_on=d["enrolled_on"], goal_id=d.get("goal"),
                                      direct=bool(d.get("direct")))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Enrolment recorded."))
            return redirect("livelihood:case", case_id=case.pk)
    return render(request, "livelihood/form.html", {"case": case, "form": form, "title": _("Enrol in training")})


@livelihood_view(edit=True)
def placement_new(request: HttpRequest, case: Any) -> HttpResponse:
    if (closed := _closed(request, case)) is not None:
        return closed
    vacancies = list(rules.opportunities_visible_to(request.user).filter(kind=OpportunityKind.VACANCY)
                     .select_related("organisation").order_by("title"))
    form = PlacementForm(request.POST or None, vacancies=vacancies, goals=selectors.economic_goals(case))
    failed = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.PlacementInput(
            employer_name=d["employer_name"], sector=d["sector"], region=d["region"], started_on=d["started_on"],
            monthly_wage=d["monthly_wage"], hours_per_week=d["hours_per_week"], contract_type=d["contract_type"],
            bpjs_registered=d["bpjs_registered"], worker_fee=d.get("worker_fee") or 0,
            retains_documents=d["retains_documents"], accommodation=d["accommodation"],
            opportunity_id=d.get("opportunity"), goal_id=d.get("goal"), check_id=d.get("check_id"),
        )
        try:
            services.placement_record(actor=request.user, case=case, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
            if hasattr(exc, "error_dict") and "__all__" in exc.error_dict and not d.get("check_id"):
                # The terms fail the check: record the check so a supervisor can decide on it.
                failed = services.decent_work_check_run(actor=request.user, case=case, terms=data.terms())
        else:
            messages.success(request, _("Placement recorded."))
            return redirect("livelihood:case", case_id=case.pk)
    return render(request, "livelihood/placement_form.html", {"case": case, "form": form, "failed": failed})


@livelihood_view()
def check_detail(request: HttpRequest, case: Any, check_id: Any) -> HttpResponse:
    check = selectors.check_get_for_supervisor(request.user, check_id)
    if check.case_id != case.pk:
        raise Http404
    can_override = rules.may_override_check(request.user, case) and check.status == "failed" and case.is_open
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        if not can_override:
            messages.error(request, _("Only a supervisor of the lead organisation may override the decent-work "
                                      "check."))
            return redirect("livelihood:check", case_id=case.pk, check_id=check.pk)
        if form.is_valid():
            try:
                services.decent_work_override(actor=request.user, check=check, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Check overridden; the reason is recorded."))
                return redirect("livelihood:check", case_id=case.pk, check_id=check.pk)
    return render(request, "livelihood/check.html", {"case": case, "check": check, "form": form,
                                                     "can_override": can_override})


@livelihood_view(edit=True)
def enterprise_new(request: HttpRequest, case: Any) -> HttpResponse:
    if (closed := _closed(request, case)) is not None:
        return closed
    supports = list(rules.opportunities_visible_to(request.user).filter(kind=OpportunityKind.ENTERPRISE)
                    .select_related("organisation").order_by("title"))
    form = EnterpriseForm(request.POST or None, supports=supports, goals=selectors.economic_goals(case))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.enterprise_record(actor=request.user, case=case, business_type=d["business_type"],
                                       sector=d["sector"], plan=d["plan"], support_id=d.get("support"),
                                       support_amount=d.get("support_amount") or 0, started_on=d["started_on"],
                                       first_sales_on=d.get("first_sales_on"), goal_id=d.get("goal"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Enterprise recorded."))
            return redirect("livelihood:case", case_id=case.pk)
    return render(request, "livelihood/form.html", {"case": case, "form": form, "title": _("Record an enterprise")})


@livelihood_view(edit=True)
def income_new(request: HttpRequest, case: Any) -> HttpResponse:
    if (closed := _closed(request, case)) is not None:
        return closed
    form = IncomeForm(request.POST or None, initial={"recorded_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.income_follow_up_record(actor=request.user, case=case, months_after=d["months_after"],
                                             recorded_on=d["recorded_on"], working=d["working"],
                                             monthly_income=d["monthly_income"], debt_change=d["debt_change"],
                                             decent_work=d["decent_work"], note=d["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Income follow-up recorded."))
            return redirect("livelihood:case", case_id=case.pk)
    return render(request, "livelihood/form.html", {"case": case, "form": form,
                                                    "title": _("Record an income follow-up")})


# --- opportunities -------------------------------------------------------------------------------------------

SORTS = {"-created": ("-created_at", "-id"), "start": ("start_date", "id"), "title": ("title", "id")}


@login_required
@never_cache
def opportunities(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not rules.may_see_opportunities(user):
        raise Http404
    form = OpportunityFilterForm(request.GET or None)
    qs = rules.opportunities_visible_to(user).select_related("organisation", "region")
    sort = "-created"
    if form.is_valid():
        d = form.cleaned_data
        if d.get("q"):
            qs = qs.filter(Q(title__icontains=d["q"]) | Q(organisation__name__icontains=d["q"])
                           | Q(employer_name__icontains=d["q"]))
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        sort = d.get("sort") or sort
    page = CappedPaginator(qs.order_by(*SORTS.get(sort, SORTS["-created"])), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "livelihood/opportunities.html", {
        "form": form, "page": page, "query": query.urlencode(), "can_publish": rules.may_publish(user),
    })


@login_required
@never_cache
def opportunity_detail(request: HttpRequest, opportunity_id: Any) -> HttpResponse:
    opportunity = rules.opportunity_get_for_user(request.user, opportunity_id)
    user: Any = request.user
    check = opportunity.checks.filter(case__isnull=True).first()
    return render(request, "livelihood/opportunity.html", {
        "o": opportunity, "check": check, "skill_label": dict(skills.choices()),
        "can_edit": rules.may_publish(user) and opportunity.organisation_id == user.organisation_id,
    })


def _opportunity_form(request: HttpRequest, opportunity: Any) -> HttpResponse:
    if request.method == "POST":
        form = OpportunityForm(request.POST)
    else:
        form = OpportunityForm(initial=OpportunityForm.initial_for(opportunity) if opportunity else
                               {"kind": request.GET.get("kind", OpportunityKind.TRAINING), "version": 0})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.opportunity_save(actor=request.user, opportunity=opportunity,
                                              version=form.cleaned_data["version"] if opportunity else None,
                                              values=form.values())
        except StaleVersion as exc:
            conflict = conflict_shown(request, form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Opportunity saved."))
            return redirect("livelihood:opportunity", opportunity_id=saved.pk)
    return render(request, "livelihood/opportunity_form.html", {"form": form, "o": opportunity,
                                                                "conflict": conflict},
                  status=409 if conflict else 200)


@login_required
@never_cache
def opportunity_new(request: HttpRequest) -> HttpResponse:
    if not rules.may_publish(request.user):
        raise Http404
    return _opportunity_form(request, None)


@login_required
@never_cache
def opportunity_edit(request: HttpRequest, opportunity_id: Any) -> HttpResponse:
    return _opportunity_form(request, rules.opportunity_get_for_publisher(request.user, opportunity_id))


# --- the provider's enrolments -------------------------------------------------------------------------------


@login_required
@never_cache
def provider_enrolments(request: HttpRequest) -> HttpResponse:
    if not rules.may_publish(request.user):
        raise Http404
    page = CappedPaginator(selectors.enrolments_for_provider(request.user).order_by("-enrolled_on", "-id"),
                           PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "livelihood/provider_enrolments.html", {"page": page, "query": ""})


@login_required
@never_cache
def enrolment_complete(request: HttpRequest, enrolment_id: Any) -> HttpResponse:
    enrolment = selectors.enrolment_get_for_user(request.user, enrolment_id)
    form = CompletionForm(request.POST or None, initial={"completed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.enrolment_complete(actor=request.user, enrolment=enrolment, completed_on=d["completed_on"],
                                        certificate=d["certificate"], dropped=d["outcome"] == "dropped")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The result of the training is recorded."))
            if rules.may_view_livelihood(request.user, enrolment.case):
                return redirect("livelihood:case", case_id=enrolment.case_id)
            return redirect("livelihood:provider_enrolments")
    return render(request, "livelihood/completion_form.html", {"enrolment": enrolment, "form": form})


# --- labour-market demand ---------------------------------------------------------------------------------------


@login_required
@never_cache
def demand(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (rules.may_see_opportunities(user) or rules.may_import_demand(user)):
        raise Http404
    region = (request.GET.get("region") or "").strip()[:8]
    qs = LabourDemand.objects.select_related("region").order_by("region_id", "sector", "-period")
    if region:
        qs = qs.filter(region_id__startswith=region)
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "livelihood/demand.html", {
        "page": page, "region": region, "query": urlencode({"region": region}) if region else "",
        "can_import": rules.may_import_demand(user), "wage_table": wages.table(),
    })


@login_required
@never_cache
def demand_import(request: HttpRequest) -> HttpResponse:
    if not rules.may_import_demand(request.user):
        raise Http404
    form = DemandImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            text = d["file"].read().decode("utf-8")
        except UnicodeDecodeError:
            form.add_error("file", _("The file must be UTF-8 text (CSV)."))
        else:
            try:
                n = services.labour_demand_import(actor=request.user, text=text, source=d["source"],
                                                  source_date=d["source_date"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(n)s rows imported.") % {"n": n})
                return redirect("livelihood:demand")
    return render(request, "livelihood/demand_import.html", {"form": form, "columns": services.DEMAND_COLUMNS,
                                                             "months": conf.follow_up_months()})
