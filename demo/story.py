"""The demo data set, written through the rooms' services (as Zulip builds its development data
through its actions), so every demo state is one the product can reach, with its audit records.

For each new survivor ``demo.draws.SurvivorFactory`` draws who they are and the walk of their case,
and ``demo.recovery.CaseRecoveryFactory`` the recovery history (assessments, plan, phases, services,
closures, follow-ups); nothing drawn is saved as drawn. The draws become a time line of events, each
a service call made with the clock (``django.utils.timezone.now``, hence ``core.clock``) moved by
``time_machine`` to the event's moment, so histories look like months of work:
``survivor_register``, ``case_intake_update``, ``consent_record``, ``case_team_add``,
``case_transition``, ``application_record``, ``assessment_start``/``assessment_save_draft``/
``assessment_complete``, ``phase_change``, ``plan_save``/``plan_submit``/``plan_approve``,
``delivery_save``, ``case_close``, ``follow_up_record``/``follow_up_miss``, ``case_reopen`` and
``alert_mark_read``. The services compute what they always compute (scores, screening bands, risk
levels, alerts, plan snapshots, follow-up schedules).

Two adjustments keep the drawn time line inside what the services allow: the case team is formed
right after registration (a delivery or screening needs its author on the team), and an event that
needs an open case but falls while the case is closed is moved to just before the closure. An event
a service still refuses is not written (counted in ``Told.refused``; ``demo/tests`` keeps it at zero
for the test sizes): the demo never holds a state the services would not write.

Random but deterministic: the draws come from seeded streams (``--seed``); only the survivor codes
are the service's own (``survivors.services.survivor_code_new``). Needs ``time_machine`` (in
requirements-dev.txt, which ``make demo`` installs).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from care import services as care_services
from care.models import Service, ServiceApplication, ServiceDelivery
from cases import services as case_services
from cases.models import Alert, Case, CaseStatus, CaseStatusChange, CaseTeamMember
from demo.clock import clock_at
from demo.draws import CLOSURE_REASON_BY_TEXT, OVERRIDE_MODEL, SurvivorFactory
from demo.recovery import CaseInfo, CaseRecoveryFactory, Catalogue, SurvivorView, catalogue_load
from plans import services as plan_services
from plans.models import Goal, PhaseChange, Plan, PlanRevision
from recovery import services as recovery_services
from recovery.models import Assessment
from reintegration import services as reintegration_services
from reintegration.models import Closure, FollowUp, FollowUpStatus
from survivors import services as survivor_services
from survivors.models import ConsentRecord, Guardian, Identity, Survivor

Progress = Callable[[str], None]

# Drawn lists of one survivor (demo.draws.SurvivorFactory.make) and of one case's recovery data.
SURVIVOR_KEYS = ("survivors", "identities", "cases", "team", "status_changes", "guardians", "consents",
                 "change_records")
RECOVERY_KEYS = ("plans", "goals", "actions", "phases", "assessments", "screenings", "applications", "deliveries",
                 "closures", "follow_ups", "alerts", "answers", "domain_scores", "revisions_pending")
REFUSED = (ValidationError, PermissionDenied)
# Alerts older than this when the demo is seeded were read by their recipient a day after.
ALERT_READ_AFTER = dt.timedelta(days=14)


@dataclass
class Told:
    survivors: int = 0
    recovery_cases: int = 0
    refused: int = 0
    refusals: list[str] = field(default_factory=list)  # the first few, to read


@dataclass(order=True)
class Event:
    at: dt.datetime
    order: int  # at the same moment: status changes first, then what they allow
    seq: int
    label: str = field(compare=False)
    call: Callable[[], Any] = field(compare=False)
    needs_open: bool = field(compare=False, default=True)


class CaseStory:
    """One survivor's case: the drawn records turned into service calls, in time order."""

    def __init__(self, teller: Teller, drawn: dict[str, list[Any]]) -> None:
        self.teller = teller
        self.survivor: Survivor = drawn["survivors"][0]
        self.identity: Identity = drawn["identities"][0]
        self.drawn_case: Case = drawn["cases"][0]
        self.team: list[CaseTeamMember] = drawn["team"]
        self.changes: list[CaseStatusChange] = drawn["status_changes"]
        self.guardian: Guardian | None = drawn["guardians"][0] if drawn["guardians"] else None
        self.consents: list[ConsentRecord] = drawn["consents"]
        overrides = [r for r in drawn["change_records"] if r.model == OVERRIDE_MODEL]
        self.override_reason: str = overrides[0].changes["reason"][1] if overrides else ""
        self.case: Case | None = None
        self.events: list[Event] = []
        # The drawn objects' saved counterparts.
        self.goal_ids: dict[int, int] = {}  # id(drawn goal) -> saved goal pk
        self.action_ids: dict[int, int] = {}  # id(drawn action) -> saved action pk
        self.closures: list[Closure] = []
        self.closures_drawn: list[Closure] = []  # drawn closures not yet written, oldest first

    # -- helpers --
    def user(self, pk: int | None) -> User:
        assert pk is not None
        return self.teller.users[pk]

    def add(self, at: dt.datetime, label: str, call: Callable[[], Any], *, order: int = 5,
            needs_open: bool = True) -> None:
        at = min(at, self.teller.now - dt.timedelta(minutes=1))
        self.events.append(Event(at, order, len(self.events), label, call, needs_open))

    def fresh(self) -> Case:
        assert self.case is not None
        case = Case.objects.select_related("survivor", "lead_organisation").get(pk=self.case.pk)
        self.case = case
        return case

    # -- registration --
    def register(self) -> Case | None:
        s, i, c = self.survivor, self.identity, self.drawn_case
        g = self.guardian
        data = survivor_services.RegistrationInput(
            full_name=i.full_name, sex=s.sex, identified_on=c.identified_on, channel=c.channel, aliases=i.aliases,
            nik=i.nik, birth_date=dt.date.fromisoformat(i.birth_date) if i.birth_date else None,
            age_band="" if i.birth_date else s.age_band, phone_numbers=i.phone_numbers, address=i.address,
            origin_province=s.origin_province_id or "", origin_regency=s.origin_regency_id or "",
            nationality=s.nationality, identification_region=c.identification_region_id or "",
            guardian=survivor_services.GuardianInput(full_name=g.full_name, relationship=g.relationship,
                                                     phone=g.phone, is_suspect=g.is_suspect) if g else None,
            guardian_override_reason=self.override_reason, lead_caseworker_id=c.lead_caseworker_id,
        )
        with clock_at(min(c.opened_at, self.teller.now - dt.timedelta(minutes=1))):
            try:
                case: Case = survivor_services.survivor_register(actor=self.user(c.lead_caseworker_id), data=data)
            except REFUSED as exc:
                self.teller.refuse(f"register {s.code}", exc)
                return None
        self.case = case
        return case

    # -- the time line --
    def plan_events(self, recovery: dict[str, list[Any]] | None) -> None:
        c = self.drawn_case
        opened = c.opened_at
        lead = c.lead_caseworker_id
        self.add(opened + dt.timedelta(minutes=2), "intake", self.intake, order=1)
        if self.changes[1:] and c.trafficking_status != "possible":
            decided = self.changes[1].changed_at - dt.timedelta(hours=1)
            self.add(max(decided, opened + dt.timedelta(minutes=3)), "status decision", self.status_decided, order=1)
        for n, member in enumerate(m for m in self.team if m.user_id != lead):
            self.add(opened + dt.timedelta(minutes=4 + n), "team", self.team_add(member), order=1)
        for consent in self.consents:
            self.add(max(consent.recorded_at, opened + dt.timedelta(minutes=10)), "consent", self.consent(consent),
                     order=1)
        for change in self.changes[1:]:
            self.add(change.changed_at, f"status {change.to_status}", self.transition(change), order=0,
                     needs_open=False)
        if recovery is not None:
            self.recovery_events(recovery)

    def closed_intervals(self) -> list[tuple[dt.datetime, dt.datetime]]:
        out: list[tuple[dt.datetime, dt.datetime]] = []
        closed_at: dt.datetime | None = None
        for change in self.changes:
            if change.to_status == CaseStatus.CLOSED:
                closed_at = change.changed_at
            elif change.to_status == CaseStatus.REOPENED and closed_at is not None:
                out.append((closed_at, change.changed_at))
                closed_at = None
        if closed_at is not None:
            out.append((closed_at, dt.datetime.max.replace(tzinfo=dt.UTC)))
        return out

    def run(self) -> None:
        closed = self.closed_intervals()
        for event in self.events:
            if event.needs_open:
                for start, end in closed:
                    if start <= event.at < end:
                        event.at = start - dt.timedelta(minutes=1)
                        event.order = 9  # after the other events of the minute before the closure
        for event in sorted(self.events):
            with clock_at(event.at):
                try:
                    event.call()
                except REFUSED as exc:
                    self.teller.refuse(f"{event.label} at {event.at.isoformat()}", exc)

    # -- calls --
    def intake(self) -> None:
        c = self.drawn_case
        values = {
            name: getattr(c, name) for name in (
                "tppo_process", "tppo_means", "tppo_purpose", "ilo_indicators", "exploitation_types", "urgent_needs",
                "forced_labour_industry", "recruitment_method", "recruiter_relation", "modus",
                "exploitation_started_on", "exploitation_ended_on", "intake_notes",
            )
        }
        # Country fields hold django_countries' Country objects: the service takes the codes.
        for name in ("identification_country", "recruitment_country", "exploitation_country"):
            values[name] = str(getattr(c, name) or "")
        values["transit_countries"] = [str(code) for code in c.transit_countries or []]
        values["recruitment_region"] = c.recruitment_region_id
        values["exploitation_region"] = c.exploitation_region_id
        case_services.case_intake_update(actor=self.user(c.lead_caseworker_id), case=self.fresh(), values=values)

    def status_decided(self) -> None:
        c = self.drawn_case
        case_services.case_intake_update(
            actor=self.user(c.lead_caseworker_id), case=self.fresh(),
            values={"trafficking_status": c.trafficking_status, "status_decided_by": c.status_decided_by})

    def team_add(self, member: CaseTeamMember) -> Callable[[], None]:
        def call() -> None:
            case_services.case_team_add(actor=self.user(member.added_by_id), case=self.fresh(), user_id=member.user_id)
        return call

    def consent(self, drawn: ConsentRecord) -> Callable[[], None]:
        def call() -> None:
            guardian_id = None
            if drawn.given_by == ConsentRecord.GivenBy.GUARDIAN:
                case = self.fresh()
                guardian_id = Guardian.objects.filter(survivor_id=case.survivor_id).values_list(
                    "pk", flat=True).first()
            survivor_services.consent_record(
                actor=self.user(drawn.recorded_by_id), case=self.fresh(),
                data=survivor_services.ConsentInput(
                    purpose=drawn.purpose, lawful_basis=drawn.lawful_basis, given_by=drawn.given_by,
                    given_on=drawn.given_on, scope=drawn.scope,
                    recipient_organisation_id=drawn.recipient_organisation.pk if drawn.recipient_organisation
                    else None,
                    guardian_id=guardian_id, basis_reason=drawn.basis_reason, expires_on=drawn.expires_on,
                ))
        return call

    def transition(self, change: CaseStatusChange) -> Callable[[], None]:
        def call() -> None:
            actor = self.user(change.changed_by_id)
            case = self.fresh()
            if change.to_status == CaseStatus.CLOSED:
                drawn = self.closures_drawn.pop(0) if self.closures_drawn else None
                reason = drawn.reason if drawn else CLOSURE_REASON_BY_TEXT.get(change.reason, "survivor_choice")
                closure = reintegration_services.case_close(
                    actor=self.user(drawn.closed_by_id) if drawn else actor, case=case, reason=reason,
                    note=drawn.note if drawn else "", follow_up_declined=drawn.follow_up_declined if drawn else False)
                self.closures.append(closure)
            elif change.to_status == CaseStatus.REOPENED:
                reintegration_services.case_reopen(actor=actor, case=case, reason=change.reason)
            else:
                case_services.case_transition(actor=actor, case=case, to_status=change.to_status,
                                              reason=change.reason)
        return call

    # -- recovery --
    def recovery_events(self, rec: dict[str, list[Any]]) -> None:
        cat = self.teller.catalogue
        assert cat is not None
        for app in rec["applications"]:
            self.add(app.created_at, "application", self.application(app))
        answers: dict[Any, dict[int, int]] = {}
        for assessment_pk, item_id, value in rec["answers"]:
            answers.setdefault(assessment_pk, {})[self.teller.item_numbers[item_id]] = value
        for a in rec["assessments"]:
            self.add(a.updated_at, f"assessment {a.kind}", self.assessment(a, answers.get(a.pk, {})),
                     needs_open=a.kind not in recovery_services.KINDS_AFTER_CLOSURE)
        for phase in rec["phases"]:
            self.add(phase.changed_at, "phase", self.phase(phase))
        for revisions, goal_rows in rec["revisions_pending"]:
            for n, (revision, as_planned) in enumerate(revisions):
                # A revision is decided before the next one is saved (saving replaces an undecided one).
                until = revisions[n + 1][0].created_at if n + 1 < len(revisions) else None
                saved = revision.created_at
                self.add(saved, f"plan revision {revision.number}",
                         self.plan_save(revision, goal_rows, as_planned), order=2)
                submitted = max(revision.submitted_at or saved, saved)
                if until is not None:
                    submitted = max(saved, min(submitted, until - dt.timedelta(minutes=2)))
                if revision.submitted_at is not None:
                    self.add(submitted, f"plan submit {revision.number}", self.plan_submit(revision), order=3)
                if revision.decided_at is not None:
                    decided = max(revision.decided_at, submitted)
                    if until is not None:
                        decided = max(submitted, min(decided, until - dt.timedelta(minutes=1)))
                    self.add(decided, f"plan approve {revision.number}", self.plan_approve(revision), order=4)
        for d in rec["deliveries"]:
            self.add(d.recorded_at, "delivery", self.delivery(d))
        # Closures are drawn in the order of the case's closures; case_close takes the next one.
        self.closures_drawn = list(rec["closures"])
        for f in rec["follow_ups"]:
            if f.status in (FollowUpStatus.DONE, FollowUpStatus.MISSED) and f.recorded_at is not None:
                self.add(f.recorded_at, f"follow-up {f.status}", self.follow_up(f, rec["closures"]),
                         needs_open=False)

    def application(self, app: ServiceApplication) -> Callable[[], None]:
        def call() -> None:
            care_services.application_record(actor=self.user(app.recorded_by_id), case=self.fresh(),
                                             applied_on=app.applied_on, applicant_kind=app.applicant_kind,
                                             note=app.note)
        return call

    def assessment(self, drawn: Assessment, answers: dict[int, int]) -> Callable[[], None]:
        def call() -> None:
            case = self.fresh()
            actor = self.user(drawn.recorded_by_id)
            started = recovery_services.assessment_start(
                actor=actor, case=case, instrument=drawn.instrument, kind=drawn.kind, assessed_on=drawn.assessed_on,
                answers=answers if drawn.status == Assessment.Status.DRAFT else None)
            if drawn.status != Assessment.Status.DRAFT:
                recovery_services.assessment_complete(actor=actor, case=case, assessment=started, answers=answers)
                self.teller.mark_alerts_read(case)
        return call

    def phase(self, drawn: PhaseChange) -> Callable[[], None]:
        def call() -> None:
            plan_services.phase_change(actor=self.user(drawn.changed_by_id), case=self.fresh(), phase=drawn.phase,
                                       reason=drawn.reason)
        return call

    def plan_save(self, revision: PlanRevision, goal_rows: list[tuple[Goal, list[Any]]],
                  as_planned: bool) -> Callable[[], None]:
        plan: Plan = revision.plan

        def call() -> None:
            case = self.fresh()
            saved = Plan.objects.filter(case=case).first()
            goals = []
            for goal, actions in goal_rows:
                goals.append(plan_services.GoalInput(
                    id=self.goal_ids.get(id(goal)), domain=goal.domain, description=goal.description,
                    status="open" if as_planned else goal.status,
                    actions=[plan_services.ActionInput(
                        id=self.action_ids.get(id(a)), description=a.description,
                        responsible_organisation_id=a.responsible_organisation_id,
                        responsible_user_id=a.responsible_user_id, responsible_name=a.responsible_name,
                        target_date=a.target_date, status="open" if as_planned else a.status,
                    ) for a in actions],
                ))
            result = plan_services.plan_save(actor=self.user(revision.author_id), case=case,
                                             version=saved.version if saved else 0,
                                             data=plan_services.PlanInput(priorities=plan.priorities, goals=goals))
            if not self.goal_ids:
                by_domain = {g.domain: g for g in result.goals.prefetch_related("actions")}
                for goal, actions in goal_rows:
                    real = by_domain[goal.domain]
                    self.goal_ids[id(goal)] = real.pk
                    real_actions = {a.description: a.pk for a in real.actions.all()}
                    for a in actions:
                        self.action_ids[id(a)] = real_actions[a.description]
        return call

    def plan_submit(self, revision: PlanRevision) -> Callable[[], None]:
        def call() -> None:
            plan_services.plan_submit(actor=self.user(revision.submitted_by_id or revision.author_id),
                                      case=self.fresh(), revision=revision.number)
        return call

    def plan_approve(self, revision: PlanRevision) -> Callable[[], None]:
        def call() -> None:
            assert revision.decided_by_id is not None
            plan_services.plan_approve(actor=self.user(revision.decided_by_id), case=self.fresh(),
                                       revision=revision.number)
        return call

    def delivery(self, drawn: ServiceDelivery) -> Callable[[], None]:
        def call() -> None:
            case = self.fresh()
            tz = ZoneInfo(case.lead_organisation.time_zone)
            values: dict[str, Any] = {
                "service": self.teller.service_codes[drawn.service_id or 0], "delivered_on": drawn.delivered_on,
                "place": drawn.place, "place_region": drawn.place_region_id, "duration_minutes": drawn.duration_minutes,
                "outcome_note": drawn.outcome_note, "delivered_by": drawn.delivered_by_id,
                "goal": self.goal_ids.get(id(drawn.goal)) if drawn.goal is not None else None,
            }
            if drawn.delivered_at is not None:
                values["delivered_time"] = drawn.delivered_at.astimezone(tz).time().replace(second=0, microsecond=0)
            care_services.delivery_save(actor=self.user(drawn.created_by_id), case=case, values=values, complete=True)
        return call

    def follow_up(self, drawn: FollowUp, drawn_closures: list[Closure]) -> Callable[[], None]:
        index = next(n for n, c in enumerate(drawn_closures) if c is drawn.closure)

        def call() -> None:
            case = self.fresh()
            if index >= len(self.closures):
                raise ValidationError(f"closure {index} was not written")
            real = FollowUp.objects.get(closure=self.closures[index], months_after=drawn.months_after)
            actor = self.user(drawn.done_by_id) if drawn.done_by_id else self.user(case.lead_caseworker_id)
            if drawn.status == FollowUpStatus.MISSED:
                reintegration_services.follow_up_miss(actor=actor, case=case, follow_up=real, notes=drawn.notes)
            else:
                reintegration_services.follow_up_record(
                    actor=actor, case=case, follow_up=real, done_on=drawn.done_on, contact_mode=drawn.contact_mode,
                    notes=drawn.notes, answers=dict(drawn.risk_answers or {}))
                self.teller.mark_alerts_read(case)
        return call


class Teller:
    """Writes new survivors' stories through the services (see the module docstring)."""

    def __init__(self, orgs: dict[str, Organisation], *, seed_value: int, now: dt.datetime) -> None:
        self.orgs = orgs
        self.now = now
        self.users: dict[int, User] = {
            u.pk: u for u in User.objects.filter(organisation__in=list(orgs.values())).select_related("organisation")
            .prefetch_related("roles")
        }
        self.catalogue: Catalogue | None = catalogue_load(orgs)
        self.recovery: CaseRecoveryFactory | None = (
            CaseRecoveryFactory(self.catalogue, seed_value=seed_value, now=now) if self.catalogue else None)
        self.item_numbers: dict[int, int] = {}
        if self.catalogue is not None:
            refs = [*self.catalogue.shrs_items, *(i for _inst, items in self.catalogue.screens.values() for i in items)]
            self.item_numbers = {i.id: i.number for i in refs}
        self.service_codes: dict[int, str] = dict(Service.objects.values_list("id", "code"))
        self.told = Told()

    def refuse(self, what: str, exc: Exception) -> None:
        self.told.refused += 1
        if len(self.told.refusals) < 20:
            detail = exc.message_dict if isinstance(exc, ValidationError) and hasattr(exc, "error_dict") else exc
            self.told.refusals.append(f"{what}: {detail}")

    def mark_alerts_read(self, case: Case) -> None:
        """Alerts the services just raised that are old by now were read a day later, by their recipient."""
        moment = timezone.now()
        if moment >= self.now - ALERT_READ_AFTER:
            return
        unread = list(Alert.objects.filter(case=case, read_at=None, created_at__gte=moment - dt.timedelta(minutes=1))
                      .values_list("pk", "recipient_id"))
        with clock_at(moment + dt.timedelta(days=1)):
            for alert_id, recipient_id in unread:
                case_services.alert_mark_read(user=User.objects.get(pk=recipient_id), alert_id=alert_id)

    def case_info(self, story: CaseStory) -> CaseInfo:
        c = story.drawn_case
        roles: dict[str, list[int]] = {}
        for member in story.team:
            for role in sorted(self.users[member.user_id].roles.values_list("role", flat=True)):
                roles.setdefault(role, []).append(member.user_id)
        # The last close's time (drawn) is the case's closed_at as case_close writes it.
        closed = c.closed_at if c.status == CaseStatus.CLOSED else None
        return CaseInfo(
            pk=c.pk, code=story.survivor.code, status=c.status, identified_on=c.identified_on, opened_at=c.opened_at,
            closed_at=closed, org_id=c.lead_organisation_id, lead_id=c.lead_caseworker_id, channel=c.channel,
            urgent_needs=list(c.urgent_needs or []),
            survivor=SurvivorView(story.survivor.is_child_at_exploitation, story.survivor.age_band),
            history=[(ch.to_status, ch.changed_at, ch.changed_by_id) for ch in story.changes], team=roles,
            reasons=[ch.reason for ch in story.changes],
        )

    def tell(self, drawn: dict[str, list[Any]], *, recovery: bool) -> None:
        story = CaseStory(self, drawn)
        rec: dict[str, list[Any]] | None = None
        if recovery and self.recovery is not None:
            rec = {k: [] for k in RECOVERY_KEYS}
            self.recovery.make(self.case_info(story), rec)
        with transaction.atomic():
            if story.register() is None:
                return
            story.plan_events(rec)
            story.run()
        self.told.survivors += 1
        if rec is not None:
            self.told.recovery_cases += 1


def survivors_tell(orgs: dict[str, Organisation], factory: SurvivorFactory, to_add: int, *, seed_value: int,
                   recovery: bool = True, progress: Progress | None = None) -> Told:
    """Draw ``to_add`` new survivors and write each one's story through the services."""
    started = time.perf_counter()
    teller = Teller(orgs, seed_value=seed_value, now=factory.now)
    for n in range(1, to_add + 1):
        drawn: dict[str, list[Any]] = {k: [] for k in SURVIVOR_KEYS}
        factory.make(drawn)
        teller.tell(drawn, recovery=recovery)
        if progress and (n % 20 == 0 or n == to_add):
            elapsed = time.perf_counter() - started
            progress(f"{n:,}/{to_add:,} survivors through the services ({elapsed:.1f} s)")
    if progress and teller.told.refused:
        progress(f"{teller.told.refused} drawn events refused by the services (not written); first ones:")
        for line in teller.told.refusals[:5]:
            progress(f"  {line}")
    return teller.told
