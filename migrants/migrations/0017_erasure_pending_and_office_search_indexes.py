"""The registry at office scale (issue 18): the search's index leads with the office; erasure requests indexed.

PostgreSQL: ``btree_gin`` lets one GIN index hold the office with the trigrams of the normalised
name, of the file number and the email (upper-cased, as ``icontains`` compares) and of both
phones, so that a search (``search_name %> 'term'`` or ``LIKE '%...%'`` on each) reads only the
matching rows of one office. It replaces migration 0003's index on the name alone. SQLite skips both (its search is a
Python comparison, migrants/selectors.py). The partial index on pending erasure requests is
portable: the list's counter reads these few rows only.

pg_trgm declares its ``%>`` operator as cheap as ``=`` (cost 1), while it costs some 10 µs a
row: the planner then scans the whole office rather than the index (0.5 s instead of 0.1 s at
160,000 persons). The migration gives the operator's function its true weight (COST 100), which
needs to own it; a database user who does not (the extension made by another role) keeps the
search working, with that worse plan, and the migration says so in the log. An ``ALTER
EXTENSION pg_trgm UPDATE`` may reset it: run this migration's statement again.
"""
import logging

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import DatabaseError, migrations, models, transaction

logger = logging.getLogger(__name__)

SEARCH_INDEX = (
    "CREATE INDEX IF NOT EXISTS migrant_office_search_trgm ON migrants_migrant USING gin "
    "(office_id, search_name gin_trgm_ops, (upper(file_number::text)) gin_trgm_ops, "
    "phone gin_trgm_ops, phone_secondary gin_trgm_ops, (upper(email::text)) gin_trgm_ops)"
)
NAME_INDEX = "CREATE INDEX IF NOT EXISTS migrant_search_name_trgm ON migrants_migrant USING gin (search_name gin_trgm_ops)"


OPERATOR_COST = "ALTER FUNCTION word_similarity_commutator_op(text, text) COST {cost}"


def _set_operator_cost(schema_editor, cost):
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(OPERATOR_COST.format(cost=cost))
    except DatabaseError as error:
        logger.warning("The cost of pg_trgm's %%> operator stays as it is (%s): the search may not use its index.", error)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_INDEX)
        schema_editor.execute("DROP INDEX IF EXISTS migrant_search_name_trgm")
        _set_operator_cost(schema_editor, 100)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NAME_INDEX)
        schema_editor.execute("DROP INDEX IF EXISTS migrant_office_search_trgm")
        _set_operator_cost(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("migrants", "0016_offline_items")]

    operations = [
        BtreeGinExtension(),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.AddIndex(
            model_name="migrant",
            index=models.Index(
                condition=models.Q(erasure_requested_at__isnull=False, erased_at__isnull=True),
                fields=["office"],
                name="migrant_erasure_pending_idx",
            ),
        ),
    ]
