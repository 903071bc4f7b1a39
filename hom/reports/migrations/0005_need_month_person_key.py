"""The needs' summaries keep the person's record key beside each row (issue 16, speed)."""
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_person_keys(apps, schema_editor):
    """The rows already built take their person's key: no rebuild needed."""
    Migrant = apps.get_model("migrants", "Migrant")
    VisitNeedMonth = apps.get_model("reports", "VisitNeedMonth")
    VisitNeedMonth.objects.filter(migrant__isnull=False).update(
        person_key=Subquery(Migrant._base_manager.filter(pk=OuterRef("migrant_id")).values("record_key")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0004_visit_key_sums"),
        ("migrants", "0007_record_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="visitneedmonth",
            name="person_key",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="record key of the person"),
        ),
        migrations.RunPython(copy_person_keys, migrations.RunPython.noop),
    ]
