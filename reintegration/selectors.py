"""Reads of the reintegration room. Functions taking a ``case`` expect one already fetched through
``access.policy.case_get_for_user``; they never widen what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from core import clock
from recovery.scoring import is_restored
from recovery.selectors import latest_domain_scores

from . import conf
from .models import Closure, FollowUp, FollowUpStatus


def follow_up_dates(case_id: Any) -> list[dt.date]:
    """The dates on which follow-up visits of this case were done, oldest first.

    No access check: pass the id of a case the caller has already fetched through the access policy.
    """
    dates = FollowUp.objects.filter(case_id=case_id, status=FollowUpStatus.DONE, done_on__isnull=False).order_by(
        "done_on").values_list("done_on", flat=True)
    return [d for d in dates if d is not None]


def follow_up_dates_by_case(case_ids: list[Any]) -> dict[Any, list[dt.date]]:
    """Done dates of follow-up visits for many cases in one query. Registered with ``recovery``
    (``recovery.selectors.follow_up_reader_register``), which schedules an assessment at each."""
    found: dict[Any, list[dt.date]] = {}
    rows = FollowUp.objects.filter(case_id__in=case_ids, status=FollowUpStatus.DONE, done_on__isnull=False).order_by(
        "done_on").values_list("case_id", "done_on")
    for case_id, done_on in rows:
        if done_on is not None:
            found.setdefault(case_id, []).append(done_on)
    return found


def restored_rule_met(case_id: Any) -> bool | None:
    """Whether the latest assessment meets the restored rule; None when unknown.

    The assessment room (``recovery``) provides the scores and the rule; without a completed
    assessment the answer is unknown, and closing goes ahead.
    """
    scores = latest_domain_scores(case_id)
    if not scores:
        return None
    return bool(is_restored(scores))


def follow_ups_of(case: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(case_id=case.pk).select_related("done_by", "closure").order_by("due_on", "pk")


def closures_of(case: Any) -> QuerySet[Closure]:
    return Closure.objects.filter(case_id=case.pk).select_related("closed_by", "reopened_by").order_by("-closed_at")


def follow_up_get_for_case(case: Any, follow_up_id: Any) -> FollowUp:
    """A follow-up of this case, or 404 (the case itself was fetched through the policy)."""
    try:
        return follow_ups_of(case).get(pk=follow_up_id)
    except (FollowUp.DoesNotExist, ValueError, TypeError, ValidationError) as exc:  # incl. a malformed UUID
        raise Http404 from exc


class State:
    """What a follow-up looks like today (shown on pages, in the API and in the work queue)."""

    UPCOMING = "upcoming"  # scheduled, not yet within the work-queue horizon
    DUE = "due"  # scheduled, due within the horizon (today included)
    OVERDUE = "overdue"  # scheduled, its date has passed
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


def follow_up_state(follow_up: FollowUp, today: dt.date | None = None) -> str:
    if follow_up.status != FollowUpStatus.SCHEDULED:
        return str(follow_up.status)
    today = today or clock.today()
    if follow_up.due_on < today:
        return State.OVERDUE
    if follow_up.due_on <= today + dt.timedelta(days=conf.follow_up_horizon_days()):
        return State.DUE
    return State.UPCOMING


def latest_risk(follow_ups: list[FollowUp]) -> FollowUp | None:
    done = [f for f in follow_ups if f.status == FollowUpStatus.DONE and f.done_on]
    return max(done, key=lambda f: (f.done_on, f.recorded_at or clock.now())) if done else None
