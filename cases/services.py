"""Every write to a case: intake, status workflow, team."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from access import policy
from accounts.models import Role
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from core import choices, clock
from core.concurrency import version_bump, version_check
from core.models import Region
from core.validation import Errors, not_in_future, region_at_level

from .models import ALLOWED_TRANSITIONS, Alert, Case, CaseStatus, CaseStatusChange, CaseTeamMember

# Multi-value intake fields and the value list each must come from.
LIST_FIELDS: dict[str, type] = {
    "tppo_process": choices.TppoProcess,
    "tppo_means": choices.TppoMeans,
    "tppo_purpose": choices.TppoPurpose,
    "ilo_indicators": choices.IloIndicator,
    "exploitation_types": choices.ExploitationType,
    "urgent_needs": choices.UrgentNeed,
}
SINGLE_FIELDS: dict[str, type] = {
    "channel": choices.Channel,
    "forced_labour_industry": choices.ForcedLabourIndustry,
    "recruitment_method": choices.RecruitmentMethod,
    "recruiter_relation": choices.RecruiterRelation,
    "trafficking_status": choices.TraffickingStatus,
    "status_decided_by": choices.StatusDecidedBy,
    "modus": choices.Modus,
}
REGION_FIELDS = ("identification_region", "recruitment_region", "exploitation_region")
COUNTRY_FIELDS = ("identification_country", "recruitment_country", "exploitation_country")
DATE_FIELDS = ("identified_on", "exploitation_started_on", "exploitation_ended_on")
INTAKE_FIELDS = (
    *LIST_FIELDS, *SINGLE_FIELDS, *REGION_FIELDS, *COUNTRY_FIELDS, *DATE_FIELDS, "transit_countries", "intake_notes",
)


def case_intake_update(*, actor: Any, case: Case, values: dict[str, Any], version: int | None = None) -> Case:
    """Change intake fields. Only keys present in ``values`` change. Validates everything first.

    ``version``: the case's version the change is based on; raises ``StaleVersion`` (nothing
    written) when someone saved the case since (``core.concurrency``).
    """
    if not policy.can(actor, policy.Action.EDIT, case):
        raise ValidationError(_("You may not change this case."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))
    today = timezone.localdate()
    e = Errors()
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in INTAKE_FIELDS:
            e.add(name, _("This field cannot be changed here."))
        elif name in LIST_FIELDS:
            items = list(dict.fromkeys(value or []))
            bad = [v for v in items if v not in LIST_FIELDS[name].values]  # type: ignore[attr-defined]
            if bad:
                e.add(name, _("Unknown value: %(values)s.") % {"values": ", ".join(map(str, bad))})
            clean[name] = items
        elif name in SINGLE_FIELDS:
            if value and value not in SINGLE_FIELDS[name].values:  # type: ignore[attr-defined]
                e.add(name, _("Choose a value from the list."))
            clean[name] = value or ""
        elif name in REGION_FIELDS:
            clean[name] = region_at_level(
                e, name, value, Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT
            ) if value else None
        elif name in COUNTRY_FIELDS:
            code = (value or "").upper()
            if code and code not in countries:
                e.add(name, _("Unknown country code: %(code)s.") % {"code": code})
            clean[name] = code
        elif name == "transit_countries":
            codes = [str(c).upper() for c in (value or [])]
            bad = [c for c in codes if c not in countries]
            if bad:
                e.add(name, _("Unknown country code: %(code)s.") % {"code": ", ".join(bad)})
            clean[name] = list(dict.fromkeys(codes))
        elif name in DATE_FIELDS:
            if name == "identified_on" and not value:
                e.add(name, _("This field is required."))
            not_in_future(e, name, value, today=today)
            clean[name] = value
        else:
            clean[name] = (value or "").strip()

    merged = {f: clean.get(f, getattr(case, f)) for f in INTAKE_FIELDS if f not in REGION_FIELDS}
    start, end = merged["exploitation_started_on"], merged["exploitation_ended_on"]
    if start and end and end < start:
        e.add("exploitation_ended_on", _("The exploitation cannot end before it began."))
    identity = getattr(case.survivor, "identity", None)
    birth = dt.date.fromisoformat(identity.birth_date) if identity is not None and identity.birth_date else None
    if birth and start and start < birth:
        e.add("exploitation_started_on", _("The exploitation cannot begin before the survivor's date of birth."))
    # Indonesian places are wilayah codes; a region only makes sense when the country is Indonesia.
    for country_field, region_field in (("recruitment_country", "recruitment_region"),
                                        ("exploitation_country", "exploitation_region"),
                                        ("identification_country", "identification_region")):
        region = clean[region_field] if region_field in clean else getattr(case, region_field)
        country = str(merged[country_field] or "")
        if region is not None and country and country != "ID":
            e.add(region_field, _("An Indonesian region was chosen but the country is not Indonesia."))
    e.raise_if_any()

    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        version_check(locked, version, submitted=clean)
        before = snapshot(locked)
        for name, value in clean.items():
            setattr(locked, name, value)
            setattr(case, name, value)
        survivor = case.survivor
        child_at_exploitation = survivor.is_child_at_exploitation
        if birth and case.exploitation_started_on:
            age = case.exploitation_started_on.year - birth.year - (
                (case.exploitation_started_on.month, case.exploitation_started_on.day) < (birth.month, birth.day)
            )
            child_at_exploitation = age < 18
        elif case.exploitation_started_on and survivor.is_child_at_identification:
            child_at_exploitation = True
        # Only the intake fields are written: a status change saved meanwhile stays as it is.
        locked.save(update_fields=[*clean, version_bump(locked), "updated_at"])
        case.version, case.updated_at = locked.version, locked.updated_at
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before, case_id=case.pk)
        if child_at_exploitation != survivor.is_child_at_exploitation:
            s_before = snapshot(survivor)
            survivor.is_child_at_exploitation = child_at_exploitation
            survivor.save(update_fields=["is_child_at_exploitation"])
            history_record(actor=actor, instance=survivor, action=ChangeRecord.Action.UPDATE, before=s_before,
                           case_id=case.pk)
    return case


def case_transition(*, actor: Any, case: Case, to_status: str, reason: str) -> Case:
    """Move a case along the workflow; only the allowed transitions, always with a reason."""
    if not policy.can(actor, policy.Action.EDIT, case):
        raise ValidationError(_("You may not change this case."))
    e = Errors()
    if not (reason or "").strip():
        e.add("reason", _("Record the reason for this change of status."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if to_status not in ALLOWED_TRANSITIONS.get(locked.status, ()):
            e.add(
                "to_status",
                _("A case in status “%(from)s” cannot move to “%(to)s”.")
                % {"from": CaseStatus(locked.status).label,
                   "to": CaseStatus(to_status).label if to_status in CaseStatus.values else to_status},
            )
        e.raise_if_any()
        before = snapshot(locked)
        from_status = locked.status
        locked.status = to_status
        locked.closed_at = clock.now() if to_status == CaseStatus.CLOSED else None
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        CaseStatusChange.objects.create(
            case=locked, from_status=from_status, to_status=to_status, reason=reason.strip(), changed_by=actor
        )
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.pk)
    case.status, case.closed_at = locked.status, locked.closed_at
    return case


def case_team_add(*, actor: Any, case: Case, user_id: Any) -> CaseTeamMember:
    if not policy.can(actor, policy.Action.MANAGE_TEAM, case):
        raise ValidationError(_("You may not change this case team."))
    user = policy.team_candidates(case).filter(pk=user_id).first() if str(user_id).isdigit() else None
    if user is None:
        raise ValidationError({"user": [_("Choose a colleague of the lead organisation who works on cases.")]})
    if case.team_members.filter(user=user).exists():
        raise ValidationError({"user": [_("This person is already on the case team.")]})
    with transaction.atomic():
        member = CaseTeamMember.objects.create(case=case, user=user, added_by=actor)
        history_record(actor=actor, instance=member, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return member


def case_team_remove(*, actor: Any, case: Case, user_id: Any) -> None:
    if not policy.can(actor, policy.Action.MANAGE_TEAM, case):
        raise ValidationError(_("You may not change this case team."))
    member = case.team_members.filter(user_id=user_id).first() if str(user_id).isdigit() else None
    if member is None:
        raise ValidationError({"user": [_("This person is not on the case team.")]})
    if member.user_id == case.lead_caseworker_id:
        raise ValidationError({"user": [_("The lead caseworker cannot be removed; choose another lead first.")]})
    with transaction.atomic():
        before = snapshot(member)
        history_record(actor=actor, instance=member, action=ChangeRecord.Action.DELETE, before=before,
                       case_id=case.pk)
        member.delete()


def case_lead_change(*, actor: Any, case: Case, user_id: Any) -> Case:
    """Make another caseworker of the lead organisation the lead caseworker (supervisors only)."""
    if not policy.is_supervisor_of(actor, case) or not policy.can(actor, policy.Action.MANAGE_TEAM, case):
        raise ValidationError(_("Only a supervisor can change the lead caseworker."))
    user = policy.team_candidates(case).filter(pk=user_id, roles__role=Role.CASEWORKER).first() if str(
        user_id).isdigit() else None
    if user is None:
        raise ValidationError({"user": [_("Choose a caseworker of the lead organisation.")]})
    with transaction.atomic():
        before = snapshot(case)
        case.lead_caseworker = user
        case.save(update_fields=["lead_caseworker", "updated_at"])
        member, created = CaseTeamMember.objects.get_or_create(case=case, user=user, defaults={"added_by": actor})
        if created:
            history_record(actor=actor, instance=member, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        history_record(actor=actor, instance=case, action=ChangeRecord.Action.UPDATE, before=before, case_id=case.pk)
    return case



def alert_raise(*, case: Case, recipients: Any, kind: str, detail: str = "", actor: Any = None) -> list[Any]:
    """Raise an alert for each recipient (deduplicated); call inside the caller's transaction."""
    seen: set[int] = set()
    alerts = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        alerts.append(Alert(case=case, recipient=user, kind=kind, detail=detail[:300], raised_by=actor))
    created = Alert.objects.bulk_create(alerts)
    for alert in created:
        history_record(actor=actor, instance=alert, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return created


def alert_mark_read(*, user: Any, alert_id: Any) -> None:
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id, recipient=user, read_at=None).first()
        if alert is None:
            return
        before = snapshot(alert)
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
        history_record(actor=user, instance=alert, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=alert.case_id)
