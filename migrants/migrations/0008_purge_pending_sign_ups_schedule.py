"""The beat schedule of the purge of expired sign-ups, every six hours, stored in django-celery-beat's tables
(an admin sees it under *Periodic tasks* and may change its interval or switch it off)."""
from django.db import migrations

TASK_NAME = "Purge expired sign-ups"
TASK = "migrants.tasks.purge_pending_sign_ups"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_six_hours, _created = IntervalSchedule.objects.get_or_create(every=6, period="hours")
    # An admin's later change survives: only a missing task is made.
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": TASK, "interval": every_six_hours, "enabled": True, "description": "Deletes the sign-ups whose confirmation link expired, with their unused accounts."},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("migrants", "0007_record_keys"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
