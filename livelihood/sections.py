"""The livelihood part of the case file: for the case team only, one query whatever the records."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from access import livelihood as rules
from cases.models import Case
from core.sections import CaseSection

from .models import Enrolment, IncomeFollowUp, Placement


def _count(model: Any) -> Any:
    rows = (model.objects.filter(case_id=OuterRef("pk")).order_by().values("case_id").annotate(n=Count("pk"))
            .values("n")[:1])
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def livelihood_section(request: Any, case: Any) -> CaseSection | None:
    user = request.user
    if not rules.may_view_livelihood(user, case):
        return None

    row = (Case.objects.filter(pk=case.pk)
           .values("economic_profile__version", "economic_profile__updated_at")
           .annotate(n_enrolments=_count(Enrolment), n_placements=_count(Placement),
                     n_follow_ups=_count(IncomeFollowUp))
           .first()) or {}
    profile = {"version": row.get("economic_profile__version") or 0,
               "updated_at": row.get("economic_profile__updated_at")}
    counts = {k: row.get(f"n_{k}", 0) for k in ("enrolments", "placements", "follow_ups")}
    return CaseSection(template="livelihood/section.html", order=45,
                       context={"livelihood_profile": profile, "livelihood_counts": counts,
                                "can_edit_livelihood": rules.may_edit_livelihood(user, case)})
