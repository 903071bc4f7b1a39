"""The beat schedule of ``messages_send_due``, every minute, stored in django-celery-beat's tables
(an admin sees it under *Periodic tasks* and may change its interval or switch it off)."""
from django.db import migrations

TASK_NAME = "Send the due SMS and WhatsApp messages"
TASK = "hom.messaging.tasks.messages_send_due"


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
            "description": "Sends the messages that waited for the morning (quiet hours), retries the failed "
            "ones when due, and takes again a message whose worker died mid-send.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_messages_and_opt_outs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
