"""The migration that adds the hash chain links the rows written before it, in id order, and reverses."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AccessLogEntry, ChangeRecord
from audit.services import access_log_write
from conftest import Personas

BEFORE, AFTER = [("audit", "0004_more_kinds")], [("audit", "0007_trail_chain_unique")]


def migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_linked_in_id_order_and_the_migration_reverses(personas: Personas) -> None:
    from cases.services import case_intake_update

    for i in range(4):
        access_log_write(user=personas.a_caseworker, what=AccessLogEntry.What.CASE_FILE, case_id=personas.case_a.pk)
        case_intake_update(actor=personas.a_caseworker, case=personas.case_a, values={"intake_notes": f"n{i}"})
    counts = {m: m.objects.count() for m in (AccessLogEntry, ChangeRecord)}
    try:
        migrate(BEFORE)  # the columns are gone: the rows are as an installation before the chain has them
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_accesslogentry")
            assert cursor.fetchone() == (counts[AccessLogEntry],)
    finally:
        migrate(AFTER)
    for model in (AccessLogEntry, ChangeRecord):
        assert model.objects.count() == counts[model]
        rows = list(model.objects.order_by("pk").values_list("chain_seq", flat=True))
        assert rows == list(range(1, counts[model] + 1))
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert f"audit_accesslogentry: intact, {counts[AccessLogEntry]:,} rows" in out.getvalue()
    assert f"audit_changerecord: intact, {counts[ChangeRecord]:,} rows" in out.getvalue()
    # and the chain goes on from the linked rows
    access_log_write(user=personas.a_caseworker, what=AccessLogEntry.What.IDENTITY, case_id=personas.case_a.pk)
    assert AccessLogEntry.objects.latest("chain_seq").chain_seq == counts[AccessLogEntry] + 1
    call_command("verify_trail", stdout=io.StringIO())
