"""The nightly rebuild of the visit summaries, 02:30 Africa/Dakar, stored in django-celery-beat's
tables so that an admin sees it in the admin and may change its time or switch it off."""
from django.db import migrations

TASK_NAME = "Nightly rebuild of the report summaries"
TASK = "hom.reports.tasks.rebuild_visit_summaries"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Africa/Dakar"
    )
    # An admin's later change of the time or of `enabled` survives: only a missing task is made.
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK, "crontab": crontab, "enabled": True,
            "description": "Rebuilds every month's visit summaries from the visits (the reports read them).",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_visit_summaries"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
