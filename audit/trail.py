"""The trail: the tables that only ever grow, and what the application's database role may do.

In production the application connects as a role that owns nothing and may only INSERT and SELECT
on these tables (`manage.py grant_app_role`, docs/privacy.md "The trail"), so neither a bug nor an
intruder in the application can rewrite, empty or unprotect them. A few columns that record a later
event on a row (a withdrawal, an approval decision) may be updated, and only those columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class TrailTable:
    label: str  # app_label.ModelName
    why: str
    updatable: tuple[str, ...] = ()  # field names the application may still UPDATE (column grants)


TRAIL: tuple[TrailTable, ...] = (
    TrailTable("audit.ChangeRecord", "the change history of every record (hash-chained)"),
    TrailTable("audit.AccessLogEntry", "who saw which case or identity (hash-chained)"),
    TrailTable("cases.CaseStatusChange", "the status history of a case"),
    TrailTable(
        "plans.PlanRevision", "each saved version of a rehabilitation plan",
        # the snapshot never changes; its approval moves draft -> submitted -> approved/returned/superseded
        updatable=("status", "submitted_by", "submitted_at", "decided_by", "decided_at", "decision_comment"),
    ),
    TrailTable(
        "survivors.ConsentRecord", "consents and lawful bases, versioned (a change is a new record)",
        # a withdrawal is recorded on the record it withdraws (survivors.services.consent_withdraw)
        updatable=("withdrawn_at", "withdrawal_reason"),
    ),
    TrailTable("releases.PrivacyLedgerEntry", "the differential-privacy budget each release spent"),
)


def trail_models() -> list[tuple[TrailTable, type[models.Model]]]:
    """The trail's models that this installation has (a room that is not installed is left out)."""
    found = []
    for table in TRAIL:
        try:
            found.append((table, apps.get_model(table.label)))
        except LookupError:
            continue
    return found


def updatable_columns(table: TrailTable, model: type[models.Model]) -> list[str]:
    return [str(model._meta.get_field(name).column) for name in table.updatable]  # type: ignore[union-attr]
