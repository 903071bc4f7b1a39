"""What the message ledger holds about a person (registry: ``migrants.personal_data``).

Messages name their person by key only (``person_key = "migrants.migrant:<pk>"``, the form the
sending apps use): this app is below ``migrants`` and imports none of it. An erased person's
messages keep their status (a campaign's counts stay right) but lose the number, the text and
the template's parameters, in their history too (and the daily cap's counters of their numbers). Opt-outs stay: a number that said STOP must
never be written to again, whoever it belongs to.
"""
from django.db import transaction

from .models import DailyCount, Message


def person_key(migrant) -> str:
    return f"migrants.migrant:{migrant.pk}"


def export_person(*, migrant, staff: bool) -> dict:
    return {
        "messages": [
            {"date": message.queued_at.isoformat(), "channel": message.channel, "to": message.to,
             "text": message.body, "status": message.status}
            for message in Message.objects.filter(person_key=person_key(migrant)).order_by("queued_at", "pk")
        ]
    }


@transaction.atomic
def erase_person(*, migrant, account) -> None:
    messages = Message.objects.filter(person_key=person_key(migrant))
    DailyCount.objects.filter(to__in=messages.exclude(to="").values("to")).delete()
    Message.history.filter(id__in=messages.values("pk")).update(to="", body="", params=[])
    messages.update(to="", body="", params=[])


@transaction.atomic
def merge_persons(*, survivor, duplicate) -> None:
    Message.objects.filter(person_key=person_key(duplicate)).update(person_key=person_key(survivor))
