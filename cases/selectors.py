"""Reads for the case pages, always through the access policy."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django_countries import countries

from access import policy
from audit.models import AccessLogEntry, ChangeRecord
from core.models import Region
from survivors.models import ConsentRecord, Identity
from survivors.validators import nik_normalise

from .models import Case, CaseStatus, CaseStatusChange, CaseTeamMember
from .services import INTAKE_FIELDS, LIST_FIELDS, REGION_FIELDS, SINGLE_FIELDS

SURVIVOR_CODE_RE = re.compile(r"SNT-[0-9A-Z]{4}-[0-9A-Z]{4}")
SURVIVOR_CODE_PREFIX_RE = re.compile(r"SNT(-[0-9A-Z]{0,4}(-[0-9A-Z]{0,4})?)?")


def survivor_code_normalise(q: str) -> str:
    """Accept a code as people type it: lower case, spaces, or without the hyphens."""
    raw = "".join(q.split()).upper()
    bare = raw.replace("-", "")
    if len(bare) == 11 and bare.startswith("SNT"):
        return f"SNT-{bare[3:7]}-{bare[7:]}"
    if 3 < len(bare) < 11 and bare.startswith("SNT") and bare.isalnum():  # the start of a code
        return "-".join(p for p in ("SNT", bare[3:7], bare[7:]) if p)
    return raw


SORT_FIELDS = {
    "-opened": ("-opened_at", "-pk"),
    "opened": ("opened_at", "pk"),
    "-identified": ("-identified_on", "-opened_at"),
    "status": ("status", "-opened_at"),
    "code": ("survivor__code",),
}


class CaseloadQuery:
    """What was typed in the caseload's search box: a survivor code, a NIK, or neither."""

    NONE, CODE, NIK, INVALID = "", "code", "nik", "invalid"


def caseload_query_parse(q: str) -> tuple[str, str]:
    """(kind, normalised value) of a caseload search: a survivor code (or the start of one), a NIK
    of 16 digits, nothing, or something else (names, phones and addresses are not searchable)."""
    q = (q or "").strip()
    if not q:
        return CaseloadQuery.NONE, ""
    digits = nik_normalise(q)
    if len(digits) == 16 and digits.isdigit():
        return CaseloadQuery.NIK, digits
    code = survivor_code_normalise(q)
    if SURVIVOR_CODE_PREFIX_RE.fullmatch(code):
        return CaseloadQuery.CODE, code
    return CaseloadQuery.INVALID, ""


def caseload_for(user: Any, *, q: str = "", nik_hash: str = "", status: str = "",
                 sort: str = "-opened") -> tuple[QuerySet[Case], bool]:
    """The cases this user may see, searched by survivor code (``q``, as typed) or by the keyed
    hash of an exact NIK (never the NIK itself: see ``cases.views.caseload``).

    Returns the queryset and whether the search was by NIK (which the view logs).
    """
    qs = policy.cases_visible_to(user).select_related("survivor", "lead_caseworker")
    by_nik = bool(nik_hash)
    kind, code = caseload_query_parse(q)
    if by_nik:
        qs = qs.filter(survivor_id__in=Identity.objects.filter(nik_hash=nik_hash).values("survivor_id"))
    elif kind == CaseloadQuery.CODE:
        if SURVIVOR_CODE_RE.fullmatch(code):
            qs = qs.filter(survivor__code=code)  # the unique index: one row however large the caseload
        else:
            qs = qs.filter(survivor__code__startswith=code)  # codes are stored upper-case
    elif kind != CaseloadQuery.NONE:
        qs = qs.none()  # a NIK or anything else typed into ``q`` searches nothing
    if status == "open":
        qs = qs.exclude(status=CaseStatus.CLOSED)
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by(*SORT_FIELDS.get(sort, SORT_FIELDS["-opened"])), by_nik


def case_file_context(case: Case) -> dict[str, Any]:
    """Everything the case file page shows, in a fixed number of queries however large the case."""
    team = list(CaseTeamMember.objects.filter(case=case).select_related("user").order_by("added_at"))
    consents = list(
        ConsentRecord.objects.filter(survivor_id=case.survivor_id).select_related("recipient_organisation")
        .order_by("purpose", "-version")
    )
    status_changes = list(
        CaseStatusChange.objects.filter(case=case).select_related("changed_by").order_by("-changed_at", "-id")[:10]
    )
    guardian_count = case.survivor.guardians.count()
    return {"team": team, "consents": consents, "status_changes": status_changes, "guardian_count": guardian_count}


def case_history(case: Case) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(case_id=case.pk).select_related("actor").order_by("-at", "-id")


def access_log_for_supervisor(user: Any, *, case: Case | None = None) -> QuerySet[AccessLogEntry]:
    """Supervisors see who opened their organisation's cases (not other organisations')."""
    org_cases = Case.objects.filter(lead_organisation_id=user.organisation_id)
    qs = AccessLogEntry.objects.select_related("user").order_by("-at", "-id")
    if case is not None:
        return qs.filter(case_id=case.pk)
    return qs.filter(case_id__in=org_cases.values("pk"))


def intake_summary(case: Case) -> list[tuple[str, str]]:
    """The intake as (label, text) pairs for display; codes become labels in the user's language."""
    rows: list[tuple[str, str]] = []
    for name in INTAKE_FIELDS:
        field = Case._meta.get_field(name)
        value = getattr(case, name)
        if name in LIST_FIELDS:
            labels = dict(LIST_FIELDS[name].choices)  # type: ignore[attr-defined]
            text = ", ".join(str(labels.get(v, v)) for v in value)
        elif name in SINGLE_FIELDS:
            labels = dict(SINGLE_FIELDS[name].choices)  # type: ignore[attr-defined]
            text = str(labels.get(value, value)) if value else ""
        elif name in REGION_FIELDS:
            text = str(value) if value else ""
        elif name == "transit_countries":
            text = ", ".join(str(countries.name(c)) for c in value)
        elif hasattr(value, "name") and hasattr(value, "code"):
            text = str(value.name) if value else ""
        elif hasattr(value, "strftime"):
            text = date_format(value, "j M Y")
        else:
            text = str(value or "")
        rows.append((str(getattr(field, "verbose_name", name)), text))
    return rows


def service_regions(case: Case) -> list[Region]:
    """Where a survivor may need a service: where the case was identified (where they are now,
    usually) and their home regency (for reintegration), as kabupaten/kota."""
    codes = []
    if case.identification_region_id:
        codes.append(case.identification_region_id[:5])
    if case.survivor.origin_regency_id:
        codes.append(case.survivor.origin_regency_id[:5])
    codes = list(dict.fromkeys(codes))
    found = Region.objects.in_bulk(codes)
    return [found[c] for c in codes if c in found]
