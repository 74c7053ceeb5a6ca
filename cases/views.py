"""Case pages: caseload, registration, case file, intake, identity, status, team, consent, history.

Thin views: parse input, call one service or selector, render. Every case is fetched through
``access.policy.case_get_for_user``, which answers 404 outside the user's scope.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from access import accounts as account_access
from access import policy
from access.policy import Action
from accounts.models import Organisation
from audit.models import AccessLogEntry
from audit.services import access_log_write
from core.concurrency import StaleVersion, conflict_shown
from core.pagination import CappedPaginator
from core.sections import sections_for
from survivors import selectors as survivor_selectors
from survivors import services as survivor_services
from survivors import validators as survivor_validators
from survivors.display import guardians_for_display, identity_for_display, photo_present
from survivors.middleware import identity_in_url_refused
from survivors.models import ConsentRecord

from . import selectors, services
from .forms import (
    CaseloadFilterForm,
    ConsentForm,
    GuardianForm,
    IdentityForm,
    IntakeForm,
    RegistrationForm,
    TeamAddForm,
    TransitionForm,
    WithdrawForm,
    apply_errors,
)
from .models import ALLOWED_TRANSITIONS, CLOSURE_STATUSES, Alert, Case, CaseStatus

M = TypeVar("M", bound=Model)


def _page(request: HttpRequest, qs: QuerySet[M], size: int | None = None, cap: int | None = None) -> Page[M]:
    paginator = CappedPaginator(qs, size or settings.SINTAS_CASELOAD_PAGE_SIZE, cap=cap)
    return paginator.get_page(request.GET.get("page"))


P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase, covariant=True)
CaseView = Callable[Concatenate[HttpRequest, Case, P], R]


class CaseIdView(Protocol[P, R]):
    """What the URL resolver calls: the request and the case id from the URL (a UUID, passed by
    keyword), then the view's other URL arguments."""

    def __call__(self, request: HttpRequest, case_id: uuid.UUID, *args: P.args, **kwargs: P.kwargs) -> R: ...


def case_view(action: str = Action.VIEW) -> Callable[[CaseView[P, R]], CaseIdView[P, R]]:
    """Decorator: signed-in, no caching on shared phones, and the case fetched through the policy."""

    def decorator(fn: CaseView[P, R]) -> CaseIdView[P, R]:
        @login_required
        @never_cache
        def wrapper(request: HttpRequest, case_id: uuid.UUID, *args: P.args, **kwargs: P.kwargs) -> R:
            case = policy.case_get_for_user(request.user, case_id, action)
            return fn(request, case, *args, **kwargs)

        wrapper.__name__ = fn.__name__
        wrapper.__doc__ = fn.__doc__
        return wrapper

    return decorator


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if policy.may_work_on_cases(user):
        return redirect("cases:list")
    if account_access.holds_admin_role(user):
        return redirect("accounts:users")
    if account_access.may_manage_organisations(user):
        return redirect("accounts:organisations")
    return render(request, "cases/home.html")


# A NIK search is POSTed and kept in the session under a random token; the page it redirects to
# names only the token (``/cases/?search=<token>``), so pagination, sorting and the back button
# work while the NIK, and its keyed hash, stay out of every URL (docs/privacy.md).
NIK_SEARCHES = "caseload_nik_searches"
NIK_SEARCHES_KEPT = 10


def _nik_search_keep(request: HttpRequest, nik: str) -> str:
    searches = dict(request.session.get(NIK_SEARCHES, {}))
    token = secrets.token_urlsafe(16)
    searches[token] = survivor_validators.nik_hash(nik)
    request.session[NIK_SEARCHES] = dict(list(searches.items())[-NIK_SEARCHES_KEPT:])
    return token


def _nik_search_recall(request: HttpRequest, token: str) -> str:
    """The keyed hash searched under this token, in this session only ("" once it has gone)."""
    return str(request.session.get(NIK_SEARCHES, {}).get(token, ""))


def _caseload_search(request: HttpRequest) -> HttpResponse:
    """POST: redirect to the caseload filtered by survivor code, or by a NIK kept in the session."""
    form = CaseloadFilterForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        kind, value = selectors.caseload_query_parse(d["q"])
        if kind != selectors.CaseloadQuery.INVALID:
            query = {name: d[name] for name in ("status", "sort") if d[name] and d[name] != "-opened"}
            if kind == selectors.CaseloadQuery.CODE:
                query["q"] = value
            elif kind == selectors.CaseloadQuery.NIK:
                query["search"] = _nik_search_keep(request, value)
            return redirect(reverse("cases:list") + (f"?{urlencode(query)}" if query else ""))
        form.add_error("q", _("Enter a survivor code (SNT-XXXX-XXXX) or a NIK of 16 digits. "
                              "Names, phone numbers and addresses are not searchable."))
    page = _page(request, Case.objects.none())
    return render(request, "cases/caseload.html", {"form": form, "page": page, "query": "", "by_nik": False})


@login_required
@never_cache
def caseload(request: HttpRequest) -> HttpResponse:
    if not policy.may_work_on_cases(request.user):
        raise Http404
    if request.method == "POST":
        return _caseload_search(request)
    form = CaseloadFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    kind, _code = selectors.caseload_query_parse(params.get("q", ""))
    if kind not in (selectors.CaseloadQuery.NONE, selectors.CaseloadQuery.CODE):
        return identity_in_url_refused(request)  # only a survivor code may be searched in the address
    token = request.GET.get("search", "")
    nik_hash = _nik_search_recall(request, token) if token else ""
    qs, by_nik = selectors.caseload_for(
        request.user, q=params.get("q", ""), nik_hash=nik_hash, status=params.get("status", ""),
        sort=params.get("sort") or "-opened",
    )
    if token and not nik_hash:
        qs = qs.none()  # the search has ended with the session (or was someone else's)
    page = _page(request, qs)
    if by_nik:
        # A NIK search tells whether a person is known here: it is logged like a showing.
        access_log_write(user=request.user, what=AccessLogEntry.What.SEARCH_NIK, request=request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/caseload.html", {
        "form": form, "page": page, "query": query.urlencode(), "by_nik": by_nik,
        "search_ended": bool(token and not nik_hash),
    })


@login_required
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    if not policy.may_register_survivor(request.user):
        raise Http404
    form = RegistrationForm(request.POST or None, request.FILES or None)
    duplicate_case_id = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        guardian = None
        if d["guardian_name"] or d["guardian_relationship"]:
            guardian = survivor_services.GuardianInput(
                full_name=d["guardian_name"], relationship=d["guardian_relationship"],
                phone=d["guardian_phone"], is_suspect=d["guardian_is_suspect"],
            )
        data = survivor_services.RegistrationInput(
            full_name=d["full_name"], aliases=d["aliases"], nik=d["nik"], sex=d["sex"], birth_date=d["birth_date"],
            age_band=d["age_band"], phone_numbers=d["phone_numbers"], address=d["address"], photo=d["photo"],
            origin_province=d["origin_province"], origin_regency=d["origin_regency"], nationality=d["nationality"],
            identified_on=d["identified_on"], channel=d["channel"],
            identification_region=d["identification_region"], guardian=guardian,
            guardian_override_reason=d["guardian_override_reason"],
        )
        try:
            case = survivor_services.survivor_register(actor=request.user, data=data)
        except ValidationError as exc:
            apply_errors(form, exc)
            # A same-NIK case in the user's own scope: link to it (survivors.services.DuplicateRegistration).
            duplicate_case_id = getattr(exc, "case_id", None)
        else:
            messages.success(request, _("Survivor registered with code %(code)s. Now complete the intake.")
                             % {"code": case.survivor.code})
            return redirect("cases:intake", case_id=case.pk)
    return render(request, "cases/register.html", {"form": form, "duplicate_case_id": duplicate_case_id})


@case_view(Action.VIEW)
def case_file(request: HttpRequest, case: Any) -> HttpResponse:
    access_log_write(user=request.user, what=AccessLogEntry.What.CASE_FILE, case_id=case.pk,
                     survivor_id=case.survivor_id, request=request)
    context = selectors.case_file_context(case)
    user = request.user
    context.update({
        "case": case,
        "survivor": case.survivor,
        "intake": selectors.intake_summary(case),
        "can_edit": policy.can(user, Action.EDIT, case),
        "can_view_identity": policy.can(user, Action.VIEW_IDENTITY, case),
        "can_manage_team": policy.can(user, Action.MANAGE_TEAM, case),
        "can_view_access_log": policy.can(user, Action.VIEW_ACCESS_LOG, case),
        "transition_form": TransitionForm(current=case.status),
        "has_transitions": any(s not in CLOSURE_STATUSES for s in ALLOWED_TRANSITIONS.get(case.status, ())),
        "active_consent_ids": {c.pk for c in context["consents"] if survivor_selectors.consent_is_active(c)},
        "superseded_ids": {c.supersedes_id for c in context["consents"] if c.supersedes_id},
        "sections": sections_for(request, case),
    })
    return render(request, "cases/case_file.html", context)


@case_view(Action.EDIT)
def intake_edit(request: HttpRequest, case: Any) -> HttpResponse:
    conflict = None
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("version")
            try:
                services.case_intake_update(actor=request.user, case=case, values=values, version=version)
            except StaleVersion as exc:
                conflict = conflict_shown(request, form, exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Intake saved."))
                return redirect("cases:detail", case_id=case.pk)
    else:
        form = IntakeForm(initial=IntakeForm.initial_for(case))
    return render(request, "cases/intake.html", {"form": form, "case": case, "conflict": conflict},
                  status=409 if conflict else 200)


@case_view(Action.VIEW_IDENTITY)
def identity(request: HttpRequest, case: Any) -> HttpResponse:
    ident = identity_for_display(request=request, case=case)
    guardians = guardians_for_display(request=request, case=case)
    return render(request, "cases/identity.html", {
        "case": case, "identity": ident, "guardians": guardians,
        "can_edit_identity": policy.can(request.user, Action.EDIT_IDENTITY, case),
    })


@case_view(Action.VIEW_IDENTITY)
def identity_photo(request: HttpRequest, case: Any) -> HttpResponse:
    ident = identity_for_display(request=request, case=case, what=AccessLogEntry.What.PHOTO, photo=True)
    if not ident.photo:
        raise Http404
    response = HttpResponse(bytes(ident.photo), content_type=ident.photo_content_type)
    response["Content-Disposition"] = "inline"
    return response


@case_view(Action.EDIT_IDENTITY)
def identity_edit(request: HttpRequest, case: Any) -> HttpResponse:
    ident = identity_for_display(request=request, case=case)
    conflict = None
    if request.method == "POST":
        form = IdentityForm(request.POST, request.FILES)
        if form.is_valid():
            d = dict(form.cleaned_data)
            photo, remove, version = d.pop("photo"), d.pop("remove_photo"), d.pop("version")
            try:
                survivor_services.identity_update(actor=request.user, case=case, values=d, photo=photo,
                                                  remove_photo=remove, version=version)
            except StaleVersion as exc:
                conflict = conflict_shown(request, form, exc)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Identity saved."))
                return redirect("cases:identity", case_id=case.pk)
    else:
        form = IdentityForm(initial={
            "full_name": ident.full_name, "aliases": ident.aliases, "nik": ident.nik,
            "birth_date": ident.birth_date or None, "phone_numbers": ident.phone_numbers, "address": ident.address,
            "version": ident.version,
        })
    return render(request, "cases/identity_edit.html", {"form": form, "case": case, "has_photo": photo_present(ident),
                                                        "conflict": conflict}, status=409 if conflict else 200)


@case_view(Action.EDIT)
def transition(request: HttpRequest, case: Any) -> HttpResponse:
    if request.method != "POST":
        return redirect("cases:detail", case_id=case.pk)
    form = TransitionForm(request.POST, current=case.status)
    if form.is_valid():
        try:
            services.case_transition(actor=request.user, case=case, to_status=form.cleaned_data["to_status"],
                                     reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Status changed to “%(status)s”.") % {"status": CaseStatus(case.status).label})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("cases:detail", case_id=case.pk)


@case_view(Action.MANAGE_TEAM)
def team(request: HttpRequest, case: Any) -> HttpResponse:
    candidates = policy.team_candidates(case)
    form = TeamAddForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.case_team_remove(actor=request.user, case=case, user_id=request.POST["remove"])
                messages.success(request, _("Removed from the case team."))
            elif "make_lead" in request.POST:
                services.case_lead_change(actor=request.user, case=case, user_id=request.POST["make_lead"])
                messages.success(request, _("Lead caseworker changed."))
            elif form.is_valid():
                services.case_team_add(actor=request.user, case=case, user_id=form.cleaned_data["user"])
                messages.success(request, _("Added to the case team."))
            else:
                raise ValidationError({"user": [_("Choose a colleague.")]})
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("cases:team", case_id=case.pk)
    members = case.team_members.select_related("user").prefetch_related("user__roles").order_by("added_at")
    return render(request, "cases/team.html", {
        "case": case, "members": members, "form": form,
        "is_supervisor": policy.is_supervisor_of(request.user, case),
    })


@case_view(Action.EDIT_IDENTITY)
def guardian_new(request: HttpRequest, case: Any) -> HttpResponse:
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survivor_services.guardian_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Guardian added."))
            return redirect("cases:identity", case_id=case.pk)
    return render(request, "cases/guardian_form.html", {"form": form, "case": case})


def _consent_form(request: HttpRequest, case: Any, initial: dict[str, Any] | None = None) -> ConsentForm:
    guardians = guardians_for_display(request=request, case=case)  # their names are identity: logged
    organisations = Organisation.objects.filter(is_active=True).only("pk", "name")
    return ConsentForm(request.POST or None, initial=initial, guardians=guardians, organisations=organisations)


def _consent_input(d: dict[str, Any]) -> survivor_services.ConsentInput:
    return survivor_services.ConsentInput(
        purpose=d["purpose"], lawful_basis=d["lawful_basis"], given_by=d["given_by"], given_on=d["given_on"],
        scope=d["scope"], recipient_organisation_id=int(d["recipient_organisation"]) if d["recipient_organisation"]
        else None, guardian_id=d["guardian"] or None, basis_reason=d["basis_reason"], expires_on=d["expires_on"],
    )


@case_view(Action.EDIT)
def consent_new(request: HttpRequest, case: Any) -> HttpResponse:
    form = _consent_form(request, case)
    if request.method == "POST" and form.is_valid():
        try:
            survivor_services.consent_record(actor=request.user, case=case, data=_consent_input(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/consent_form.html", {"form": form, "case": case})


def _consent_for_case(case: Any, consent_id: Any) -> ConsentRecord:
    try:
        return ConsentRecord.objects.get(pk=consent_id, survivor_id=case.survivor_id)
    except (ConsentRecord.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@case_view(Action.EDIT)
def consent_amend(request: HttpRequest, case: Any, consent_id: Any) -> HttpResponse:
    record = _consent_for_case(case, consent_id)
    initial = {
        "purpose": record.purpose, "recipient_organisation": record.recipient_organisation_id or "",
        "scope": record.scope, "lawful_basis": record.lawful_basis, "given_by": record.given_by,
        "guardian": str(record.guardian_id or ""), "basis_reason": record.basis_reason,
        "given_on": record.given_on, "expires_on": record.expires_on,
    }
    form = _consent_form(request, case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survivor_services.consent_record(actor=request.user, case=case, data=_consent_input(form.cleaned_data),
                                             supersedes=record)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("New version of the consent recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/consent_form.html", {"form": form, "case": case, "amending": record})


@case_view(Action.EDIT)
def consent_withdraw(request: HttpRequest, case: Any, consent_id: Any) -> HttpResponse:
    record = _consent_for_case(case, consent_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survivor_services.consent_withdraw(actor=request.user, case=case, record=record,
                                               reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Withdrawal of consent recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/consent_withdraw.html", {"form": form, "case": case, "record": record})


@case_view(Action.VIEW)
def history(request: HttpRequest, case: Any) -> HttpResponse:
    access_log_write(user=request.user, what=AccessLogEntry.What.HISTORY, case_id=case.pk,
                     survivor_id=case.survivor_id, request=request)
    page = _page(request, selectors.case_history(case), 50, cap=10000)
    return render(request, "cases/history.html", {"case": case, "page": page})


@case_view(Action.VIEW_ACCESS_LOG)
def case_access_log(request: HttpRequest, case: Any) -> HttpResponse:
    page = _page(request, selectors.access_log_for_supervisor(request.user, case=case), 50, cap=10000)
    return render(request, "cases/access_log.html", {"case": case, "page": page})


@login_required
@never_cache
def access_log(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.is_supervisor(user):
        raise Http404
    page = _page(request, selectors.access_log_for_supervisor(user), 50, cap=10000)
    return render(request, "cases/access_log.html", {"case": None, "page": page,
                                                      "back": reverse("cases:list")})


@login_required
@never_cache
def alert_read(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Mark one of the user's own alerts as read (someone else's alert: 404)."""
    user: Any = request.user
    alert = Alert.objects.filter(pk=alert_id, recipient=user).only("pk", "case_id").first()
    if alert is None or not policy.cases_visible_to(user).filter(pk=alert.case_id).exists():
        raise Http404
    if request.method == "POST":
        services.alert_mark_read(user=user, alert_id=alert.pk)
        messages.success(request, _("Alert marked as read."))
    return redirect("cases:detail", case_id=alert.case_id)
