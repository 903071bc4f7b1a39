"""PostgreSQL only: accent-insensitive French full-text search and its GIN index.

``french_unaccent`` is the French configuration with ``unaccent`` before the French
stemmer, so "elevage" finds "élevage". SQLite has neither: there, the search runs on the
normalised ``search_text`` column, and this migration only records the index in the state.
"""
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

CREATE_CONFIGURATION = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

INDEX = GinIndex(fields=["search_vector"], name="funding_search_vector_gin")


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIGURATION)
    schema_editor.add_index(apps.get_model("projects", "FundingOpportunity"), INDEX)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("projects", "FundingOpportunity"), INDEX)
    # The configuration stays: other tables may use it, and re-applying is idempotent.


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_funding_opportunity")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="fundingopportunity", index=INDEX)],
            database_operations=[migrations.RunPython(create_search, drop_search)],
        ),
    ]
