"""Due items of projects for the reminders (hom.notifications): providers registered on the AppConfig.

Each takes ``(today, office, recipient=None)`` and yields ``hom.notifications.due.DueItem``.
"""
from datetime import timedelta

from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import Role
from hom.notifications.due import DueItem, is_office_admin, office_admin_ids, office_filter
from hom.notifications.models import DEFAULT_WAITING_DAYS, OfficeReminderSettings, ReminderKind
from projects.funding.models import ApplicationStatus, FundingApplication
from projects.funding.selectors import DEADLINE_WARNING_DAYS, applications_closing_soon
from projects.models import DossierStatus, ProjectDossier
from projects.results.models import ResultCheck

WAITING_STATUSES = (DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW)


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


def _with_waiting_days(dossiers):
    """Each dossier with its office's reminder delay N (``OfficeReminderSettings``, else 7 days),
    read in the same query."""
    delay = OfficeReminderSettings.objects.filter(office=OuterRef("office_id")).values("waiting_days")[:1]
    return dossiers.annotate(
        waiting_days=Coalesce(Subquery(delay), Value(DEFAULT_WAITING_DAYS), output_field=IntegerField())
    )


# The shortest delay an office may set (``OfficeReminderSettings``' constraint): no dossier
# touched more recently is due, whatever its office's delay.
SHORTEST_WAITING_DAYS = 1


def _earliest_overdue_check(today):
    """A dossier's result check (``projects.results``) not recorded whose due date has come, the oldest."""
    return ResultCheck.objects.filter(dossier=OuterRef("pk"), recorded_at__isnull=True, due_on__lte=today).order_by(
        "due_on", "pk"
    )


def dossiers_waiting(today, office, recipient=None):
    """Submitted dossiers waiting N days: to their advisor, after 2N (or N when unassigned) to the office admins.

    The same query reads each dossier's oldest overdue result check (``projects.results``, kind
    ``result_check``): to the dossier's advisor, or its office admins when it has none; recorded,
    the next overdue one follows. One query for both keeps the dashboard within its ten.

    For one recipient (the Today card) only their dossiers are read: those they advise, and
    their office's when they are its admin. One query, two with the admins of a whole run.
    """
    waiting = Q(status__in=WAITING_STATUSES, submitted_at__date__lte=today - timedelta(days=SHORTEST_WAITING_DAYS))
    overdue = _earliest_overdue_check(today)
    dossiers = ProjectDossier.objects.filter(office_filter(office)).filter(waiting | Exists(overdue))
    if recipient is not None:
        recipient_is_admin = is_office_admin(recipient) and recipient.is_active
        mine = Q(advisor=recipient)
        if recipient_is_admin:
            mine |= Q(office_id=recipient.office_id)
        dossiers = dossiers.filter(mine)
    dossiers = list(
        _with_waiting_days(dossiers)
        .annotate(
            check_id=Subquery(overdue.values("pk")[:1]),
            check_months=Subquery(overdue.values("months")[:1]),
            check_due_on=Subquery(overdue.values("due_on")[:1]),
        )
        .order_by("submitted_at", "pk")
    )
    if recipient is None:
        admins = office_admin_ids({dossier.office_id for dossier in dossiers})
    else:
        admins = {recipient.office_id: [recipient.pk]} if recipient_is_admin else {}
    for dossier in dossiers:
        if dossier.check_id is not None:
            yield from _result_check_items(dossier, admins)
        if dossier.status not in WAITING_STATUSES or dossier.submitted_at is None:
            continue
        days = dossier.waiting_days
        submitted_on = timezone.localdate(dossier.submitted_at)
        if submitted_on > today - timedelta(days=SHORTEST_WAITING_DAYS):
            continue
        url = reverse("projects:detail", args=[dossier.pk])
        key = f"projects.dossier:{dossier.pk}:submitted:{submitted_on.isoformat()}"
        advisor_due = submitted_on + timedelta(days=days)
        # An unassigned dossier has no advisor to remind: its office admins hear of it at N days.
        admin_due = submitted_on + timedelta(days=2 * days if dossier.advisor_id else days)
        if dossier.advisor_id and advisor_due <= today:
            yield DueItem(
                kind=ReminderKind.DOSSIER_WAITING,
                object_key=key,
                due_on=advisor_due,
                recipient_id=dossier.advisor_id,
                title=format_lazy(_("Dossier {reference} waits for your review"), reference=dossier.reference),
                url=url,
            )
        if admin_due <= today:
            for admin_id in admins.get(dossier.office_id, []):
                yield DueItem(
                    kind=ReminderKind.DOSSIER_WAITING,
                    object_key=key,
                    due_on=admin_due,
                    recipient_id=admin_id,
                    title=format_lazy(
                        _("Dossier {reference} has waited {days} days for a review"),
                        reference=dossier.reference,
                        days=(today - submitted_on).days,
                    ),
                    url=url,
                )


def _result_check_items(dossier, admins):
    """The reminder of the dossier's oldest overdue result check, listed until it is recorded."""
    recipients = [dossier.advisor_id] if dossier.advisor_id else admins.get(dossier.office_id, [])
    for recipient_id in recipients:
        yield DueItem(
            kind=ReminderKind.RESULT_CHECK,
            object_key=f"projects.result_check:{dossier.check_id}",
            due_on=dossier.check_due_on,
            recipient_id=recipient_id,
            title=format_lazy(
                _("Record the {months}-month results of dossier {reference}"),
                months=dossier.check_months,
                reference=dossier.reference,
            ),
            url=reverse("projects:results", args=[dossier.pk]) + f"#check-{dossier.check_months}",
        )


def changes_requested_untouched(today, office, recipient=None):
    """Dossiers sent back for changes and untouched for N days: to their promoter's account.

    Only migrant accounts are linked to a person's record (sign-up, link requests): for anyone
    else (a staff member's Today card) there is nothing to read.
    """
    if recipient is not None and recipient.role != Role.MIGRANT:
        return
    dossiers = ProjectDossier.objects.filter(
        office_filter(office),
        status=DossierStatus.CHANGES_REQUESTED,
        promoter__user__isnull=False,
        updated_at__date__lte=today - timedelta(days=SHORTEST_WAITING_DAYS),
    ).select_related("promoter")
    if recipient is not None:
        dossiers = dossiers.filter(promoter__user=recipient)
    for dossier in _with_waiting_days(dossiers).order_by("updated_at", "pk"):
        due_on = timezone.localdate(dossier.updated_at) + timedelta(days=dossier.waiting_days)
        if due_on > today:
            continue
        yield DueItem(
            kind=ReminderKind.CHANGES_REQUESTED,
            object_key=f"projects.dossier:{dossier.pk}:changes",
            due_on=due_on,
            recipient_id=dossier.promoter.user_id,
            title=format_lazy(_("Your dossier {reference} waits for the changes the office asked for"), reference=dossier.reference),
            url=reverse("projects:detail", args=[dossier.pk]),
        )

