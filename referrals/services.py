"""Every write about referrals: sending, the partner's answer, progress, outcome, revocation,
expiry and escalation. Each function validates all of its input before it writes anything, runs
in one transaction, and records the change history.

Who does what:
the rules are in ``access.referrals`` (the sender's side: the case's people who may change it; the
recipient's side: every person with a case role in the recipient organisation, never with access
to the case, only to the packet while it is open).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from access import policy
from access import referrals as referral_access
from access.legal import LegalAction, legal_can
from access.policy import Action
from accounts.models import CASE_ROLES, Organisation, Role, User
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from care.models import OrganisationService, Service, ServiceDelivery
from cases.models import Alert, Case, CaseStatus
from cases.selectors import service_regions
from cases.services import alert_raise
from core import clock
from core.notify import link_mail_on_commit
from core.validation import Errors
from core.workdays import is_working_day
from partners.models import PartnerProfile
from partners.selectors import serves_region
from plans.models import Goal
from survivors.models import ConsentRecord

from . import conf
from .models import Referral, ReferralRead
from .packet import FIELDS, FREE_TEXT_MAX, record_value, templates

REASON_MAX = 2000

def add_working_days(start: dt.datetime, days: int, tz: ZoneInfo) -> dt.datetime:
    """``days`` working days (Monday to Friday, minus ``SINTAS_PUBLIC_HOLIDAYS``: see
    ``core.workdays``) after ``start``, at the same local time. Sent on a day off, the count starts
    at the beginning of the next working day."""
    local = start.astimezone(tz)
    if not is_working_day(local.date()):
        while not is_working_day(local.date()):
            local += dt.timedelta(days=1)
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
    added = 0
    while added < days:
        local += dt.timedelta(days=1)
        if is_working_day(local.date()):
            added += 1
    return local


# --- consent -----------------------------------------------------------------------------------


def consents_covering(case: Case, recipient_id: Any, *, on: dt.date) -> list[ConsentRecord]:
    """Consent records of the survivor, in force on ``on``, for a referral or data sharing,
    naming this recipient organisation; the latest version of each only."""
    return list(
        ConsentRecord.objects.filter(
            survivor_id=case.survivor_id, purpose__in=[ConsentRecord.Purpose.REFERRAL,
                                                       ConsentRecord.Purpose.DATA_SHARING],
            lawful_basis=ConsentRecord.LawfulBasis.CONSENT, recipient_organisation_id=recipient_id,
            withdrawn_at=None, given_on__lte=on,
        ).filter(Q(expires_on=None) | Q(expires_on__gt=on)).filter(superseded_by=None).order_by("-given_on", "-version")
    )


# --- sending ---------------------------------------------------------------------------------------


@dataclass
class ReferralInput:
    recipient_organisation_id: Any
    service: str
    service_region: str = ""
    template: str = ""
    fields: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # referral.* free-text values
    lawful_basis: str = Referral.Basis.CONSENT
    consent_id: Any = None
    basis_reason: str = ""
    goal_id: Any = None


def _tz(case: Case) -> ZoneInfo:
    return ZoneInfo(case.lead_organisation.time_zone)


def referral_send(*, actor: Any, case: Case, data: ReferralInput) -> Referral:
    """Send a referral with its packet (a snapshot of the chosen fields, taken now)."""
    if not referral_access.may_send(actor, case):
        raise ValidationError(_("You may not refer this case."))
    now = clock.now()
    today = now.astimezone(_tz(case)).date()
    e = Errors()
    if case.status == CaseStatus.CLOSED:
        e.add("__all__", _("A closed case cannot be changed; reopen it first."))

    recipient = None
    profile = None
    rid = str(data.recipient_organisation_id or "")
    if rid.isdigit():
        recipient = Organisation.objects.filter(pk=int(rid), is_active=True).first()
        profile = PartnerProfile.objects.filter(organisation=recipient, is_listed=True).first() if recipient else None
    if recipient is None or profile is None:
        e.add("recipient_organisation", _("Choose an organisation from the partner directory."))
        recipient = None
    elif recipient.pk == case.lead_organisation_id:
        e.add("recipient_organisation", _("A referral goes to another organisation, not your own."))
    elif not profile.accepting_referrals:
        e.add("recipient_organisation", _("%(org)s is not accepting referrals at the moment.") % {"org": recipient.name})

    service = Service.objects.filter(code=data.service or "", is_active=True).first()
    if service is None:
        e.add("service", _("Choose a service from the catalogue."))
    elif recipient is not None and not OrganisationService.objects.filter(
            organisation=recipient, service=service).exists():
        e.add("service", _("%(org)s does not offer this service (%(service)s).")
              % {"org": recipient.name, "service": service.name})

    allowed_regions = {r.code: r for r in service_regions(case)}
    region = allowed_regions.get(data.service_region or "") if data.service_region else (
        next(iter(allowed_regions.values()), None))
    if not allowed_regions:
        e.add("service_region", _("Record where the case was identified or where the survivor comes from first."))
    elif region is None:
        e.add("service_region", _("Choose where the case was identified or where the survivor comes from."))
    elif recipient is not None and profile is not None and not serves_region(profile, region.code):
        e.add("service_region", _("%(org)s does not serve %(region)s.") % {"org": recipient.name, "region": region.name})

    survivor = case.survivor
    if profile is not None and recipient is not None:
        refusals = []
        if survivor.is_child_at_identification and not profile.serves_children:
            refusals.append(_("children"))
        if survivor.sex == "female" and not profile.serves_women:
            refusals.append(_("women"))
        if survivor.sex == "male" and not profile.serves_men:
            refusals.append(_("men"))
        if str(survivor.nationality) != "ID" and not profile.serves_foreign_nationals:
            refusals.append(_("foreign nationals"))
        if refusals:
            e.add("recipient_organisation", _("%(org)s does not serve %(who)s.")
                  % {"org": recipient.name, "who": ", ".join(str(r) for r in refusals)})

    goal = None
    if data.goal_id not in (None, ""):

        gid = str(data.goal_id)
        goal = Goal.objects.filter(pk=int(gid), plan__case_id=case.pk).first() if gid.isdigit() else None
        if goal is None:
            e.add("goal", _("Choose a goal of this case's rehabilitation plan."))

    template = templates().get(data.template or "")
    chosen = list(dict.fromkeys(data.fields or []))
    if template is None:
        e.add("template", _("Choose a packet template."))
    else:
        outside = [k for k in chosen if k not in template.fields]
        if outside:
            e.add("fields", _("These fields are not part of the template: %(keys)s.") % {"keys": ", ".join(outside)})
        if not chosen:
            e.add("fields", _("Choose at least one field to share."))
    if any(FIELDS[k].is_identity for k in chosen if k in FIELDS) and not policy.can(actor, Action.VIEW_IDENTITY, case):
        e.add("fields", _("Only the case team may share identity fields."))
    if any(k.startswith("legal.") for k in chosen):
        if not legal_can(actor, LegalAction.VIEW, case):
            e.add("fields", _("Only the case team and legal officers may share legal data."))
    texts: dict[str, str] = {}
    for key in chosen:
        if key in FIELDS and FIELDS[key].is_text:
            text = (data.texts.get(key) or "").strip()
            if not text:
                e.add(key, _("Write the text to share, or untick the field."))
            elif len(text) > FREE_TEXT_MAX:
                e.add(key, _("At most %(n)s characters.") % {"n": FREE_TEXT_MAX})
            texts[key] = text

    consent = None
    reason = (data.basis_reason or "").strip()
    if data.lawful_basis not in Referral.Basis.values:
        e.add("lawful_basis", _("Choose a value from the list."))
    elif data.lawful_basis == Referral.Basis.CONSENT:
        if recipient is not None:
            covering = consents_covering(case, recipient.pk, on=today)
            if data.consent_id:
                consent = next((c for c in covering if str(c.pk) == str(data.consent_id)), None)
            else:
                consent = covering[0] if covering else None
            if consent is None:
                e.add("lawful_basis", _(
                    "No consent of the survivor in force covers a referral to %(org)s. Record the consent first "
                    "(purpose: referral to a partner; recipient: %(org)s), or give another lawful basis with "
                    "its reason.") % {"org": recipient.name})
    elif not reason:
        e.add("basis_reason", _("Give the legal provision or reason for this basis."))
    elif len(reason) > REASON_MAX:
        e.add("basis_reason", _("At most %(n)s characters.") % {"n": REASON_MAX})

    if recipient is not None and service is not None and Referral.objects.filter(
            case=case, recipient_organisation=recipient, service=service, status__in=Referral.ACTIVE).exists():
        e.add("__all__", _("This case already has an active referral to %(org)s for this service.")
              % {"org": recipient.name})
    e.raise_if_any()
    assert recipient is not None and service is not None and region is not None and template is not None

    values: dict[str, Any] = {}
    for key in chosen:
        values[key] = texts[key] if FIELDS[key].is_text else record_value(key, case)
    expires_at = None
    if consent is not None and consent.expires_on:
        expires_at = dt.datetime.combine(consent.expires_on, dt.time(0, 0), tzinfo=_tz(case))
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case, sender_organisation_id=case.lead_organisation_id, sent_by=actor,
            recipient_organisation=recipient, service=service, goal=goal, service_region=region,
            template=template.code, lawful_basis=data.lawful_basis, consent=consent,
            basis_reason=reason if data.lawful_basis != Referral.Basis.CONSENT else "",
            packet_fields=chosen, packet_values=json.dumps(values, default=str, ensure_ascii=False),
            status=Referral.Status.SENT, sent_at=now,
            respond_by=add_working_days(now, conf.response_working_days(), _tz(case)),
            expires_at=expires_at, last_event_at=now,
        )
        history_record(actor=actor, instance=referral, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        _notify_recipient(referral, kind="new")
    return referral


# --- the partner's side ------------------------------------------------------------------------------


def _locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("case", "recipient_organisation").get(pk=referral.pk)


def _closed_message(referral: Referral, now: dt.datetime) -> str | None:
    """Why the referral can no longer be worked on, or None."""
    if referral.status == Referral.Status.REVOKED:
        return _("The sender revoked this referral; it can no longer be answered or worked on.")
    if referral.status == Referral.Status.EXPIRED or (referral.is_active and not referral_access.access_open(referral, now)):
        return _("This referral has expired; it can no longer be answered or worked on.")
    if referral.status == Referral.Status.COMPLETED:
        return _("This referral is completed.")
    if referral.status == Referral.Status.DECLINED:
        return _("This referral was declined.")
    return None


def _recipient_transition(actor: Any, referral: Referral, *, allowed: tuple[str, ...], wrong_state: str) -> Referral:
    if not referral_access.is_recipient(actor, referral):
        raise ValidationError(_("Only the organisation the referral was sent to can do this."))
    now = clock.now()
    locked = _locked(referral)
    closed = _closed_message(locked, now)
    if closed:
        raise ValidationError(closed)
    if locked.status not in allowed:
        raise ValidationError(wrong_state)
    return locked


def referral_accept(*, actor: Any, referral: Referral) -> Referral:
    with transaction.atomic():
        locked = _recipient_transition(actor, referral, allowed=(Referral.Status.SENT,),
                                       wrong_state=_("This referral was already accepted."))
        before = snapshot(locked)
        locked.status = Referral.Status.ACCEPTED
        locked.responded_at = clock.now()
        locked.responded_by = actor
        locked.save()
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.case_id)
        _notify_sender(locked)
    return locked


def referral_decline(*, actor: Any, referral: Referral, reason: str) -> Referral:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for declining.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("At most %(n)s characters.") % {"n": REASON_MAX}]})
    with transaction.atomic():
        locked = _recipient_transition(actor, referral, allowed=(Referral.Status.SENT,),
                                       wrong_state=_("This referral was already accepted; it can no longer be "
                                                     "declined."))
        before = snapshot(locked)
        locked.status = Referral.Status.DECLINED
        locked.responded_at = clock.now()
        locked.responded_by = actor
        locked.decline_reason = reason
        locked.save()
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.case_id)
        _notify_sender(locked)
    return locked


def referral_start(*, actor: Any, referral: Referral) -> Referral:
    with transaction.atomic():
        locked = _recipient_transition(actor, referral, allowed=(Referral.Status.ACCEPTED,),
                                       wrong_state=_("Accept the referral first; work can start only once."))
        before = snapshot(locked)
        locked.status = Referral.Status.IN_PROGRESS
        locked.started_at = clock.now()
        locked.save()
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.case_id)
    return locked


def referral_complete(*, actor: Any, referral: Referral, outcome_report: str,
                      delivered_on: dt.date | None) -> Referral:
    """The partner's outcome report. It becomes a recorded service delivery in the case (of the
    partner organisation, by the reporting person), and the partner's access ends."""
    if not referral_access.is_recipient(actor, referral):
        raise ValidationError(_("Only the organisation the referral was sent to can report its outcome."))
    case = Case.objects.select_related("lead_organisation").get(pk=referral.case_id)
    today = clock.now().astimezone(_tz(case)).date()
    e = Errors()
    report = (outcome_report or "").strip()
    if not report:
        e.add("outcome_report", _("Write the outcome report."))
    elif len(report) > 5000:
        e.add("outcome_report", _("At most %(n)s characters.") % {"n": 5000})
    if delivered_on is None:
        e.add("delivered_on", _("This field is required."))
    elif not isinstance(delivered_on, dt.date):
        e.add("delivered_on", _("Enter a valid date."))
    else:
        if delivered_on > today:
            e.add("delivered_on", _("This date is in the future."))
        if delivered_on < referral.sent_at.astimezone(_tz(case)).date():
            e.add("delivered_on", _("This date is before the referral was sent."))
    e.raise_if_any()
    with transaction.atomic():
        locked = _recipient_transition(actor, referral,
                                       allowed=(Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS),
                                       wrong_state=_("Accept the referral before reporting its outcome."))
        now = clock.now()
        # Not care.services.delivery_save: that records deliveries of the case's lead organisation by
        # its own case team; this one is the partner's, who has no access to the case.
        delivery = ServiceDelivery.objects.create(
            case_id=locked.case_id, service_id=locked.service_id, organisation_id=locked.recipient_organisation_id,
            delivered_by=actor, created_by=actor, goal_id=locked.goal_id, delivered_on=delivered_on,
            outcome_note=report, status=ServiceDelivery.Status.RECORDED, recorded_at=now,
        )
        history_record(actor=actor, instance=delivery, action=ChangeRecord.Action.CREATE, case_id=locked.case_id)
        before = snapshot(locked)
        locked.status = Referral.Status.COMPLETED
        locked.completed_at = now
        locked.completed_by = actor
        locked.outcome_report = report
        locked.outcome_delivery = delivery
        if locked.started_at is None:
            locked.started_at = now
        locked.save()
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.case_id)
        _notify_sender(locked)
    return locked


# --- the sender's side ----------------------------------------------------------------------------------


def _revoke(locked: Referral, *, actor: Any, reason: str, now: dt.datetime) -> None:
    before = snapshot(locked)
    locked.status = Referral.Status.REVOKED
    locked.revoked_at = now
    locked.revoked_by = actor
    locked.revoke_reason = reason
    locked.last_event_at = now
    locked.save()
    history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                   case_id=locked.case_id)
    _notify_recipient(locked, kind="revoked")


def referral_revoke(*, actor: Any, referral: Referral, reason: str) -> Referral:
    case = Case.objects.select_related("lead_organisation").get(pk=referral.case_id)
    if not referral_access.may_send(actor, case):
        raise ValidationError(_("You may not revoke this referral."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for revoking.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("At most %(n)s characters.") % {"n": REASON_MAX}]})
    with transaction.atomic():
        locked = _locked(referral)
        if not locked.is_active:
            raise ValidationError(_("Only an active referral can be revoked (this one is %(status)s).")
                                  % {"status": locked.get_status_display()})
        _revoke(locked, actor=actor, reason=reason, now=clock.now())
    return locked


def referrals_revoke_for_consent(*, record: ConsentRecord, actor: Any) -> int:
    """Consent withdrawn: every active referral it covered is revoked (in the caller's transaction)."""
    now = clock.now()
    count = 0
    for locked in Referral.objects.select_for_update().filter(consent=record, status__in=Referral.ACTIVE):
        _revoke(locked, actor=actor, reason=_("The survivor withdrew the consent this referral relied on."), now=now)
        count += 1
    return count


def on_consent_withdrawn(sender: Any, *, record: ConsentRecord, actor: Any = None, **kwargs: Any) -> None:
    """Receiver of ``survivors.signals.consent_withdrawn``."""
    with translation.override(settings.LANGUAGE_CODE):
        referrals_revoke_for_consent(record=record, actor=actor)


# --- expiry and escalation -------------------------------------------------------------------------------

BATCH = 500


def _supervisors(org_ids: set[Any]) -> dict[Any, list[User]]:
    found: dict[Any, list[User]] = {}
    for user in User.objects.filter(organisation_id__in=org_ids, is_active=True, roles__role=Role.SUPERVISOR).distinct():
        found.setdefault(user.organisation_id, []).append(user)
    return found


def referrals_expire(now: dt.datetime | None = None) -> int:
    """Mark as expired every active referral past its end (consent expiry, or unanswered too long)."""
    now = now or clock.now()
    unanswered = now - dt.timedelta(days=conf.unanswered_expiry_days())
    due = Referral.objects.filter(status__in=Referral.ACTIVE).filter(
        Q(expires_at__lte=now) | Q(status=Referral.Status.SENT, sent_at__lte=unanswered))
    count = 0
    for pk in list(due.values_list("pk", flat=True)[:BATCH * 20]):
        with transaction.atomic():
            locked = Referral.objects.select_for_update().filter(pk=pk, status__in=Referral.ACTIVE).first()
            if locked is None:
                continue
            before = snapshot(locked)
            locked.status = Referral.Status.EXPIRED
            locked.expired_at = now
            locked.last_event_at = now
            locked.save()
            history_record(actor=None, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                           case_id=locked.case_id)
            count += 1
    return count


def referrals_escalate(now: dt.datetime | None = None) -> int:
    """Alert the sender and the sender organisation's supervisors of each referral not answered
    within the response time limit, once per referral. Safe to run from two workers at once."""
    now = now or clock.now()
    overdue = list(
        Referral.objects.filter(status=Referral.Status.SENT, respond_by__lte=now, escalated_at=None)
        .select_related("case__lead_organisation", "sent_by", "recipient_organisation", "service")[:BATCH]
    )
    if not overdue:
        return 0
    supervisors = _supervisors({r.sender_organisation_id for r in overdue})
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for referral in overdue:
            with transaction.atomic():
                claimed = Referral.objects.filter(pk=referral.pk, escalated_at=None,
                                                  status=Referral.Status.SENT).update(escalated_at=now)
                if not claimed:
                    continue
                detail = _("Referral to %(org)s for %(service)s not answered by %(due)s.") % {
                    "org": referral.recipient_organisation.name, "service": referral.service.name,
                    "due": referral.respond_by.astimezone(_tz(referral.case)).strftime("%Y-%m-%d %H:%M"),
                }
                alert_raise(case=referral.case,
                            recipients=[referral.sent_by, *supervisors.get(referral.sender_organisation_id, [])],
                            kind=Alert.Kind.REFERRAL_OVERDUE, detail=detail)
                count += 1
    return count


def referrals_check(now: dt.datetime | None = None) -> tuple[int, int]:
    """What ``manage.py check_referrals`` and the Celery task run: expiry, then escalation."""
    now = now or clock.now()
    return referrals_expire(now), referrals_escalate(now)


# --- reading -------------------------------------------------------------------------------------------


def mark_read(*, user: Any, referral: Referral) -> None:

    ReferralRead.objects.update_or_create(referral=referral, user=user, defaults={"read_at": clock.now()})


# --- notification (a link, never personal data) ----------------------------------------------------------


def _link(referral: Referral) -> str:
    return reverse("referrals:detail", kwargs={"referral_id": referral.pk})


def _send(emails: list[str], subject: str, body: str, path: str) -> None:
    link_mail_on_commit(emails, subject, body, path)


def _notify_recipient(referral: Referral, *, kind: str) -> None:
    users = User.objects.filter(organisation_id=referral.recipient_organisation_id, is_active=True,
                                roles__role__in=CASE_ROLES).exclude(email="").values_list("email", flat=True)
    emails = list(users.distinct())
    profile = PartnerProfile.objects.filter(organisation_id=referral.recipient_organisation_id).first()
    if profile is not None and profile.contact_email:
        emails.append(profile.contact_email)
    with translation.override(settings.LANGUAGE_CODE):
        if kind == "new":
            subject = _("Sintas: a new referral for your organisation")
            body = _("A referral is waiting for your answer in Sintas. Sign in to open it:")
        else:
            subject = _("Sintas: a referral was ended")
            body = _("A referral to your organisation was ended in Sintas. Sign in to see its status:")
    _send(emails, subject, body, _link(referral))


def _notify_sender(referral: Referral) -> None:
    sender = User.objects.filter(pk=referral.sent_by_id).values_list("email", flat=True).first()
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Sintas: a partner answered your referral")
        body = _("A partner organisation updated a referral you sent. Sign in to see it:")
    _send([sender or ""], subject, body, _link(referral))
