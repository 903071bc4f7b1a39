"""What came of the office's work in a territory: funding, introductions, conventions, events.

Each function takes a :class:`~hom.reports.scope.ReportScope` and returns a
:class:`~hom.reports.tables.Table` from one or two GROUP BY queries, whatever the rows.
Amounts in FCFA sit beside the count they sum over (``Table.amount_columns``), so that
an amount over one to four applications or conventions is hidden with its count.

- Funding: applications recorded in the period for dossiers implemented in the territory
  (``dossier.commune``; an office's own dossiers), by status.
- Introductions: made in the period for persons of the territory, by kind of organisation
  and status.
- Conventions: running (signed, active, suspended) at some time of the period and
  concerning one of the territory's communes (an office's own), by status; the
  contributions committed and paid.
- Events: starting in the period, in one of the territory's communes (an office's own
  events), by kind; persons taking part.
- Results after funding (``results_impact``): from the result checks of the funded dossiers
  (``projects.results``), the businesses operating after 12 months, the jobs created and the
  repayment rate; also the commune profile's impact table.

A staff reader counts their office's rows only, like the rest of the report.
"""
from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hom.reports.scope import ReportScope, TerritoryKind
from hom.reports.tables import Table
from partnerships.conventions.models import RUNNING_STATUSES, Contribution, Convention, ConventionStatus
from partnerships.events.models import Event, EventKind, EventParticipant
from partnerships.models import Introduction, IntroductionStatus, OrganisationKind
from projects.funding.models import GRANTED_STATUSES, ApplicationStatus, FundingApplication
from projects.results.selectors import impact_figures


def _total(field: str):
    return Coalesce(Sum(field), 0, output_field=BigIntegerField())


def _own_office(queryset, scope: ReportScope):
    return queryset.filter(office_id=scope.office_id) if scope.office_id else queryset


def funding_by_status(scope: ReportScope) -> Table:
    start, stop = scope.period.bounds()
    rows = (
        FundingApplication.objects.filter(dossier__in=scope.dossiers, created_at__gte=start, created_at__lt=stop)
        .values("status")
        .annotate(
            count=Count("pk"),
            keys=_total("record_key"),
            requested=_total("amount_requested"),
            granted=_total("amount_granted"),
            disbursed=_total("amount_disbursed"),
        )
        .order_by()
    )
    found = {row["status"]: row for row in rows}
    labels, body, keys = [], [], []
    for status, label in ApplicationStatus.choices:
        row = found.get(status, {"count": 0, "keys": 0, "requested": 0, "granted": 0, "disbursed": 0})
        labels.append(label)
        keys.append([row["keys"], None, None, None])
        body.append([
            row["count"],
            row["requested"],
            row["granted"] if status in GRANTED_STATUSES else None,
            row["disbursed"] if status == ApplicationStatus.DISBURSED else None,
        ])
    return Table(
        key="funding",
        title=_("Funding applications by status"),
        row_heading=_("Status"),
        columns=[_("Applications"), _("Requested (FCFA)"), _("Granted (FCFA)"), _("Disbursed (FCFA)")],
        row_labels=labels,
        body=body,
        keys=keys,
        column_totals=True,
        chart_columns=[0],
        amount_columns={1: 0, 2: 0, 3: 0},
    )


def introductions_by_kind_and_status(scope: ReportScope) -> Table:
    introductions = _own_office(
        Introduction.objects.filter(
            migrant__in=scope.migrants, introduced_on__gte=scope.period.first, introduced_on__lte=scope.period.end
        ),
        scope,
    )
    rows = (
        introductions.values("organisation__kind", "status")
        .annotate(count=Count("pk"), keys=_total("record_key"))
        .order_by()
    )
    statuses = [status for status, _label in IntroductionStatus.choices]
    counts: dict = {}
    keys: dict = {}
    for row in rows:
        counts.setdefault(row["organisation__kind"], [0] * len(statuses))[statuses.index(row["status"])] = row["count"]
        keys.setdefault(row["organisation__kind"], [0] * len(statuses))[statuses.index(row["status"])] = row["keys"]
    kinds = [(kind, label) for kind, label in OrganisationKind.choices if kind in counts]
    return Table(
        key="introductions",
        title=_("Introductions by kind of organisation and status"),
        row_heading=_("Kind of organisation"),
        columns=[label for _status, label in IntroductionStatus.choices],
        row_labels=[label for _kind, label in kinds],
        body=[counts[kind] for kind, _label in kinds],
        keys=[keys[kind] for kind, _label in kinds],
        row_totals=True,
        column_totals=True,
        chart_columns=[0, 1, 2, 3, 4],
    )


def running_conventions(scope: ReportScope):
    """Conventions running at some time of the period and concerning the territory."""
    period = scope.period
    conventions = Convention.objects.running().filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=period.end), Q(ends_on__isnull=True) | Q(ends_on__gte=period.first)
    )
    territory = scope.territory
    if territory.kind in (TerritoryKind.REGION, TerritoryKind.DEPARTMENT, TerritoryKind.COMMUNE):
        concerned = Convention.communes.through.objects.filter(territory.area_filter("commune")).values("convention_id")
        conventions = conventions.filter(pk__in=concerned)
    elif territory.kind == TerritoryKind.OFFICE:
        conventions = conventions.filter(office__code=territory.code)
    return _own_office(conventions, scope)


def conventions_by_status(scope: ReportScope) -> Table:
    conventions = running_conventions(scope)
    by_status = conventions.values("status").annotate(count=Count("pk"), keys=_total("record_key")).order_by()
    counts = {row["status"]: (row["count"], row["keys"]) for row in by_status}
    money = {
        row["budget_line__convention__status"]: row
        for row in Contribution.objects.filter(budget_line__convention__in=conventions)
        .values("budget_line__convention__status")
        .annotate(committed=_total("committed"), paid=_total("paid"))
        .order_by()
    }
    labels = dict(ConventionStatus.choices)
    body, keys = [], []
    for status in RUNNING_STATUSES:
        amounts = money.get(status, {"committed": 0, "paid": 0})
        count, key_sum = counts.get(status, (0, 0))
        body.append([count, amounts["committed"], amounts["paid"]])
        keys.append([key_sum, None, None])
    return Table(
        key="conventions",
        title=_("Running conventions by status"),
        row_heading=_("Status"),
        columns=[_("Conventions"), _("Committed (FCFA)"), _("Paid (FCFA)")],
        row_labels=[labels[status] for status in RUNNING_STATUSES],
        body=body,
        keys=keys,
        column_totals=True,
        chart_columns=[0],
        amount_columns={1: 0, 2: 0},
    )


def events_by_kind(scope: ReportScope) -> Table:
    period = scope.period
    events = _own_office(
        Event.objects.filter(
            scope.territory.area_filter("commune"), starts_on__gte=period.first, starts_on__lte=period.end
        ),
        scope,
    )
    # Two queries: joined to the participants, an event's key would count once per participant.
    by_kind = events.values("kind").annotate(events=Count("pk"), keys=_total("record_key")).order_by()
    taking_part = (
        EventParticipant.objects.filter(event__in=events, migrant__isnull=False)
        .values(kind=F("event__kind"))
        .annotate(persons=Count("pk"), keys=_total("migrant__record_key"))
        .order_by()
    )
    found = {row["kind"]: [row["events"], 0, row["keys"], 0] for row in by_kind}
    for row in taking_part:
        found[row["kind"]][1], found[row["kind"]][3] = row["persons"], row["keys"]
    return Table(
        key="events",
        title=_("Events by kind"),
        row_heading=_("Kind of event"),
        columns=[_("Events"), _("Participants (persons)")],
        row_labels=[label for _kind, label in EventKind.choices],
        body=[found.get(kind, [0, 0, 0, 0])[:2] for kind, _label in EventKind.choices],
        keys=[found.get(kind, [0, 0, 0, 0])[2:] for kind, _label in EventKind.choices],
        column_totals=True,
        chart_columns=[0, 1],
    )


def results_impact(dossiers, *, until=None) -> Table:
    """What came of the funded ``dossiers``, from their recorded result checks (``projects.results``).

    Two queries whatever the rows. Counts are checks (one per dossier and milestone), jobs are
    summed over each dossier's latest check and perturbed with those checks' keys; the amounts
    disbursed and repaid stand beside the dossiers they sum over, hidden under five; the
    repayment rate (repaid / disbursed, %) is given only when five dossiers or more stand
    behind it, and published like a count (its cell key: those dossiers' checks).
    """
    figures = impact_figures(dossiers, until=until)
    repaying, keys = figures["repaying"], figures["repaying_keys"]
    rate = round(100 * figures["repaid"] / figures["disbursed"]) if repaying >= 5 and figures["disbursed"] else None
    return Table(
        key="impact",
        title=_("Results after funding"),
        row_heading=_("Figure"),
        columns=[_("Number"), _("Amount (FCFA)")],
        row_labels=[
            _("Funded dossiers checked after 12 months"),
            _("Businesses operating after 12 months"),
            _("Jobs created"),
            _("of which for women"),
            _("of which for young people under 35"),
            _("Amount disbursed to date"),
            _("Amount repaid to date"),
            _("Repayment rate (per cent of the amount disbursed)"),
        ],
        body=[
            [figures["followed"], None],
            [figures["operating"], None],
            [figures["jobs"], None],
            [figures["jobs_women"], None],
            [figures["jobs_youth"], None],
            [repaying, figures["disbursed"]],
            [repaying, figures["repaid"]],
            [rate, None],
        ],
        keys=[
            [figures["followed_keys"], None],
            [figures["operating_keys"], None],
            [figures["jobs_keys"], None],
            [figures["jobs_keys"], None],
            [figures["jobs_keys"], None],
            [keys, None],
            [keys, None],
            [keys if rate is not None else None, None],
        ],
        chart_columns=[0],
        amount_columns={1: 0},
    )
