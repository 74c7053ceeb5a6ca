"""Interoperability pages: import an HTCDS 2.0 document into a new case; export a case as HTCDS JSON."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from access import policy
from access.policy import Action
from accounts.models import Role, User
from cases.forms import apply_errors
from cases.views import case_view

from . import conf, services
from .forms import ExportForm, ImportForm
from .htcds import htcds_to_values, mapping_table


def _caseworkers(user: Any) -> Any:
    return (User.objects.filter(organisation_id=user.organisation_id, is_active=True, roles__role=Role.CASEWORKER)
            .distinct().order_by("first_name", "username"))


def _error_lines(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, msgs in exc.message_dict.items() for message in msgs]
    return list(exc.messages)


@login_required
@never_cache
def import_document(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not policy.may_register_survivor(user):
        raise Http404
    caseworkers = _caseworkers(user) if policy.may_choose_lead_caseworker(user) else []
    form = ImportForm(request.POST or None, request.FILES or None, caseworkers=caseworkers)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        limit = conf.import_max_bytes()
        try:
            if not upload.name.lower().endswith(".json"):
                raise ValidationError(_("Choose a .json file."))
            if upload.size is not None and upload.size > limit:
                raise ValidationError(_("The file is larger than %(kb)d KB.") % {"kb": limit // 1024})
            doc = services.document_parse(upload.read(limit + 1))
            lead = form.cleaned_data["lead_caseworker"]
            case = services.case_import(
                user, doc, channel=form.cleaned_data["channel"],
                lead_caseworker_id=int(lead) if lead and policy.may_choose_lead_caseworker(user) else None,
                guardian_override_reason=form.cleaned_data["guardian_override_reason"],
            )
        except ValidationError as exc:
            errors = _error_lines(exc)
        else:
            unused = services.unused_keys(htcds_to_values(doc))
            messages.success(request, _("Imported: survivor %(code)s registered and case opened.")
                             % {"code": case.survivor.code})
            if unused:
                messages.warning(request, _("Not imported (Sintas does not keep these): %(fields)s.")
                                 % {"fields": ", ".join(unused)})
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "interop/import.html", {"form": form, "errors": errors, "mapping": mapping_table()})


@case_view(Action.VIEW)
def export_case(request: HttpRequest, case: Any) -> HttpResponse:
    """Export the case's non-identity fields as an HTCDS 2.0 document for another organisation:
    GET shows the form (recipient and lawful basis), POST downloads the document when the basis
    holds (``services.case_export_to`` logs every attempt) and shows why not otherwise."""
    form = ExportForm(request.POST or None, recipients=services.export_recipients(case))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            doc = services.case_export_to(actor=request.user, case=case,
                                          recipient_organisation_id=d["recipient_organisation"],
                                          lawful_basis=d["lawful_basis"], basis_reason=d["basis_reason"],
                                          request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            response = HttpResponse(json.dumps(doc, ensure_ascii=False, indent=2), content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="htcds-{case.survivor.code}.json"'
            return response
    return render(request, "interop/export.html", {
        "form": form, "case": case, "may_record_consent": policy.can(request.user, Action.EDIT, case)})
