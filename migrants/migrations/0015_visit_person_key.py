"""Visits carry a copy of their person's record key (reports: no join to the persons)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_keys(apps, schema_editor):
    Migrant = apps.get_model("migrants", "Migrant")
    Visit = apps.get_model("migrants", "Visit")
    Visit.objects.filter(migrant__isnull=False).update(
        person_key=Subquery(Migrant.objects.filter(pk=OuterRef("migrant_id")).values("record_key")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("migrants", "0014_access_action_change"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="person_key",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="person's record key"),
        ),
        migrations.RunPython(copy_keys, migrations.RunPython.noop),
    ]
