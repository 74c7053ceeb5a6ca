"""Reads for the plan pages, the case-file section and the API. The case itself always comes
through ``access.policy.case_get_for_user``; everything here is filtered by that case."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from core import clock
from core.choices import Domain
from recovery.selectors import latest_domain_scores as lookup

from .documents import plan_goals
from .models import Goal, GoalStatus, Phase, PhaseChange, Plan, PlanRevision, RevisionStatus

# Suggested goal wording per domain (Sintas's own words), offered when the latest assessment
# scores a domain below the "restored" threshold. The team edits it with the survivor.
SUGGESTED_GOALS: dict[str, Any] = {
    Domain.SAFETY: _("Lives in a safe place, with a safety plan agreed with the survivor and no contact "
                     "from the traffickers."),
    Domain.LEGAL: _("Has their identity documents and legal aid, and understands their case, protection "
                    "(LPSK) and restitution."),
    Domain.MENTAL: _("Trauma symptoms ease and coping grows, with counselling the survivor chooses."),
    Domain.ECONOMIC: _("Has a way to earn an income or continue education that the survivor chooses, and a plan "
                       "for any debts."),
    Domain.SOCIAL: _("Is accepted by family or community and has peer support; stigma where they will live is "
                     "addressed."),
    Domain.PHYSICAL: _("Medical needs are met, including injuries and reproductive health, with regular access "
                       "to care."),
}


@dataclass(frozen=True)
class GoalSuggestion:
    domain: str
    domain_label: str
    score: float
    description: str


def latest_domain_scores(case_id: Any) -> dict[str, Decimal | float]:
    """The latest assessment score per domain, from the recovery room (empty before any assessment)."""
    return dict(lookup(case_id) or {})


def restored_threshold() -> float:
    return float(getattr(settings, "SINTAS_RESTORED_THRESHOLD", 3.0))


def goal_suggestions(case: Case, goals: list[Goal] | None = None) -> list[GoalSuggestion]:
    """One suggested goal per domain whose latest score is below the threshold, unless the plan
    already has an open or in-progress goal in that domain. Domain order, as the case file shows."""
    scores = latest_domain_scores(case.pk)
    if not scores:
        return []
    threshold = restored_threshold()
    active = {g.domain for g in (goals or []) if g.status in (GoalStatus.OPEN, GoalStatus.IN_PROGRESS)}
    found = []
    labels = dict(Domain.choices)
    for domain in Domain.values:
        score = scores.get(domain)
        if score is None or float(score) >= threshold or domain in active:
            continue
        found.append(GoalSuggestion(domain=domain, domain_label=str(labels[domain]), score=float(score),
                                    description=str(SUGGESTED_GOALS[domain])))
    return found


def plan_for_case(case: Case) -> Plan | None:
    """The case's plan, with its current and last approved revision numbers and statuses
    annotated (one query)."""
    revisions = PlanRevision.objects.filter(plan=OuterRef("pk")).order_by("-number")
    approved = revisions.filter(status=RevisionStatus.APPROVED)
    return (
        Plan.objects.filter(case=case)
        .annotate(
            current_number=Subquery(revisions.values("number")[:1]),
            current_status=Subquery(revisions.values("status")[:1]),
            approved_number=Subquery(approved.values("number")[:1]),
        )
        .first()
    )


def plan_status_label(status: str | None) -> str:
    return str(dict(RevisionStatus.choices).get(status, "")) if status else ""


def revisions_for(plan: Plan | None) -> QuerySet[PlanRevision]:
    if plan is None:
        return PlanRevision.objects.none()
    return PlanRevision.objects.filter(plan=plan).select_related("author", "submitted_by", "decided_by")


def revision_get(case: Case, revision_id: Any) -> PlanRevision:
    """A revision of this case's plan, or 404."""
    try:
        return PlanRevision.objects.select_related("author", "submitted_by", "decided_by", "plan").get(
            pk=int(revision_id), plan__case=case
        )
    except (PlanRevision.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def current_revision(plan: Plan | None) -> PlanRevision | None:
    if plan is None:
        return None
    return revisions_for(plan).order_by("-number").first()


def phase_history(case: Case, limit: int = 20) -> list[PhaseChange]:
    return list(PhaseChange.objects.filter(case=case).select_related("changed_by").order_by("-changed_at", "-id")
                [:limit])


def goals_by_domain(goals: list[Goal]) -> list[dict[str, Any]]:
    """Goals grouped per domain in the domain order, each action marked overdue or not."""
    today = clock.today()
    groups: dict[str, list[Goal]] = {}
    for goal in goals:
        for action in goal.actions.all():
            action.is_overdue = bool(  # type: ignore[attr-defined]
                action.status == "open" and action.target_date and action.target_date < today
            )
        groups.setdefault(goal.domain, []).append(goal)
    labels = dict(Domain.choices)
    return [{"domain": d, "label": labels[d], "goals": groups[d]} for d in Domain.values if d in groups]


def section_context(case: Case) -> dict[str, Any]:
    """What the case-file section shows: one query without a plan, three with one (the phase and
    plan summary in one row, then goals and actions), however many goals and actions."""
    phases = PhaseChange.objects.filter(case=OuterRef("pk")).order_by("-changed_at", "-id")
    revisions = PlanRevision.objects.filter(plan__case=OuterRef("pk")).order_by("-number")
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            phase_code=Subquery(phases.values("phase")[:1]),
            phase_reason=Subquery(phases.values("reason")[:1]),
            phase_at=Subquery(phases.values("changed_at")[:1]),
            phase_by_first=Subquery(phases.values("changed_by__first_name")[:1]),
            phase_by_last=Subquery(phases.values("changed_by__last_name")[:1]),
            phase_by_username=Subquery(phases.values("changed_by__username")[:1]),
            plan_pk=Subquery(Plan.objects.filter(case=OuterRef("pk")).values("pk")[:1]),
            current_number=Subquery(revisions.values("number")[:1]),
            current_status=Subquery(revisions.values("status")[:1]),
            approved_number=Subquery(revisions.filter(status=RevisionStatus.APPROVED).values("number")[:1]),
        )
        .values("phase_code", "phase_reason", "phase_at", "phase_by_first", "phase_by_last", "phase_by_username",
                "plan_pk", "current_number", "current_status", "approved_number")
        .get()
    )
    phase = None
    if row["phase_code"]:
        name = f"{row['phase_by_first'] or ''} {row['phase_by_last'] or ''}".strip() or row["phase_by_username"]
        phase = {"phase": row["phase_code"], "label": dict(Phase.choices).get(row["phase_code"], row["phase_code"]),
                 "reason": row["phase_reason"], "changed_at": row["phase_at"], "changed_by_name": name}
    goals = plan_goals(Plan(pk=row["plan_pk"], case=case)) if row["plan_pk"] else []
    return {
        "case": case,
        "phase": phase,
        "current_number": row["current_number"],
        "approved_number": row["approved_number"],
        "plan_status": plan_status_label(row["current_status"]),
        "groups": goals_by_domain(goals),
    }
