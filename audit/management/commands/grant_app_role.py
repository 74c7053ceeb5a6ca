"""Give the application's PostgreSQL role exactly what it needs, and no more.

Run by the owner (the role that migrates) after every ``migrate``:

    DATABASE_URL=postgres://sintas_owner@host/sintas manage.py migrate
    DATABASE_URL=postgres://sintas_owner@host/sintas manage.py grant_app_role --role sintas_app

The application role then owns nothing (so it cannot ALTER, DROP or DISABLE TRIGGER on any table),
may only INSERT and SELECT on the trail (audit/trail.py; UPDATE of the few columns listed there),
and has ordinary SELECT, INSERT, UPDATE and DELETE on the other tables, never TRUNCATE. Everything
is revoked and granted again each run, so the command is idempotent and undoes a stray grant.
``--dry-run`` prints the SQL without running it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.trail import trail_models, updatable_columns

READ_ONLY = {"django_migrations"}  # the app reads which migrations ran; only the owner records them


def grant_statements(role: str) -> list[str]:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema(), current_user")
        database, schema, owner = cursor.fetchone()
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
        tables = [row[0] for row in cursor.fetchall()]
    trail = {model._meta.db_table: (spec, model) for spec, model in trail_models()}
    r = q(role)
    sql = [
        f"GRANT CONNECT ON DATABASE {q(database)} TO {r}",
        f"GRANT USAGE ON SCHEMA {q(schema)} TO {r}",
        f"REVOKE CREATE ON SCHEMA {q(schema)} FROM {r}",
    ]
    if tables:
        # Table-level REVOKE also takes back any column-level grants.
        sql.append(f"REVOKE ALL ON TABLE {', '.join(q(t) for t in tables)} FROM {r}")
    ordinary = [t for t in tables if t not in trail and t not in READ_ONLY]
    if ordinary:
        sql.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {', '.join(q(t) for t in ordinary)} TO {r}")
    read_only = [t for t in tables if t in READ_ONLY]
    if read_only:
        sql.append(f"GRANT SELECT ON TABLE {', '.join(q(t) for t in read_only)} TO {r}")
    for table in tables:
        if table in trail:
            spec, model = trail[table]
            sql.append(f"GRANT SELECT, INSERT ON TABLE {q(table)} TO {r}")
            columns = updatable_columns(spec, model)
            if columns:
                sql.append(f"GRANT UPDATE ({', '.join(q(c) for c in columns)}) ON TABLE {q(table)} TO {r}")
    sql += [
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q(schema)} TO {r}",
        # Tables a later migration creates are ordinary until this command runs again after it
        # (a new trail table must be added to audit/trail.py); the check warns meanwhile.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA {q(schema)} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA {q(schema)} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    return sql


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role what it needs: INSERT and SELECT only on the trail."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--role", required=True, help="the role the application connects as (e.g. sintas_app)")
        parser.add_argument("--dry-run", action="store_true", help="print the SQL, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only; the SQLite demo has none.")
        role = options["role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            cursor.execute("SELECT current_user")
            me = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND pg_get_userbyid(c.relowner) = %s", [role]
            )
            owned = cursor.fetchone()[0]
        if found is None:
            raise CommandError(f"There is no role {role!r}: create it first (CREATE ROLE {role} LOGIN PASSWORD '...').")
        if role == me:
            raise CommandError(f"{role!r} is the role this command runs as: run it as the owner that migrates.")
        if found[0]:
            raise CommandError(f"{role!r} is a superuser: no grant can restrict it. Use an ordinary role.")
        if owned:
            raise CommandError(f"{role!r} owns {owned} tables: transfer them to the owner first "
                               f"(REASSIGN OWNED BY {role} TO {me}).")
        statements = grant_statements(role)
        if options["dry_run"]:
            for statement in statements:
                self.stdout.write(statement + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        trail = ", ".join(model._meta.db_table for _spec, model in trail_models())
        self.stdout.write(f"{role}: INSERT and SELECT only on the trail ({trail}); "
                          "ordinary access to the other tables; owns nothing.")
