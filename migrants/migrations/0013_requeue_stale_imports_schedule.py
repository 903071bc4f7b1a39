"""The beat schedule that publishes again the imports whose run was lost, every ten minutes, stored in
django-celery-beat's tables (an admin sees it under *Periodic tasks* and may change or switch it off)."""
from django.db import migrations

TASK_NAME = "Re-queue lost imports"
TASK = "migrants.tasks.requeue_stale_imports"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_ten_minutes, _created = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    # An admin's later change survives: only a missing task is made.
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK, "interval": every_ten_minutes, "enabled": True,
            "description": "Publishes again the run of imports queued for more than ten minutes and not running.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("migrants", "0012_consent_version"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
