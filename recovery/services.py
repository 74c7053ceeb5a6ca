"""Every write to assessments. Keyword-only; each checks the access rules (access.recovery),
validates all its input, and writes in one transaction with its change history, so a refused
request leaves nothing half-saved.

Answers are given as a mapping of item number -> value (None or "" clears an answer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from access import recovery as recovery_access
from accounts.models import Role, User
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from cases.models import CaseStatus, CaseTeamMember
from cases.services import alert_raise
from core import clock
from core.choices import Domain
from core.concurrency import version_bump, version_check
from core.validation import Errors

from . import scoring
from .models import Answer, Assessment, AssessmentKind, DomainScore, Instrument, Item, ScreeningResult

# On a closed case only the closure and follow-up assessments may still be recorded (follow-up
# continues after exit: most re-trafficking happens within two years).
KINDS_AFTER_CLOSURE = (AssessmentKind.CLOSURE, AssessmentKind.FOLLOW_UP)


def _field(number: int) -> str:
    return f"item_{number}"


def _check_date(e: Errors, case: Any, assessed_on: Any) -> None:
    if not assessed_on:
        e.add("assessed_on", _("This field is required."))
        return
    if not isinstance(assessed_on, dt.date) or isinstance(assessed_on, dt.datetime):
        e.add("assessed_on", _("Enter a valid date."))
        return
    if assessed_on > clock.today():
        e.add("assessed_on", _("This date is in the future."))
    if case.identified_on and assessed_on < case.identified_on:
        e.add("assessed_on", _("An assessment cannot be dated before the survivor was identified (%(date)s).")
              % {"date": case.identified_on.isoformat()})


def allowed_values(instrument: Instrument, item: Item) -> list[int]:
    levels = [level.value for level in item.levels.all()]
    return levels or list(range(instrument.scale_min, instrument.scale_max + 1))


def _items(instrument: Instrument) -> dict[int, Item]:
    return {item.number: item for item in instrument.items.prefetch_related("levels")}


def _clean_answers(e: Errors, instrument: Instrument, items: dict[int, Item],
                   answers: Mapping[Any, Any] | None) -> dict[int, int | None]:
    clean: dict[int, int | None] = {}
    for key, raw in (answers or {}).items():
        try:
            number = int(str(key).removeprefix("item_"))
        except ValueError:
            e.add("answers", _("Unknown item: %(item)s.") % {"item": key})
            continue
        item = items.get(number)
        if item is None:
            e.add("answers", _("Item %(number)s is not part of %(instrument)s.")
                  % {"number": number, "instrument": instrument.name})
            continue
        if raw is None or raw == "":
            clean[number] = None
            continue
        allowed = allowed_values(instrument, item)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or value not in allowed or isinstance(raw, bool) or (isinstance(raw, float)
                                                                              and raw != value):
            e.add(_field(number), _("Choose a value from %(low)s to %(high)s.")
                  % {"low": min(allowed), "high": max(allowed)})
            continue
        clean[number] = value
    return clean


def _check_recordable(e: Errors, case: Any, kind: str) -> None:
    if kind not in AssessmentKind.values:
        e.add("kind", _("Choose a value from the list."))
    elif case.status == CaseStatus.CLOSED and kind not in KINDS_AFTER_CLOSURE:
        e.add("kind", _("On a closed case only a closure or follow-up assessment can be recorded."))


def _alert_recipients(case: Any) -> list[User]:
    """The case team's psychologists and the lead organisation's supervisors (PHQ-9 item 9)."""
    team = CaseTeamMember.objects.filter(case_id=case.pk).values("user_id")
    return list(
        User.objects.filter(
            Q(Q(pk__in=team) | Q(pk=case.lead_caseworker_id), roles__role=Role.PSYCHOLOGIST)
            | Q(organisation_id=case.lead_organisation_id, roles__role=Role.SUPERVISOR),
            is_active=True,
        ).distinct().order_by("pk")
    )


def _write_answers(*, actor: Any, case: Any, assessment: Assessment, items: dict[int, Item],
                   clean: dict[int, int | None]) -> dict[int, int]:
    """Apply the changes; returns the merged answers (item number -> value)."""
    redact = frozenset({"value"}) if assessment.instrument.is_screening else frozenset()
    existing = {a.item_id: a for a in assessment.answers.all()}
    for number, value in clean.items():
        item = items[number]
        answer = existing.get(item.pk)
        if value is None:
            if answer is not None:
                history_record(actor=actor, instance=answer, action=ChangeRecord.Action.DELETE,
                               before=snapshot(answer), redact=redact, case_id=case.pk)
                answer.delete()
                del existing[item.pk]
        elif answer is None:
            answer = Answer.objects.create(assessment=assessment, item=item, value=value)
            history_record(actor=actor, instance=answer, action=ChangeRecord.Action.CREATE, redact=redact,
                           case_id=case.pk)
            existing[item.pk] = answer
        elif answer.value != value:
            before = snapshot(answer)
            answer.value = value
            answer.save(update_fields=["value"])
            history_record(actor=actor, instance=answer, action=ChangeRecord.Action.UPDATE, before=before,
                           redact=redact, case_id=case.pk)
    by_pk = {item.pk: number for number, item in items.items()}
    return {by_pk[item_pk]: a.value for item_pk, a in existing.items()}


def _alert_if_flagged(*, actor: Any, case: Any, assessment: Assessment, items: dict[int, Item],
                      merged: dict[int, int]) -> bool:
    """Raise the alert at once, inside this transaction, the first time an alert item (PHQ-9
    item 9, thoughts of self-harm) is answered at or above its threshold, even in a draft."""
    flagged = scoring.flagged_items((items[n], v) for n, v in merged.items())
    if not flagged or assessment.alerted_at is not None:
        return bool(flagged)
    item, value = flagged[0]
    detail = _("%(instrument)s item %(number)s answered %(value)s (assessment of %(date)s): contact the survivor "
               "today and follow the safety protocol.") % {
        "instrument": assessment.instrument.code, "number": item.number, "value": value,
        "date": assessment.assessed_on.isoformat(),
    }
    alert_raise(case=case, recipients=_alert_recipients(case), kind=item.alert_kind or "other", detail=detail,
                actor=actor)
    assessment.alerted_at = clock.now()
    return True


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("instrument").get(pk=assessment.pk)


def _version_check(assessment: Assessment, expected_version: int | None, answers: Mapping[Any, Any] | None,
                   assessed_on: dt.date | None) -> None:
    """Refuse (``StaleVersion``) a save based on another version than the one saved now, with the
    answers saved now beside the ones submitted (keyed like the form's fields)."""
    if expected_version is None:
        return
    submitted: dict[str, Any] = {}
    if assessed_on is not None:
        submitted["assessed_on"] = assessed_on
    for key, value in (answers or {}).items():
        if str(key).isdigit():
            submitted[_field(int(key))] = value
    saved = {a.item.number: a.value for a in assessment.answers.select_related("item")}
    current: dict[str, Any] = {"assessed_on": assessment.assessed_on}
    current.update({_field(n): v for n, v in saved.items()})
    current.update({name: None for name in submitted if name not in current})  # not answered yet
    version_check(assessment, expected_version, submitted=submitted, current=current)


def _check_draft(e: Errors, *, actor: Any, case: Any, assessment: Assessment, expected_version: int | None) -> None:
    if assessment.case_id != case.pk:
        raise ValidationError(_("This assessment belongs to another case."))
    if not assessment.is_draft:
        raise ValidationError(_("A completed assessment cannot be changed."))
    if not recovery_access.may_continue(actor, case, assessment):
        if assessment.recorded_by_id != actor.pk:
            raise ValidationError(_("Only the person who started this draft may continue or complete it."))
        raise ValidationError(_("You may not record this instrument for this case."))


def assessment_start(*, actor: Any, case: Any, instrument: Instrument, kind: str, assessed_on: dt.date | None,
                     answers: Mapping[Any, Any] | None = None) -> Assessment:
    """Start a draft assessment (optionally with first answers)."""
    if not recovery_access.may_record(actor, case, instrument):
        raise ValidationError(_("You may not record this instrument for this case."))
    e = Errors()
    if not instrument.is_active:
        e.add("instrument", _("This instrument is no longer in use."))
    _check_recordable(e, case, kind)
    _check_date(e, case, assessed_on)
    items = _items(instrument)
    clean = _clean_answers(e, instrument, items, answers)
    e.raise_if_any()
    assert assessed_on is not None
    with transaction.atomic():
        assessment = Assessment.objects.create(case=case, instrument=instrument, kind=kind, assessed_on=assessed_on,
                                               recorded_by=actor)
        history_record(actor=actor, instance=assessment, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        if clean:
            merged = _write_answers(actor=actor, case=case, assessment=assessment, items=items, clean=clean)
            if _alert_if_flagged(actor=actor, case=case, assessment=assessment, items=items, merged=merged):
                assessment.save(update_fields=["alerted_at"])
    return assessment


def assessment_save_draft(*, actor: Any, case: Any, assessment: Assessment, answers: Mapping[Any, Any] | None,
                          assessed_on: dt.date | None = None, expected_version: int | None = None) -> Assessment:
    """Save partial answers to a draft. ``expected_version``: the version the user started from."""
    with transaction.atomic():
        locked = _locked(assessment)
        e = Errors()
        _check_draft(e, actor=actor, case=case, assessment=locked, expected_version=expected_version)
        _version_check(locked, expected_version, answers, assessed_on)
        items = _items(locked.instrument)
        clean = _clean_answers(e, locked.instrument, items, answers)
        if assessed_on is not None:
            _check_date(e, case, assessed_on)
        e.raise_if_any()
        before = snapshot(locked)
        merged = _write_answers(actor=actor, case=case, assessment=locked, items=items, clean=clean)
        _alert_if_flagged(actor=actor, case=case, assessment=locked, items=items, merged=merged)
        if assessed_on is not None:
            locked.assessed_on = assessed_on
        version_bump(locked)
        locked.save()
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=case.pk)
    return locked


def assessment_complete(*, actor: Any, case: Any, assessment: Assessment, answers: Mapping[Any, Any] | None = None,
                        assessed_on: dt.date | None = None, expected_version: int | None = None) -> Assessment:
    """Save the last answers and complete: scores are computed and stored, the draft is closed.

    A screening instrument needs every item answered; the holistic one at least one item in each
    of the six domains (unanswered items are skipped in the domain mean).
    """
    with transaction.atomic():
        locked = _locked(assessment)
        e = Errors()
        _check_draft(e, actor=actor, case=case, assessment=locked, expected_version=expected_version)
        _version_check(locked, expected_version, answers, assessed_on)
        instrument = locked.instrument
        items = _items(instrument)
        clean = _clean_answers(e, instrument, items, answers)
        _check_date(e, case, assessed_on if assessed_on is not None else locked.assessed_on)
        _check_recordable(e, case, locked.kind)
        e.raise_if_any()
        before = snapshot(locked)
        merged = _write_answers(actor=actor, case=case, assessment=locked, items=items, clean=clean)
        if instrument.is_screening:
            for number in items:
                if number not in merged:
                    e.add(_field(number), _("Answer this item: a screening is scored only when every item is answered."))
        else:
            answered = {items[n].domain for n in merged}
            missing = [Domain(d).label for d in Domain.values if d not in answered]
            if missing:
                e.add("answers", _("Answer at least one item in each domain. Missing: %(domains)s.")
                      % {"domains": ", ".join(str(m) for m in missing)})
        e.raise_if_any()  # rolls back the answers written above: nothing half-saved
        flagged = _alert_if_flagged(actor=actor, case=case, assessment=locked, items=items, merged=merged)
        if instrument.is_screening:
            total = scoring.screening_total(merged.values())
            band = scoring.screening_band(instrument.bands, total)
            result = ScreeningResult.objects.create(assessment=locked, total=total, band=band.code,
                                                    band_label_id=band.label_id, band_label_en=band.label_en,
                                                    flagged=flagged)
            history_record(actor=actor, instance=result, action=ChangeRecord.Action.CREATE,
                           redact=frozenset({"total", "band", "band_label_id", "band_label_en", "flagged"}),
                           case_id=case.pk)
        else:
            scores = scoring.domain_scores((items[n].domain, v) for n, v in merged.items())
            DomainScore.objects.bulk_create(
                [DomainScore(assessment=locked, domain=d, score=s) for d, s in scores.items()]
            )
            locked.restored = scoring.is_restored(scores)
        if assessed_on is not None:
            locked.assessed_on = assessed_on
        locked.status = Assessment.Status.COMPLETED
        locked.completed_at = clock.now()
        version_bump(locked)
        locked.save()
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=case.pk)
    return locked


def assessment_discard_draft(*, actor: Any, case: Any, assessment: Assessment,
                             expected_version: int | None = None) -> None:
    """Delete a draft (its recorder, or a supervisor of the lead organisation). Completed
    assessments are never deleted."""
    with transaction.atomic():
        locked = _locked(assessment)
        if locked.case_id != case.pk:
            raise ValidationError(_("This assessment belongs to another case."))
        if not locked.is_draft:
            raise ValidationError(_("A completed assessment cannot be discarded."))
        if not recovery_access.may_discard(actor, case, locked):
            raise ValidationError(_("Only the person who started this draft, or a supervisor, may discard it."))
        version_check(locked, expected_version, submitted={})
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.DELETE, before=snapshot(locked),
                       case_id=case.pk)
        locked.delete()
