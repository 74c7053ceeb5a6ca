"""The plan as a plain document (the shape of a revision snapshot, the API and the diff).

    {"priorities": "...",
     "goals": [{"id": 3, "domain": "safety", "description": "...", "status": "open",
                "actions": [{"id": 7, "description": "...", "responsible_organisation_id": 1,
                             "responsible_organisation_name": "...", "responsible_user_id": 5,
                             "responsible_user_name": "...", "responsible_name": "", "target_date": "2026-05-01",
                             "status": "open"}]}]}

Names are copied into the snapshot so that an old revision reads as it was, even after an
organisation is renamed or a user leaves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.choices import Domain

from .models import Action, ActionStatus, Goal, GoalStatus, Plan

# Fields that make the content of a plan; names are derived from ids and are not compared.
GOAL_FIELDS = ("domain", "description", "status")
ACTION_FIELDS = (
    "description", "responsible_organisation_id", "responsible_user_id", "responsible_name", "target_date", "status",
)


def action_document(action: Any) -> dict[str, Any]:
    org = action.responsible_organisation
    user = action.responsible_user
    return {
        "id": action.pk,
        "description": action.description,
        "responsible_organisation_id": action.responsible_organisation_id,
        "responsible_organisation_name": org.name if org is not None else "",
        "responsible_user_id": action.responsible_user_id,
        "responsible_user_name": user.display_name if user is not None else "",
        "responsible_name": action.responsible_name,
        "target_date": action.target_date.isoformat() if action.target_date else None,
        "status": action.status,
    }


def goal_document(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "domain": goal.domain,
        "description": goal.description,
        "status": goal.status,
        "actions": [action_document(a) for a in goal.actions.all()],
    }


def plan_goals(plan: Plan | None) -> list[Goal]:
    """The plan's goals with their actions, in two queries (domain order, then oldest first)."""
    if plan is None or plan.pk is None:
        return []
    actions = Action.objects.select_related("responsible_organisation", "responsible_user").order_by(
        "target_date", "id")
    goals = list(Goal.objects.filter(plan=plan).prefetch_related(Prefetch("actions", queryset=actions)))
    order = {d: i for i, d in enumerate(Domain.values)}
    return sorted(goals, key=lambda g: (order.get(g.domain, 99), g.pk))


def plan_document(plan: Plan | None, goals: list[Goal] | None = None) -> dict[str, Any]:
    if plan is None:
        return {"priorities": "", "goals": []}
    if goals is None:
        goals = plan_goals(plan)
    return {"priorities": plan.priorities, "goals": [goal_document(g) for g in goals]}


def content_of(document: dict[str, Any]) -> dict[str, Any]:
    """The comparable content of a document: ids and values, no display names."""
    return {
        "priorities": document.get("priorities", ""),
        "goals": [
            {
                "id": g.get("id"),
                **{f: g.get(f) for f in GOAL_FIELDS},
                "actions": [{"id": a.get("id"), **{f: a.get(f) for f in ACTION_FIELDS}} for a in g.get("actions", [])],
            }
            for g in document.get("goals", [])
        ],
    }


# --- the readable difference (shown when a save is refused because someone else saved first) ----


def _text(field: str, value: Any, row: dict[str, Any] | None = None) -> str:
    if value in (None, ""):
        return "—"
    if field == "domain":
        return str(dict(Domain.choices).get(value, value))
    if field == "status":
        labels = {**dict(GoalStatus.choices), **dict(ActionStatus.choices)}
        return str(labels.get(value, value))
    if field == "responsible_organisation_id":
        return str((row or {}).get("responsible_organisation_name") or value)
    if field == "responsible_user_id":
        return str((row or {}).get("responsible_user_name") or value)
    if field == "target_date":
        try:
            return date_format(dt.date.fromisoformat(str(value)), "j M Y")
        except ValueError:
            return str(value)
    return str(value)


def _labels() -> dict[str, str]:
    return {
        "domain": _("recovery domain"),
        "description": _("description"),
        "status": _("status"),
        "responsible_organisation_id": _("responsible organisation"),
        "responsible_user_id": _("responsible person (user)"),
        "responsible_name": _("responsible person (name)"),
        "target_date": _("target date"),
    }


def _goal_title(goal: dict[str, Any], index: int) -> str:
    return _("Goal %(n)s (%(domain)s)") % {"n": index + 1, "domain": _text("domain", goal.get("domain"))}


def plan_differences(saved: dict[str, Any], yours: dict[str, Any]) -> list[dict[str, str]]:
    """Per field: what is saved now and what you submitted, where they differ.

    Goals and actions are matched by id. Your new ones (no id yet) and ones someone else added
    appear as whole rows, so nothing either side typed is hidden.
    """
    labels = _labels()
    rows: list[dict[str, str]] = []

    def add(where: str, field: str, saved_row: dict[str, Any] | None, your_row: dict[str, Any] | None) -> None:
        a = (saved_row or {}).get(field)
        b = (your_row or {}).get(field)
        if saved_row is not None and your_row is not None and a == b:
            return
        if (saved_row is None or your_row is None) and (a if your_row is None else b) in (None, ""):
            return  # an empty field of a goal or action only one side has: nothing to compare
        rows.append({
            "where": where,
            "field": labels.get(field, field),
            "saved": _text(field, a, saved_row) if saved_row is not None else _("(not in the saved plan)"),
            "yours": _text(field, b, your_row) if your_row is not None else _("(not in what you submitted)"),
        })

    if (saved.get("priorities") or "") != (yours.get("priorities") or ""):
        rows.append({"where": _("Plan"), "field": _("the survivor's own priorities"),
                     "saved": saved.get("priorities") or "—", "yours": yours.get("priorities") or "—"})

    saved_goals = {g["id"]: (i, g) for i, g in enumerate(saved.get("goals", [])) if g.get("id")}
    seen: set[Any] = set()
    for i, goal in enumerate(yours.get("goals", [])):
        match = saved_goals.get(goal.get("id")) if goal.get("id") else None
        saved_goal = match[1] if match else None
        if saved_goal is not None:
            seen.add(goal["id"])
        where = _goal_title(saved_goal or goal, match[0] if match else i)
        if saved_goal is None:
            where = _("New goal (yours): %(title)s") % {"title": where}
        for field in GOAL_FIELDS:
            add(where, field, saved_goal, goal)
        saved_actions = {a["id"]: (j, a) for j, a in enumerate((saved_goal or {}).get("actions", [])) if a.get("id")}
        seen_actions: set[Any] = set()
        for j, action in enumerate(goal.get("actions", [])):
            a_match = saved_actions.get(action.get("id")) if action.get("id") else None
            saved_action = a_match[1] if a_match else None
            if saved_action is not None:
                seen_actions.add(action["id"])
            a_where = _("%(goal)s, action %(n)s") % {"goal": where, "n": (a_match[0] if a_match else j) + 1}
            if saved_action is None:
                a_where = _("%(goal)s, new action (yours)") % {"goal": where}
            for field in ACTION_FIELDS:
                add(a_where, field, saved_action, action)
        for action_id, (j, saved_action) in saved_actions.items():
            if action_id not in seen_actions:
                a_where = _("%(goal)s, action %(n)s (added by someone else)") % {"goal": where, "n": j + 1}
                for field in ACTION_FIELDS:
                    add(a_where, field, saved_action, None)
    for goal_id, (i, saved_goal) in saved_goals.items():
        if goal_id in seen:
            continue
        where = _("%(title)s (not in your form)") % {"title": _goal_title(saved_goal, i)}
        for field in GOAL_FIELDS:
            add(where, field, saved_goal, None)
        for j, saved_action in enumerate(saved_goal.get("actions", [])):
            a_where = _("%(goal)s, action %(n)s") % {"goal": where, "n": j + 1}
            for field in ACTION_FIELDS:
                add(a_where, field, saved_action, None)
    return rows


def document_display(document: dict[str, Any] | None) -> dict[str, Any]:
    """A snapshot ready for a template: goals grouped per domain with labels and real dates."""
    if not document:
        return {"priorities": "", "groups": []}
    domain_labels = dict(Domain.choices)
    goal_labels = dict(GoalStatus.choices)
    action_labels = dict(ActionStatus.choices)
    groups: dict[str, list[dict[str, Any]]] = {}
    for goal in document.get("goals", []):
        actions = []
        for a in goal.get("actions", []):
            target = a.get("target_date")
            actions.append({**a, "status_label": action_labels.get(a.get("status"), a.get("status")),
                            "target": dt.date.fromisoformat(target) if target else None})
        groups.setdefault(goal.get("domain", ""), []).append(
            {**goal, "status_label": goal_labels.get(goal.get("status"), goal.get("status")), "actions": actions})
    ordered = [d for d in Domain.values if d in groups] + [d for d in groups if d not in Domain.values]
    return {
        "priorities": document.get("priorities", ""),
        "groups": [{"domain": d, "label": domain_labels.get(d, d), "goals": groups[d]} for d in ordered],
    }
