"""Every write about services: what an organisation provides, deliveries (drafts and recorded),
applications for services, and the escalation of legal time limits that passed.

Each function validates all of its input first (collecting every error), then writes in one
transaction with its change history. Pages, API, commands and tasks call these.

Who records a delivery or an application: the people who may see the case under the access
policy (``policy.can(user, VIEW, case)``): the case team (any case role: caseworker,
psychologist, health worker...) and the lead organisation's supervisors. Deliveries are the lead
organisation's own for now (referrals to partners come later).
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from access import care as care_access
from accounts.models import Organisation, Role, User
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from cases.models import Case, CaseStatus
from cases.services import alert_raise
from core import clock
from core.concurrency import version_bump, version_check
from core.models import Region
from core.validation import Errors
from plans.models import Goal

from .clocks import State, clocks_for_cases, rules_active
from .models import OrganisationService, Service, ServiceApplication, ServiceDelivery, TimeLimitEscalation

logger = logging.getLogger(__name__)

DELIVERY_FIELDS = (
    "service", "delivered_on", "delivered_time", "place", "place_region", "duration_minutes", "outcome_note",
    "delivered_by", "goal", "cost",
)
COST_MAX = Decimal(10) ** 14  # the column holds 14 digits
PLACE_MAX = 200


def _case_today(case: Case) -> tuple[dt.datetime, dt.date]:
    """Now, and today's date in the lead organisation's time zone."""
    now = clock.now()
    return now, now.astimezone(ZoneInfo(case.lead_organisation.time_zone)).date()


def _check_writable(actor: Any, case: Case) -> None:
    if not care_access.may_record(actor, case):
        raise ValidationError(_("You may not record services on this case."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))


def _date_checks(e: Errors, name: str, value: dt.date | None, case: Case, today: dt.date) -> None:
    if value is None:
        return
    if value > today:
        e.add(name, _("This date is in the future."))
    if case.identified_on and value < case.identified_on:
        e.add(name, _("This date is before the case was identified (%(date)s).")
              % {"date": case.identified_on.isoformat()})


def team_users(case: Case) -> list[User]:
    """People who may be named as having delivered a service: the case team (one query)."""
    return list(
        User.objects.filter(Q(pk=case.lead_caseworker_id) | Q(case_memberships__case=case), is_active=True)
        .distinct().order_by("first_name", "username")
    )


# --- what an organisation provides ---------------------------------------------------------------


def organisation_services_set(*, actor: Any, service_codes: list[str],
                              version: int | None = None) -> list[OrganisationService]:
    """Set the list of services the administrator's own organisation provides.

    ``version``: the list's version (``Organisation.services_version``) the change is based on;
    raises ``StaleVersion`` (nothing written) when someone changed the list since.
    """
    if not care_access.may_manage_services(actor):
        raise ValidationError(_("Only an organisation administrator can change the services it provides."))
    wanted = list(dict.fromkeys(service_codes or []))
    services = {s.code: s for s in Service.objects.filter(code__in=wanted, is_active=True)}
    unknown = [code for code in wanted if code not in services]
    if unknown:
        raise ValidationError({"services": [_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}]})
    org_id = actor.organisation_id
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=org_id)
        current = {
            os.service.code: os
            for os in OrganisationService.objects.select_for_update().filter(organisation_id=org_id)
            .select_related("service")
        }
        version_check(organisation, version, current_version=organisation.services_version,
                      submitted={"services": sorted(services)}, current={"services": sorted(current)})
        if set(current) != set(services):
            organisation.services_version += 1
            organisation.save(update_fields=["services_version"])
        for code, row in current.items():
            if code not in services:
                history_record(actor=actor, instance=row, action=ChangeRecord.Action.DELETE, before=snapshot(row))
                row.delete()
        for code, service in services.items():
            if code not in current:
                row = OrganisationService.objects.create(organisation_id=org_id, service=service, added_by=actor)
                history_record(actor=actor, instance=row, action=ChangeRecord.Action.CREATE)
    return list(OrganisationService.objects.filter(organisation_id=org_id).select_related("service"))


def services_provided_by(organisation_id: Any) -> list[Service]:
    """The active services an organisation provides, in catalogue order (one query)."""
    return list(
        Service.objects.filter(
            is_active=True,
            pk__in=OrganisationService.objects.filter(organisation_id=organisation_id).values("service_id"),
        ).order_by("sort_order", "code")
    )


# --- deliveries ----------------------------------------------------------------------------------


def _clean_delivery(e: Errors, case: Case, values: dict[str, Any], delivery: ServiceDelivery | None,
                    today: dt.date, now: dt.datetime) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in DELIVERY_FIELDS:
            e.add(name, _("This field cannot be changed here."))
        elif name == "service":
            if not value:
                clean[name] = None
                continue
            code = getattr(value, "code", value)
            service = Service.objects.filter(code=code).first()
            unchanged = delivery is not None and service is not None and service.pk == delivery.service_id
            if service is None or (not service.is_active and not unchanged):
                e.add(name, _("Choose a service from the catalogue."))
            elif not unchanged and not OrganisationService.objects.filter(
                organisation_id=case.lead_organisation_id, service=service
            ).exists():
                e.add(name, _("Your organisation does not provide this service. An organisation administrator "
                              "can add it to the organisation's services."))
            clean[name] = service
        elif name == "goal":
            if value in (None, ""):
                clean[name] = None
                continue
            goal_id = str(getattr(value, "pk", value))
            goal = Goal.objects.filter(pk=int(goal_id), plan__case_id=case.pk).first() if goal_id.isdigit() else None
            if goal is None:
                e.add(name, _("Choose a goal of this case's rehabilitation plan."))
            clean[name] = goal
        elif name == "delivered_on":
            if value is not None and not isinstance(value, dt.date):
                e.add(name, _("Enter a valid date."))
                continue
            _date_checks(e, name, value, case, today)
            clean[name] = value
        elif name == "delivered_time":
            if value is not None and not isinstance(value, dt.time):
                e.add(name, _("Enter a valid time."))
                continue
            clean[name] = value
        elif name == "duration_minutes":
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                minutes = int(value)
            except (TypeError, ValueError):
                e.add(name, _("Enter a whole number of minutes."))
                continue
            if minutes < 0:
                e.add(name, _("The duration cannot be negative."))
            elif minutes > 60 * 24 * 31:
                e.add(name, _("The duration is longer than a month; record it as separate deliveries."))
            clean[name] = minutes
        elif name == "cost":
            if value in (None, ""):
                clean[name] = None
                continue
            try:
                cost = Decimal(str(value).strip())
            except (InvalidOperation, TypeError, ValueError):
                e.add(name, _("Enter an amount in rupiah."))
                continue
            if not cost.is_finite() or cost != cost.to_integral_value():
                e.add(name, _("Enter a whole number of rupiah."))
            elif cost < 0:
                e.add(name, _("The cost cannot be negative."))
            elif cost >= COST_MAX:
                e.add(name, _("This amount is too large."))
            else:
                clean[name] = cost
        elif name == "place_region":
            if not value:
                clean[name] = None
                continue
            code = getattr(value, "code", value)
            region = Region.objects.filter(code=code, level=Region.Level.REGENCY).first()
            if region is None:
                e.add(name, _("Choose a regency or city."))
            clean[name] = region
        elif name == "delivered_by":
            if not value:
                e.add(name, _("This field is required."))
                continue
            user_id = getattr(value, "pk", value)
            team = {u.pk: u for u in team_users(case)}
            person = team.get(int(user_id)) if str(user_id).isdigit() else None
            if person is None:
                e.add(name, _("Choose a member of the case team."))
            clean[name] = person
        elif name == "place":
            text = (value or "").strip()
            if len(text) > PLACE_MAX:
                e.add(name, _("At most %(n)s characters.") % {"n": PLACE_MAX})
            clean[name] = text
        else:  # outcome_note
            clean[name] = (value or "").strip()
    # The time is a local time of day on the delivery's date, in the lead organisation's zone;
    # stored as one moment (delivered_at). Together they must not be in the future either.
    tz = ZoneInfo(case.lead_organisation.time_zone)
    day = clean.get("delivered_on", delivery.delivered_on if delivery else None)
    if "delivered_time" in clean:
        time = clean.pop("delivered_time")
    else:
        time = delivery_local_time(delivery, tz) if delivery else None
    if time is not None and day is None:
        e.add("delivered_time", _("Give the date together with the time."))
    elif "delivered_on" in clean or "delivered_time" in values:
        moment = dt.datetime.combine(day, time, tzinfo=tz) if (day and time) else None
        if moment is not None and moment > now:
            e.add("delivered_time", _("This time is in the future."))
        clean["delivered_at"] = moment
    return clean


def delivery_local_time(delivery: ServiceDelivery | None, tz: ZoneInfo) -> dt.time | None:
    """The delivery's time of day in the given zone, if a time was recorded."""
    if delivery is None or delivery.delivered_at is None:
        return None
    return delivery.delivered_at.astimezone(tz).time().replace(second=0, microsecond=0)


def delivery_save(*, actor: Any, case: Case, values: dict[str, Any], delivery: ServiceDelivery | None = None,
                  complete: bool = False, version: int | None = None) -> ServiceDelivery:
    """Create (``delivery`` None) or change a delivery; only keys present in ``values`` change.

    ``complete=False`` keeps (or makes) it a draft: partial data is fine, but every value given is
    still checked, so a draft never holds a service the organisation does not provide or a date
    outside the case. ``complete=True`` records it: the service and the date are then required.
    A recorded delivery stays recorded (it may have stopped a legal time limit).

    ``version``: for a change, the delivery's version it is based on; raises ``StaleVersion``
    (nothing written) when someone saved the delivery since (``core.concurrency``).
    """
    _check_writable(actor, case)
    if delivery is not None and delivery.case_id != case.pk:
        raise ValidationError(_("This delivery belongs to another case."))
    now, today = _case_today(case)
    e = Errors()
    clean = _clean_delivery(e, case, values, delivery, today, now)
    recorded = complete or (delivery is not None and delivery.status == ServiceDelivery.Status.RECORDED)
    if delivery is not None and delivery.status == ServiceDelivery.Status.RECORDED and not complete:
        e.add("status", _("A recorded delivery cannot go back to draft."))
    if recorded:
        for name in ("service", "delivered_on"):
            current = getattr(delivery, name) if delivery is not None and name not in clean else clean.get(name)
            if current is None:
                e.add(name, _("This field is required to record the delivery."))
    e.raise_if_any()

    with transaction.atomic():
        if delivery is None:
            delivery = ServiceDelivery(
                case=case, organisation_id=case.lead_organisation_id, delivered_by=actor, created_by=actor,
            )
            before = None
        else:
            delivery = ServiceDelivery.objects.select_for_update().get(pk=delivery.pk)
            _delivery_version_check(delivery, version, values, clean, complete)
            before = snapshot(delivery)
            version_bump(delivery)
        for name, value in clean.items():
            setattr(delivery, name, value)
        if recorded and delivery.status != ServiceDelivery.Status.RECORDED:
            delivery.status = ServiceDelivery.Status.RECORDED
            delivery.recorded_at = now
        delivery.save()
        history_record(actor=actor, instance=delivery,
                       action=ChangeRecord.Action.CREATE if before is None else ChangeRecord.Action.UPDATE,
                       before=before, case_id=case.pk)
    return delivery


def _delivery_version_check(delivery: ServiceDelivery, version: int | None, values: dict[str, Any],
                            clean: dict[str, Any], complete: bool) -> None:
    """The version check, comparing what the user reads: services by code, the local time of day."""
    if version is None or str(version) == str(delivery.version):
        return
    tz = ZoneInfo(delivery.case.lead_organisation.time_zone)
    submitted = {k: (getattr(v, "code", None) if k == "service" else v)
                 for k, v in clean.items() if k != "delivered_at"}
    if "delivered_time" in values:
        submitted["delivered_time"] = values["delivered_time"]
    current = {k: getattr(delivery, k) for k in submitted if k not in ("service", "delivered_time")}
    current["service"] = delivery.service.code if delivery.service else None
    current["delivered_time"] = delivery_local_time(delivery, tz)
    if complete:
        submitted["status"], current["status"] = ServiceDelivery.Status.RECORDED, delivery.status
    version_check(delivery, version, submitted=submitted, current=current)


def delivery_discard(*, actor: Any, case: Case, delivery: ServiceDelivery, version: int | None = None) -> None:
    """Delete a draft (a recorded delivery is never deleted). ``version``: the draft's version the
    user saw; a draft someone saved since is not discarded (``StaleVersion``)."""
    _check_writable(actor, case)
    if delivery.case_id != case.pk or delivery.status != ServiceDelivery.Status.DRAFT:
        raise ValidationError(_("Only a draft can be discarded."))
    with transaction.atomic():
        locked = ServiceDelivery.objects.select_for_update().get(pk=delivery.pk)
        version_check(locked, version, submitted={})
        history_record(actor=actor, instance=delivery, action=ChangeRecord.Action.DELETE, before=snapshot(delivery),
                       case_id=case.pk)
        delivery.delete()


# --- applications ----------------------------------------------------------------------------------


def application_record(*, actor: Any, case: Case, applied_on: dt.date | None, applicant_kind: str,
                       note: str = "") -> ServiceApplication:
    """Record an application for services (UU 21/2007 Pasal 51); it starts the 7-day limit of Pasal 52."""
    _check_writable(actor, case)
    _now, today = _case_today(case)
    e = Errors()
    if applied_on is None:
        e.add("applied_on", _("This field is required."))
    _date_checks(e, "applied_on", applied_on, case, today)
    if applicant_kind not in ServiceApplication.Applicant.values:
        e.add("applicant_kind", _("Choose a value from the list."))
    note = (note or "").strip()
    if len(note) > 500:
        e.add("note", _("At most %(n)s characters.") % {"n": 500})
    e.raise_if_any()
    assert applied_on is not None
    with transaction.atomic():
        application = ServiceApplication.objects.create(
            case=case, applied_on=applied_on, applicant_kind=applicant_kind, note=note, recorded_by=actor
        )
        history_record(actor=actor, instance=application, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return application


def application_delete(*, actor: Any, case: Case, application: ServiceApplication) -> None:
    """Remove an application recorded by mistake (its clock goes with it; the history keeps it)."""
    _check_writable(actor, case)
    if application.case_id != case.pk:
        raise ValidationError(_("This application belongs to another case."))
    with transaction.atomic():
        history_record(actor=actor, instance=application, action=ChangeRecord.Action.DELETE,
                       before=snapshot(application), case_id=case.pk)
        application.delete()


# --- escalation --------------------------------------------------------------------------------------

ESCALATION_BATCH = 500


def _supervisors_by_org(org_ids: set[Any]) -> dict[Any, list[User]]:
    found: dict[Any, list[User]] = {}
    for user in User.objects.filter(organisation_id__in=org_ids, is_active=True, roles__role=Role.SUPERVISOR).distinct():
        found.setdefault(user.organisation_id, []).append(user)
    return found


def time_limits_escalate(now: dt.datetime | None = None) -> int:
    """Alert the lead caseworker and the organisation's supervisors of every open case whose legal
    time limit has passed unmet, once per clock (``TimeLimitEscalation`` keeps the record).

    Returns the number of clocks escalated by this run. Safe to run as often as wanted (cron,
    celery beat) and from two workers at once: the unique record decides who alerts.
    """
    now = now or clock.now()
    rules = rules_active()
    if not rules:
        return 0
    escalated = 0
    open_cases = (
        Case.objects.exclude(status=CaseStatus.CLOSED).filter(lead_organisation__is_active=True)
        .select_related("lead_caseworker", "lead_organisation").order_by("pk")
    )
    last_pk = None
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            batch_qs = open_cases if last_pk is None else open_cases.filter(pk__gt=last_pk)
            batch = list(batch_qs[:ESCALATION_BATCH])
            if not batch:
                break
            last_pk = batch[-1].pk
            clocks = clocks_for_cases(batch, rules=rules, now=now)
            overdue = {c.pk: [k for k in clocks[c.pk] if k.state == State.OVERDUE] for c in batch}
            overdue = {pk: ks for pk, ks in overdue.items() if ks}
            if not overdue:
                continue
            done = set(
                TimeLimitEscalation.objects.filter(case_id__in=overdue).values_list("case_id", "clock_key")
            )
            cases = {c.pk: c for c in batch}
            supervisors = _supervisors_by_org({cases[pk].lead_organisation_id for pk in overdue})
            for case_id, case_clocks in overdue.items():
                case = cases[case_id]
                for k in case_clocks:
                    if (case_id, k.key) in done:
                        continue
                    if _escalate_one(case, k, supervisors.get(case.lead_organisation_id, []), now):
                        escalated += 1
    return escalated


def _escalate_one(case: Case, k: Any, supervisors: list[User], now: dt.datetime) -> bool:
    detail = _("Legal time limit passed: %(rule)s (%(source)s), due %(due)s.") % {
        "rule": k.rule.name, "source": k.rule.legal_source, "due": k.due_local.strftime("%Y-%m-%d %H:%M %Z"),
    }
    try:
        with transaction.atomic():
            record = TimeLimitEscalation.objects.create(
                case=case, rule_code=k.rule.code, clock_key=k.key, due_at=k.due_at, escalated_at=now,
            )
            alerts = alert_raise(case=case, recipients=[case.lead_caseworker, *supervisors], kind="time_limit",
                                 detail=detail)
            record.alert_count = len(alerts)
            record.save(update_fields=["alert_count"])
    except IntegrityError:  # another worker escalated this clock at the same moment
        logger.info("time limit %s of case %s already escalated", k.key, case.pk)
        return False
    return True
