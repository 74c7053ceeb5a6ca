"""Link the rows written before the hash chain existed, oldest (lowest id) first, with the key in
SINTAS_TRAIL_KEY. Streamed and written in batches, so it runs in constant memory on a large log.
Reversing clears the links (0005's reversal then drops the columns)."""

from django.db import migrations

from audit.chain import GENESIS, Linker, chain_fields

BATCH = 2000
TRIGGER = "audit_accesslog_no_update_delete"  # migration 0002: refuses UPDATE on the access log


def _link_all(apps, schema_editor, name):
    model = apps.get_model("audit", name)
    table = model._meta.db_table
    fields = chain_fields(model)
    names = [f.attname for f in fields]
    linker = Linker(table, fields)
    seq, previous, last_pk = 0, GENESIS, None
    while True:  # keyset pages: constant memory, and no open cursor on the table being updated
        page = model._base_manager.order_by("pk")
        if last_pk is not None:
            page = page.filter(pk__gt=last_pk)
        rows = list(page.values_list("pk", *names)[:BATCH])
        if not rows:
            return
        batch = []
        for pk, *values in rows:
            seq += 1
            previous = linker.link(seq, previous, values)
            batch.append(model(pk=pk, chain_seq=seq, chain_hash=previous))
        model._base_manager.bulk_update(batch, ["chain_seq", "chain_hash"])
        last_pk = rows[-1][0]


def _with_trigger_off(schema_editor, work):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # the owner (who migrates) may lift the append-only trigger for this one step
        schema_editor.execute(f"ALTER TABLE audit_accesslogentry DISABLE TRIGGER {TRIGGER}")
    work()
    if postgres:
        schema_editor.execute(f"ALTER TABLE audit_accesslogentry ENABLE TRIGGER {TRIGGER}")


def forward(apps, schema_editor):
    _link_all(apps, schema_editor, "ChangeRecord")
    _with_trigger_off(schema_editor, lambda: _link_all(apps, schema_editor, "AccessLogEntry"))


def backward(apps, schema_editor):
    apps.get_model("audit", "ChangeRecord")._base_manager.update(chain_seq=None, chain_hash="")
    _with_trigger_off(
        schema_editor,
        lambda: apps.get_model("audit", "AccessLogEntry")._base_manager.update(chain_seq=None, chain_hash=""),
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_trail_chain")]

    operations = [migrations.RunPython(forward, backward)]
