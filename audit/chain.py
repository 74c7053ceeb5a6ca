"""The hash chain of the access log and the change history.

Each row carries ``chain_seq`` (1, 2, 3, ... per table, without gaps) and ``chain_hash``:

    chain_hash = HMAC-SHA256(SINTAS_TRAIL_KEY, [table, chain_seq, previous row's chain_hash, row's values])

The key lives outside the database (settings), so whoever can write the tables cannot compute a
valid link for an edited, inserted or renumbered row; a deleted row leaves a gap in ``chain_seq``.
``manage.py verify_trail`` walks each chain and reports the first broken link.

One chain per table stays linear under concurrent writers: on PostgreSQL each table has a
transaction-scoped advisory lock, taken before the last link is read and released at commit
(so the next writer reads the committed link); SQLite serialises writers by itself
(``transaction_mode = IMMEDIATE``). The cost per insert is one round trip (the lock and a read of
the last row through the unique index on ``chain_seq``); a bulk insert pays it once per batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, models, transaction

T = TypeVar("T")

GENESIS = ""  # the "previous hash" of a chain's first row

# Advisory lock keys (pg_advisory_xact_lock(int, int)): a namespace and one number per table.
# A transaction never takes a lock of this list after one that comes later in it (see _lock), so
# two writers cannot deadlock on them.
LOCK_NAMESPACE = 0x53494E54  # "SINT"
LOCK_ORDER = ("audit.changerecord", "audit.accesslogentry")


def _key() -> bytes:
    return str(settings.SINTAS_TRAIL_KEY).encode()


def _canonical(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How one field's value is put into a link: one canonical form, the same whether the value
    comes from a new object or back from the database (a datetime in UTC with microseconds, a
    UUID in its hyphenated form, an id as an integer, an IP address as Django normalises it)."""
    if isinstance(field, models.JSONField):
        return lambda value: value
    if isinstance(field, models.DateTimeField):
        def moment(value: Any) -> str:
            when: dt.datetime = value if isinstance(value, dt.datetime) else field.to_python(value)
            return when.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return moment
    if isinstance(field, models.UUIDField):
        return lambda value: str(value if isinstance(value, uuid.UUID) else field.to_python(value))
    if isinstance(field, (models.ForeignKey, models.IntegerField)):
        return int
    if isinstance(field, models.GenericIPAddressField):
        return field.to_python
    return str


# The fields each link covers, fixed here (not "every field"), so a column added later does not
# change the links of the rows written before it.
CHAINED_FIELDS: dict[str, tuple[str, ...]] = {
    "audit.changerecord": ("at", "actor_id", "model", "object_id", "action", "changes", "case_id"),
    "audit.accesslogentry": ("at", "user_id", "organisation_id", "case_id", "survivor_id", "what", "ip_address"),
}


def chain_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [model._meta.get_field(name) for name in CHAINED_FIELDS[model._meta.label_lower]]  # type: ignore[misc]


class Linker:
    """Computes the links of one table (its fields' converters, the JSON encoder and the keyed
    HMAC prepared once, so a walk over millions of rows spends its time hashing)."""

    def __init__(self, table: str, fields: Sequence[models.Field[Any, Any]], *, key: bytes | None = None) -> None:
        self.table = table
        self.converters = [_canonical(f) for f in fields]
        self.encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
        self.mac = hmac.new(key or _key(), digestmod=hashlib.sha256)

    def link(self, seq: int, previous: str, values: Sequence[Any]) -> str:
        plain = [None if v is None else convert(v) for convert, v in zip(self.converters, values, strict=True)]
        mac = self.mac.copy()
        mac.update(self.encoder.encode([self.table, seq, previous, plain]).encode())
        return mac.hexdigest()


def link(table: str, seq: int, previous: str, fields: Sequence[models.Field[Any, Any]], values: Sequence[Any],
         *, key: bytes | None = None) -> str:
    """The chain hash of one row, from its field values (attribute values, foreign keys as ids)."""
    return Linker(table, fields, key=key).link(seq, previous, values)


def _lock_and_read_last(model: type[models.Model], using: str, *, in_transaction: bool) -> tuple[int, str]:
    """Take the table's chain lock, then read its last link (after the lock: the link committed by
    whoever held it before). On PostgreSQL both go to the server in one round trip."""
    connection = connections[using]
    table = model._meta.db_table
    if connection.vendor != "postgresql":
        # SQLite: BEGIN IMMEDIATE already holds the database's write lock.
        last = model._base_manager.using(using).order_by("-chain_seq").values_list("chain_seq", "chain_hash").first()
        return last if last else (0, GENESIS)
    label = model._meta.label_lower
    position = LOCK_ORDER.index(label)
    # Inside a longer transaction a later lock may follow, so take every earlier one first: the
    # locks are then always taken in LOCK_ORDER. A lone insert (autocommit) needs only its own.
    wanted = LOCK_ORDER[: position + 1] if in_transaction else (label,)
    q = connection.ops.quote_name
    # Separate statements (each reads with its own snapshot, so the last one sees what the previous
    # holder of the lock committed); constants and our own table name only, no parameters.
    statements = [f"SELECT pg_advisory_xact_lock({LOCK_NAMESPACE}, {LOCK_ORDER.index(name)})" for name in wanted]
    statements.append(f"SELECT chain_seq, chain_hash FROM {q(table)} ORDER BY chain_seq DESC LIMIT 1")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("; ".join(statements))
        for _lock in wanted:
            cursor.nextset()
        last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


def chained_insert(model: type[models.Model], objs: Iterable[Any], using: str, insert: Callable[[], T]) -> T:
    """Give ``objs`` (new rows of ``model``, in order) the next links of the table's chain, then
    run ``insert`` in the same transaction, which must write exactly those rows."""
    in_transaction = connections[using].in_atomic_block
    table = model._meta.db_table
    fields = chain_fields(model)
    with transaction.atomic(using=using, savepoint=False):
        seq, previous = _lock_and_read_last(model, using, in_transaction=in_transaction)
        linker = Linker(table, fields)
        for obj in objs:
            seq += 1
            obj.chain_seq = seq
            obj.chain_hash = linker.link(seq, previous, [getattr(obj, f.attname) for f in fields])
            previous = obj.chain_hash
        return insert()


class Break:
    """The first broken link of a chain."""

    def __init__(self, *, table: str, row_id: Any, seq: int, at: Any, reason: str) -> None:
        self.table, self.row_id, self.seq, self.at, self.reason = table, row_id, seq, at, reason

    def __str__(self) -> str:
        if self.row_id is None:
            return f"{self.table}: link {self.seq}: {self.reason}"
        at = self.at.astimezone(dt.UTC).isoformat() if isinstance(self.at, dt.datetime) else self.at
        return f"{self.table}: row id {self.row_id} (link {self.seq}, time {at}): {self.reason}"


class Walk:
    """What walking one chain found: the rows checked, the last link, and the first break (if any)."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.count = 0
        self.last_seq = 0
        self.last_hash = GENESIS
        self.broken: Break | None = None


def chain_verify(model: type[models.Model], *, using: str = "default", chunk_size: int = 5000,
                 anchors: dict[int, str] | None = None) -> Walk:
    """Walk a table's chain in ``chain_seq`` order (streamed: constant memory) up to its first break.

    ``anchors`` are links noted outside the database on an earlier run ({link number: hash}): the
    chain must still pass through each of them, which catches rows cut off its end and a chain
    rebuilt from an old backup or with the key."""
    anchors = anchors or {}
    table = model._meta.db_table
    fields = chain_fields(model)
    names = [f.attname for f in fields]
    at_index = names.index("at") if "at" in names else None
    walk = Walk(table)
    rows = (
        model._base_manager.using(using).order_by("chain_seq")
        .values_list("pk", "chain_seq", "chain_hash", *names).iterator(chunk_size=chunk_size)
    )
    linker = Linker(table, fields)
    expected_seq, previous = 1, GENESIS
    for pk, seq, stored, *values in rows:
        at = values[at_index] if at_index is not None else None
        if seq != expected_seq:
            missing = f"link {expected_seq}" if seq == expected_seq + 1 else f"links {expected_seq} to {seq - 1}"
            walk.broken = Break(table=table, row_id=pk, seq=seq, at=at,
                                reason=f"{missing} before this row are missing (deleted rows)")
            return walk
        if not hmac.compare_digest(stored or "", linker.link(seq, previous, values)):
            walk.broken = Break(table=table, row_id=pk, seq=seq, at=at,
                                reason="the row's content or hash does not match its link (changed or forged row)")
            return walk
        if seq in anchors and not hmac.compare_digest(stored, anchors[seq]):
            walk.broken = Break(table=table, row_id=pk, seq=seq, at=at,
                                reason="the link differs from the anchor noted earlier (the chain was rebuilt)")
            return walk
        walk.count += 1
        walk.last_seq, walk.last_hash = seq, stored
        expected_seq, previous = seq + 1, stored
    beyond = [n for n in anchors if n > walk.last_seq]
    if beyond:
        walk.broken = Break(table=table, row_id=None, seq=min(beyond), at=None,
                            reason=f"the chain ends at link {walk.last_seq}, before this anchor noted earlier "
                                   "(rows were cut off its end)")
    return walk
