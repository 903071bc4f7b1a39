"""Reads of conventions: the register, a convention's page (budget table, reports) and the dashboard.

Scoping is the models' ``visible_to(user)``; totals are SQL aggregates (conditional sums
per party in one query), never Python sums over rows.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import BigIntegerField, BooleanField, Case, Count, Min, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hom.accounts.access import get_visible_or_404
from hom.accounts.models import Role
from partnerships.conventions.models import (
    RUNNING_STATUSES,
    Contribution,
    ContributionKind,
    Convention,
    ConventionBudgetLine,
    ConventionParty,
    ConventionTransition,
    ReportItem,
    ReportItemStatus,
)
from partnerships.events.models import ActionItem
from partnerships.models import Organisation

# Sort keys offered by the register, each backed by an index starting with the office.
SORTS = {
    "-starts_on": ("-starts_on", "title", "pk"),
    "starts_on": ("starts_on", "title", "pk"),
    "title": ("title", "pk"),
    "status": ("status", "-starts_on", "pk"),
}
DEFAULT_SORT = "-starts_on"


def _sum(field: str, **filters):
    return Coalesce(Sum(field, filter=Q(**filters) if filters else None), Value(0), output_field=BigIntegerField())


def conventions_for_register(user, *, status: str = "", organisation: Organisation | None = None, search: str = "",
                             sort: str = DEFAULT_SORT):
    """The conventions ``user`` may see, filtered and sorted; parties prefetched (one query)."""
    conventions = Convention.objects.visible_to(user)
    if status:
        conventions = conventions.filter(status=status)
    if organisation is not None:
        conventions = conventions.filter(parties__organisation=organisation)
    if search:
        conventions = conventions.filter(title__icontains=search.strip())
    return (
        conventions.select_related("office")
        .prefetch_related(Prefetch("parties", queryset=ConventionParty.objects.select_related("organisation")))
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    )


def organisations_in_conventions(user):
    """Organisations party to a convention ``user`` sees: the register's filter choices."""
    return Organisation.objects.filter(
        convention_parties__convention__in=Convention.objects.visible_to(user)
    ).distinct().order_by("name", "pk")


def convention_for_page(user, pk: int) -> Convention:
    return get_visible_or_404(
        Convention.objects.select_related("office", "advisor", "created_by"), user, pk=pk
    )


def contribution_of(convention: Convention, pk: int) -> Contribution:
    """One contribution of a convention already scoped to its reader, or 404."""
    return get_object_or_404(Contribution.objects.filter(budget_line__convention=convention), pk=pk)


def convention_parties(convention: Convention):
    return convention.parties.select_related("organisation").order_by("position", "pk")


def convention_transitions(convention: Convention):
    return ConventionTransition.objects.filter(convention=convention).select_related("actor").order_by("created_at", "pk")


@dataclass
class BudgetTable:
    parties: list          # ConventionParty rows, annotated with committed, paid, cash, in_kind
    rows: list             # (line, [committed of each party, in the parties' order])
    contributions: list    # every contribution, with its line and party
    total_amount: int
    total_committed: int
    total_paid: int

    @property
    def uncovered(self) -> int:
        return self.total_amount - self.total_committed


def convention_budget(convention: Convention) -> BudgetTable:
    """The budget table: per line × party committed (one query), per party and grand totals (two more)."""
    parties = list(
        convention_parties(convention).annotate(
            committed=_sum("contributions__committed"),
            paid=_sum("contributions__paid"),
            cash=_sum("contributions__committed", contributions__kind=ContributionKind.CASH),
            in_kind=_sum("contributions__committed", contributions__kind=ContributionKind.IN_KIND),
        )
    )
    per_party = {f"party_{party.pk}": _sum("contributions__committed", contributions__party=party.pk) for party in parties}
    lines = list(
        ConventionBudgetLine.objects.filter(convention=convention)
        .annotate(committed=_sum("contributions__committed"), paid=_sum("contributions__paid"), **per_party)
        .order_by("position", "pk")
    )
    rows = [(line, [getattr(line, f"party_{party.pk}") for party in parties]) for line in lines]
    totals = ConventionBudgetLine.objects.filter(convention=convention).aggregate(amount=_sum("amount"))
    contribution_totals = Contribution.objects.filter(budget_line__convention=convention).aggregate(
        committed=_sum("committed"), paid=_sum("paid")
    )
    contributions = list(
        Contribution.objects.filter(budget_line__convention=convention)
        .select_related("budget_line", "party__organisation")
        .order_by("budget_line__position", "budget_line_id", "party__position", "pk")
    )
    return BudgetTable(
        parties=parties, rows=rows, contributions=contributions, total_amount=totals["amount"],
        total_committed=contribution_totals["committed"], total_paid=contribution_totals["paid"],
    )


def _with_lateness(items, today):
    return items.annotate(
        late=Case(When(status=ReportItemStatus.DUE, due_on__lt=today, then=Value(True)), default=Value(False),
                  output_field=BooleanField())
    )


def convention_reports(convention: Convention, *, today=None):
    """A convention's due reports, late ones first, then by date."""
    today = today or timezone.localdate()
    items = ReportItem.objects.filter(convention=convention).select_related("obligation", "party__organisation")
    return _with_lateness(items, today).order_by("-late", "due_on", "pk")


def reports_owed_by(user, item_pk: int) -> ReportItem:
    """A report ``user`` may upload: staff, any of their conventions'; a partner, their organisation's only."""
    items = ReportItem.objects.visible_to(user)
    if not user.is_superuser and user.role == Role.PARTNER:
        items = items.filter(party__organisation__partner_users=user)
    return get_visible_or_404(items.select_related("convention"), user, pk=item_pk)


# A report can be sent from a quarter before its date: later ones are listed without a form.
UPLOAD_WINDOW_DAYS = 92


def uploadable_report_ids(user, convention: Convention, *, today=None) -> set[int]:
    """Ids of the convention's reports ``user`` may upload now (one query): not approved, due within a quarter."""
    horizon = (today or timezone.localdate()) + timedelta(days=UPLOAD_WINDOW_DAYS)
    items = ReportItem.objects.filter(convention=convention, due_on__lte=horizon).exclude(
        status=ReportItemStatus.ACCEPTED
    )
    if not user.is_superuser and user.role == Role.PARTNER:
        items = items.filter(party__organisation__partner_users=user)
    return set(items.values_list("pk", flat=True))


@dataclass
class Dashboard:
    running: list
    late_reports: list
    overdue_actions: list
    budget_by_organisation: list


def conventions_dashboard(user, *, today=None, limit: int = 50) -> Dashboard:
    """What an admin follows: running conventions, late reports, overdue actions, money committed and paid.

    Only running conventions (signed, active, suspended) count: a closed convention's
    forgotten report is no longer chased.
    """
    today = today or timezone.localdate()
    visible = Convention.objects.visible_to(user)
    running = list(
        visible.running()
        .annotate(
            late_count=Count("report_items", filter=Q(report_items__status=ReportItemStatus.DUE,
                                                      report_items__due_on__lt=today), distinct=True),
            party_count=Count("parties", distinct=True),
        )
        .order_by("ends_on", "title", "pk")[:limit]
    )
    late_reports = list(
        ReportItem.objects.visible_to(user).late(today).filter(convention__status__in=RUNNING_STATUSES)
        .select_related("convention", "obligation", "party__organisation")
        .order_by("due_on", "pk")[:limit]
    )
    overdue_actions = list(
        ActionItem.objects.visible_to(user).overdue(today).filter(convention__status__in=RUNNING_STATUSES)
        .select_related("convention", "owner", "owner_organisation")
        .order_by("due_on", "pk")[:limit]
    )
    budget_by_organisation = list(
        Contribution.objects.filter(budget_line__convention__in=visible.running())
        .values("party__organisation", "party__organisation__name", "party__organisation__acronym")
        .annotate(committed=Sum("committed"), paid=Sum("paid"))
        .order_by("-committed", "party__organisation__name")
    )
    return Dashboard(running=running, late_reports=late_reports, overdue_actions=overdue_actions,
                     budget_by_organisation=budget_by_organisation)


def conventions_of_partner(user, *, today=None, limit: int = 10):
    """A partner's conventions for their home page: newest first, with what their organisations owe.

    ``owed_late`` counts their organisations' reports past their date, ``owed_next`` is the next
    date one of them is due (one query, whatever the number of conventions).
    """
    today = today or timezone.localdate()
    owed = Q(
        report_items__status=ReportItemStatus.DUE,
        report_items__party__organisation__in=Organisation.objects.filter(partner_users=user),
    )
    return list(
        Convention.objects.visible_to(user)
        .annotate(
            owed_late=Count("report_items", filter=owed & Q(report_items__due_on__lt=today)),
            owed_next=Min("report_items__due_on", filter=owed & Q(report_items__due_on__gte=today)),
        )
        .order_by(*SORTS[DEFAULT_SORT])[:limit]
    )
