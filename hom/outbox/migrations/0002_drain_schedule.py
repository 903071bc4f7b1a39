"""The beat schedule of the outbox's drain, every minute, stored in django-celery-beat's tables
(an admin sees it under *Periodic tasks* and may change its interval or switch it off)."""
from django.db import migrations

TASK_NAME = "Publish the outbox"
TASK = "hom.outbox.tasks.outbox_drain"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _created = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    # An admin's later change survives: only a missing task is made.
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": every_minute,
            "enabled": True,
            "description": "Publishes the work a broker outage left in the outbox (dossier notices, imports).",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
