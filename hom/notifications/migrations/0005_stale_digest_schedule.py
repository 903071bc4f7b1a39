"""The beat schedule that re-queues the digests left "claimed" past their lease (a worker killed
mid-send, an SMTP server that hung), every 5 minutes, in django-celery-beat's tables."""
from django.db import migrations

TASK_NAME = "Re-queue stale reminder digests"
TASK = "hom.notifications.tasks.requeue_stale_digests"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five_minutes, _created = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": every_five_minutes,
            "enabled": True,
            "description": "Sends later, once, a digest whose worker died or whose email hung.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_move_dossier_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
