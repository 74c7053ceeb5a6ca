"""The recovery trajectory on the case file: domain scores over time (an accessible SVG chart with
a data table beside it), service deliveries as ticks, and what changed since the previous
assessment. A fixed number of queries however many assessments: one for the scores, plus
the markers of the rooms registered with ``selectors.marker_reader_register`` (care's deliveries,
legal's stages and payments for those who may see legal data) and livelihood's income points on the
economic domain."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from access import policy
from access import recovery as recovery_access
from access.policy import Action
from core.choices import Domain
from core.sections import CaseSection

from . import charts, conf, selectors


def trajectory_context(case: Any, user: Any) -> dict[str, Any]:
    points = selectors.trajectory_of(case.pk)
    markers = selectors.trajectory_markers(user, case)
    # Only what the viewing user may see (each reader checks).
    income = selectors.income_points(user, case)
    latest = points[-1] if points else None
    previous = points[-2] if len(points) > 1 else None
    return {
        "case_id": case.pk,
        "points": points,
        "domains": Domain.choices,
        "rows": [{"point": p, "scores": [p.scores.get(code) for code, _label in Domain.choices]} for p in points],
        "chart": charts.trajectory_chart(points, markers, conf.restored_threshold(), income=income) if points else None,
        "markers": markers,
        "income": income,
        "latest": latest,
        "previous": previous,
        "changes": charts.changes_between(previous.scores if previous else None, latest.scores) if latest else [],
        "threshold": conf.restored_threshold(),
    }


def trajectory_section(request: Any, case: Any) -> CaseSection | None:
    user = request.user
    if not policy.can(user, Action.VIEW, case):
        return None
    context = trajectory_context(case, user)
    context.update({
        "list_url": reverse("recovery:list", kwargs={"case_id": case.pk}),
        "start_url": reverse("recovery:start", kwargs={"case_id": case.pk}),
        "can_record": recovery_access.may_record_any(user, case),
    })
    return CaseSection(template="recovery/_trajectory.html", context=context, order=20)
