"""Bulk paths: ONLY for the benchmark's volumes (``manage.py seed --bulk``; bench/run.py,
bench/load.py, bench/monitoring.py and bench/http_bench.py seed 100,000 to 200,000 survivors).

The demo data set (``make demo``, the tests) is written through the rooms' services by
``demo.story``, so every demo state is one the product can reach. Through the services a survivor
costs a few hundred queries; at benchmark volumes that is hours, so these functions write the same
draws (``demo.draws.SurvivorFactory``, ``demo.recovery.CaseRecoveryFactory``) with ``bulk_create``
and multi-row INSERTs in batches instead. They call no service: no audit ChangeRecords are written
(except the guardian override, as the service writes it), and the rooms' derived values (domain
scores, screening bands, risk levels, plan snapshots, follow-up dates) are computed with the rooms'
own pure rules so they match what the services would store. Encrypted identity fields are still
encrypted, by the field's ``get_prep_value`` on insert. Timestamps are the drawn ones
(``explicit_timestamps`` turns auto_now off while inserting). After a load the planner's statistics
are refreshed (``ANALYZE``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, models, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Organisation, RoleAssignment
from audit.models import ChangeRecord
from care.models import ServiceApplication, ServiceDelivery
from cases.models import Alert, Case, CaseStatus, CaseStatusChange, CaseTeamMember
from demo.draws import DEFAULT_BATCH, SurvivorFactory, explicit_timestamps
from demo.recovery import (
    RECOVERY_MODELS,
    CaseInfo,
    CaseRecoveryFactory,
    RecoveryResult,
    SurvivorView,
    cases_without_recovery_data,
    catalogue_load,
    organisation_services_ensure,
)
from plans.models import Action, Goal, PhaseChange, Plan, PlanRevision
from recovery.models import Answer, Assessment, DomainScore, ScreeningResult
from reintegration.models import Closure, FollowUp
from survivors.models import ConsentRecord, Guardian, Identity, Survivor

BULK_ORDER: tuple[tuple[str, type[models.Model]], ...] = (
    ("survivors", Survivor),
    ("identities", Identity),
    ("cases", Case),
    ("team", CaseTeamMember),
    ("status_changes", CaseStatusChange),
    ("guardians", Guardian),
    ("consents", ConsentRecord),
    ("change_records", ChangeRecord),
)


def analyse_tables() -> None:
    """Refresh the planner's statistics after a bulk load: without them PostgreSQL plans for empty
    tables (and picks nested loops over 50,000 rows) until autovacuum happens to run."""
    tables = [m._meta.db_table for _k, m in BULK_ORDER]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def survivors_bulk(factory: SurvivorFactory, to_add: int, *, batch_size: int = DEFAULT_BATCH,
                   progress: Callable[[str], None] | None = None) -> None:
    """Write ``to_add`` drawn survivors with their cases, in batches of ``batch_size`` bulk inserts."""
    started = time.perf_counter()
    done = 0
    # No query log while seeding: with DEBUG on, every multi-megabyte INSERT would be formatted and kept.
    with override_settings(DEBUG=False), explicit_timestamps(*(m for _k, m in BULK_ORDER)):
        while done < to_add:
            n = min(batch_size, to_add - done)
            out: dict[str, list[Any]] = {k: [] for k, _m in BULK_ORDER}
            for _ in range(n):
                factory.make(out)
            with transaction.atomic():
                for key, model in BULK_ORDER:
                    model._default_manager.bulk_create(out[key], batch_size=batch_size)
            done += n
            if progress:
                elapsed = time.perf_counter() - started
                progress(f"{done:,}/{to_add:,} survivors ({elapsed:.1f} s, {done / max(elapsed, 1e-9):,.0f}/s)")
    analyse_tables()


# --- the batch driver -----------------------------------------------------------------------------

INSERT_ORDER: tuple[tuple[str, type[models.Model]], ...] = (
    ("plans", Plan), ("goals", Goal), ("actions", Action), ("phases", PhaseChange),
    ("assessments", Assessment), ("screenings", ScreeningResult), ("applications", ServiceApplication), ("deliveries", ServiceDelivery),
    ("closures", Closure), ("follow_ups", FollowUp), ("alerts", Alert),
)


ROW_TABLES: tuple[tuple[str, type[models.Model], tuple[str, ...]], ...] = (
    ("answers", Answer, ("assessment", "item", "value")),
    ("domain_scores", DomainScore, ("assessment", "domain", "score")),
)


def _rows_insert(model: type[models.Model], field_names: tuple[str, ...], rows: list[tuple[Any, ...]],
                 chunk: int = 500) -> None:
    """Insert plain tuples with multi-row INSERTs: the ORM's per-object cost is most of the time
    for these narrow tables. Values are prepared by the fields (UUIDs, decimals) like the ORM does."""
    if not rows:
        return
    fields: list[Any] = [model._meta.get_field(n) for n in field_names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    caches: list[dict[Any, Any]] = [{} for _ in fields]

    def prep(i: int, value: Any) -> Any:
        cache = caches[i]
        if value not in cache:
            cache[value] = fields[i].get_db_prep_save(value, connection)
        return cache[value]

    table = connection.ops.quote_name(model._meta.db_table)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            params = [prep(i, v) for row in part for i, v in enumerate(row)]
            # Table and column names come from the model; every value is a parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(part))  # noqa: S608
            cursor.execute(sql, params)


def _case_infos(case_ids: list[Any]) -> list[CaseInfo]:
    rows = list(Case.objects.filter(pk__in=case_ids).values_list(
        "id", "survivor__code", "status", "identified_on", "opened_at", "closed_at", "lead_organisation_id",
        "lead_caseworker_id", "channel", "urgent_needs", "survivor__is_child_at_exploitation",
        "survivor__age_band"))
    history: dict[Any, list[tuple[str, dt.datetime, int]]] = {}
    reasons: dict[Any, list[str]] = {}
    for case_id, to_status, at, by, reason in CaseStatusChange.objects.filter(case_id__in=case_ids).order_by(
            "case_id", "changed_at", "id").values_list("case_id", "to_status", "changed_at", "changed_by_id",
                                                       "reason"):
        history.setdefault(case_id, []).append((to_status, at, by))
        reasons.setdefault(case_id, []).append(reason)
    roles: dict[int, set[str]] = {}
    team: dict[Any, list[int]] = {}
    for case_id, user_id in CaseTeamMember.objects.filter(case_id__in=case_ids).order_by("id").values_list(
            "case_id", "user_id"):
        team.setdefault(case_id, []).append(user_id)
    member_ids = {u for users in team.values() for u in users}
    for user_id, role in RoleAssignment.objects.filter(user_id__in=member_ids).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    infos = []
    for pk, code, status, identified, opened, closed, org, lead, channel, urgent, child_expl, band in rows:
        by_role: dict[str, list[int]] = {}
        for user_id in team.get(pk, []):
            for role in sorted(roles.get(user_id, ())):
                by_role.setdefault(role, []).append(user_id)
        infos.append(CaseInfo(pk, code, status, identified, opened, closed, org, lead, channel, list(urgent or []),
                              SurvivorView(child_expl, band),
                              history.get(pk) or [(CaseStatus.INTAKE, opened, lead)], by_role, reasons.get(pk, [])))
    order = {pk: i for i, pk in enumerate(case_ids)}
    return sorted(infos, key=lambda i: order[i.pk])


def recovery_bulk(orgs: dict[str, Organisation], *, seed_value: int = 42, batch_size: int = 2000,
                  progress: Callable[[str], None] | None = None) -> RecoveryResult:
    """Fill in the recovery data of every demo case that has none yet (see the module docstring)."""
    result = RecoveryResult()
    organisation_services_ensure(orgs)
    cat = catalogue_load(orgs)
    if cat is None:
        return result
    case_ids = cases_without_recovery_data(orgs)
    if not case_ids:
        return result
    factory = CaseRecoveryFactory(cat, seed_value=seed_value, now=timezone.now())
    totals: dict[str, int] = {key: 0 for key, _m in INSERT_ORDER}
    totals["revisions"] = 0
    with explicit_timestamps(*RECOVERY_MODELS):
        for start in range(0, len(case_ids), batch_size):
            chunk = case_ids[start:start + batch_size]
            out: dict[str, list[Any]] = {key: [] for key, _m in INSERT_ORDER}
            for key, _m, _f in ROW_TABLES:
                out[key] = []
            out["revisions_pending"] = []
            for info in _case_infos(chunk):
                factory.make(info, out)
            with transaction.atomic():
                for key, model in INSERT_ORDER:
                    model.objects.bulk_create(out[key], batch_size=batch_size)  # type: ignore[attr-defined]
                    totals[key] += len(out[key])
                    if key == "actions":
                        # Goals and actions have their ids now: the plan revisions can snapshot them.
                        revisions = []
                        for revs, goal_rows in out["revisions_pending"]:
                            plan = revs[0][0].plan
                            for rev, as_planned in revs:
                                rev.snapshot = factory.snapshot(goal_rows, as_planned, plan.priorities)
                                revisions.append(rev)
                        PlanRevision.objects.bulk_create(revisions, batch_size=batch_size)
                        totals["revisions"] += len(revisions)
                    if key == "assessments":
                        for row_key, row_model, names in ROW_TABLES:
                            _rows_insert(row_model, names, out[row_key])
                            totals[row_key] = totals.get(row_key, 0) + len(out[row_key])
            result.cases += len(chunk)
            if progress:
                progress(f"recovery data: {result.cases:,}/{len(case_ids):,} cases")
    result.rows = totals
    analyse_recovery_tables()
    return result


def analyse_recovery_tables() -> None:
    tables = [m._meta.db_table for m in RECOVERY_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

