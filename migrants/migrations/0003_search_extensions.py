"""Tolerant search: pg_trgm and unaccent on PostgreSQL, a trigram index on the normalised name.

On SQLite the extensions and the index are skipped; search falls back to a normalised
comparison (see migrants.selectors). Existing rows get their ``search_name`` filled.
"""
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from hom.text import search_name_for


def fill_search_names(apps, schema_editor):
    Migrant = apps.get_model("migrants", "Migrant")
    for migrant in Migrant.objects.only("pk", "first_name", "last_name").iterator():
        Migrant.objects.filter(pk=migrant.pk).update(search_name=search_name_for(migrant.first_name, migrant.last_name))


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS migrant_search_name_trgm ON migrants_migrant USING gin (search_name gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS migrant_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("migrants", "0002_visits_counters_links_imports")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
