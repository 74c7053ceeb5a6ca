"""Every write of the legal room.

Each function checks who may act (``access.legal``), validates all of its input (collecting every
error), then writes in one ``transaction.atomic()`` with the change history. Nothing is half-saved.
The rules and their legal sources are in docs/legal.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from access.legal import LegalAction, legal_can
from accounts.models import Role, User
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from care.models import ServiceDelivery
from cases.models import Alert, Case, CaseStatus
from cases.services import alert_raise
from core import clock
from core.concurrency import version_bump, version_check
from core.validation import Errors

from . import conf
from .clocks import clocks_for
from .documents import claim_document, claim_pdf
from .models import (
    STAGE_ORDER,
    STEP_ORDER,
    ZERO,
    Claim,
    ClaimRecipient,
    ClockAlert,
    EnforcementStep,
    Evidence,
    Hearing,
    Loss,
    LossHead,
    LpskApplication,
    LpskDecision,
    NonPaymentStep,
    Order,
    Party,
    PartyRole,
    Payment,
    PaymentChannel,
    Proceeding,
    Protection,
    Relationship,
    Stage,
    StageEvent,
    SurvivorRole,
)
from .selectors import delivery_costs_unclaimed


class NotAllowed(PermissionDenied):
    """The user may see the legal data but not record this."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require_editor(actor: Any, case: Case) -> None:
    if not legal_can(actor, LegalAction.EDIT, case):
        raise NotAllowed(_("Only legal officers and the case team's caseworkers can record legal data."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))


def _clean(value: Any) -> str:
    return str(value or "").strip()


def _amount(e: Errors, field_name: str, value: Any, *, allow_negative: bool = False) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        e.add(field_name, _("Enter an amount in rupiah."))
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        e.add(field_name, _("Enter a whole number of rupiah."))
        return None
    if amount.copy_abs() >= Decimal(10) ** 14:
        e.add(field_name, _("This amount is too large."))
        return None
    if not allow_negative and amount <= 0:
        e.add(field_name, _("The amount must be more than zero."))
        return None
    if allow_negative and amount == 0:
        e.add(field_name, _("A correction must change the amount."))
        return None
    return amount


def _date(e: Errors, field_name: str, value: dt.date | None, *, required: bool = True) -> dt.date | None:
    if value is None:
        if required:
            e.add(field_name, _("Enter the date."))
        return None
    if value > clock.today():
        e.add(field_name, _("This date is in the future."))
    return value


# --- proceedings ---------------------------------------------------------------------------------

PROCEEDING_FIELDS = ("title", "survivor_role", "police_report_number", "police_unit", "police_report_date",
                     "court_name", "child_victim")


def _proceeding_values(values: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    e = Errors()
    cleaned: dict[str, Any] = {
        "title": _clean(values.get("title")),
        "survivor_role": _clean(values.get("survivor_role")) or SurvivorRole.VICTIM_WITNESS,
        "police_report_number": _clean(values.get("police_report_number")),
        "police_unit": _clean(values.get("police_unit")),
        "police_report_date": values.get("police_report_date"),
        "court_name": _clean(values.get("court_name")),
        "child_victim": bool(values.get("child_victim")),
    }
    if not cleaned["title"]:
        e.add("title", _("Describe the proceeding in a few words."))
    if cleaned["survivor_role"] not in SurvivorRole.values:
        e.add("survivor_role", _("Choose from the list."))
    _date(e, "police_report_date", cleaned["police_report_date"], required=False)
    if cleaned["police_report_date"] and not cleaned["police_report_number"]:
        e.add("police_report_number", _("Enter the police report number with its date."))
    return cleaned, e


def proceeding_open(*, actor: Any, case: Case, values: dict[str, Any]) -> Proceeding:
    """A new proceeding. A police report date given here records the police report stage too."""
    _require_editor(actor, case)
    cleaned, e = _proceeding_values(values)
    e.raise_if_any()
    with transaction.atomic():
        proceeding = Proceeding.objects.create(case=case, created_by=actor, created_at=clock.now(), **cleaned)
        history_record(actor=actor, instance=proceeding, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        if cleaned["police_report_date"]:
            _stage_write(actor=actor, proceeding=proceeding, stage=Stage.POLICE_REPORT,
                         on=cleaned["police_report_date"], institution=cleaned["police_unit"] or _("police"),
                         case_number=cleaned["police_report_number"])
    return proceeding


def proceeding_update(*, actor: Any, proceeding: Proceeding, values: dict[str, Any],
                      version: int | None) -> Proceeding:
    """Change the particulars; ``version`` as read (``StaleVersion`` when someone saved since)."""
    _require_editor(actor, proceeding.case)
    cleaned, e = _proceeding_values(values)
    e.raise_if_any()
    with transaction.atomic():
        locked = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
        version_check(locked, version, submitted=cleaned)
        before = snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*cleaned, version_bump(locked)])
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.case_id)
    return locked


# A stage needs the one before it in this list (a verdict needs a trial).
STAGE_REQUIRES = {
    Stage.VERDICT: Stage.TRIAL,
    Stage.FINAL: Stage.VERDICT,
    Stage.APPEAL: Stage.VERDICT,
    Stage.CASSATION: Stage.VERDICT,
}


@dataclass
class StageInput:
    stage: str = ""
    on: dt.date | None = None
    institution: str = ""
    case_number: str = ""
    articles_proven: str = ""
    sentence: str = ""
    served_on: dt.date | None = None
    note: str = ""


def stage_record(*, actor: Any, proceeding: Proceeding, data: StageInput) -> StageEvent:
    """Record that the proceeding reached a stage. Refused: a stage recorded twice, a verdict
    before the trial (or final judgment before the verdict), a date before the previous stage's."""
    _require_editor(actor, proceeding.case)
    e = Errors()
    if data.stage not in Stage.values:
        e.add("stage", _("Choose a stage from the list."))
    _date(e, "on", data.on)
    if not _clean(data.institution):
        e.add("institution", _("Name the responsible institution."))
    if data.stage == Stage.VERDICT and not _clean(data.articles_proven):
        e.add("articles_proven", _("Record the articles the court found proven (or write 'acquitted')."))
    if data.served_on is not None:
        if data.stage != Stage.FINAL:
            e.add("served_on", _("Only the final judgment has a date of service."))
        else:
            _date(e, "served_on", data.served_on)
            if data.on and data.served_on < data.on:
                e.add("served_on", _("The judgment cannot be served before it became final."))
    e.raise_if_any()
    with transaction.atomic():
        Proceeding.objects.select_for_update().filter(pk=proceeding.pk).first()
        return _stage_write(actor=actor, proceeding=proceeding, stage=data.stage, on=data.on,
                            institution=data.institution, case_number=data.case_number,
                            articles_proven=data.articles_proven, sentence=data.sentence,
                            served_on=data.served_on, note=data.note)


def _stage_write(*, actor: Any, proceeding: Proceeding, stage: str, on: Any, institution: str,
                 case_number: str = "", articles_proven: str = "", sentence: str = "",
                 served_on: dt.date | None = None, note: str = "") -> StageEvent:
    recorded = {s.stage: s for s in StageEvent.objects.filter(proceeding=proceeding)}
    e = Errors()
    if stage in recorded:
        e.add("stage", _("This stage is already recorded for this proceeding."))
    needed = STAGE_REQUIRES.get(Stage(stage))
    if needed is not None and needed not in recorded:
        e.add("stage", _("%(stage)s cannot be recorded before %(needed)s.") % {
            "stage": Stage(stage).label, "needed": Stage(needed).label})
    earlier = [s for s in recorded.values() if STAGE_ORDER[s.stage] < STAGE_ORDER[stage]]
    latest = max(earlier, key=lambda s: s.on, default=None)
    if latest is not None and on < latest.on:
        e.add("on", _("This date is before the date of %(stage)s (%(date)s).") % {
            "stage": Stage(latest.stage).label, "date": latest.on.isoformat()})
    e.raise_if_any()
    event = StageEvent.objects.create(
        proceeding=proceeding, stage=stage, on=on, institution=_clean(institution), case_number=_clean(case_number),
        articles_proven=_clean(articles_proven), sentence=_clean(sentence), served_on=served_on, note=_clean(note),
        recorded_by=actor, recorded_at=clock.now())
    history_record(actor=actor, instance=event, action=ChangeRecord.Action.CREATE, case_id=proceeding.case_id)
    current = max([*recorded, stage], key=lambda s: STAGE_ORDER[s])
    if proceeding.stage != current:
        Proceeding.objects.filter(pk=proceeding.pk).update(stage=current)
        proceeding.stage = current
    if stage == Stage.FINAL and served_on is not None:
        for order in Order.objects.filter(proceeding=proceeding, served_on__isnull=True):
            _order_serve(actor=actor, order=order, served_on=served_on)
    return event


def final_served_on(proceeding: Proceeding) -> dt.date | None:
    found = StageEvent.objects.filter(proceeding=proceeding, stage=Stage.FINAL).values_list("served_on", flat=True)
    return next(iter(found), None)


# --- hearings ------------------------------------------------------------------------------------


def _companion(e: Errors, case: Case, companion_user: Any, companion_name: str) -> Any:
    if companion_user is None:
        return None
    if (not isinstance(companion_user, User) or companion_user.organisation_id != case.lead_organisation_id
            or not companion_user.is_active):
        e.add("companion_user", _("Choose a person of the case's organisation."))
        return None
    return companion_user


def hearing_schedule(*, actor: Any, proceeding: Proceeding, at: dt.datetime | None, place: str, purpose: str = "",
                     companion_user: Any = None, companion_name: str = "") -> Hearing:
    _require_editor(actor, proceeding.case)
    e = Errors()
    if at is None:
        e.add("at", _("Enter the date and time of the hearing."))
    if not _clean(place):
        e.add("place", _("Enter where the hearing is held."))
    user = _companion(e, proceeding.case, companion_user, companion_name)
    e.raise_if_any()
    assert at is not None
    with transaction.atomic():
        hearing = Hearing.objects.create(proceeding=proceeding, at=at, place=_clean(place), purpose=_clean(purpose),
                                         companion_user=user, companion_name=_clean(companion_name),
                                         created_by=actor)
        history_record(actor=actor, instance=hearing, action=ChangeRecord.Action.CREATE,
                       case_id=proceeding.case_id)
    return hearing


def hearing_companion_assign(*, actor: Any, hearing: Hearing, companion_user: Any, companion_name: str,
                             version: int | None) -> Hearing:
    """Who accompanies the survivor to the hearing (a user, or a name, or both)."""
    case = hearing.proceeding.case
    _require_editor(actor, case)
    e = Errors()
    user = _companion(e, case, companion_user, companion_name)
    if user is None and not _clean(companion_name) and "companion_user" not in e.errors:
        e.add("companion_name", _("Choose the accompanying person or enter their name."))
    e.raise_if_any()
    with transaction.atomic():
        locked = Hearing.objects.select_for_update().get(pk=hearing.pk)
        submitted = {"companion_user": user.pk if user else None, "companion_name": _clean(companion_name)}
        version_check(locked, version, submitted=submitted,
                      current={"companion_user": locked.companion_user_id, "companion_name": locked.companion_name})
        before = snapshot(locked)
        locked.companion_user = user
        locked.companion_name = _clean(companion_name)
        locked.save(update_fields=["companion_user", "companion_name", version_bump(locked)])
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=case.pk)
    return locked


# --- suspects and perpetrators ------------------------------------------------------------------


def party_record(*, actor: Any, proceeding: Proceeding, role: str, relationship: str, at_large: bool, name: str,
                 identity_note: str = "") -> Party:
    _require_editor(actor, proceeding.case)
    e = Errors()
    if role not in PartyRole.values:
        e.add("role", _("Choose from the list."))
    if relationship not in Relationship.values:
        e.add("relationship", _("Choose from the list."))
    if not _clean(name):
        e.add("name", _("Enter the name (it is kept encrypted)."))
    e.raise_if_any()
    with transaction.atomic():
        party = Party.objects.create(proceeding=proceeding, role=role, relationship=relationship,
                                     at_large=bool(at_large), name=_clean(name), identity_note=_clean(identity_note),
                                     recorded_by=actor, recorded_at=clock.now())
        history_record(actor=actor, instance=party, action=ChangeRecord.Action.CREATE, case_id=proceeding.case_id)
    return party


# --- LPSK ----------------------------------------------------------------------------------------


def lpsk_apply(*, actor: Any, case: Case, applied_on: dt.date | None, requested: Sequence[str]) -> LpskApplication:
    _require_editor(actor, case)
    e = Errors()
    _date(e, "applied_on", applied_on)
    wanted = sorted(set(requested or []))
    if not wanted:
        e.add("requested", _("Choose at least one kind of protection."))
    elif set(wanted) - set(Protection.values):
        e.add("requested", _("Choose from the list."))
    e.raise_if_any()
    assert applied_on is not None
    with transaction.atomic():
        application = LpskApplication.objects.create(case=case, applied_on=applied_on, requested=wanted,
                                                     recorded_by=actor, recorded_at=clock.now())
        history_record(actor=actor, instance=application, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return application


def lpsk_decide(*, actor: Any, application: LpskApplication, decision: str, decided_on: dt.date | None,
                granted: Sequence[str] = (), protection_until: dt.date | None = None,
                complete_on: dt.date | None = None) -> LpskApplication:
    """Record LPSK's decision (once: a decided application is not decided again)."""
    _require_editor(actor, application.case)
    e = Errors()
    if decision not in LpskDecision.values:
        e.add("decision", _("Choose from the list."))
    _date(e, "decided_on", decided_on)
    if decided_on and decided_on < application.applied_on:
        e.add("decided_on", _("The decision cannot be before the application."))
    _date(e, "complete_on", complete_on, required=False)
    if complete_on and (complete_on < application.applied_on or (decided_on and complete_on > decided_on)):
        e.add("complete_on", _("The completeness check falls between the application and the decision."))
    given = sorted(set(granted or []))
    if decision in (LpskDecision.GRANTED, LpskDecision.PARTLY):
        if not given:
            e.add("granted", _("Choose the protection granted."))
        elif set(given) - set(application.requested):
            e.add("granted", _("Only protection that was requested can be granted."))
        if protection_until and decided_on and protection_until <= decided_on:
            e.add("protection_until", _("The protection ends after the decision."))
    elif given or protection_until:
        e.add("granted", _("A refused application grants no protection."))
    e.raise_if_any()
    with transaction.atomic():
        locked = LpskApplication.objects.select_for_update().get(pk=application.pk)
        if locked.decision:
            raise ValidationError(_("LPSK's decision is already recorded."))
        before = snapshot(locked)
        locked.decision, locked.decided_on, locked.granted = decision, decided_on, given
        locked.protection_until, locked.complete_on = protection_until, complete_on
        locked.save(update_fields=["decision", "decided_on", "granted", "protection_until", "complete_on"])
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.case_id)
    return locked


# --- the loss ledger and its evidence -----------------------------------------------------------

# File types accepted as evidence, by their first bytes (the name and the browser's type are not trusted).
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


@dataclass
class Upload:
    """A file as a service takes it: name and contents (pages and the API both pass this)."""

    name: str
    content: bytes


def upload_of(file: Any) -> Upload:
    """A Django ``UploadedFile`` as an ``Upload``, reading at most one byte past the limit."""
    data = file.read(conf.evidence_max_bytes() + 1)
    return Upload(name=str(getattr(file, "name", "") or ""), content=bytes(data))


def _file_check(e: Errors, field_name: str, upload: Upload) -> str | None:
    """The file's type, or None with the error added."""
    if not upload.content:
        e.add(field_name, _("The file is empty."))
        return None
    limit = conf.evidence_max_bytes()
    if len(upload.content) > limit:
        e.add(field_name, _("The file is too large (at most %(mb)s MB).") % {"mb": round(limit / 1048576, 1)})
        return None
    for signature, (content_type, _extension) in SIGNATURES.items():
        if upload.content.startswith(signature):
            return content_type
    e.add(field_name, _("Only PDF, JPEG or PNG files are accepted."))
    return None


def _evidence_write(*, actor: Any, loss: Loss, upload: Upload, content_type: str) -> Evidence:
    name = (upload.name.replace("\\", "/").rsplit("/", 1)[-1] or "bukti")[:200]
    evidence = Evidence.objects.create(loss=loss, filename=name, content_type=content_type, size=len(upload.content),
                                       sha256=hashlib.sha256(upload.content).hexdigest(), content=upload.content,
                                       uploaded_by=actor, uploaded_at=clock.now())
    history_record(actor=actor, instance=evidence, action=ChangeRecord.Action.CREATE, case_id=loss.case_id)
    return evidence


def loss_record(*, actor: Any, case: Case, head: str, description: str, amount: Any, incurred_on: dt.date | None,
                evidence: Sequence[Upload] = ()) -> Loss:
    """A loss in the ledger, with its evidence documents (PDF, JPEG or PNG, size limited)."""
    _require_editor(actor, case)
    e = Errors()
    if head not in LossHead.values:
        e.add("head", _("Choose a head of loss from the list."))
    if not _clean(description):
        e.add("description", _("Describe the loss."))
    value = _amount(e, "amount", amount)
    _date(e, "incurred_on", incurred_on)
    types = [_file_check(e, "evidence", upload) for upload in evidence]
    e.raise_if_any()
    assert value is not None and incurred_on is not None
    with transaction.atomic():
        loss = Loss.objects.create(case=case, head=head, description=_clean(description), amount=value,
                                   incurred_on=incurred_on, recorded_by=actor, recorded_at=clock.now())
        history_record(actor=actor, instance=loss, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        for upload, content_type in zip(evidence, types, strict=True):
            _evidence_write(actor=actor, loss=loss, upload=upload, content_type=str(content_type))
    return loss


def losses_prefill(*, actor: Any, case: Case, delivery_ids: Sequence[Any]) -> list[Loss]:
    """Confirm the proposed medical and psychological costs (``selectors.delivery_costs_unclaimed``)
    as losses, one per delivery, under the medical and psychological head, with the delivery's
    service, date and cost. Refused, nothing saved: no delivery chosen, or one that is not (or no
    longer) proposed: another case's, a draft, not a medical or psychological service, without a
    cost, or already in the ledger (each delivery is written once)."""
    _require_editor(actor, case)
    wanted = list(dict.fromkeys(str(pk) for pk in delivery_ids or ()))
    if not wanted:
        raise ValidationError({"deliveries": [_("Choose at least one service delivery.")]})
    with transaction.atomic():
        # Locked, so two officers confirming at once cannot write one delivery twice.
        proposed = {str(c.delivery_id): c for c in delivery_costs_unclaimed(case)}
        locked = {str(d.pk) for d in ServiceDelivery.objects.select_for_update(of=("self",)).filter(
            pk__in=[pk for pk in wanted if pk in proposed], legal_loss__isnull=True)}
        if set(wanted) - locked:
            raise ValidationError({"deliveries": [_(
                "A chosen delivery is no longer proposed (already in the ledger, or changed); "
                "nothing was saved. Look at the list again.")]})
        losses = []
        for pk in wanted:
            c = proposed[pk]
            description = _("%(service)s of %(date)s (service delivery)") % {
                "service": c.service, "date": c.delivered_on.isoformat()}
            try:
                with transaction.atomic():
                    loss = Loss.objects.create(case=case, head=LossHead.MEDICAL, description=description[:300],
                                               amount=c.cost, incurred_on=c.delivered_on, delivery_id=c.delivery_id,
                                               recorded_by=actor, recorded_at=clock.now())
            except IntegrityError as exc:  # written by someone else a moment ago
                raise ValidationError({"deliveries": [_("This delivery is already in the ledger.")]}) from exc
            history_record(actor=actor, instance=loss, action=ChangeRecord.Action.CREATE, case_id=case.pk)
            losses.append(loss)
    return losses


def evidence_attach(*, actor: Any, loss: Loss, upload: Upload) -> Evidence:
    _require_editor(actor, loss.case)
    e = Errors()
    content_type = _file_check(e, "file", upload)
    if loss.withdrawn_at is not None:
        e.add("file", _("This loss was withdrawn."))
    e.raise_if_any()
    with transaction.atomic():
        return _evidence_write(actor=actor, loss=loss, upload=upload, content_type=str(content_type))


def loss_withdraw(*, actor: Any, loss: Loss, reason: str) -> Loss:
    """A loss recorded in error leaves the ledger with a reason (it stays on record)."""
    _require_editor(actor, loss.case)
    if not _clean(reason):
        raise ValidationError({"reason": [_("Record why this loss is withdrawn.")]})
    with transaction.atomic():
        locked = Loss.objects.select_for_update().get(pk=loss.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError(_("This loss was withdrawn already."))
        before = snapshot(locked)
        locked.withdrawn_reason, locked.withdrawn_at = _clean(reason), clock.now()
        locked.save(update_fields=["withdrawn_reason", "withdrawn_at"])
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.case_id)
    return locked


def evidenced_losses(case: Case) -> list[Loss]:
    """The ledger's losses that count for a claim: not withdrawn, with at least one evidence document."""
    return list(Loss.objects.filter(case=case, withdrawn_at__isnull=True, evidence__isnull=False).distinct()
                .order_by("incurred_on", "id"))


# --- restitution claim ---------------------------------------------------------------------------


def claim_prepare(*, actor: Any, proceeding: Proceeding, recipient: str, filed_on: dt.date | None) -> Claim:
    """Assemble the ledger into the next version of the claim, with its PDF (PP 7/2018 content)."""

    case = proceeding.case
    _require_editor(actor, case)
    e = Errors()
    if recipient not in ClaimRecipient.values:
        e.add("recipient", _("Choose from the list."))
    _date(e, "filed_on", filed_on)
    losses = evidenced_losses(case)
    if not losses:
        e.add("__all__", _("A claim needs at least one loss with evidence in the ledger."))
    parties = list(Party.objects.filter(proceeding=proceeding))
    if not parties:
        e.add("__all__", _("Record the perpetrator (or suspect) first: the claim names them."))
    e.raise_if_any()
    assert filed_on is not None
    with transaction.atomic():
        Proceeding.objects.select_for_update().filter(pk=proceeding.pk).first()
        number = (Claim.objects.filter(proceeding=proceeding).order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
        document = claim_document(proceeding=proceeding, losses=losses, parties=parties, recipient=recipient,
                                  number=number, filed_on=filed_on)
        claim = Claim.objects.create(proceeding=proceeding, number=number, recipient=recipient,
                                     amount=sum((loss.amount for loss in losses), ZERO), snapshot=document,
                                     pdf=claim_pdf(document, parties=parties), filed_on=filed_on, prepared_by=actor,
                                     prepared_at=clock.now())
        history_record(actor=actor, instance=claim, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return claim


# --- verdict: restitution ordered, payments, non-payment steps ----------------------------------


def _order_serve(*, actor: Any, order: Order, served_on: dt.date) -> None:
    days = conf.payment_days_child() if order.proceeding.child_victim else conf.payment_days()
    before = snapshot(order)
    order.served_on, order.due_on = served_on, served_on + dt.timedelta(days=days)
    order.save(update_fields=["served_on", "due_on"])
    history_record(actor=actor, instance=order, action=ChangeRecord.Action.UPDATE, before=before,
                   case_id=order.proceeding.case_id)


def order_record(*, actor: Any, proceeding: Proceeding, party: Party | None, amount: Any) -> Order:
    """Restitution the verdict ordered one perpetrator to pay. The due date follows from the date
    the final judgment is served (configurable days; the period for child victims when it applies)."""
    _require_editor(actor, proceeding.case)
    e = Errors()
    value = _amount(e, "amount", amount)
    if party is None or party.proceeding_id != proceeding.pk:
        e.add("party", _("Choose a perpetrator of this proceeding."))
    elif Order.objects.filter(proceeding=proceeding, party=party).exists():
        e.add("party", _("Restitution is already recorded for this perpetrator."))
    if not StageEvent.objects.filter(proceeding=proceeding, stage=Stage.VERDICT).exists():
        e.add("amount", _("Record the verdict first."))
    e.raise_if_any()
    assert party is not None and value is not None
    with transaction.atomic():
        order = Order.objects.create(proceeding=proceeding, party=party, amount=value, recorded_by=actor,
                                     recorded_at=clock.now())
        history_record(actor=actor, instance=order, action=ChangeRecord.Action.CREATE, case_id=proceeding.case_id)
        served = final_served_on(proceeding)
        if served is not None:
            _order_serve(actor=actor, order=order, served_on=served)
    return order


def order_paid(order: Order) -> Decimal:
    total = Payment.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


def _proof_taken(order: Order, *, reference: str, digest: str) -> bool:
    """Whether a payment of any order of the same case already carries this proof."""
    same_case = Payment.objects.filter(order__proceeding__case_id=order.proceeding.case_id)
    if reference and same_case.filter(proof_reference__iexact=reference).exists():
        return True
    return bool(digest) and same_case.filter(proof_sha256=digest).exists()


def payment_record(*, actor: Any, order: Order, paid_on: dt.date | None, amount: Any, channel: str,
                   proof_reference: str, proof: Upload | None = None) -> Payment:
    """A payment received (partial payments are several entries). Refused: more than what is still
    owed, a proof already used for another payment, a date before the verdict."""
    case = order.proceeding.case
    _require_editor(actor, case)
    e = Errors()
    value = _amount(e, "amount", amount)
    _date(e, "paid_on", paid_on)
    if channel not in PaymentChannel.values:
        e.add("channel", _("Choose from the list."))
    reference = _clean(proof_reference)
    if not reference:
        e.add("proof_reference", _("Enter the receipt or transfer number that proves the payment."))
    content_type = _file_check(e, "proof", proof) if proof is not None else None
    digest = hashlib.sha256(proof.content).hexdigest() if proof is not None and content_type else ""
    verdict = StageEvent.objects.filter(proceeding=order.proceeding, stage=Stage.VERDICT).first()
    if paid_on and verdict and paid_on < verdict.on:
        e.add("paid_on", _("A restitution payment cannot be before the verdict (%(date)s).") % {
            "date": verdict.on.isoformat()})
    e.raise_if_any()
    assert value is not None and paid_on is not None
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if _proof_taken(locked, reference=reference, digest=digest):
            raise ValidationError({"proof_reference": [_("This proof is already recorded for another payment.")]})
        remaining = locked.amount - order_paid(locked)
        if value > remaining:
            raise ValidationError({"amount": [_("This is more than is still owed (Rp %(rest)s).") % {
                "rest": f"{remaining:,.0f}".replace(",", ".")}]})
        payment = Payment.objects.create(
            order=locked, paid_on=paid_on, amount=value, channel=channel, proof_reference=reference,
            proof_sha256=digest, proof_filename=(proof.name[:200] if proof and content_type else ""),
            proof_content_type=content_type or "", proof=(proof.content if proof and content_type else None),
            recorded_by=actor, recorded_at=clock.now())
        history_record(actor=actor, instance=payment, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return payment


def payment_correct(*, actor: Any, payment: Payment, amount: Any, reason: str) -> Payment:
    """Correct a payment by a new entry: ``amount`` is what the correction adds (negative: takes
    away), with the reason. The total paid stays between nothing and the amount ordered."""
    order = payment.order
    case = order.proceeding.case
    _require_editor(actor, case)
    e = Errors()
    value = _amount(e, "amount", amount, allow_negative=True)
    if not _clean(reason):
        e.add("reason", _("Record the reason for the correction."))
    if payment.is_correction:
        e.add("amount", _("Correct the original payment, not a correction."))
    e.raise_if_any()
    assert value is not None
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        paid = order_paid(locked)
        original = payment.amount + sum((c.amount for c in payment.corrections.all()), ZERO)
        if original + value < 0:
            raise ValidationError({"amount": [_("A correction cannot take away more than the payment.")]})
        if paid + value > locked.amount:
            raise ValidationError({"amount": [_("After this correction more would be paid than was ordered.")]})
        correction = Payment.objects.create(order=locked, paid_on=clock.today(), amount=value, channel=payment.channel,
                                            corrects=payment, reason=_clean(reason), recorded_by=actor,
                                            recorded_at=clock.now())
        history_record(actor=actor, instance=correction, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return correction


def step_record(*, actor: Any, order: Order, step: str, on: dt.date | None, note: str = "") -> EnforcementStep:
    """A non-payment step, in order: court warning, seizure and auction, substitute confinement;
    only once payment is overdue and something is still owed."""
    case = order.proceeding.case
    _require_editor(actor, case)
    e = Errors()
    if step not in NonPaymentStep.values:
        e.add("step", _("Choose a step from the list."))
    _date(e, "on", on)
    e.raise_if_any()
    assert on is not None
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.due_on is None or on <= locked.due_on:
            raise ValidationError({"on": [_("Non-payment steps follow the payment due date.")]})
        if order_paid(locked) >= locked.amount:
            raise ValidationError({"step": [_("The restitution is paid in full.")]})
        taken = set(EnforcementStep.objects.filter(order=locked).values_list("step", flat=True))
        if step in taken:
            raise ValidationError({"step": [_("This step is already recorded.")]})
        missing = [s for s in NonPaymentStep.values if STEP_ORDER[s] < STEP_ORDER[step] and s not in taken]
        if missing:
            raise ValidationError({"step": [_("Record %(step)s first.") % {"step": NonPaymentStep(missing[0]).label}]})
        recorded = EnforcementStep.objects.create(order=locked, step=step, on=on, note=_clean(note), recorded_by=actor,
                                                  recorded_at=clock.now())
        history_record(actor=actor, instance=recorded, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return recorded


# --- alerts for passed legal deadlines ---------------------------------------------------------------

ESCALATION_BATCH = 200


def legal_clocks_escalate() -> int:
    """Alert the organisation's legal officers and supervisors, and the lead caseworker, of every
    legal deadline of an open case that passed unmet, once per deadline (``ClockAlert``). Safe to
    run as often as wanted and from two workers at once. Returns the number of deadlines alerted."""



    alerted = 0
    open_cases = (Case.objects.exclude(status=CaseStatus.CLOSED).filter(lead_organisation__is_active=True)
                  .select_related("lead_caseworker").order_by("pk"))
    last_pk = None
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            batch = list((open_cases if last_pk is None else open_cases.filter(pk__gt=last_pk))[:ESCALATION_BATCH])
            if not batch:
                break
            last_pk = batch[-1].pk
            cases = {c.pk: c for c in batch}
            overdue = [c for c in clocks_for(Case.objects.filter(pk__in=list(cases))) if c.overdue]
            done = set(ClockAlert.objects.filter(key__in=[c.key for c in overdue]).values_list("key", flat=True))
            orgs = {cases[c.case_id].lead_organisation_id for c in overdue}
            people: dict[int, list[Any]] = {}
            for user in User.objects.filter(organisation_id__in=orgs, is_active=True,
                                            roles__role__in=[Role.LEGAL_OFFICER, Role.SUPERVISOR]).distinct():
                people.setdefault(user.organisation_id or 0, []).append(user)
            for c in overdue:
                if c.key in done:
                    continue
                case = cases[c.case_id]
                try:
                    with transaction.atomic():
                        ClockAlert.objects.create(case=case, key=c.key, raised_at=clock.now())
                        alert_raise(case=case, recipients=[case.lead_caseworker,
                                                           *people.get(case.lead_organisation_id, [])],
                                    kind=Alert.Kind.TIME_LIMIT,
                                    detail=_("Legal deadline passed: %(title)s (due %(date)s)") % {
                                        "title": c.title, "date": c.due_on.isoformat()})
                except IntegrityError:  # another worker alerted it first
                    continue
                alerted += 1
    return alerted
