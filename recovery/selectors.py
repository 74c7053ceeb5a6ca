"""Reads: the assessment schedule, the work-queue provider, and the data behind the trajectory.

Schedule (docs/recovery.md): a baseline at intake (due ``SINTAS_BASELINE_ASSESSMENT_DAYS`` after the
case was opened), then a periodic assessment every ``SINTAS_ASSESSMENT_INTERVAL_DAYS`` after the
latest completed holistic assessment while the case is open, a closure assessment when the case
is closed, and a follow-up assessment for each follow-up date that ``reintegration`` plans.
Only the holistic instrument counts: screening measures are given when clinically indicated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from cases.models import Case, CaseStatus, CaseTeamMember
from core import clock
from core.workqueue import WorkItem

from . import conf
from .models import Assessment, AssessmentKind, DomainScore, Instrument


def instruments_active() -> QuerySet[Instrument]:
    return Instrument.objects.filter(is_active=True).order_by("position", "code", "-version")


def assessments_of(case: Case) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(case_id=case.pk)
        .select_related("instrument", "recorded_by", "screening")
        .order_by("-assessed_on", "-created_at")
    )


def assessment_get(case: Case, assessment_id: Any) -> Assessment:
    """The assessment, if it belongs to this (already policy-checked) case; otherwise 404."""
    try:
        return (
            assessments_of(case)
            .prefetch_related("answers", "domain_scores", "instrument__items__levels")
            .get(pk=assessment_id)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


# --- other rooms' data ----------------------------------------------------------------------------

# The follow-up dates come from ``reintegration``, a room above this one: it registers its bulk reader
# here in its AppConfig.ready(), so this room never imports it (no loop between the two rooms).
FollowUpDatesReader = Callable[[list[Any]], Mapping[Any, list[dt.date]]]
_FOLLOW_UP_READERS: list[FollowUpDatesReader] = []


def follow_up_reader_register(reader: FollowUpDatesReader) -> FollowUpDatesReader:
    """Register a reader of the done dates of follow-up visits of many cases (one query)."""
    if reader not in _FOLLOW_UP_READERS:
        _FOLLOW_UP_READERS.append(reader)
    return reader


def follow_up_readers() -> list[FollowUpDatesReader]:
    return list(_FOLLOW_UP_READERS)


def _follow_up_dates(case_id: Any) -> list[dt.date]:
    return _follow_up_dates_by_case([case_id])[case_id]


def _follow_up_dates_by_case(case_ids: list[Any]) -> dict[Any, list[dt.date]]:
    """Follow-up dates for many cases at once (one query per reader), for the work queue."""
    if not case_ids:
        return {}
    found: dict[Any, list[dt.date]] = {case_id: [] for case_id in case_ids}
    for reader in _FOLLOW_UP_READERS:
        for case_id, dates in reader(case_ids).items():
            if case_id in found:
                found[case_id].extend(dates)
    return {case_id: sorted(dates) for case_id, dates in found.items()}


# The trajectory's markers (services delivered, legal stages and payments, later placements) come
# from rooms above this one, registered the same way. A reader receives the viewer and the case: a
# room whose data only some of the case's viewers may see (legal) gives the others nothing.
MarkerReader = Callable[[Any, Any], list[tuple[dt.date, str]]]
_MARKER_READERS: list[MarkerReader] = []


def marker_reader_register(reader: MarkerReader) -> MarkerReader:
    """Register ``reader(user, case)``: the case's dated markers the user may see, for the trajectory
    chart, in a fixed number of queries (the caller has checked that the user may see the case)."""
    if reader not in _MARKER_READERS:
        _MARKER_READERS.append(reader)
    return reader


def trajectory_markers(user: Any, case: Any) -> list[tuple[dt.date, str]]:
    """Every registered reader's markers for this viewer, oldest first."""
    return sorted(marker for reader in _MARKER_READERS for marker in reader(user, case))


# The economic domain's income points (livelihood's income follow-ups: working or not, the band
# against the minimum wage, the debt change) come from a room above this one, registered the same
# way. Each reader receives the viewing user and returns nothing to someone who may not see them.


@dataclass(frozen=True)
class IncomePoint:
    """One income follow-up on the economic domain of the trajectory.

    ``level`` places it on the domain scale (1 to 4) so the chart draws it beside the economic
    domain's scores; ``title`` says in words what was found; ``band`` and ``detail`` fill the table."""

    on: dt.date
    level: int
    title: str
    band: str
    detail: str


IncomeReader = Callable[[Any, Any], list[IncomePoint]]
_INCOME_READERS: list[IncomeReader] = []


def income_reader_register(reader: IncomeReader) -> IncomeReader:
    """Register a reader of a case's income points ``reader(user, case)`` (a fixed number of queries)."""
    if reader not in _INCOME_READERS:
        _INCOME_READERS.append(reader)
    return reader


def income_points(user: Any, case: Any) -> list[IncomePoint]:
    """The income points of the economic domain the user may see, oldest first."""
    return sorted((point for reader in _INCOME_READERS for point in reader(user, case)), key=lambda p: p.on)


# --- the schedule --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueAssessment:
    kind: str
    due_on: dt.date

    @property
    def label(self) -> str:
        return str(AssessmentKind(self.kind).label)

    def overdue(self, today: dt.date) -> bool:
        return self.due_on < today


def schedule_for(case: Case, completed: Iterable[tuple[str, dt.date]], follow_ups: Iterable[dt.date]) -> list[
        DueAssessment]:
    """Pure: what is outstanding, given the case's completed holistic assessments (kind, date)
    and its planned follow-up dates."""
    done = sorted(completed, key=lambda pair: pair[1])
    due: list[DueAssessment] = []
    if case.status == CaseStatus.CLOSED and case.closed_at is not None:
        closed_on = timezone.localdate(case.closed_at)
        earliest = closed_on - dt.timedelta(days=conf.follow_up_window_days())
        if not any(kind == AssessmentKind.CLOSURE and on >= earliest for kind, on in done):
            due.append(DueAssessment(AssessmentKind.CLOSURE, closed_on))
    elif not any(kind == AssessmentKind.BASELINE for kind, _on in done):
        opened_on = timezone.localdate(case.opened_at) if case.opened_at else case.identified_on
        due.append(DueAssessment(AssessmentKind.BASELINE, opened_on + dt.timedelta(days=conf.baseline_days())))
    else:
        latest = done[-1][1]
        due.append(DueAssessment(AssessmentKind.PERIODIC, latest + dt.timedelta(days=conf.interval_days())))
    # Each planned follow-up date is met by its own follow-up assessment, done no earlier than the
    # window before it; matched in date order, each assessment counts once.
    unused = [on for kind, on in done if kind == AssessmentKind.FOLLOW_UP]
    window = dt.timedelta(days=conf.follow_up_window_days())
    for date in sorted(follow_ups):
        match = next((on for on in unused if on >= date - window), None)
        if match is None:
            due.append(DueAssessment(AssessmentKind.FOLLOW_UP, date))
        else:
            unused.remove(match)
    return sorted(due, key=lambda d: d.due_on)


def _completed_holistic(case_id: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        case_id=case_id, status=Assessment.Status.COMPLETED, instrument__kind=Instrument.Kind.HOLISTIC
    ).only("id", "case_id", "kind", "assessed_on")


def assessment_schedule(case: Case) -> list[DueAssessment]:
    completed = [(a.kind, a.assessed_on) for a in _completed_holistic(case.pk)]
    return schedule_for(case, completed, _follow_up_dates(case.pk))


def latest_domain_scores(case_id: Any) -> dict[str, Decimal]:
    """Domain scores of the latest completed holistic assessment ({} when there is none), for
    other rooms (reintegration checks the "restored" rule before closing). One query."""
    points = trajectory_of(case_id)
    return dict(points[-1].scores) if points else {}


def assessments_due(case: Case) -> list[tuple[str, dt.date]]:
    """The assessments outstanding for a case, as (kind, due date), earliest first."""
    return [(d.kind, d.due_on) for d in assessment_schedule(case)]


# --- the work queue ------------------------------------------------------------------------------

TITLES = {
    AssessmentKind.BASELINE: lambda: _("Baseline assessment due"),
    AssessmentKind.PERIODIC: lambda: _("Periodic assessment due"),
    AssessmentKind.CLOSURE: lambda: _("Closure assessment due"),
    AssessmentKind.FOLLOW_UP: lambda: _("Follow-up assessment due"),
}


def _cases_for_queue(user: Any, scope: str) -> QuerySet[Case]:
    visible = policy.cases_visible_to(user)
    if scope == "organisation":
        if not policy.may_see_organisation_scope(user):
            return Case.objects.none()
        return visible
    on_team = CaseTeamMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    return visible.filter(Q(lead_caseworker_id=user.pk) | Q(Exists(on_team)))


def assessment_work_items(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    """Due and overdue assessments of the cases in scope (three queries however many cases, plus
    reintegration's follow-up dates)."""
    if not policy.may_work_on_cases(user):
        return []
    cases = list(
        _cases_for_queue(user, scope)
        .select_related("survivor", "lead_caseworker")
        .prefetch_related(Prefetch(
            "assessments",
            queryset=Assessment.objects.filter(status=Assessment.Status.COMPLETED,
                                               instrument__kind=Instrument.Kind.HOLISTIC)
            .only("id", "case_id", "kind", "assessed_on"),
            to_attr="completed_holistic",
        ))
    )
    follow_ups = _follow_up_dates_by_case([c.pk for c in cases])
    today = clock.today()
    horizon = today + dt.timedelta(days=conf.notice_days())
    zone = timezone.get_current_timezone()
    items: list[WorkItem] = []
    for case in cases:
        completed = [(a.kind, a.assessed_on) for a in case.completed_holistic]
        for due in schedule_for(case, completed, follow_ups.get(case.pk, [])):
            if due.due_on > horizon:
                continue
            items.append(WorkItem(
                case_id=case.pk,
                survivor_code=case.survivor.code,
                kind="assessment",
                title=TITLES[AssessmentKind(due.kind)](),
                due_at=dt.datetime.combine(due.due_on, dt.time.min, tzinfo=zone),
                overdue=due.overdue(today),
                url=reverse("recovery:start", kwargs={"case_id": case.pk}) + f"?kind={due.kind}",
                responsible=case.lead_caseworker.display_name,
            ))
    return items


# --- the trajectory ------------------------------------------------------------------------------


@dataclass
class TrajectoryPoint:
    assessment_id: Any
    assessed_on: dt.date
    kind: str
    restored: bool | None
    scores: dict[str, Any]

    @property
    def kind_label(self) -> str:
        return str(AssessmentKind(self.kind).label)


def trajectory_of(case_id: Any) -> list[TrajectoryPoint]:
    """Completed holistic assessments with their domain scores, oldest first (one query)."""
    rows = (
        DomainScore.objects.filter(
            assessment__case_id=case_id, assessment__status=Assessment.Status.COMPLETED,
            assessment__instrument__kind=Instrument.Kind.HOLISTIC,
        )
        .select_related("assessment")
        .order_by("assessment__assessed_on", "assessment__completed_at", "assessment_id")
    )
    points: dict[Any, TrajectoryPoint] = {}
    for row in rows:
        a = row.assessment
        point = points.get(a.pk)
        if point is None:
            point = points[a.pk] = TrajectoryPoint(a.pk, a.assessed_on, a.kind, a.restored, {})
        point.scores[row.domain] = row.score
    return list(points.values())
