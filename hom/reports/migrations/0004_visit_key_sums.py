"""The visit summaries keep the sum of their visits' record keys (issue 16)."""
from django.db import migrations, models


def mark_months_unbuilt(apps, schema_editor):
    """Summaries built before this have no key sums: reports read the visits until the next rebuild."""
    apps.get_model("reports", "SummaryMonth").objects.update(built_at=None)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_visit_summary_schedule'),
        ('migrants', '0007_record_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='visitmonth',
            name='key_sum',
            field=models.PositiveBigIntegerField(default=0, verbose_name='sum of record keys'),
        ),
        migrations.AddField(
            model_name='visitneedmonth',
            name='key_sum',
            field=models.PositiveBigIntegerField(default=0, verbose_name='sum of record keys'),
        ),
        migrations.RunPython(mark_months_unbuilt, migrations.RunPython.noop),
    ]
