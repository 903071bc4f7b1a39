"""Due items of the registry for the reminders (hom.notifications): providers registered on the AppConfig.

Each takes ``(today, office, recipient=None)`` and yields ``hom.notifications.due.DueItem``.
"""
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hom.notifications.due import DueItem, office_filter
from hom.notifications.models import ReminderKind
from migrants.models import Visit


def visit_follow_ups(today, office, recipient=None):
    """Follow-ups promised to a person, due today or overdue, to the advisor who owes them."""
    # Owed by the office holding the person now: a transferred person's follow-ups went with them, and
    # the advisor of a visit made at the old office is no longer theirs (the person's advisor is).
    visits = (
        Visit.objects.open_follow_ups()
        .filter(office_filter(office, "migrant__office"), follow_up_on__lte=today, migrant__isnull=False)
        .select_related("migrant")
        .order_by("follow_up_on", "pk")
    )
    made_here = Q(office=F("migrant__office"))
    if recipient is not None:
        visits = visits.filter(
            Q(follow_up_advisor=recipient)
            | (Q(follow_up_advisor__isnull=True, advisor=recipient) & made_here)
            | (Q(follow_up_advisor__isnull=True, migrant__advisor=recipient) & (Q(advisor__isnull=True) | ~made_here))
        )
    for visit in visits:
        made_here_by = visit.advisor_id if visit.office_id == visit.migrant.office_id else None
        recipient_id = visit.follow_up_advisor_id or made_here_by or visit.migrant.advisor_id
        if recipient_id is None:
            continue
        yield DueItem(
            kind=ReminderKind.FOLLOW_UP,
            object_key=f"migrants.visit:{visit.pk}",
            due_on=visit.follow_up_on,
            recipient_id=recipient_id,
            title=format_lazy(_("Follow up with {name}"), name=visit.migrant.full_name),
            url=visit.get_absolute_url(),
        )
