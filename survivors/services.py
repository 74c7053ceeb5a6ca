"""Every write to survivors, identities, guardians and consent. Each function validates all of
its input before it writes anything, runs in one transaction, and records the change history."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from accounts.models import Organisation, Role, User
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from cases.models import Case, CaseStatus, CaseStatusChange, CaseTeamMember
from core.choices import CHILD_AGE_BANDS, AgeBand, Channel, Sex, age_band_for
from core.concurrency import version_bump, version_check
from core.models import Region
from core.validation import Errors, not_in_future, region_at_level

from . import linkage
from .models import ConsentRecord, Guardian, Identity, Survivor
from .selectors import consent_is_superseded
from .signals import consent_withdrawn
from .validators import nik_check_consistent, nik_hash, nik_normalise, nik_parse, photo_validate


class DuplicateRegistration(ValidationError):
    """Invalid input that includes a same-NIK survivor whose case the actor may see: ``case_id``
    names that case, so the page and the API can link to it (never raised for a case outside the
    actor's scope, which changes nothing in the answer)."""

    def __init__(self, errors: dict[str, list[str]], *, case_id: Any) -> None:
        super().__init__(errors)
        self.case_id = case_id


# Crockford's base32 without look-alikes: a code can be read over the phone.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def survivor_code_new() -> str:
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"SNT-{body[:4]}-{body[4:]}"


# --- registration ------------------------------------------------------------------------------


@dataclass
class GuardianInput:
    full_name: str
    relationship: str
    phone: str = ""
    is_suspect: bool = False


@dataclass
class RegistrationInput:
    full_name: str
    sex: str
    identified_on: dt.date
    channel: str
    aliases: str = ""
    nik: str = ""
    birth_date: dt.date | None = None
    age_band: str = ""
    phone_numbers: str = ""
    address: str = ""
    photo: Any = None
    origin_province: str = ""
    origin_regency: str = ""
    nationality: str = "ID"
    identification_region: str = ""
    guardian: GuardianInput | None = None
    guardian_override_reason: str = ""
    lead_caseworker_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def survivor_register(*, actor: Any, data: RegistrationInput) -> Any:
    """Register a survivor found by the actor's organisation and open their case (status intake).

    Returns the new Case. Raises ValidationError (field -> messages) and writes nothing if any
    input is wrong.
    """

    if not policy.may_register_survivor(actor):
        raise ValidationError(_("You may not register survivors."))
    today = timezone.localdate()
    e = Errors()

    full_name = (data.full_name or "").strip()
    if not full_name:
        e.add("full_name", _("Enter the survivor's name (or the name they use)."))
    if data.sex not in Sex.values:
        e.add("sex", _("Choose a value from the list."))
    if data.channel not in Channel.values:
        e.add("channel", _("Choose a value from the list."))
    not_in_future(e, "identified_on", data.identified_on, today=today)
    not_in_future(e, "birth_date", data.birth_date, today=today)
    if data.birth_date and data.identified_on and data.birth_date > data.identified_on:
        e.add("birth_date", _("The date of birth is after the date of identification."))

    nik = nik_normalise(data.nik)
    if nik:
        parts = e.check("nik", nik_parse, nik, today=today)
        if parts is not None:
            e.check("nik", nik_check_consistent, parts, sex=data.sex, birth_date=data.birth_date)
            if data.nationality and data.nationality != "ID":
                e.add("nik", _("A NIK is issued only to Indonesian citizens; check the nationality."))

    province = region_at_level(e, "origin_province", data.origin_province, Region.Level.PROVINCE)
    regency = region_at_level(e, "origin_regency", data.origin_regency, Region.Level.REGENCY)
    if province and regency and regency.parent_id != province.code:
        e.add("origin_regency", _("This regency/city is not in the chosen province."))
    if regency and not province:
        province = Region.objects.get(code=regency.parent_id)
    ident_region = region_at_level(
        e, "identification_region", data.identification_region, Region.Level.PROVINCE, Region.Level.REGENCY,
        Region.Level.DISTRICT,
    )

    if data.birth_date:
        age_band = age_band_for(_age_on(data.birth_date, data.identified_on or today))
    elif data.age_band in AgeBand.values:
        age_band = data.age_band
    else:
        age_band = ""
        e.add("age_band", _("Enter the date of birth or choose an age band."))
    is_child = age_band in CHILD_AGE_BANDS

    if is_child:
        g = data.guardian
        override = (data.guardian_override_reason or "").strip()
        if g is None and not override:
            e.add(
                "guardian_name",
                _("A child needs a guardian, or a documented reason why no guardian can act (for example, the guardian is a suspect)."),
            )
    if data.guardian is not None:
        if not data.guardian.full_name.strip():
            e.add("guardian_name", _("Enter the guardian's name."))
        if data.guardian.relationship not in Guardian.Relationship.values:
            e.add("guardian_relationship", _("Choose a value from the list."))

    photo = photo_validate(e, data.photo)

    # The same person registered before (survivors.linkage): offered only when the actor may see
    # that case; a match outside the actor's scope changes nothing in this answer.
    probe = linkage.IdentityProbe(
        nik=nik if "nik" not in e.errors else "", full_name=full_name, birth_date=data.birth_date,
        province_code=province.code if province else "", regency_code=regency.code if regency else "",
    )
    duplicate = linkage.duplicate_check(actor=actor, probe=probe)
    if duplicate.in_scope_case_id is not None:
        e.add("nik", _("A survivor with this NIK is already registered in your caseload: %(code)s.")
              % {"code": duplicate.in_scope_code})

    lead = actor
    if data.lead_caseworker_id and data.lead_caseworker_id != actor.pk:

        lead = User.objects.filter(
            pk=data.lead_caseworker_id, organisation_id=actor.organisation_id, is_active=True,
            roles__role=Role.CASEWORKER,
        ).first()
        if lead is None:
            e.add("lead_caseworker", _("Choose a caseworker of your organisation."))
    elif not actor.has_role(Role.CASEWORKER):
        e.add("lead_caseworker", _("Choose the lead caseworker."))

    if e.errors and duplicate.in_scope_case_id is not None:
        raise DuplicateRegistration(e.errors, case_id=duplicate.in_scope_case_id)
    e.raise_if_any()

    with transaction.atomic():
        survivor = _survivor_create(
            actor=actor,
            sex=data.sex,
            age_band=age_band,
            is_child=is_child,
            province=province,
            regency=regency,
            nationality=data.nationality or "ID",
        )
        identity = Identity(
            survivor=survivor,
            full_name=full_name,
            aliases=data.aliases.strip(),
            nik=nik,
            nik_hash=nik_hash(nik) if nik else "",
            birth_date=data.birth_date.isoformat() if data.birth_date else "",
            phone_numbers=data.phone_numbers.strip(),
            address=data.address.strip(),
            photo=photo[0] if photo else None,
            photo_content_type=photo[1] if photo else "",
            **linkage.identity_keys(probe),
        )
        identity.save(force_insert=True)
        history_record(actor=actor, instance=identity, action=ChangeRecord.Action.CREATE)
        case = Case(
            survivor=survivor,
            lead_organisation_id=actor.organisation_id,
            lead_caseworker=lead,
            identified_on=data.identified_on,
            channel=data.channel,
            identification_region=ident_region,
            status=CaseStatus.INTAKE,
        )
        case.save(force_insert=True)
        history_record(actor=actor, instance=case, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        member = CaseTeamMember.objects.create(case=case, user=lead, added_by=actor)
        history_record(actor=actor, instance=member, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        CaseStatusChange.objects.create(
            case=case, from_status="", to_status=CaseStatus.INTAKE, reason=_("Survivor registered"), changed_by=actor
        )
        if data.guardian is not None:
            guardian = Guardian.objects.create(
                survivor=survivor,
                full_name=data.guardian.full_name.strip(),
                relationship=data.guardian.relationship,
                phone=data.guardian.phone.strip(),
                is_suspect=data.guardian.is_suspect,
            )
            history_record(actor=actor, instance=guardian, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        if is_child and data.guardian_override_reason.strip():
            # The override is itself a record: who decided, when, why (kept in the history).
            ChangeRecord.objects.create(
                actor=actor, model="survivors.guardianoverride", object_id=str(survivor.pk),
                action=ChangeRecord.Action.CREATE,
                changes={"reason": [None, data.guardian_override_reason.strip()]}, case_id=case.pk,
            )
    # Committed: whatever the match leads to happens now, never in the answer (survivors.linkage).
    duplicate.registered(survivor_id=survivor.pk, case_id=case.pk, actor=actor)
    return case


def _survivor_create(*, actor: Any, sex: str, age_band: str, is_child: bool, province: Region | None,
                     regency: Region | None, nationality: str) -> Survivor:
    for _attempt in range(5):
        survivor = Survivor(
            code=survivor_code_new(),
            sex=sex,
            age_band=age_band,
            is_child_at_identification=is_child,
            origin_province=province,
            origin_regency=regency,
            nationality=nationality,
            registered_by_organisation_id=actor.organisation_id,
        )
        try:
            with transaction.atomic():
                survivor.save(force_insert=True)
        except IntegrityError:
            continue  # a code collision (1 in 30^8): draw again
        history_record(actor=actor, instance=survivor, action=ChangeRecord.Action.CREATE)
        return survivor
    raise RuntimeError("could not draw a unique survivor code")


# --- identity ----------------------------------------------------------------------------------


IDENTITY_TEXT_FIELDS = ("full_name", "aliases", "nik", "birth_date", "phone_numbers", "address")


@transaction.atomic
def identity_update(*, actor: Any, case: Any, values: dict[str, Any], photo: Any = None,
                    remove_photo: bool = False, version: int | None = None) -> Identity:
    """Change identity fields. The caller has checked ``policy.can(actor, EDIT_IDENTITY, case)``.

    ``version``: the identity's version the change is based on; raises ``StaleVersion`` (nothing
    written) when someone saved the identity since (``core.concurrency``).
    """
    if not policy.can(actor, policy.Action.EDIT_IDENTITY, case):
        raise ValidationError(_("You may not change this identity."))
    survivor = case.survivor
    identity = Identity.objects.select_for_update().get(survivor=survivor)
    submitted = {name: values[name] for name in IDENTITY_TEXT_FIELDS if name in values}
    if photo is not None or remove_photo:
        submitted["photo"] = "new" if photo is not None else None
    version_check(identity, version, submitted=submitted, current={
        **{name: getattr(identity, name) for name in IDENTITY_TEXT_FIELDS if name in submitted},
        **({"photo": "present" if identity.photo else None} if "photo" in submitted else {}),
    })
    today = timezone.localdate()
    e = Errors()
    full_name = str(values.get("full_name", identity.full_name) or "").strip()
    if not full_name:
        e.add("full_name", _("Enter the survivor's name (or the name they use)."))
    birth_date: dt.date | None = values.get("birth_date") if "birth_date" in values else (
        dt.date.fromisoformat(identity.birth_date) if identity.birth_date else None
    )
    not_in_future(e, "birth_date", birth_date, today=today)
    if birth_date and case.exploitation_started_on and case.exploitation_started_on < birth_date:
        e.add("birth_date", _("The exploitation began before this date of birth."))
    nik = nik_normalise(str(values.get("nik", identity.nik) or ""))
    if nik and nik != identity.nik:
        parts = e.check("nik", nik_parse, nik, today=today)
        if parts is not None:
            e.check("nik", nik_check_consistent, parts, sex=survivor.sex, birth_date=birth_date)
    new_photo = photo_validate(e, photo)
    # As at registration (survivors.linkage): a same-NIK case is named only within the actor's scope.
    probe = linkage.IdentityProbe(
        nik=nik if nik != identity.nik and "nik" not in e.errors else "", full_name=full_name, birth_date=birth_date,
        province_code=survivor.origin_province_id or "", regency_code=survivor.origin_regency_id or "",
    )
    duplicate = linkage.duplicate_check(actor=actor, probe=probe, exclude_survivor_id=survivor.pk)
    if duplicate.in_scope_case_id is not None:
        e.add("nik", _("A survivor with this NIK is already registered in your caseload: %(code)s.")
              % {"code": duplicate.in_scope_code})
    e.raise_if_any()

    before = snapshot(identity)
    identity.full_name = full_name
    identity.aliases = str(values.get("aliases", identity.aliases) or "").strip()
    identity.nik = nik
    identity.nik_hash = nik_hash(nik) if nik else ""
    identity.birth_date = birth_date.isoformat() if birth_date else ""
    identity.phone_numbers = str(values.get("phone_numbers", identity.phone_numbers) or "").strip()
    identity.address = str(values.get("address", identity.address) or "").strip()
    if new_photo:
        identity.photo, identity.photo_content_type = new_photo
    elif remove_photo:
        identity.photo, identity.photo_content_type = None, ""
    probe = linkage.IdentityProbe(
        nik=nik, full_name=full_name, birth_date=birth_date,
        province_code=survivor.origin_province_id or "", regency_code=survivor.origin_regency_id or "",
    )
    for column, value in linkage.identity_keys(probe).items():
        setattr(identity, column, value)
    version_bump(identity)
    identity.save()
    duplicate.registered(survivor_id=survivor.pk, case_id=case.pk, actor=actor)
    history_record(actor=actor, instance=identity, action=ChangeRecord.Action.UPDATE, before=before,
                   case_id=case.pk)
    if birth_date:
        s_before = snapshot(survivor)
        survivor.age_band = age_band_for(_age_on(birth_date, case.identified_on))
        survivor.is_child_at_identification = survivor.age_band in CHILD_AGE_BANDS
        survivor.save(update_fields=["age_band", "is_child_at_identification"])
        history_record(actor=actor, instance=survivor, action=ChangeRecord.Action.UPDATE, before=s_before,
                       case_id=case.pk)
    return identity


# --- guardians ---------------------------------------------------------------------------------


def guardian_add(*, actor: Any, case: Any, full_name: str, relationship: str, phone: str = "",
                 is_suspect: bool = False) -> Guardian:
    if not policy.can(actor, policy.Action.EDIT_IDENTITY, case):
        raise ValidationError(_("You may not change this case."))
    e = Errors()
    if not full_name.strip():
        e.add("full_name", _("Enter the guardian's name."))
    if relationship not in Guardian.Relationship.values:
        e.add("relationship", _("Choose a value from the list."))
    e.raise_if_any()
    with transaction.atomic():
        guardian = Guardian.objects.create(
            survivor=case.survivor, full_name=full_name.strip(), relationship=relationship,
            phone=phone.strip(), is_suspect=is_suspect,
        )
        history_record(actor=actor, instance=guardian, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return guardian


# --- consent -----------------------------------------------------------------------------------


@dataclass
class ConsentInput:
    purpose: str
    lawful_basis: str
    given_by: str
    given_on: dt.date
    scope: str = ""
    recipient_organisation_id: int | None = None
    guardian_id: Any = None
    basis_reason: str = ""
    expires_on: dt.date | None = None


def _consent_validate(case: Any, data: ConsentInput) -> Errors:
    today = timezone.localdate()
    e = Errors()
    survivor = case.survivor
    if data.purpose not in ConsentRecord.Purpose.values:
        e.add("purpose", _("Choose a value from the list."))
    if data.lawful_basis not in ConsentRecord.LawfulBasis.values:
        e.add("lawful_basis", _("Choose a value from the list."))
    if data.given_by not in ConsentRecord.GivenBy.values:
        e.add("given_by", _("Choose a value from the list."))
    not_in_future(e, "given_on", data.given_on, today=today)
    if data.expires_on and data.given_on and data.expires_on <= data.given_on:
        e.add("expires_on", _("The expiry date must be after the date it was given."))
    if data.recipient_organisation_id:

        if not Organisation.objects.filter(pk=data.recipient_organisation_id, is_active=True).exists():
            e.add("recipient_organisation", _("Choose an organisation from the list."))
    if data.lawful_basis == ConsentRecord.LawfulBasis.CONSENT:
        if data.given_by == ConsentRecord.GivenBy.NOT_APPLICABLE:
            e.add("given_by", _("Say who gave the consent."))
        if survivor.is_child_at_identification and data.given_by == ConsentRecord.GivenBy.SURVIVOR:
            e.add("given_by", _("For a child, consent is given by a guardian, or by a documented override."))
        if data.given_by == ConsentRecord.GivenBy.GUARDIAN:
            guardian = Guardian.objects.filter(pk=data.guardian_id, survivor=survivor).first() if data.guardian_id else None
            if guardian is None:
                e.add("guardian", _("Choose the guardian who gave consent."))
            elif guardian.is_suspect:
                e.add("guardian", _("A guardian suspected of involvement cannot give consent; record an override."))
        if data.given_by == ConsentRecord.GivenBy.OVERRIDE and not data.basis_reason.strip():
            e.add("basis_reason", _("Document why the guardian cannot give consent."))
    else:
        if not data.basis_reason.strip():
            e.add("basis_reason", _("Give the legal provision or reason for this basis."))
    return e


def consent_record(*, actor: Any, case: Any, data: ConsentInput, supersedes: ConsentRecord | None = None) -> ConsentRecord:
    """Record a consent or lawful basis; with ``supersedes``, a new version of an earlier record."""
    if not policy.can(actor, policy.Action.EDIT, case):
        raise ValidationError(_("You may not change this case."))
    e = _consent_validate(case, data)
    if supersedes is not None and (supersedes.survivor_id != case.survivor_id or consent_is_superseded(supersedes)):
        e.add("__all__", _("Only the latest version of a consent record can be changed."))
    e.raise_if_any()
    with transaction.atomic():
        record = ConsentRecord.objects.create(
            survivor=case.survivor,
            purpose=data.purpose,
            recipient_organisation_id=data.recipient_organisation_id,
            scope=data.scope.strip(),
            lawful_basis=data.lawful_basis,
            given_by=data.given_by if data.lawful_basis == ConsentRecord.LawfulBasis.CONSENT
            else ConsentRecord.GivenBy.NOT_APPLICABLE,
            guardian_id=data.guardian_id if data.given_by == ConsentRecord.GivenBy.GUARDIAN else None,
            basis_reason=data.basis_reason.strip(),
            given_on=data.given_on,
            expires_on=data.expires_on,
            version=(supersedes.version + 1) if supersedes else 1,
            supersedes=supersedes,
            recorded_by=actor,
        )
        history_record(actor=actor, instance=record, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return record


def consent_withdraw(*, actor: Any, case: Any, record: ConsentRecord, reason: str) -> ConsentRecord:
    """Withdrawal (UU 27/2022 Pasal 9): recorded with its reason; the record itself stays."""
    if not policy.can(actor, policy.Action.EDIT, case):
        raise ValidationError(_("You may not change this case."))
    e = Errors()
    if record.survivor_id != case.survivor_id:
        e.add("__all__", _("This consent record does not belong to this case."))
    if record.withdrawn_at is not None:
        e.add("__all__", _("This consent was already withdrawn."))
    if not reason.strip():
        e.add("reason", _("Record the reason for the withdrawal."))
    e.raise_if_any()
    with transaction.atomic():
        locked = ConsentRecord.objects.select_for_update().get(pk=record.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError({"__all__": [_("This consent was already withdrawn.")]})
        before = snapshot(locked)
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason.strip()
        locked.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=case.pk)
        consent_withdrawn.send(sender=ConsentRecord, record=locked, actor=actor, case=case)
    return locked
