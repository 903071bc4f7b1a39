"""Due items of partnerships for the reminders (hom.notifications): providers registered on the AppConfig.

Each takes ``(today, office, recipient=None)`` and yields ``hom.notifications.due.DueItem``,
in a fixed number of queries whatever the number of items: one for the items (their
related rows joined), one for the office admins (fallback recipients) when needed, one
for the partner users of the organisations concerned.
"""
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hom.notifications.due import DueItem, is_office_admin, office_admin_ids, office_filter, path_of
from hom.notifications.models import ReminderKind
from partnerships.conventions.models import Convention, ReportItem
from partnerships.events.models import ActionItem
from partnerships.models import Introduction, Organisation

# A report reminds its convention's advisor and the owing partner this many days before its date.
REPORT_WARNING_DAYS = 7


def introductions_due(today, office, recipient=None):
    """Open introductions whose follow-up date has come: to the advisor who made them (else the
    person's advisor). The key holds the follow-up date: a new date is a new reminder."""
    introductions = (
        Introduction.objects.follow_ups_due(today)
        .filter(office_filter(office))
        .select_related("migrant", "organisation")
        .order_by("follow_up_on", "pk")
    )
    if recipient is not None:
        introductions = introductions.filter(
            Q(introduced_by=recipient) | Q(introduced_by__isnull=True, migrant__advisor=recipient)
        )
    for introduction in introductions:
        recipient_id = introduction.introduced_by_id or introduction.migrant.advisor_id
        if recipient_id is None:
            continue
        yield DueItem(
            kind=ReminderKind.INTRODUCTION,
            object_key=f"partnerships.introduction:{introduction.pk}:{introduction.follow_up_on.isoformat()}",
            due_on=introduction.follow_up_on,
            recipient_id=recipient_id,
            title=format_lazy(
                _("Follow up the introduction of {name} to {organisation}"),
                name=introduction.migrant.full_name,
                organisation=introduction.organisation.name,
            ),
            url=introduction.get_absolute_url(),
        )


def convention_reports_due(today, office, recipient=None):
    """Reports still due within 7 days, or late, on running conventions: to the convention's
    advisor (else its office admins) and to the partner users of the organisation that owes it.

    The reminder falls due 7 days before the report (the day it enters the window), so its key
    and date stay the same every morning until the report is submitted.
    """
    items = (
        ReportItem.objects.due_within(REPORT_WARNING_DAYS, today=today)
        .filter(office_filter(office, "convention__office"), convention__in=Convention.objects.running())
        .select_related("convention", "obligation", "party__organisation")
        .order_by("due_on", "pk")
    )
    if recipient is not None:
        mine = Q(convention__advisor=recipient) | Q(
            party__organisation__in=Organisation.objects.filter(partner_users=recipient)
        )
        if is_office_admin(recipient):
            mine |= Q(convention__advisor__isnull=True, convention__office_id=recipient.office_id)
        items = items.filter(mine)
    items = list(items)
    admins = office_admin_ids(item.convention.office_id for item in items if item.convention.advisor_id is None)
    partners: dict[int, list[int]] = {}
    through = Organisation.partner_users.through.objects.filter(
        organisation_id__in={item.party.organisation_id for item in items}, user__is_active=True
    ).order_by("user_id")
    for organisation_id, user_id in through.values_list("organisation_id", "user_id"):
        partners.setdefault(organisation_id, []).append(user_id)
    for item in items:
        convention = item.convention
        title = format_lazy(
            _("Report “{report}” from {party}, convention “{convention}”"),
            report=item.obligation.title,
            party=item.party.organisation.name,
            convention=convention.title,
        )
        staff = [convention.advisor_id] if convention.advisor_id else admins.get(convention.office_id, [])
        for recipient_id in dict.fromkeys([*staff, *partners.get(item.party.organisation_id, [])]):
            if recipient is not None and recipient_id != recipient.pk:
                continue
            yield DueItem(
                kind=ReminderKind.CONVENTION_REPORT,
                object_key=f"partnerships.report:{item.pk}",
                due_on=item.due_on - timedelta(days=REPORT_WARNING_DAYS),
                recipient_id=recipient_id,
                title=title,
                url=path_of(convention),
                deadline=item.due_on,
            )


def meeting_actions_due(today, office, recipient=None):
    """Open meeting action items due today or overdue: to their owner, else the convention's
    advisor, else its office admins."""
    actions = (
        ActionItem.objects.open()
        .filter(office_filter(office, "convention__office"), due_on__lte=today)
        .select_related("convention", "meeting")
        .order_by("due_on", "pk")
    )
    if recipient is not None:
        mine = Q(owner=recipient) | Q(owner__isnull=True, convention__advisor=recipient)
        if is_office_admin(recipient):
            mine |= Q(owner__isnull=True, convention__advisor__isnull=True, convention__office_id=recipient.office_id)
        actions = actions.filter(mine)
    actions = list(actions)
    admins = office_admin_ids(
        action.convention.office_id for action in actions if action.owner_id is None and action.convention.advisor_id is None
    )
    for action in actions:
        convention = action.convention
        if action.owner_id or convention.advisor_id:
            recipients = [action.owner_id or convention.advisor_id]
        else:
            recipients = admins.get(convention.office_id, [])
        title = format_lazy(
            _("Meeting action: {action} (convention “{convention}”)"),
            action=action.description,
            convention=convention.title,
        )
        for recipient_id in recipients:
            if recipient is not None and recipient_id != recipient.pk:
                continue
            yield DueItem(
                kind=ReminderKind.MEETING_ACTION,
                object_key=f"partnerships.action:{action.pk}",
                due_on=action.due_on,
                recipient_id=recipient_id,
                title=title,
                url=path_of(action.meeting, fallback=path_of(convention)),
            )


def cooperation_due(today, office, recipient=None):
    """Cooperation introductions whose follow-up date has come (to the advisor who made them, else
    the office admins), and the communes' requests still waiting (to the office admins, from the
    day after they were made). Introductions' reminders are of the introductions' kind."""
    from partnerships.cooperation.models import CooperationIntroduction, CooperationRequest

    introductions = (
        CooperationIntroduction.objects.follow_ups_due(today).filter(office_filter(office))
        .select_related("commune", "organisation").order_by("follow_up_on", "pk")
    )
    requests = (
        CooperationRequest.objects.open().filter(office_filter(office), created_at__date__lt=today)
        .select_related("commune").order_by("created_at", "pk")
    )
    if recipient is not None:
        mine = Q(introduced_by=recipient)
        if is_office_admin(recipient):
            mine |= Q(introduced_by__isnull=True, office_id=recipient.office_id)
        introductions = introductions.filter(mine)
        requests = requests.filter(office_id=recipient.office_id) if is_office_admin(recipient) else requests.none()
    introductions, requests = list(introductions), list(requests)
    admins = office_admin_ids(
        [item.office_id for item in introductions if item.introduced_by_id is None]
        + [item.office_id for item in requests]
    ) if any(item.introduced_by_id is None for item in introductions) or requests else {}
    for introduction in introductions:
        recipients = [introduction.introduced_by_id] if introduction.introduced_by_id else admins.get(
            introduction.office_id, [])
        title = format_lazy(
            _("Follow up the introduction of {commune} to {organisation}"),
            commune=introduction.commune.name, organisation=introduction.organisation.name,
        )
        for recipient_id in recipients:
            if recipient is not None and recipient_id != recipient.pk:
                continue
            yield DueItem(
                kind=ReminderKind.INTRODUCTION,
                object_key=f"partnerships.cooperation:{introduction.pk}:{introduction.follow_up_on.isoformat()}",
                due_on=introduction.follow_up_on, recipient_id=recipient_id, title=title,
                url=introduction.get_absolute_url(),
            )
    for request in requests:
        title = format_lazy(_("The commune of {commune} asks for a cooperation"), commune=request.commune.name)
        for recipient_id in admins.get(request.office_id, []):
            if recipient is not None and recipient_id != recipient.pk:
                continue
            yield DueItem(
                kind=ReminderKind.INTRODUCTION,
                object_key=f"partnerships.cooperation_request:{request.pk}",
                due_on=timezone.localtime(request.created_at).date(), recipient_id=recipient_id, title=title,
                url=request.get_absolute_url(),
            )
