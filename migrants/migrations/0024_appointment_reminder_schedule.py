"""The beat schedule of the appointments' day-before reminders, 10:00 Africa/Dakar (after the SMS quiet
hours), in django-celery-beat's tables so that an admin may change its time or switch it off."""
from django.db import migrations

TASK_NAME = "Appointment reminders, the day before"
TASK = "migrants.tasks.appointment_reminders_send"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="10", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Africa/Dakar"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK, "crontab": crontab, "enabled": True,
            "description": "Tells each person booked for tomorrow, once per booking, on their channels.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("migrants", "0023_appointments"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
