"""The application's database role (PostgreSQL): after ``grant_app_role`` it may only INSERT and SELECT
on the trail, owns nothing, and still does its ordinary work; ``check --deploy`` warns otherwise."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from audit.checks import trail_role_check
from audit.models import AccessLogEntry, ChangeRecord
from audit.trail import trail_models
from conftest import Personas


@pytest.fixture
def app_role(transactional_db: Any) -> Iterator[str]:
    """A fresh LOGIN role for this test only, dropped (with every grant to it) at the end."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only")
    name = f"sintas_test_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN')
    try:
        yield name
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{name}"')
            cursor.execute(f'DROP ROLE "{name}"')


def psycopg_as(role: str) -> psycopg.Connection[Any]:
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, dbname=s["NAME"], user=role,
                           autocommit=True)


@contextmanager
def application_as(role: str) -> Iterator[None]:
    """Django itself connected as ``role``, the way production runs the application."""
    saved = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = role
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = saved


def fixed_column(model: type[models.Model], updatable: tuple[str, ...]) -> str:
    """A column of a trail table that no one may update (not the primary key, not a granted column)."""
    return next(f.column for f in model._meta.concrete_fields if not f.primary_key and f.name not in updatable)


def test_the_restricted_role_cannot_rewrite_empty_or_unprotect_the_trail(personas: Personas, app_role: str) -> None:
    call_command("grant_app_role", role=app_role, stdout=io.StringIO())
    call_command("grant_app_role", role=app_role, stdout=io.StringIO())  # idempotent: runs again cleanly
    refused: dict[str, list[str]] = {}
    allowed: dict[str, list[str]] = {}
    with psycopg_as(app_role) as conn:
        for spec, model in trail_models():
            table = model._meta.db_table
            column = fixed_column(model, spec.updatable)
            attempts = {
                "UPDATE": f'UPDATE "{table}" SET "{column}" = "{column}"',
                "DELETE": f'DELETE FROM "{table}"',
                "TRUNCATE": f'TRUNCATE "{table}"',
                "DISABLE TRIGGER": f'ALTER TABLE "{table}" DISABLE TRIGGER ALL',
                "ALTER": f'ALTER TABLE "{table}" ADD COLUMN forged text',
                "DROP": f'DROP TABLE "{table}"',
            }
            for what, sql in attempts.items():
                try:
                    conn.execute(sql)
                except psycopg.errors.InsufficientPrivilege:
                    refused.setdefault(table, []).append(what)
                except psycopg.Error:  # got past the privilege check, failed for another reason
                    allowed.setdefault(table, []).append(what)
                else:
                    allowed.setdefault(table, []).append(what)
            conn.execute(f'SELECT count(*) FROM "{table}"')  # reading is allowed
            may_insert = conn.execute("SELECT has_table_privilege(%s, 'INSERT')", [table]).fetchone()
            assert may_insert == (True,), table
    assert allowed == {}, f"the application's role may still do this to the trail: {allowed}"
    assert set(refused) == {model._meta.db_table for _spec, model in trail_models()}
    assert {"audit_changerecord", "audit_accesslogentry", "cases_casestatuschange", "plans_planrevision",
            "survivors_consentrecord", "releases_privacyledgerentry"} <= set(refused)


def test_only_the_columns_of_a_later_event_may_be_updated(personas: Personas, app_role: str) -> None:
    call_command("grant_app_role", role=app_role, stdout=io.StringIO())
    with psycopg_as(app_role) as conn:
        conn.execute('UPDATE "survivors_consentrecord" SET withdrawn_at = withdrawn_at, '
                     "withdrawal_reason = withdrawal_reason WHERE false")
        conn.execute('UPDATE "plans_planrevision" SET status = status, decided_at = decided_at WHERE false')
        for sql in ('UPDATE "survivors_consentrecord" SET purpose = purpose WHERE false',
                    'UPDATE "plans_planrevision" SET snapshot = snapshot WHERE false'):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)


def test_the_restricted_role_does_the_applications_ordinary_work(personas: Personas, app_role: str) -> None:
    from cases.services import case_intake_update, case_transition
    from survivors.services import ConsentInput, consent_record, consent_withdraw

    call_command("grant_app_role", role=app_role, stdout=io.StringIO())
    case = personas.case_a
    with application_as(app_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (app_role,)
        case_intake_update(actor=personas.a_caseworker, case=case, values={"intake_notes": "diubah"})
        case_transition(actor=personas.a_caseworker, case=case, to_status="assessment", reason="asesmen dimulai")
        consent = consent_record(actor=personas.a_caseworker, case=case, data=ConsentInput(
            purpose="statistics", lawful_basis="consent", given_by="survivor", given_on=dt.date(2026, 3, 2)))
        consent_withdraw(actor=personas.a_caseworker, case=case, record=consent, reason="ditarik oleh penyintas")
        from audit.services import access_log_write

        access_log_write(user=personas.a_caseworker, what=AccessLogEntry.What.CASE_FILE, case_id=case.pk)
        assert trail_role_check() == []  # the deploy check is quiet for the restricted role
    case.refresh_from_db()
    assert case.status == "assessment" and case.intake_notes == "diubah"
    assert case.status_changes.filter(to_status="assessment").exists()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert ChangeRecord.objects.filter(case_id=case.pk, model="cases.case").count() >= 2
    out = io.StringIO()
    call_command("verify_trail", stdout=out)
    assert out.getvalue().count("intact") == 2


def test_the_deploy_check_warns_when_the_application_owns_the_trail(transactional_db: Any) -> None:
    if connection.vendor != "postgresql":
        assert trail_role_check() == []  # SQLite has no roles to check
        return
    ids = {w.id for w in trail_role_check()}
    assert ids == {"audit.W001", "audit.W002"}  # the test runs as the owner (a superuser) of every table


def test_dry_run_prints_the_sql_and_changes_nothing(app_role: str) -> None:
    out = io.StringIO()
    call_command("grant_app_role", role=app_role, dry_run=True, stdout=out)
    sql = out.getvalue()
    assert f'GRANT SELECT, INSERT ON TABLE "audit_accesslogentry" TO "{app_role}";' in sql
    assert f'GRANT UPDATE ("withdrawn_at", "withdrawal_reason") ON TABLE "survivors_consentrecord" TO "{app_role}";' in sql
    assert "TRUNCATE" not in sql
    with psycopg_as(app_role) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute('SELECT count(*) FROM "audit_accesslogentry"')


def test_the_command_refuses_a_role_it_cannot_restrict(app_role: str) -> None:
    with pytest.raises(CommandError, match="no role"):
        call_command("grant_app_role", role=app_role + "_missing", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="superuser|runs as"):
        call_command("grant_app_role", role=me, stdout=io.StringIO())
