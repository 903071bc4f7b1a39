"""Due items of the registry for the reminders (hom.notifications): providers registered on the AppConfig.

Each takes ``(today, office, recipient=None)`` and yields ``hom.notifications.due.DueItem``.
"""
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hom.notifications.due import DueItem, office_filter
from hom.notifications.models import ReminderKind
from migrants.models import Visit


def visit_follow_ups(today, office, recipient=None):
    """Follow-ups promised to a person, due today or overdue, to the advisor who owes them."""
    visits = (
        Visit.objects.open_follow_ups()
        .filter(office_filter(office), follow_up_on__lte=today, migrant__isnull=False)
        .select_related("migrant")
        .order_by("follow_up_on", "pk")
    )
    if recipient is not None:
        visits = visits.filter(
            Q(follow_up_advisor=recipient)
            | Q(follow_up_advisor__isnull=True, advisor=recipient)
            | Q(follow_up_advisor__isnull=True, advisor__isnull=True, migrant__advisor=recipient)
        )
    for visit in visits:
        recipient_id = visit.follow_up_advisor_id or visit.advisor_id or visit.migrant.advisor_id
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
