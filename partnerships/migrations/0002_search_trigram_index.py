"""Directory search on PostgreSQL: a trigram index on the normalised name, acronym and city.

pg_trgm comes with migrants' migration 0003; on SQLite the index is skipped (search is a
normalised ``contains`` there, see partnerships.selectors).
"""
from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS organisation_search_text_trgm "
            "ON partnerships_organisation USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS organisation_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial"), ("migrants", "0003_search_extensions")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
