"""Every write of the privacy room: what a registration's match leads to, and the decisions on it.

``linkage_after_registration`` is called by ``survivors.services`` (through ``survivors.linkage``)
once a registration or identity change has committed; it defers ``linkage_matches_record`` until
the response has been sent (``privacy.after_response``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from access import privacy as access_privacy
from accounts.models import Role, User
from audit.models import AccessLogEntry, ChangeRecord
from audit.services import access_log_write, history_record, snapshot
from cases.models import Case
from cases.services import alert_raise
from core import clock
from core.notify import in_site_language, link_mail_on_commit
from core.workdays import is_working_day
from survivors.models import Identity, Survivor
from survivors.validators import nik_hash, nik_normalise

from . import conf
from .after_response import defer
from .matching import Match
from .models import CONFIRMED, EmergencyGrant, LinkageRequest, ProbingAlert


def linkage_after_registration(*, matches: Sequence[Match], survivor_id: Any, case_id: Any, actor: Any) -> None:
    """The registration (or identity change) of ``case_id`` has committed: record what matched,
    after the response. Nothing to do, and no query, when nothing matched."""
    if matches:
        defer(partial(linkage_matches_record, actor=actor, case_id=case_id, matches=list(matches)))


def linkage_matches_record(*, actor: Any, case_id: Any, matches: Sequence[Match]) -> list[LinkageRequest]:
    """Access-log every match; a linkage request for each survivor outside the actor's scope;
    the probing alert when the actor passes the day's limit. Returns the requests created."""

    if not Case.objects.filter(pk=case_id).exists():
        return []  # the registration was rolled back by a caller's transaction after all
    by_survivor: dict[Any, Any] = {}
    for case in (Case.objects.filter(survivor_id__in=[m.survivor_id for m in matches])
                 .order_by("survivor_id", "-opened_at").only("pk", "survivor_id", "lead_organisation_id")):
        by_survivor.setdefault(case.survivor_id, case)
    created: list[LinkageRequest] = []
    with transaction.atomic():
        for match in matches:
            matched = by_survivor.get(match.survivor_id)
            if matched is None or matched.pk == case_id:
                continue
            access_log_write(user=actor, what=AccessLogEntry.What.LINKAGE_MATCH, case_id=matched.pk,
                             survivor_id=match.survivor_id)
            if match.in_scope:
                continue
            if LinkageRequest.objects.filter(requesting_case_id=case_id, matched_case_id=matched.pk).exists():
                continue
            request = LinkageRequest.objects.create(
                requesting_organisation_id=actor.organisation_id, requested_by=actor, requesting_case_id=case_id,
                target_organisation_id=matched.lead_organisation_id, matched_case_id=matched.pk,
                kind=match.kind, score=match.score,
            )
            history_record(actor=actor, instance=request, action=ChangeRecord.Action.CREATE)
            created.append(request)
        _supervisors_told(created)
        if created:
            probing_check(actor=actor, on=clock.today())
    return created


def _supervisors_told(created: Sequence[LinkageRequest]) -> None:
    """A sentence and a link to the target organisation's supervisors (no personal data)."""
    organisations = {r.target_organisation_id for r in created}
    if not organisations:
        return
    emails = User.objects.filter(organisation_id__in=organisations, is_active=True,
                                 roles__role=Role.SUPERVISOR).values_list("email", flat=True)
    with in_site_language():
        link_mail_on_commit(
            emails, _("Sintas: a possible duplicate registration"),
            _("Another registration may concern a survivor your organisation works with. Sign in to decide."),
            reverse("privacy:linkage_list"),
        )


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def probing_check(*, actor: Any, on: dt.date) -> ProbingAlert | None:
    """More registrations with matching identities by ``actor`` on day ``on`` than the limit:
    one alert for that day (its count kept up to date), the platform administrators told once."""
    start, end = _day_bounds(on)
    count = (LinkageRequest.objects.filter(requested_by=actor, created_at__gte=start, created_at__lt=end)
             .values("requesting_case_id").distinct().count())
    if count <= conf.probe_limit():
        return None
    with transaction.atomic():
        alert, is_new = ProbingAlert.objects.select_for_update().get_or_create(
            user=actor, day=on, defaults={"matches": count, "organisation_id": actor.organisation_id},
        )
        if not is_new and alert.matches != count:
            before = snapshot(alert)
            alert.matches = count
            alert.save(update_fields=["matches"])
            history_record(actor=None, instance=alert, action=ChangeRecord.Action.UPDATE, before=before)
        if is_new:
            history_record(actor=None, instance=alert, action=ChangeRecord.Action.CREATE)
            admins = User.objects.filter(is_platform_admin=True, is_active=True).values_list("email", flat=True)
            with in_site_language():
                link_mail_on_commit(
                    admins, _("Sintas: a possible probing pattern"),
                    _("One account registered more people who were already known than the daily limit allows."),
                    reverse("privacy:probing"),
                )
    return alert


def _decidable(actor: Any, request: LinkageRequest) -> LinkageRequest:
    """The request locked, if ``actor`` may still decide it."""
    locked: LinkageRequest | None = (access_privacy.linkage_requests_visible_to(actor)
                                     .select_for_update(of=("self",)).filter(pk=request.pk).first())
    if locked is None:
        raise ValidationError(_("You may not decide this linkage request."))
    if locked.status != LinkageRequest.Status.PENDING:
        raise ValidationError({"__all__": [_("This linkage request has already been decided.")]})
    return locked


def _decide(*, actor: Any, request: LinkageRequest, status: str, note: str) -> LinkageRequest:
    with transaction.atomic():
        locked = _decidable(actor, request)
        before = snapshot(locked)
        locked.status = status
        locked.decided_at = clock.now()
        locked.decided_by = actor
        locked.decision_note = note.strip()[:300]
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before)
    return locked


def linkage_ignore(*, actor: Any, request: LinkageRequest, note: str = "") -> LinkageRequest:
    """Not the same person, or nothing to do: the requester never learns of it."""
    return _decide(actor=actor, request=request, status=LinkageRequest.Status.IGNORED, note=note)


ROUTES = {"referral": LinkageRequest.Status.REFERRAL, "transfer": LinkageRequest.Status.TRANSFER}


def linkage_propose(*, actor: Any, request: LinkageRequest, route: str, note: str = "") -> LinkageRequest:
    """The supervisor will propose a referral or a transfer of their case to the requesting
    organisation, through that room's own flow (with its consent checks). The requester then sees
    the request's outcome."""
    if route not in ROUTES:
        raise ValidationError({"route": [_("Choose a value from the list.")]})
    status: str = ROUTES[route]
    decided = _decide(actor=actor, request=request, status=status, note=note)
    requester = User.objects.filter(pk=decided.requested_by_id, is_active=True).values_list("email", flat=True)
    with in_site_language():
        link_mail_on_commit(
            requester, _("Sintas: another organisation answered"),
            _("Another organisation will propose a referral or a transfer concerning a survivor you registered."),
            reverse("privacy:linkage_mine"),
        )
    return decided


def linkage_next_step_url(request: LinkageRequest) -> str:
    """Where the decided proposal continues: the referral or transfer page of the matched case."""
    if request.status == LinkageRequest.Status.REFERRAL:
        return (reverse("referrals:new", kwargs={"case_id": request.matched_case_id})
                + f"?partner={request.requesting_organisation_id}")
    if request.status == LinkageRequest.Status.TRANSFER:
        return reverse("transfers:propose", kwargs={"case_id": request.matched_case_id})
    return reverse("privacy:linkage_detail", kwargs={"linkage_id": request.pk})


# --- break-the-glass ---------------------------------------------------------------------------

REASON_MIN = 10
REASON_MAX = 1000


def working_days_after(day: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``day`` (core.workdays)."""
    added = 0
    while added < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day


def _emergency_case(*, code: str, nik: str) -> Case | None:
    """The most recently opened case of the survivor with this code or NIK (its keyed hash), if any."""
    survivor_ids: QuerySet[Any, Any] = (Survivor.objects.filter(code=code).values("pk") if code else
                                        Identity.objects.filter(nik_hash=nik_hash(nik)).values("survivor_id"))
    return (Case.objects.filter(survivor_id__in=survivor_ids).select_related("survivor")
            .order_by("-opened_at").first())


def emergency_open(*, actor: Any, code: str = "", nik: str = "", reason: str, request: Any = None,
                   ) -> EmergencyGrant | None:
    """Break-the-glass: with a reason, open the case of the survivor with this code or NIK, read-only,
    for ``SINTAS_EMERGENCY_ACCESS_HOURS``. Every attempt is access-logged (``emergency_search``),
    matched or not. Returns the grant, or None when no case matches (nothing else is written then).

    Refused (ValidationError): no case work, no reason, neither or both of code and NIK, a NIK that is
    not 16 digits, and a case in the actor's own scope (open it the normal way). The input is checked
    before anything is looked up, so until the reason is recorded nothing differs between a person
    who is known and one who is not."""
    if not access_privacy.may_open_emergency(actor):
        raise ValidationError(_("Emergency access is for people who work on cases."))
    code = (code or "").strip().upper()
    nik = nik_normalise(nik or "")
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if bool(code) == bool(nik):
        errors["__all__"] = [_("Give either the survivor code or the NIK.")]
    elif nik and (len(nik) != 16 or not nik.isdigit()):
        errors["nik"] = [_("A NIK has 16 digits.")]
    if len(reason) < REASON_MIN:
        errors["reason"] = [_("Say why this is an emergency (at least %(n)d characters).") % {"n": REASON_MIN}]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("At most %(n)d characters.") % {"n": REASON_MAX}]
    if errors:
        raise ValidationError(errors)
    access_log_write(user=actor, what=AccessLogEntry.What.EMERGENCY_SEARCH, request=request)
    case = _emergency_case(code=code, nik=nik)
    if case is None:
        return None
    if policy.can(actor, policy.Action.VIEW, case):  # nothing new to learn: the user sees it anyway
        raise ValidationError(_("This case is in your own scope: open it from your case list."))
    with transaction.atomic():
        now = clock.now()
        grant = EmergencyGrant.objects.create(
            user=actor, organisation_id=actor.organisation_id, case=case,
            lead_organisation_id=case.lead_organisation_id, reason=reason, created_at=now,
            expires_at=now + dt.timedelta(hours=conf.emergency_access_hours()),
            review_due=working_days_after(timezone.localdate(now), conf.emergency_review_working_days()),
        )
        history_record(actor=actor, instance=grant, action=ChangeRecord.Action.CREATE, case_id=case.pk)
        _emergency_told(grant)
    return grant


def _emergency_told(grant: EmergencyGrant) -> None:
    """At once: an alert to each supervisor of the lead organisation (in their work, with the case),
    and a sentence and a link by e-mail to them and to the platform administrators (no personal data)."""
    supervisors = list(User.objects.filter(organisation_id=grant.lead_organisation_id, is_active=True,
                                           roles__role=Role.SUPERVISOR).distinct())
    alert_raise(case=grant.case, recipients=supervisors, kind="other", actor=grant.user,
                detail=_("Emergency access (break-the-glass) by another user: review it within the time limit."))
    admins = User.objects.filter(is_platform_admin=True, is_active=True).values_list("email", flat=True)
    with in_site_language():
        link_mail_on_commit(
            [u.email for u in supervisors], _("Sintas: emergency access to a case of your organisation"),
            _("Someone outside the case team opened a case of your organisation in an emergency. Review it."),
            reverse("privacy:emergency_detail", kwargs={"grant_id": grant.pk}),
        )
        link_mail_on_commit(
            admins, _("Sintas: emergency access used"),
            _("Someone used emergency access (break-the-glass) to a case."),
            reverse("privacy:emergency_list"),
        )


REVIEWS = {"accepted": EmergencyGrant.Review.ACCEPTED, "reported": EmergencyGrant.Review.REPORTED}


def emergency_review(*, actor: Any, grant: EmergencyGrant, decision: str, note: str = "") -> EmergencyGrant:
    """A supervisor of the lead organisation accepts the use, or reports it as misuse (a note
    required; the grant ends at once and the platform administrators are told). Once only."""
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in REVIEWS:
        errors["decision"] = [_("Choose a value from the list.")]
    if decision == "reported" and not note:
        errors["note"] = [_("Say what was wrong with this use.")]
    if len(note) > 500:
        errors["note"] = [_("At most %(n)d characters.") % {"n": 500}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked: EmergencyGrant | None = (access_privacy.emergency_uses_to_review(actor)
                                         .select_for_update(of=("self",)).filter(pk=grant.pk).first())
        if locked is None:
            raise ValidationError(_("You may not review this use."))
        if locked.review != EmergencyGrant.Review.PENDING:
            raise ValidationError({"__all__": [_("This use has already been reviewed.")]})
        before = snapshot(locked)
        now = clock.now()
        locked.review = REVIEWS[decision]
        locked.reviewed_by = actor
        locked.reviewed_at = now
        locked.review_note = note
        fields = ["review", "reviewed_by", "reviewed_at", "review_note"]
        if locked.review == EmergencyGrant.Review.REPORTED and locked.expires_at > now:
            locked.expires_at = now
            fields.append("expires_at")
        locked.save(update_fields=fields)
        history_record(actor=actor, instance=locked, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=locked.case_id)
        if locked.review == EmergencyGrant.Review.REPORTED:
            admins = User.objects.filter(is_platform_admin=True, is_active=True).values_list("email", flat=True)
            with in_site_language():
                link_mail_on_commit(admins, _("Sintas: an emergency access was reported as misuse"),
                                    _("A supervisor reported a use of emergency access as misuse."),
                                    reverse("privacy:emergency_list"))
    return locked


__all__ = ["CONFIRMED", "emergency_open", "emergency_review", "linkage_after_registration", "linkage_ignore", "linkage_matches_record",
           "linkage_next_step_url", "linkage_propose", "probing_check"]
