"""``check --deploy``: the application's database role must not be able to rewrite the trail.

Warns when the role Sintas connects as owns tables (an owner can ALTER, DROP, DISABLE TRIGGER and
TRUNCATE them whatever is granted), is a superuser, or may TRUNCATE, UPDATE or DELETE a trail table
(see ``manage.py grant_app_role`` and docs/privacy.md "The trail")."""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

from audit.trail import trail_models


@register(Tags.security, deploy=True)
def trail_role_check(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Warning]:
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []  # the embedded SQLite database has no roles
    tables = [model._meta.db_table for _spec, model in trail_models()]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
            role, superuser = cursor.fetchone()
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relowner = "
                "(SELECT oid FROM pg_roles WHERE rolname = current_user) ORDER BY c.relname"
            )
            owned = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT c.relname, has_table_privilege(c.oid, 'TRUNCATE'), has_table_privilege(c.oid, 'UPDATE'), "
                "has_table_privilege(c.oid, 'DELETE') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relname = ANY(%s) ORDER BY c.relname",
                [tables],
            )
            rights: list[str] = []
            for table, *flags in cursor.fetchall():
                granted = [name for name, yes in zip(("TRUNCATE", "UPDATE", "DELETE"), flags, strict=True) if yes]
                if granted:
                    rights.append(f"{table} ({', '.join(granted)})")
    except DatabaseError as error:
        return [Warning(f"Could not inspect the database role's rights over the trail: {error}", id="audit.W003")]
    warnings = []
    if superuser or owned:
        what = "is a superuser" if superuser else f"owns {len(owned)} tables ({', '.join(owned[:5])}{', ...' if len(owned) > 5 else ''})"
        warnings.append(Warning(
            f"The application connects to the database as {role!r}, which {what}: it can ALTER, DROP, "
            "TRUNCATE and disable the triggers of the trail tables.",
            hint="Migrate as an owner role and run the application as another role: manage.py grant_app_role "
                 "--role ROLE (README, 'Running it in production').",
            id="audit.W001",
        ))
    if rights:
        warnings.append(Warning(
            f"The database role {role!r} can rewrite the trail: {'; '.join(rights)}.",
            hint="Run manage.py grant_app_role --role ROLE as the owner after every migrate.",
            id="audit.W002",
        ))
    return warnings
