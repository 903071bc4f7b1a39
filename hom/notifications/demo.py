"""Demo reminder settings: each demo office reminds after 7 days. The due items themselves
come from the other apps' demo data (follow-ups, submitted dossiers, the demo funding call,
introductions, conventions)."""
from django.db import transaction

from hom.accounts.models import Office

from .models import DEFAULT_WAITING_DAYS, OfficeReminderSettings


@transaction.atomic
def seed(stdout=None) -> None:
    for office in Office.objects.filter(code__in=["SED", "KOL"]):
        OfficeReminderSettings.objects.get_or_create(office=office, defaults={"waiting_days": DEFAULT_WAITING_DAYS})
    if stdout:
        stdout.write("Reminders: office settings ready (try `manage.py send_reminders --dry-run`).")
