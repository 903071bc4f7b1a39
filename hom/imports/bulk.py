"""Writing an import's batch at database speed: set-based statements, no Python object per row.

- ``insert_rows``: the rows of a model in one ``COPY`` on PostgreSQL (their ids drawn from the
  table's sequence first, in one query), in multi-row ``INSERT … RETURNING`` elsewhere;
- ``history_created``: the "created" history row (django-simple-history's ``+``) of every record
  of a batch, copied from the records themselves by ``INSERT … SELECT``: the same row a first
  ``save()`` writes, with the batch's author and date;
- ``chunks``: a list cut to what the database accepts in one statement (SQLite's 999 parameters;
  PostgreSQL takes the whole batch at once).

Call them inside the batch's transaction: a failure rolls back the records and their history.
"""
import datetime
import decimal
import io
import sqlite3
from collections.abc import Iterator, Sequence

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.utils import timezone

# The fields django-simple-history adds to a historical model (besides the tracked ones).
HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def _max_params() -> int | None:
    """Parameters one statement takes: Django says 999 for SQLite, the limit before SQLite 3.32; it is
    32,766 since (a batch of a few hundred rows is one statement, as on PostgreSQL)."""
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 32):
        return 32_766
    return connection.features.max_query_params


def chunks(values: Sequence, *, reserved: int = 0, per_item: int = 1) -> Iterator[Sequence]:
    """``values`` in slices that fit in one statement with ``reserved`` other parameters, each value
    taking ``per_item`` parameters."""
    limit = _max_params()
    size = max(1, (limit - reserved) // per_item) if limit else max(1, len(values))
    for start in range(0, len(values), size):
        yield values[start:start + size]


# Fields whose values of a plain type (text, integer, boolean, None; a text choice is text) are
# written as they are.
PLAIN_FIELDS = (
    models.CharField, models.TextField, models.EmailField, models.IntegerField, models.PositiveIntegerField,
    models.PositiveSmallIntegerField, models.SmallIntegerField, models.BigIntegerField, models.BooleanField,
    models.ForeignKey, models.OneToOneField,
)
PLAIN_TYPES = (str, int, bool, type(None))
# What COPY's text format takes as ``str(value)``.
COPY_TYPES = (str, int, float, decimal.Decimal, datetime.date, datetime.time)


def _column_values(field, rows: list[dict], constants: dict, prepared: frozenset, now) -> list | tuple:
    """The database values of ``field`` for every row: a list, or ``(value,)`` when it is the same for all."""
    name = field.attname
    if name in constants:
        return (field.get_db_prep_save(constants[name], connection),)
    if name not in rows[0]:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return (field.get_db_prep_save(now, connection),)
        if not (field.has_default() and callable(field.default)):
            return (field.get_db_prep_save(field.get_default(), connection),)
        if type(field) in PLAIN_FIELDS:
            return [field.default() for _row in rows]
        return [field.get_db_prep_save(field.get_default(), connection) for _row in rows]
    values = [row[name] for row in rows]
    if name in prepared:
        return values
    prepare = field.get_db_prep_save
    if type(field) not in PLAIN_FIELDS:
        return [prepare(value, connection) for value in values]
    return [value if isinstance(value, PLAIN_TYPES) else prepare(value, connection) for value in values]


def _copy_text(value) -> str:
    """One value in ``COPY``'s text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if not isinstance(value, COPY_TYPES):
        raise TypeError(f"insert_rows cannot write a {type(value).__name__} with COPY")
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def insert_rows(model, rows: list[dict], *, constants: dict | None = None, prepared=frozenset()) -> list[int]:
    """Insert ``rows`` (each a dict of field attnames to values) into ``model``'s table; return their pks,
    in order. ``constants``: values shared by every row, prepared once. Fields in neither take their
    default (a callable default is called for each row; ``auto_now`` fields take the time of the call).
    Values are prepared by their field (``get_db_prep_save``), except plain values of plain fields and
    the fields named in ``prepared``, whose values the caller gives as the database stores them. No
    ``save()``, no signal: call inside a transaction, after the rows were validated."""
    if not rows:
        return []
    keys = rows[0].keys()
    if any(row.keys() != keys for row in rows):
        raise ValueError("insert_rows needs the same fields in every row")
    constants = constants or {}
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    columns = [_column_values(field, rows, constants, prepared, now) for field in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = quote(model._meta.pk.column)
    names = ", ".join(quote(field.column) for field in fields)
    count = len(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            pks = [pk for (pk,) in cursor.fetchall()]
            texts = [
                [_copy_text(column[0])] * count if isinstance(column, tuple) else [_copy_text(value) for value in column]
                for column in columns
            ]
            lines = ["\t".join(line) for line in zip(map(str, pks), *texts, strict=True)]
            buffer = io.StringIO("\n".join(lines) + "\n")
            cursor.copy_expert(f"COPY {table} ({pk_column}, {names}) FROM STDIN", buffer)
            return pks
        pks = []
        per_row = len(fields)
        for batch in chunks(range(count), reserved=0, per_item=per_row):
            values = [[column[0] if isinstance(column, tuple) else column[index] for column in columns]
                      for index in batch]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * per_row) + ")"] * len(values))
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {placeholders} RETURNING {pk_column}",
                [value for row in values for value in row],
            )
            pks.extend(pk for (pk,) in cursor.fetchall())
        return pks


def _tracked_columns(model) -> tuple[list[str], list[str]]:
    """(history columns, record columns) of the fields a historical model copies from its record."""
    history = model.history.model
    sources = {field.attname: field.column for field in model._meta.concrete_fields}
    targets, selected = [], []
    for field in history._meta.concrete_fields:
        if field.attname in HISTORY_FIELDS:
            continue
        if field.attname not in sources:
            raise ImproperlyConfigured(
                f"{history._meta.label}.{field.name} is neither a tracked field nor a history field: "
                "history_created cannot fill it."
            )
        targets.append(field.column)
        selected.append(sources[field.attname])
    return targets, selected


def history_created(*, model, pks: Sequence[int], user, date) -> int:
    """Write the "created" history row of each record of ``model`` in ``pks``, by ``user`` at ``date``.

    Returns the number of history rows written."""
    history = model.history.model
    quote = connection.ops.quote_name
    targets, selected = _tracked_columns(model)
    columns = ", ".join(quote(column) for column in targets)
    copied = ", ".join(quote(column) for column in selected)
    date_value = connection.ops.adapt_datetimefield_value(date)
    user_pk = user.pk if user is not None else None
    written = 0
    with connection.cursor() as cursor:
        for batch in chunks(list(pks), reserved=3):
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_type, "
                f"history_user_id, history_change_reason) "
                f"SELECT {copied}, %s, %s, %s, NULL FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({placeholders})",
                [date_value, "+", user_pk, *batch],
            )
            written += cursor.rowcount
    return written
