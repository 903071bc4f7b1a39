"""The nightly purge of the access log (ACCESS_LOG_RETENTION_DAYS), stored in django-celery-beat's
tables (an admin sees it under *Periodic tasks* and may change its time or switch it off)."""
from django.db import migrations

TASK_NAME = "Purge the access log"
TASK = "migrants.tasks.access_log_purge"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Africa/Dakar"
    )
    # An admin's later change survives: only a missing task is made.
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": nightly,
            "enabled": True,
            "description": "Forgets who read which person's data once older than ACCESS_LOG_RETENTION_DAYS.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("migrants", "0009_person_access_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
