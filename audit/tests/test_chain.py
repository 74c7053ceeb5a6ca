"""The hash chain of the access log and the change history: written on every path, verified by
``manage.py verify_trail``, which finds a row edited, deleted or forged behind the application's back."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction

from audit.chain import chain_fields, link
from audit.models import AccessLogEntry, ChangeRecord
from audit.services import access_log_write, history_record
from conftest import Personas

TABLES: dict[str, Any] = {"access_log": AccessLogEntry, "history": ChangeRecord}


def verify() -> str:
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    return out.getvalue()


def verify_broken() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_trail", stdout=io.StringIO())
    return str(failure.value)


def behind_the_back(sql: str, params: list[Any]) -> None:
    """Raw SQL as an owner with direct database access would run it (on PostgreSQL with the
    access log's append-only trigger out of the way, as a superuser could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def write_trail(personas: Personas, n: int = 5) -> None:
    from cases.services import case_intake_update

    for i in range(n):
        access_log_write(user=personas.a_caseworker, what=AccessLogEntry.What.CASE_FILE, case_id=personas.case_a.pk)
        case_intake_update(actor=personas.a_caseworker, case=personas.case_a,
                           values={"intake_notes": f"catatan {i}"})


def test_every_write_links_into_one_chain_and_verifies_intact(personas: Personas) -> None:
    write_trail(personas)
    AccessLogEntry.objects.bulk_create([
        AccessLogEntry(user=personas.a_supervisor, what=AccessLogEntry.What.EXPORT, case_id=personas.case_a.pk)
        for _ in range(3)
    ])
    for model in (AccessLogEntry, ChangeRecord):
        seqs = list(model.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert all(len(h) == 64 for h in model.objects.values_list("chain_hash", flat=True))
    out = verify()
    assert f"audit_accesslogentry: intact, {AccessLogEntry.objects.count():,} rows" in out
    assert f"audit_changerecord: intact, {ChangeRecord.objects.count():,} rows" in out


def test_trail_rows_cannot_be_changed_or_deleted_through_the_orm(personas: Personas) -> None:
    write_trail(personas, n=1)
    record = ChangeRecord.objects.latest("chain_seq")
    record.changes = {}
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        ChangeRecord.objects.filter(pk=record.pk).update(changes={})
    with pytest.raises(PermissionError):
        ChangeRecord.objects.all().delete()
    with pytest.raises(ValueError):
        ChangeRecord.objects.bulk_create([ChangeRecord(model="x", object_id="1", action="create")],
                                         ignore_conflicts=True)
    assert "intact" in verify()


def _middle(model: Any) -> Any:
    rows = list(model.objects.order_by("chain_seq"))
    return rows[len(rows) // 2], rows[len(rows) // 2 + 1]


def edit_field(model: Any) -> Any:
    row, _next = _middle(model)
    column, value = ("what", "photo") if model is AccessLogEntry else ("changes", '{"intake_notes": ["a", "b"]}')
    behind_the_back(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, row.pk])
    return row.pk, "content or hash does not match"


def edit_time(model: Any) -> Any:
    row, _next = _middle(model)
    behind_the_back(f"UPDATE {model._meta.db_table} SET at = %s WHERE id = %s",
                    [row.at.replace(year=row.at.year - 1), row.pk])
    return row.pk, "content or hash does not match"


def delete_middle(model: Any) -> Any:
    row, following = _middle(model)
    behind_the_back(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [row.pk])
    return following.pk, f"link {row.chain_seq} before this row are missing"


def forge_row(model: Any) -> Any:
    """A row added with the next link number and a hash made without the key (here: a guessed key)."""
    last = model.objects.latest("chain_seq")
    fields = chain_fields(model)
    values = [getattr(last, f.attname) for f in fields]
    forged = link(model._meta.db_table, last.chain_seq + 1, last.chain_hash, fields, values, key=b"a guessed key")
    columns = ", ".join(f.column for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({columns}, chain_seq, chain_hash) "
            f"SELECT {columns}, %s, %s FROM {model._meta.db_table} WHERE id = %s",
            [last.chain_seq + 1, forged, last.pk],
        )
    return model.objects.latest("chain_seq").pk, "content or hash does not match"


def rewrite_hash(model: Any) -> Any:
    """Someone recomputes a row's hash after editing it, but without the key."""
    row, _next = _middle(model)
    behind_the_back(f"UPDATE {model._meta.db_table} SET chain_hash = %s WHERE id = %s", ["0" * 64, row.pk])
    return row.pk, "content or hash does not match"


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("tamper", [edit_field, edit_time, delete_middle, forge_row, rewrite_hash],
                         ids=lambda f: f.__name__)
def test_tampering_behind_the_applications_back_is_reported_at_the_right_row(
    personas: Personas, table: str, tamper: Callable[[Any], Any]
) -> None:
    write_trail(personas)
    model = TABLES[table]
    assert "intact" in verify()
    row_id, reason = tamper(model)
    message = verify_broken()
    assert f"{model._meta.db_table}: row id {row_id} " in message
    assert reason in message
    other = ChangeRecord if model is AccessLogEntry else AccessLogEntry
    assert other._meta.db_table not in message  # the other chain is untouched and not reported


@pytest.mark.parametrize("table", TABLES)
def test_an_anchor_noted_earlier_finds_rows_cut_off_the_end(personas: Personas, table: str) -> None:
    write_trail(personas)
    model = TABLES[table]
    line = next(line for line in verify().splitlines() if line.startswith(model._meta.db_table))
    anchor = line.split(" anchor ")[1]
    assert "intact" in verify_with(anchor)
    last = model.objects.latest("chain_seq")
    behind_the_back(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [last.pk])
    assert verify().count("intact") == 2  # without the anchor a cut-off end cannot be seen
    with pytest.raises(CommandError, match=f"link {last.chain_seq}: the chain ends at link {last.chain_seq - 1}"):
        verify_with(anchor)
    with pytest.raises(CommandError, match="TABLE:LINK:HASH"):
        verify_with(f"{model._meta.db_table}:{last.chain_seq}")


def verify_with(*anchors: str) -> str:
    out = io.StringIO()
    call_command("verify_trail", *[f"--anchor={a}" for a in anchors], stdout=out)
    return out.getvalue()


def test_the_seeded_demo_verifies_intact(db: Any) -> None:
    call_command("seed", survivors=10, verbosity=0)
    assert ChangeRecord.objects.exists()
    out = verify()
    assert "audit_changerecord: intact" in out
    assert "audit_accesslogentry: intact" in out


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_each_chain_linear(personas: Personas) -> None:
    """Four writers at once, each writing history and access log in one transaction, in both orders
    (the order that would deadlock two per-table locks taken carelessly)."""
    if connection.vendor != "postgresql":
        # SQLite serialises writers itself (BEGIN IMMEDIATE on the file); the in-memory test database
        # is shared between threads with table locks that do not wait, so threads cannot share it.
        pytest.skip("concurrent connections need PostgreSQL here")
    case = personas.case_a
    user = personas.a_caseworker
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(12):
                with transaction.atomic():
                    if (n + i) % 2:
                        history_record(actor=user, instance=case, action=ChangeRecord.Action.UPDATE,
                                       before={"intake_notes": f"{n}-{i}"}, case_id=case.pk)
                        access_log_write(user=user, what=AccessLogEntry.What.CASE_FILE, case_id=case.pk)
                    else:
                        access_log_write(user=user, what=AccessLogEntry.What.HISTORY, case_id=case.pk)
                        history_record(actor=user, instance=case, action=ChangeRecord.Action.UPDATE,
                                       before={"intake_notes": f"{n}-{i}"}, case_id=case.pk)
                access_log_write(user=user, what=AccessLogEntry.What.IDENTITY, case_id=case.pk)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    before = {m: m.objects.count() for m in (AccessLogEntry, ChangeRecord)}
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert AccessLogEntry.objects.count() == before[AccessLogEntry] + 4 * 12 * 2
    assert ChangeRecord.objects.count() == before[ChangeRecord] + 4 * 12
    for model in (AccessLogEntry, ChangeRecord):
        seqs = list(model.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
    assert verify().count("intact") == 2
