"""Due items of projects for the reminders (hom.notifications): providers registered on the AppConfig.

Each takes ``(today, office, recipient=None)`` and yields ``hom.notifications.due.DueItem``.
"""
from datetime import timedelta

from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hom.notifications.due import DueItem, is_office_admin, office_admin_ids, office_filter
from hom.notifications.models import ReminderKind
from projects.funding.models import ApplicationStatus, FundingApplication
from projects.funding.selectors import DEADLINE_WARNING_DAYS, applications_closing_soon


def funding_deadlines(today, office, recipient=None):
    """Programmes closing within 14 days for a dossier still to present to them: to its advisor.

    Only *planned* applications: once submitted the deadline is met, so the reminder is done
    (as it is when the deadline passes). The reminder falls due the day the deadline enters
    the 14-day window (``deadline - 14``), whenever the application was shortlisted: the same
    key and due date every morning, so it is announced once and listed until done. A deadline
    moved by the funder is a new due date, hence a new reminder. No advisor on the dossier:
    the office admins.
    """
    applications = applications_closing_soon(
        queryset=FundingApplication.objects.filter(office_filter(office, "dossier__office"), status=ApplicationStatus.PLANNED),
        today=today,
    )
    if recipient is not None:
        mine = Q(dossier__advisor=recipient)
        if is_office_admin(recipient):
            mine |= Q(dossier__advisor__isnull=True, dossier__office_id=recipient.office_id)
        applications = applications.filter(mine)
    applications = list(applications)
    admins = office_admin_ids(app.dossier.office_id for app in applications if app.dossier.advisor_id is None)
    for application in applications:
        dossier, deadline = application.dossier, application.opportunity.deadline
        title = format_lazy(
            _("Present dossier {reference} to “{programme}” before its deadline"),
            reference=dossier.reference,
            programme=application.opportunity.name,
        )
        recipients = [dossier.advisor_id] if dossier.advisor_id else admins.get(dossier.office_id, [])
        for recipient_id in recipients:
            if recipient is not None and recipient_id != recipient.pk:
                continue
            yield DueItem(
                kind=ReminderKind.FUNDING_DEADLINE,
                object_key=f"projects.application:{application.pk}",
                due_on=deadline - timedelta(days=DEADLINE_WARNING_DAYS),
                recipient_id=recipient_id,
                title=title,
                url=application.get_absolute_url(),
                deadline=deadline,
            )
