"""The livelihood part of the case file: for the case team only, a fixed number of queries."""

from __future__ import annotations

from typing import Any

from access import livelihood as rules
from core.sections import CaseSection

from .models import EconomicProfile, Enrolment, IncomeFollowUp, Placement


def livelihood_section(request: Any, case: Any) -> CaseSection | None:
    user = request.user
    if not rules.may_view_livelihood(user, case):
        return None
    profile = EconomicProfile.objects.filter(case_id=case.pk).only("version", "updated_at").first()
    counts = {
        "enrolments": Enrolment.objects.filter(case_id=case.pk).count(),
        "placements": Placement.objects.filter(case_id=case.pk).count(),
        "follow_ups": IncomeFollowUp.objects.filter(case_id=case.pk).count(),
    }
    return CaseSection(template="livelihood/section.html", order=45,
                       context={"livelihood_profile": profile, "livelihood_counts": counts,
                                "can_edit_livelihood": rules.may_edit_livelihood(user, case)})
