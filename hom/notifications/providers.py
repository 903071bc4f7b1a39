"""The due items HOM knows today: visit follow-ups and dossiers (migrants, projects).

Each reads its app's models through their own querysets and the office's reminder
delay N (``OfficeReminderSettings``, 7 days by default).

The other apps' due items live next to their data, registered on their AppConfig's
``reminder_providers``: ``projects.reminders`` (funding deadlines) and
``partnerships.reminders`` (introductions, convention reports, meeting actions).
"""
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from migrants.models import Visit
from projects.models import DossierStatus, ProjectDossier

from .due import DueItem, office_admin_ids, office_filter
from .models import DEFAULT_WAITING_DAYS, OfficeReminderSettings, ReminderKind

WAITING_STATUSES = (DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW)


def waiting_days_by_office() -> dict[int, int]:
    return dict(OfficeReminderSettings.objects.values_list("office_id", "waiting_days"))


_office_filter = office_filter


def visit_follow_ups(today, office, recipient=None):
    """Follow-ups promised to a person, due today or overdue, to the advisor who owes them."""
    visits = (
        Visit.objects.open_follow_ups()
        .filter(_office_filter(office), follow_up_on__lte=today, migrant__isnull=False)
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


def dossiers_waiting(today, office, recipient=None):
    """Submitted dossiers waiting N days: to their advisor, after 2N (or N when unassigned) to the office admins."""
    delays = waiting_days_by_office()
    shortest = min([DEFAULT_WAITING_DAYS, *delays.values()])
    dossiers = list(
        ProjectDossier.objects.filter(
            _office_filter(office),
            status__in=WAITING_STATUSES,
            submitted_at__date__lte=today - timedelta(days=shortest),
        ).order_by("submitted_at", "pk")
    )
    admins = office_admin_ids({dossier.office_id for dossier in dossiers})
    for dossier in dossiers:
        days = delays.get(dossier.office_id, DEFAULT_WAITING_DAYS)
        submitted_on = timezone.localdate(dossier.submitted_at)
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


def changes_requested_untouched(today, office, recipient=None):
    """Dossiers sent back for changes and untouched for N days: to their promoter's account."""
    delays = waiting_days_by_office()
    shortest = min([DEFAULT_WAITING_DAYS, *delays.values()])
    dossiers = ProjectDossier.objects.filter(
        _office_filter(office),
        status=DossierStatus.CHANGES_REQUESTED,
        promoter__user__isnull=False,
        updated_at__date__lte=today - timedelta(days=shortest),
    ).select_related("promoter")
    if recipient is not None:
        dossiers = dossiers.filter(promoter__user=recipient)
    for dossier in dossiers.order_by("updated_at", "pk"):
        due_on = timezone.localdate(dossier.updated_at) + timedelta(days=delays.get(dossier.office_id, DEFAULT_WAITING_DAYS))
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
