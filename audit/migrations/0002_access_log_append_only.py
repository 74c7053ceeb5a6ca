"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the access log, so not even a
bug or a stray script in the product can rewrite who saw what. (SQLite: the model refuses.)"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_accesslogentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accesslog_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_accesslog_no_update_delete ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_accesslog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
