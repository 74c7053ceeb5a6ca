"""Every write of the livelihood room.

Each function checks who may act (``access.livelihood``), validates all of its input (collecting
every error, in Indonesian through gettext), then writes in one ``transaction.atomic()`` with the
change history (``history_record``). Nothing is half-saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from access import livelihood as rules
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from cases.models import Case
from core import clock
from core.choices import Domain
from core.concurrency import StaleVersion, version_bump, version_check
from core.models import Region
from core.validation import Errors
from plans.models import Goal
from survivors.models import ConsentRecord

from . import conf, decent_work, skills, wages
from .models import (
    Accommodation,
    CheckStatus,
    Constraint,
    ContractType,
    DebtChange,
    DecentWorkCheck,
    EconomicProfile,
    Education,
    Enrolment,
    EnrolmentStatus,
    Enterprise,
    IncomeBand,
    IncomeFollowUp,
    IncomeSource,
    LabourDemand,
    Literacy,
    MatchChoice,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Placement,
    ProfileRevision,
    Sector,
    SkillLevel,
    SkillRecord,
    SupportType,
    WorkHistory,
)

CREATE, UPDATE = ChangeRecord.Action.CREATE, ChangeRecord.Action.UPDATE


class NotAllowed(PermissionDenied):
    """The user may see the record but not do this; pages show the message, the API answers 403."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require_edit(actor: Any, case: Case) -> None:
    if not rules.may_edit_livelihood(actor, case):
        raise NotAllowed(_("You may not change this case's livelihood records."))
    if not case.is_open:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))


def _goal(e: Errors, case: Case, goal_id: Any) -> Any:
    """A livelihood goal is a plan goal in the economic domain (no second mechanism)."""
    if goal_id in (None, ""):
        return None

    goal = Goal.objects.filter(pk=_pk(goal_id), plan__case_id=case.pk, domain=Domain.ECONOMIC).first()
    if goal is None:
        e.add("goal", _("Choose a goal of this case's plan in the economic domain."))
    return goal


def _pk(value: Any) -> int:
    """A primary key from input; -1 (no row) for anything that is not a whole number."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else -1


def _regency(e: Errors, name: str, code: str | None, *, required: bool = False) -> Region | None:
    if not code:
        if required:
            e.add(name, _("This field is required."))
        return None
    region = Region.objects.filter(code=code, level=Region.Level.REGENCY).first()
    if region is None:
        e.add(name, _("Choose a regency or city."))
    return region


def _choices(e: Errors, name: str, values: list[str], allowed: list[str]) -> list[str]:
    bad = [v for v in values if v not in allowed]
    if bad:
        e.add(name, _("Unknown value: %(values)s.") % {"values": ", ".join(bad)})
    return list(dict.fromkeys(v for v in values if v in allowed))


def _not_negative(e: Errors, name: str, value: Any) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        e.add(name, _("Enter a whole number."))
        return 0
    if number < 0:
        e.add(name, _("An amount cannot be negative."))
        return 0
    return number


# --- the economic profile ------------------------------------------------------------------------------------


@dataclass
class WorkInput:
    sector: str
    role: str
    employer_name: str = ""
    country: str = ""
    months: int = 0
    was_exploitative: bool = False


@dataclass
class SkillInput:
    skill: str
    self_level: int
    assessed_level: int | None = None


@dataclass
class ProfileInput:
    education: str = ""
    literacy: str = ""
    languages: str = ""
    certificates: str = ""
    interests_text: str = ""
    interest_sectors: list[str] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    constraint_notes: str = ""
    income_sources: list[str] = field(default_factory=list)
    debt_amount: int = 0
    debt_to_recruiter: bool = False
    preferred_region: str = ""
    work_history: list[WorkInput] = field(default_factory=list)
    skills: list[SkillInput] = field(default_factory=list)


PROFILE_FIELDS = ["education", "literacy", "languages", "certificates", "interests_text", "interest_sectors",
                  "constraints", "constraint_notes", "income_sources", "debt_amount", "debt_to_recruiter",
                  "preferred_region"]


def profile_document(profile: EconomicProfile) -> dict[str, Any]:
    """The profile as one document: what a revision keeps and a conflict compares."""
    return {
        **{name: getattr(profile, name) for name in PROFILE_FIELDS if name != "preferred_region"},
        "preferred_region": profile.preferred_region_id or "",
        "work_history": [{"sector": w.sector, "role": w.role, "employer_name": w.employer_name, "country": w.country,
                          "months": w.months, "was_exploitative": w.was_exploitative}
                         for w in profile.work_history.all()],
        "skills": [{"skill": s.skill, "self_level": s.self_level, "assessed_level": s.assessed_level}
                   for s in profile.skills.all()],
    }


def _profile_submitted(data: ProfileInput) -> dict[str, Any]:
    doc = {name: getattr(data, name) for name in PROFILE_FIELDS}
    doc["work_history"] = [asdict(w) for w in data.work_history]
    doc["skills"] = [asdict(s) for s in data.skills]
    return doc


def profile_save(*, actor: Any, case: Case, version: int | None, data: ProfileInput) -> EconomicProfile:
    """Save the whole profile as submitted, based on ``version``; each save that changes something
    keeps a revision (a snapshot), like the plan."""
    _require_edit(actor, case)
    with transaction.atomic():
        profile, _created = EconomicProfile.objects.get_or_create(case=case)
        profile = EconomicProfile.objects.select_for_update().get(pk=profile.pk)
        current = profile_document(profile)
        version_check(profile, version, submitted=_profile_submitted(data), current=current)

        e = Errors()
        if data.education and data.education not in Education.values:
            e.add("education", _("Unknown value: %(values)s.") % {"values": data.education})
        if data.literacy and data.literacy not in Literacy.values:
            e.add("literacy", _("Unknown value: %(values)s.") % {"values": data.literacy})
        sectors = _choices(e, "interest_sectors", list(data.interest_sectors), list(Sector.values))
        constraints = _choices(e, "constraints", list(data.constraints), list(Constraint.values))
        incomes = _choices(e, "income_sources", list(data.income_sources), list(IncomeSource.values))
        debt = _not_negative(e, "debt_amount", data.debt_amount)
        region = _regency(e, "preferred_region", data.preferred_region)
        for i, w in enumerate(data.work_history):
            if w.sector not in Sector.values:
                e.add(f"work_history.{i}.sector", _("Choose a sector."))
            if not (w.role or "").strip():
                e.add(f"work_history.{i}.role", _("This field is required."))
            if int(w.months or 0) < 0:
                e.add(f"work_history.{i}.months", _("An amount cannot be negative."))
        known = skills.codes()
        seen: set[str] = set()
        for i, s in enumerate(data.skills):
            if s.skill not in known:
                e.add(f"skills.{i}.skill", _("Unknown skill."))
            elif s.skill in seen:
                e.add(f"skills.{i}.skill", _("This skill is listed twice."))
            seen.add(s.skill)
            for name, level in (("self_level", s.self_level), ("assessed_level", s.assessed_level)):
                if level is not None and level not in SkillLevel.values:
                    e.add(f"skills.{i}.{name}", _("Choose a level."))
        e.raise_if_any()

        submitted = _profile_submitted(data)
        submitted.update(interest_sectors=sectors, constraints=constraints, income_sources=incomes,
                         debt_amount=debt, preferred_region=region.code if region else "")
        if profile.version and submitted == current:
            return profile
        before = snapshot(profile)
        for name in PROFILE_FIELDS:
            if name != "preferred_region":
                setattr(profile, name, submitted[name])
        profile.preferred_region = region
        profile.version += 1
        profile.updated_by = actor
        profile.updated_at = clock.now()
        profile.save()
        profile.work_history.all().delete()
        WorkHistory.objects.bulk_create([WorkHistory(profile=profile, **asdict(w)) for w in data.work_history])
        profile.skills.all().delete()
        SkillRecord.objects.bulk_create([SkillRecord(profile=profile, **asdict(s)) for s in data.skills])
        ProfileRevision.objects.create(profile=profile, number=profile.version, snapshot=profile_document(profile),
                                       author=actor, created_at=profile.updated_at)
        # Work history and debts are recorded as changed without their values: they stay in the revision.
        history_record(actor=actor, instance=profile, action=UPDATE if before.get("updated_at") else CREATE,
                       before=before if before.get("updated_at") else None, case_id=case.pk,
                       redact=frozenset({"debt_amount", "debt_to_recruiter", "constraint_notes"}))
    return profile


# --- opportunities ------------------------------------------------------------------------------------------


OPPORTUNITY_FIELDS = [
    "kind", "status", "title", "description", "sector", "skills", "region", "online", "start_date", "end_date",
    "hours_per_week", "places_free", "min_age", "women_only", "childcare_available", "flexible_schedule",
    "documents_required", "certification", "cost", "stipend", "employer_name", "monthly_wage", "contract_type",
    "bpjs_registered", "accommodation", "abroad", "destination_country", "p3mi_licence", "worker_fee",
    "retains_documents", "support_type", "amount_max", "conditions",
]
AMOUNTS = ("cost", "stipend", "worker_fee", "amount_max", "places_free", "min_age")


def terms_of(opportunity: Opportunity) -> decent_work.Terms:
    return decent_work.Terms(
        region=opportunity.region_id or "", monthly_wage=opportunity.monthly_wage,
        contract_type=opportunity.contract_type, employer_name=opportunity.employer_name or "",
        bpjs_registered=opportunity.bpjs_registered, worker_fee=opportunity.worker_fee, abroad=opportunity.abroad,
        destination_country=opportunity.destination_country, p3mi_licence=opportunity.p3mi_licence,
        retains_documents=opportunity.retains_documents, hours_per_week=opportunity.hours_per_week,
        accommodation=opportunity.accommodation, sector=opportunity.sector,
    )


def _validate_opportunity(values: dict[str, Any]) -> Errors:
    e = Errors()
    kind = values.get("kind")
    if kind not in OpportunityKind.values:
        e.add("kind", _("Choose a kind."))
    if values.get("status") not in OpportunityStatus.values:
        e.add("status", _("Choose a status."))
    if not str(values.get("title") or "").strip():
        e.add("title", _("This field is required."))
    if values.get("sector") not in Sector.values:
        e.add("sector", _("Choose a sector."))
    values["skills"] = _choices(e, "skills", list(values.get("skills") or []), sorted(skills.codes()))
    for name in AMOUNTS:
        values[name] = _not_negative(e, name, values.get(name))
    for name in ("monthly_wage", "hours_per_week"):
        if values.get(name) not in (None, ""):
            values[name] = _not_negative(e, name, values[name])
        else:
            values[name] = None
    region = _regency(e, "region", values.get("region"), required=not values.get("online") and not values.get("abroad"))
    values["region"] = region
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        e.add("end_date", _("The end is before the start."))
    if kind == OpportunityKind.TRAINING and values.get("status") == OpportunityStatus.OPEN \
            and values["places_free"] <= 0:
        e.add("places_free", _("A training programme with no places free cannot be open."))
    if kind == OpportunityKind.VACANCY:
        if values.get("contract_type") and values["contract_type"] not in ContractType.values:
            e.add("contract_type", _("Choose a contract."))
        if values.get("accommodation") not in Accommodation.values:
            e.add("accommodation", _("Choose an accommodation."))
    if kind == OpportunityKind.ENTERPRISE and values.get("support_type") not in SupportType.values:
        e.add("support_type", _("Choose the kind of support."))
    return e


def opportunity_save(*, actor: Any, opportunity: Opportunity | None, version: int | None,
                     values: dict[str, Any]) -> Opportunity:
    """Create (``opportunity=None``) or change an opportunity of the actor's organisation.

    A vacancy is opened only when it passes the decent-work check: a vacancy below the minimum wage,
    without a written contract, charging the worker a fee... is refused with every failed item, and
    can stay a draft. Each save of a vacancy records its check."""
    if not rules.may_publish(actor):
        raise NotAllowed(_("You may not publish opportunities."))
    values = {k: values.get(k) for k in OPPORTUNITY_FIELDS if k in values}
    with transaction.atomic():
        if opportunity is not None:
            opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk,
                                                                      organisation_id=actor.organisation_id)
            submitted = {k: (v.code if isinstance(v, Region) else v) for k, v in values.items()}
            version_check(opportunity, version, submitted=submitted,
                          current={k: (opportunity.region_id if k == "region" else getattr(opportunity, k))
                                   for k in submitted})
            merged = {k: (opportunity.region_id if k == "region" else getattr(opportunity, k))
                      for k in OPPORTUNITY_FIELDS}
            merged.update(values)
        else:
            defaults = Opportunity()
            merged = {k: getattr(defaults, k) if k != "region" else None for k in OPPORTUNITY_FIELDS}
            merged.update(values)
        e = _validate_opportunity(merged)
        e.raise_if_any()
        result = None
        if merged["kind"] == OpportunityKind.VACANCY:
            probe = Opportunity(**{k: merged[k] for k in OPPORTUNITY_FIELDS})
            result = decent_work.evaluate(terms_of(probe))
            if merged["status"] == OpportunityStatus.OPEN and not result.passed:
                raise ValidationError({"status": [
                    _("This vacancy fails the decent-work check and cannot be opened:"),
                    *[i.message for i in result.failures]]})
        now = clock.now()
        if opportunity is None:
            opportunity = Opportunity(organisation_id=actor.organisation_id, created_by=actor, created_at=now,
                                      updated_at=now, **{k: merged[k] for k in OPPORTUNITY_FIELDS})
            opportunity.save()
            history_record(actor=actor, instance=opportunity, action=CREATE)
        else:
            before = snapshot(opportunity)
            for k in OPPORTUNITY_FIELDS:
                setattr(opportunity, k, merged[k])
            opportunity.updated_at = now
            version_bump(opportunity)
            opportunity.save()
            history_record(actor=actor, instance=opportunity, action=UPDATE, before=before)
        if result is not None:
            _store_check(actor=actor, case=None, opportunity=opportunity, terms=terms_of(opportunity), result=result)
    return opportunity


# --- the decent-work check ----------------------------------------------------------------------------------


def _store_check(*, actor: Any, case: Case | None, opportunity: Opportunity | None, terms: decent_work.Terms,
                 result: decent_work.Result) -> DecentWorkCheck:
    check = DecentWorkCheck.objects.create(
        opportunity=opportunity, case=case, terms=terms.as_dict(), items=[i.as_dict() for i in result.items],
        warnings=result.warnings, status=CheckStatus.PASSED if result.passed else CheckStatus.FAILED,
        checked_by=actor, checked_at=clock.now(),
    )
    history_record(actor=actor, instance=check, action=CREATE, case_id=case.pk if case else None)
    return check


def decent_work_check_run(*, actor: Any, case: Case, terms: decent_work.Terms,
                          opportunity: Opportunity | None = None) -> DecentWorkCheck:
    """Check an offer's terms for one survivor (their intake's ILO indicators are the warning signs)."""
    _require_edit(actor, case)
    result = decent_work.evaluate(terms, survivor_ilo=list(case.ilo_indicators or []))
    with transaction.atomic():
        return _store_check(actor=actor, case=case, opportunity=opportunity, terms=terms, result=result)


def decent_work_override(*, actor: Any, check: DecentWorkCheck, reason: str) -> DecentWorkCheck:
    """A supervisor lets a failed check through for one survivor, with a recorded reason."""
    if check.case is None or not rules.may_override_check(actor, check.case):
        raise NotAllowed(_("Only a supervisor of the lead organisation may override the decent-work check."))
    e = Errors()
    if not (reason or "").strip():
        e.add("reason", _("Give the reason for the override."))
    e.raise_if_any()
    with transaction.atomic():
        locked = DecentWorkCheck.objects.select_for_update().get(pk=check.pk)
        if locked.status != CheckStatus.FAILED:
            raise ValidationError(_("Only a failed check can be overridden."))
        before = snapshot(locked)
        locked.status = CheckStatus.OVERRIDDEN
        locked.override_reason = reason.strip()
        locked.overridden_by = actor
        locked.overridden_at = clock.now()
        locked.save(update_fields=["status", "override_reason", "overridden_by", "overridden_at"])
        history_record(actor=actor, instance=locked, action=UPDATE, before=before, case_id=locked.case_id)
    return locked


def _check_for_proposal(e: Errors, *, case: Case, terms: decent_work.Terms, check_id: Any,
                        field_name: str) -> decent_work.Result | DecentWorkCheck:
    """The passing result for these terms, or the overridden check the caller names for them."""
    result = decent_work.evaluate(terms, survivor_ilo=list(case.ilo_indicators or []))
    if result.passed:
        return result
    if check_id not in (None, ""):
        check = DecentWorkCheck.objects.filter(pk=_pk(check_id), case_id=case.pk,
                                               status=CheckStatus.OVERRIDDEN).first()
        if check is not None and check.terms == terms.as_dict():
            return check
    e.add(field_name, _("The offer fails the decent-work check; a supervisor may override it with a reason:"))
    for item in result.failures:
        e.add(field_name, item.message)
    return result


# --- the survivor's choice ----------------------------------------------------------------------------------


def choice_record(*, actor: Any, case: Case, opportunity_id: Any, note: str, shown: list[dict[str, Any]],
                  check_id: Any = None) -> MatchChoice:
    """Record what the survivor chose from the suggestions shown, or that they chose none. Choosing
    a vacancy proposes it, so it must pass the decent-work check (or a supervisor's override)."""
    _require_edit(actor, case)
    e = Errors()
    opportunity = None
    if opportunity_id not in (None, ""):
        opportunity = rules.opportunities_visible_to(actor).filter(
            pk=_pk(opportunity_id), status=OpportunityStatus.OPEN).first()
        if opportunity is None:
            e.add("opportunity", _("Choose an open opportunity."))
    elif not (note or "").strip():
        e.add("note", _("When the survivor chooses none, record why, in their words."))
    checked: Any = None
    if opportunity is not None and opportunity.kind == OpportunityKind.VACANCY:
        checked = _check_for_proposal(e, case=case, terms=terms_of(opportunity), check_id=check_id,
                                      field_name="opportunity")
    e.raise_if_any()
    with transaction.atomic():
        check = checked if isinstance(checked, DecentWorkCheck) else None
        if isinstance(checked, decent_work.Result):
            check = _store_check(actor=actor, case=case, opportunity=opportunity, terms=terms_of(opportunity),  # type: ignore[arg-type]
                                 result=checked)
        choice = MatchChoice.objects.create(case=case, opportunity=opportunity, note=(note or "").strip(),
                                            shown=shown[:50], work_check=check, recorded_by=actor,
                                            recorded_at=clock.now())
        history_record(actor=actor, instance=choice, action=CREATE, case_id=case.pk)
    return choice


# --- training enrolment --------------------------------------------------------------------------------------


def _direct_consent(case: Case, organisation_id: Any, consent_id: Any, *, on: dt.date) -> ConsentRecord | None:
    """The survivor's consent in force that names the provider (a referral or data sharing, explicit
    consent, the latest version), the one chosen when ``consent_id`` is given."""
    found = (ConsentRecord.objects.filter(
        survivor_id=case.survivor_id, purpose__in=[ConsentRecord.Purpose.REFERRAL, ConsentRecord.Purpose.DATA_SHARING],
        lawful_basis=ConsentRecord.LawfulBasis.CONSENT, recipient_organisation_id=organisation_id,
        withdrawn_at=None, given_on__lte=on, superseded_by=None,
    ).filter(Q(expires_on=None) | Q(expires_on__gt=on)).order_by("-given_on", "-version"))
    if consent_id not in (None, ""):
        return next((c for c in found if str(c.pk) == str(consent_id)), None)
    return found.first()


def enrolment_create(*, actor: Any, case: Case, opportunity_id: Any, enrolled_on: dt.date | None,
                     goal_id: Any = None, direct: bool = False, consent_id: Any = None) -> Enrolment:
    """Enrol the survivor in a training programme. In another organisation's programme the provider
    must know the survivor through a referral of this case that it accepted, or, when the survivor
    enrolled directly (``direct``), through the survivor's consent naming it (access.livelihood)."""
    _require_edit(actor, case)
    e = Errors()
    opportunity = rules.opportunities_visible_to(actor).filter(
        pk=_pk(opportunity_id), kind=OpportunityKind.TRAINING,
        status=OpportunityStatus.OPEN).select_related("organisation").first()
    if opportunity is None:
        e.add("opportunity", _("Choose an open training programme."))
    if enrolled_on is None:
        e.add("enrolled_on", _("This field is required."))
    elif enrolled_on > clock.today():
        e.add("enrolled_on", _("This date is in the future."))
    goal = _goal(e, case, goal_id)
    if opportunity is not None and Enrolment.objects.filter(case=case, opportunity=opportunity).exists():
        e.add("opportunity", _("The survivor is already enrolled in this programme."))
    referral_id: Any = None
    consent: ConsentRecord | None = None
    if opportunity is not None and opportunity.organisation_id != case.lead_organisation_id:
        referral_id = rules.accepted_referral_id(case, opportunity.organisation_id)
        if referral_id is None and direct:
            consent = _direct_consent(case, opportunity.organisation_id, consent_id, on=clock.today())
            if consent is None:
                e.add("direct", _("No consent of the survivor in force names %(org)s: record the survivor's consent "
                                  "to a referral or to sharing data with it first.")
                      % {"org": opportunity.organisation.name})
        elif referral_id is None:
            e.add("opportunity", _("%(org)s has not accepted a referral of this survivor: send a referral from the "
                                   "suggestion and wait for the answer, or record that the survivor enrolled directly "
                                   "(with their consent).") % {"org": opportunity.organisation.name})
    e.raise_if_any()
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)  # type: ignore[union-attr]
        if locked.places_free <= 0:
            raise ValidationError({"opportunity": [_("This training programme has no places free.")]})
        Opportunity.objects.filter(pk=locked.pk).update(places_free=F("places_free") - 1)
        enrolment = Enrolment.objects.create(case=case, opportunity=locked, goal=goal,
                                             enrolled_on=cast(dt.date, enrolled_on), referral_id=referral_id,
                                             direct_consent=consent, recorded_by=actor)
        history_record(actor=actor, instance=enrolment, action=CREATE, case_id=case.pk)
    return enrolment


def enrolment_complete(*, actor: Any, enrolment: Enrolment, completed_on: dt.date | None, certificate: str = "",
                       dropped: bool = False) -> Enrolment:
    """The provider (or the case team) records completion, with the certificate, or dropping out."""
    if not rules.may_record_completion(actor, enrolment):
        raise NotAllowed(_("You may not record the result of this enrolment."))
    e = Errors()
    if completed_on is None:
        e.add("completed_on", _("This field is required."))
    elif completed_on < enrolment.enrolled_on:
        e.add("completed_on", _("The end is before the start."))
    elif completed_on > clock.today():
        e.add("completed_on", _("This date is in the future."))
    e.raise_if_any()
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.status != EnrolmentStatus.ENROLLED:
            raise ValidationError(_("This enrolment is already finished."))
        before = snapshot(locked)
        locked.status = EnrolmentStatus.DROPPED if dropped else EnrolmentStatus.COMPLETED
        locked.completed_on = completed_on
        locked.certificate = "" if dropped else (certificate or "").strip()
        locked.save(update_fields=["status", "completed_on", "certificate"])
        history_record(actor=actor, instance=locked, action=UPDATE, before=before, case_id=locked.case_id)
    return locked


# --- placement -------------------------------------------------------------------------------------------------


@dataclass
class PlacementInput:
    employer_name: str
    sector: str
    region: str
    started_on: dt.date | None
    monthly_wage: int | None
    hours_per_week: int | None
    contract_type: str
    bpjs_registered: bool = False
    worker_fee: int = 0
    retains_documents: bool = False
    accommodation: str = Accommodation.NONE
    opportunity_id: Any = None
    goal_id: Any = None
    check_id: Any = None

    def terms(self) -> decent_work.Terms:
        return decent_work.Terms(region=self.region or "", monthly_wage=self.monthly_wage,
                                 contract_type=self.contract_type, employer_name=self.employer_name or "",
                                 bpjs_registered=self.bpjs_registered, worker_fee=int(self.worker_fee or 0),
                                 retains_documents=self.retains_documents, hours_per_week=self.hours_per_week,
                                 accommodation=self.accommodation, sector=self.sector)


def placement_record(*, actor: Any, case: Case, data: PlacementInput) -> Placement:
    """A placement in work: its actual terms must pass the decent-work check, or carry a check a
    supervisor overrode for exactly these terms (``check_id``)."""
    _require_edit(actor, case)
    e = Errors()
    if not (data.employer_name or "").strip():
        e.add("employer_name", _("This field is required."))
    if data.sector not in Sector.values:
        e.add("sector", _("Choose a sector."))
    region = _regency(e, "region", data.region, required=True)
    if data.started_on is None:
        e.add("started_on", _("This field is required."))
    if data.monthly_wage is None:
        e.add("monthly_wage", _("This field is required."))
    else:
        _not_negative(e, "monthly_wage", data.monthly_wage)
    if data.hours_per_week is None:
        e.add("hours_per_week", _("This field is required."))
    _not_negative(e, "worker_fee", data.worker_fee)
    if data.contract_type not in ContractType.values:
        e.add("contract_type", _("Choose a contract."))
    goal = _goal(e, case, data.goal_id)
    opportunity = None
    if data.opportunity_id not in (None, ""):
        opportunity = rules.opportunities_visible_to(actor).filter(
            pk=_pk(data.opportunity_id),
            kind=OpportunityKind.VACANCY).first()
        if opportunity is None:
            e.add("opportunity", _("Choose a vacancy."))
    if e.errors:
        e.raise_if_any()
    checked = _check_for_proposal(e, case=case, terms=data.terms(), check_id=data.check_id, field_name="__all__")
    e.raise_if_any()
    with transaction.atomic():
        if isinstance(checked, DecentWorkCheck):
            check = checked
        else:
            check = _store_check(actor=actor, case=case, opportunity=opportunity, terms=data.terms(), result=checked)
        placement = Placement.objects.create(
            case=case, opportunity=opportunity, goal=goal, employer_name=data.employer_name.strip(),
            sector=data.sector, region=cast(Region, region), started_on=cast(dt.date, data.started_on),
            monthly_wage=cast(int, data.monthly_wage), hours_per_week=cast(int, data.hours_per_week), contract_type=data.contract_type, work_check=check, recorded_by=actor,
            recorded_at=clock.now(),
        )
        history_record(actor=actor, instance=placement, action=CREATE, case_id=case.pk)
    return placement


def placement_end(*, actor: Any, placement: Placement, ended_on: dt.date | None) -> Placement:
    _require_edit(actor, placement.case)
    e = Errors()
    if ended_on is None:
        e.add("ended_on", _("This field is required."))
    elif ended_on < placement.started_on:
        e.add("ended_on", _("The end is before the start."))
    e.raise_if_any()
    with transaction.atomic():
        locked = Placement.objects.select_for_update().get(pk=placement.pk)
        if locked.ended_on is not None:
            raise ValidationError(_("This placement has already ended."))
        before = snapshot(locked)
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on"])
        history_record(actor=actor, instance=locked, action=UPDATE, before=before, case_id=locked.case_id)
    return locked


# --- enterprise ------------------------------------------------------------------------------------------------


def enterprise_record(*, actor: Any, case: Case, business_type: str, sector: str, plan: str = "",
                      support_id: Any = None, support_amount: Any = 0, started_on: dt.date | None,
                      first_sales_on: dt.date | None = None, goal_id: Any = None) -> Enterprise:
    _require_edit(actor, case)
    e = Errors()
    if not (business_type or "").strip():
        e.add("business_type", _("This field is required."))
    if sector not in Sector.values:
        e.add("sector", _("Choose a sector."))
    amount = _not_negative(e, "support_amount", support_amount)
    if started_on is None:
        e.add("started_on", _("This field is required."))
    elif first_sales_on and first_sales_on < started_on:
        e.add("first_sales_on", _("The first sales are before the start."))
    support = None
    if support_id not in (None, ""):
        support = rules.opportunities_visible_to(actor).filter(
            pk=_pk(support_id), kind=OpportunityKind.ENTERPRISE).first()
        if support is None:
            e.add("support", _("Choose an enterprise support."))
    goal = _goal(e, case, goal_id)
    e.raise_if_any()
    with transaction.atomic():
        enterprise = Enterprise.objects.create(case=case, goal=goal, business_type=business_type.strip(),
                                               sector=sector, plan=plan or "", support=support,
                                               support_amount=amount, started_on=cast(dt.date, started_on),
                                               first_sales_on=first_sales_on, recorded_by=actor)
        history_record(actor=actor, instance=enterprise, action=CREATE, case_id=case.pk)
    return enterprise


def enterprise_update(*, actor: Any, enterprise: Enterprise, first_sales_on: dt.date | None,
                      closed_on: dt.date | None) -> Enterprise:
    _require_edit(actor, enterprise.case)
    e = Errors()
    for name, value in (("first_sales_on", first_sales_on), ("closed_on", closed_on)):
        if value and value < enterprise.started_on:
            e.add(name, _("This date is before the business started."))
        if value and value > clock.today():
            e.add(name, _("This date is in the future."))
    e.raise_if_any()
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        before = snapshot(locked)
        locked.first_sales_on = first_sales_on
        locked.closed_on = closed_on
        locked.save(update_fields=["first_sales_on", "closed_on"])
        history_record(actor=actor, instance=locked, action=UPDATE, before=before, case_id=locked.case_id)
    return locked


# --- income follow-up ------------------------------------------------------------------------------------------


def income_band(income: int, minimum: int) -> str:
    if income <= 0:
        return IncomeBand.NONE
    if income >= minimum:
        return IncomeBand.AT_OR_ABOVE
    return IncomeBand.BELOW_HALF if income * 2 < minimum else IncomeBand.BELOW


def income_follow_up_record(*, actor: Any, case: Case, months_after: Any, recorded_on: dt.date | None,
                            working: bool, monthly_income: Any, debt_change: str, decent_work: bool = False,
                            note: str = "") -> IncomeFollowUp:
    """Income at a follow-up visit, banded against the minimum wage where the survivor lives."""

    _require_edit(actor, case)
    e = Errors()
    try:
        months = int(months_after)
    except (TypeError, ValueError):
        months = -1
    if months not in conf.follow_up_months():
        e.add("months_after", _("Choose one of the follow-up visits."))
    if recorded_on is None:
        e.add("recorded_on", _("This field is required."))
    elif recorded_on > clock.today():
        e.add("recorded_on", _("This date is in the future."))
    elif recorded_on < case.identified_on:
        e.add("recorded_on", _("This date is before the case was identified (%(date)s).")
              % {"date": date_format(case.identified_on, "SHORT_DATE_FORMAT")})
    income = _not_negative(e, "monthly_income", monthly_income)
    if debt_change not in DebtChange.values:
        e.add("debt_change", _("Choose a value."))
    profile = EconomicProfile.objects.filter(case=case).only("preferred_region_id").first()
    where = (profile.preferred_region_id if profile else None) or case.survivor.origin_regency_id
    minimum = wages.minimum_wage(where)
    if minimum is None:
        e.add("__all__", _("No minimum wage is known for where the survivor lives: record the profile's preferred "
                           "place first."))
    if months in conf.follow_up_months() and IncomeFollowUp.objects.filter(case=case, months_after=months).exists():
        e.add("months_after", _("This follow-up visit is already recorded."))
    e.raise_if_any()
    with transaction.atomic():
        follow_up = IncomeFollowUp.objects.create(
            case=case, months_after=months, recorded_on=cast(dt.date, recorded_on), working=bool(working),
            decent_work=bool(decent_work and working), monthly_income=income, minimum_wage=cast(int, minimum),
            band=income_band(income, minimum or 0), debt_change=debt_change, note=note or "", recorded_by=actor,
        )
        history_record(actor=actor, instance=follow_up, action=CREATE, case_id=case.pk)
    return follow_up


# --- labour-market demand ---------------------------------------------------------------------------------------

DEMAND_COLUMNS = ("region", "sector", "period", "openings", "growth_percent")
PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


def labour_demand_import(*, actor: Any, text: str, source: str, source_date: dt.date | None) -> int:
    """Import published labour-market figures (CSV: region,sector,period,openings,growth_percent;
    docs/livelihood.md). Every row is validated first; one bad row refuses the whole file."""
    if not rules.may_import_demand(actor):
        raise NotAllowed(_("You may not import labour-market figures."))
    e = Errors()
    if not (source or "").strip():
        e.add("source", _("Name the source of the figures."))
    if source_date is None:
        e.add("source_date", _("This field is required."))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in DEMAND_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        e.add("file", _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
        e.raise_if_any()
    rows = list(reader)
    if not rows:
        e.add("file", _("The file has no rows."))
    regencies = set(Region.objects.filter(level=Region.Level.REGENCY, code__in={r.get("region", "") for r in rows})
                    .values_list("code", flat=True))
    parsed = []
    seen: set[tuple[str, str, str]] = set()
    for n, row in enumerate(rows, start=2):
        region, sector, period = (row.get("region") or "").strip(), (row.get("sector") or "").strip(), \
            (row.get("period") or "").strip()
        problems = []
        if region not in regencies:
            problems.append(_("unknown regency or city %(code)s") % {"code": region or "-"})
        if sector not in Sector.values:
            problems.append(_("unknown sector %(code)s") % {"code": sector or "-"})
        if not PERIOD.match(period):
            problems.append(_("the period must be YYYY or YYYY-MM"))
        openings: int | None = None
        growth: str | None = None
        raw_openings, raw_growth = (row.get("openings") or "").strip(), (row.get("growth_percent") or "").strip()
        if raw_openings:
            if raw_openings.isdigit():
                openings = int(raw_openings)
            else:
                problems.append(_("openings must be a whole number, not negative"))
        if raw_growth:
            try:
                growth = str(round(float(raw_growth), 2))
            except ValueError:
                problems.append(_("growth must be a number"))
        if openings is None and growth is None:
            problems.append(_("give openings or growth"))
        if (region, sector, period) in seen:
            problems.append(_("the same region, sector and period twice"))
        seen.add((region, sector, period))
        if problems:
            e.add("file", _("Row %(n)s: %(problems)s.") % {"n": n, "problems": "; ".join(problems)})
        else:
            parsed.append((region, sector, period, openings, growth))
    e.raise_if_any()
    now = clock.now()
    with transaction.atomic():
        for region, sector, period, openings, growth in parsed:
            LabourDemand.objects.update_or_create(
                region_id=region, sector=sector, period=period, source=source.strip(),
                defaults={"openings": openings, "growth_percent": growth, "source_date": source_date,
                          "imported_by": actor, "imported_at": now},
            )
        ChangeRecord.objects.create(actor=actor, model="livelihood.labourdemand", object_id=source.strip()[:64],
                                    action=CREATE, changes={"rows": [None, len(parsed)],
                                                            "source_date": [None, str(source_date)]})
    return len(parsed)


def shown_of(suggestions: list[Any]) -> list[dict[str, Any]]:
    """What was shown, as the choice keeps it (ids, scores, factors)."""
    return [json.loads(json.dumps(s.as_dict())) for s in suggestions]


__all__ = ["StaleVersion"]
