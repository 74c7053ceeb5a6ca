"""Every write of the reintegration room: closing a case with its reason and follow-up schedule,
recording a follow-up visit with its re-trafficking risk screen, and reopening a case.

Each function checks the access policy, validates all of its input first (every error at once),
then writes in one transaction with its change history. Closing and reopening go through
``cases.services.case_transition``, so the case's status workflow stays the only way to move a case.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from cases.models import ALLOWED_TRANSITIONS, Alert, Case, CaseStatus
from cases.services import alert_raise, case_transition
from core import clock
from core.validation import Errors

from . import conf, selectors
from .models import Closure, ClosureReason, ContactMode, FollowUp, FollowUpStatus, RiskLevel
from .risk import FACTOR_CODES, FACTORS, YOUNG, RiskAnswer, RiskResult, factor_label, risk_score, young_answer_for


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _require_edit(actor: Any, case: Case) -> None:
    if not policy.can(actor, policy.Action.EDIT, case):
        raise ValidationError(_("You may not change this case."))


# --- closure --------------------------------------------------------------------------------------


def case_close(
    *, actor: Any, case: Case, reason: str, note: str = "", follow_up_declined: bool = False
) -> Closure:
    """Close the case (terminasi kasus) with a recorded reason, and, unless the survivor declines
    follow-up or has died, schedule the follow-up visits (conf.follow_up_months() after closure).

    For reason "restored" the latest assessment's result against the restored rule is recorded on
    the closure, for information: it never blocks closing (the caseworker's judgment decides).
    """
    _require_edit(actor, case)
    e = Errors()
    if case.status == CaseStatus.CLOSED:
        e.add("status", _("This case is already closed. Reopen it first if it must be closed again."))
    elif CaseStatus.CLOSED not in ALLOWED_TRANSITIONS.get(case.status, ()):
        e.add("status", _("A case in status “%(status)s” cannot be closed.")
              % {"status": CaseStatus(case.status).label})
    reason = (reason or "").strip()
    if not reason:
        e.add("reason", _("Choose the reason for closing the case."))
    elif reason not in ClosureReason.values:
        e.add("reason", _("“%(reason)s” is not a reason for closing; choose one from the list.") % {"reason": reason})
    note = (note or "").strip()
    e.raise_if_any()

    restored = selectors.restored_rule_met(case.pk) if reason == ClosureReason.RESTORED else None
    closed_at = clock.now()
    closed_on = timezone.localdate(closed_at)
    # DOMAIN.md section 9: follow-up for at least 24 months, unless the survivor declines it
    # (their choice, SAMHSA "voice and choice") or there is no one left to follow up.
    months = [] if (follow_up_declined or reason == ClosureReason.DIED) else conf.follow_up_months()
    readable = str(ClosureReason(reason).label) + (f": {note}" if note else "")
    with transaction.atomic():
        case_transition(actor=actor, case=case, to_status=CaseStatus.CLOSED, reason=readable)
        closure = Closure.objects.create(
            case=case, reason=reason, note=note, follow_up_declined=bool(follow_up_declined),
            restored_rule_met=restored, closed_by=actor, closed_at=closed_at,
        )
        history_record(actor=actor, instance=closure, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        follow_ups = FollowUp.objects.bulk_create([
            FollowUp(case=case, closure=closure, months_after=m, due_on=add_months(closed_on, m)) for m in months
        ])
        for follow_up in follow_ups:
            history_record(actor=actor, instance=follow_up, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return closure


def case_reopen(*, actor: Any, case: Case, reason: str) -> Case:
    """Reopen a closed case (for example after a high re-trafficking risk at follow-up).

    The closure is kept, marked as reopened; follow-up visits still scheduled are cancelled,
    because the case is active again (closing it again schedules new ones).
    """
    _require_edit(actor, case)
    e = Errors()
    if case.status != CaseStatus.CLOSED:
        e.add("status", _("This case is open: only a closed case can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        e.add("reason", _("Record the reason for reopening the case."))
    e.raise_if_any()
    now = clock.now()
    with transaction.atomic():
        case_transition(actor=actor, case=case, to_status=CaseStatus.REOPENED, reason=reason)
        closure = Closure.objects.select_for_update().filter(case=case, reopened_at=None).order_by("-closed_at").first()
        if closure is not None:
            before = snapshot(closure)
            closure.reopened_at, closure.reopened_by, closure.reopen_reason = now, actor, reason
            closure.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
            history_record(actor=actor, instance=closure, action=ChangeRecord.Action.UPDATE, before=before,
                           case_id=case.pk)
        for follow_up in FollowUp.objects.select_for_update().filter(case=case, status=FollowUpStatus.SCHEDULED):
            before = snapshot(follow_up)
            follow_up.status = FollowUpStatus.CANCELLED
            follow_up.save(update_fields=["status"])
            history_record(actor=actor, instance=follow_up, action=ChangeRecord.Action.UPDATE, before=before,
                           case_id=case.pk)
    return case


# --- follow-up -------------------------------------------------------------------------------------


def _check_recordable(e: Errors, case: Case, follow_up: FollowUp) -> None:
    if follow_up.case_id != case.pk:
        raise ValidationError(_("This follow-up belongs to another case."))
    if follow_up.status != FollowUpStatus.SCHEDULED:
        e.add("status", _("This follow-up is already “%(status)s”; it cannot be recorded again.")
              % {"status": FollowUpStatus(follow_up.status).label})
    elif case.status != CaseStatus.CLOSED:
        e.add("status", _("The case has been reopened: its follow-up schedule has ended."))


def risk_answers_clean(e: Errors, answers: Any, *, survivor: Any) -> dict[str, str]:
    """Every factor answered yes, no or don't know. "Child or young at first trafficking" may be
    left out: it is then derived from the survivor's record."""
    if not isinstance(answers, dict):
        e.add("risk_answers", _("Answer the re-trafficking risk questions."))
        return {}
    extra = [str(k) for k in answers if k not in FACTOR_CODES]
    if extra:
        e.add("risk_answers", _("Unknown risk factor: %(codes)s.") % {"codes": ", ".join(extra)})
    clean: dict[str, str] = {}
    for factor in FACTORS:
        value = answers.get(factor.code)
        if value in (None, ""):
            if factor.code == YOUNG:
                clean[factor.code] = young_answer_for(survivor)
            else:
                e.add("risk_answers", _("Answer “%(factor)s”: yes, no or don't know.") % {"factor": factor.label})
        elif value not in RiskAnswer.values:
            e.add("risk_answers", _("“%(answer)s” is not an answer to “%(factor)s”: choose yes, no or don't know.")
                  % {"answer": value, "factor": factor.label})
        else:
            clean[factor.code] = str(value)
    return clean


def follow_up_record(
    *, actor: Any, case: Case, follow_up: FollowUp, done_on: dt.date | None, contact_mode: str,
    notes: str = "", answers: dict[str, str],
) -> FollowUp:
    """Record a follow-up visit and its re-trafficking risk screen.

    A high risk alerts the case's last lead caseworker at once (same transaction), who is offered
    to reopen the case.
    """
    _require_edit(actor, case)
    e = Errors()
    _check_recordable(e, case, follow_up)
    today = clock.today()
    closed_on = timezone.localdate(follow_up.closure.closed_at)
    if not done_on:
        e.add("done_on", _("Enter the date of the follow-up."))
    elif done_on > today:
        e.add("done_on", _("A follow-up cannot be recorded in the future."))
    elif done_on < closed_on:
        e.add("done_on", _("The follow-up cannot be before the case was closed (%(date)s).")
              % {"date": closed_on.isoformat()})
    if contact_mode not in ContactMode.values:
        e.add("contact_mode", _("Choose how the survivor was contacted."))
    clean = risk_answers_clean(e, answers, survivor=case.survivor)
    e.raise_if_any()

    result = risk_score(clean)
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.status != FollowUpStatus.SCHEDULED:  # recorded by someone else meanwhile
            raise ValidationError({"status": [_("This follow-up has just been recorded by someone else.")]})
        before = snapshot(locked)
        locked.status = FollowUpStatus.DONE
        locked.done_on = done_on
        locked.contact_mode = contact_mode
        locked.notes = (notes or "").strip()
        locked.done_by = actor
        locked.recorded_at = clock.now()
        locked.risk_answers = clean
        locked.risk_score = result.score
        locked.risk_level = result.level
        locked.save()
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=case.pk)
        if result.level == RiskLevel.HIGH:
            _alert_high_risk(actor=actor, case=case, follow_up=locked, result=result)
    return locked


def _alert_high_risk(*, actor: Any, case: Case, follow_up: FollowUp, result: RiskResult) -> None:
    # The last lead caseworker knows the survivor best; the alert carries no identity, only what
    # to look at (DOMAIN.md section 9: re-trafficking mostly happens within two years of exit).
    detail = _("Follow-up of %(date)s: high risk (score %(score)s; %(factors)s). Consider reopening the case.") % {
        "date": follow_up.done_on.isoformat() if follow_up.done_on else "",
        "score": result.score,
        "factors": ", ".join(factor_label(c) for c in result.yes),
    }
    alert_raise(case=case, recipients=[case.lead_caseworker], kind=Alert.Kind.RETRAFFICKING_RISK, detail=detail,
                actor=actor)


def follow_up_miss(*, actor: Any, case: Case, follow_up: FollowUp, notes: str = "") -> FollowUp:
    """Record that a due follow-up could not take place (survivor not reached)."""
    _require_edit(actor, case)
    e = Errors()
    _check_recordable(e, case, follow_up)
    if follow_up.due_on > clock.today():
        e.add("status", _("This follow-up is not due yet; it cannot be missed before its date."))
    e.raise_if_any()
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.status != FollowUpStatus.SCHEDULED:
            raise ValidationError({"status": [_("This follow-up has just been recorded by someone else.")]})
        before = snapshot(locked)
        locked.status = FollowUpStatus.MISSED
        locked.notes = (notes or "").strip()
        locked.done_by = actor
        locked.recorded_at = clock.now()
        locked.save(update_fields=["status", "notes", "done_by", "recorded_at"])
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=case.pk)
    return locked
