"""Record keys for the reports' cell-key perturbation (issue 16): a random key on each counted record."""

import migrants.models
from django.db import migrations, models

APP = 'projects'
MODELS = ['ProjectDossier', 'FundingApplication']
HISTORIES = ['historicalprojectdossier']


def fill_record_keys(apps, schema_editor):
    """Existing rows get a random key each (AddField gave them all the same one), in one UPDATE per table."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    random_key = "FLOOR(RANDOM() * 256)" if connection.vendor == "postgresql" else "ABS(RANDOM()) % 256"
    for name in MODELS:
        model = apps.get_model(APP, name)
        table = quote(model._meta.db_table)
        schema_editor.execute(f"UPDATE {table} SET record_key = {random_key}")
        history = apps.get_model(APP, f"Historical{name}") if f"historical{name.lower()}" in HISTORIES else None
        if history is not None:
            # Past versions carry the key of the record they are a version of.
            schema_editor.execute(
                f"UPDATE {quote(history._meta.db_table)} SET record_key = COALESCE("
                f"(SELECT record_key FROM {table} WHERE {table}.id = {quote(history._meta.db_table)}.id), 0)"
            )


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0007_remove_notification'),
    ]

    operations = [
        migrations.AddField(
            model_name='fundingapplication',
            name='record_key',
            field=models.PositiveIntegerField(default=migrants.models.new_record_key, editable=False, verbose_name='record key'),
        ),
        migrations.AddField(
            model_name='historicalprojectdossier',
            name='record_key',
            field=models.PositiveIntegerField(default=migrants.models.new_record_key, editable=False, verbose_name='record key'),
        ),
        migrations.AddField(
            model_name='projectdossier',
            name='record_key',
            field=models.PositiveIntegerField(default=migrants.models.new_record_key, editable=False, verbose_name='record key'),
        ),
        migrations.RunPython(fill_record_keys, migrations.RunPython.noop),
    ]
