"""The office's indicators on the staff dashboard: exact figures, since staff can open every
record behind them (no disclosure control is needed for their own office).

One query for the whole card (docs/architecture.md, "Query budget"): the dossiers by status
are summed over the office's dossiers, and the visit figures ride along as scalar subqueries.
This month's and last month's visits come from the monthly summaries (``VisitMonth``) when
both months are built, from the visits otherwise (the database evaluates only the branch it
takes); overdue follow-ups are counted on the visits (the summaries do not keep them).
"""
from datetime import date

from django.db.models import Case, F, Func, IntegerField, Q, Subquery, Value, When
from django.db.models.lookups import Exact
from django.utils import timezone

from migrants.models import Visit
from projects.models import DossierStatus, ProjectDossier

from ..models import SummaryMonth, VisitMonth
from ..scope import Period


def _month_start(day: date, back: int = 0) -> date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _plain(function: str, expression) -> Func:
    """``SUM(...)`` or ``COUNT(...)`` as a plain function: no GROUP BY, one row (NULL over no row for SUM)."""
    return Func(expression, function=function, output_field=IntegerField())


def _scalar(queryset, function: str, expression) -> Subquery:
    """A one-value subquery: ``function(expression)`` over ``queryset``'s rows."""
    return Subquery(
        queryset.order_by().annotate(value=_plain(function, expression)).values("value"), output_field=IntegerField()
    )


def _one(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def office_indicators(user, *, today: date | None = None) -> dict:
    """This month's and last month's visits, overdue follow-ups, and dossiers by status (one query)."""
    today = today or timezone.localdate()
    months = {"this_month": _month_start(today), "last_month": _month_start(today, 1)}
    built = _scalar(
        SummaryMonth.objects.filter(month__in=months.values(), built_at__isnull=False), "COUNT", F("pk")
    )
    visits = {}
    for name, month in months.items():
        start, stop = Period(first=month, last=month).bounds()
        summed = _scalar(VisitMonth.objects.visible_to(user).filter(month=month), "SUM", F("visits"))
        counted = _scalar(
            Visit.objects.visible_to(user).filter(occurred_at__gte=start, occurred_at__lt=stop), "COUNT", F("pk")
        )
        visits[name] = Case(When(Exact(built, len(months)), then=summed), default=counted, output_field=IntegerField())
    overdue = _scalar(
        Visit.objects.follow_ups_owed_by(user).filter(follow_up_on__lt=today), "COUNT", F("pk")
    )
    by_status = {f"status_{value}": _plain("SUM", _one(Q(status=value))) for value in DossierStatus.values}
    rows = list(
        ProjectDossier.objects.visible_to(user).order_by().annotate(**by_status, **visits, overdue=overdue)
        .values(*by_status, *visits, "overdue")
    )
    row = rows[0] if rows else {}
    figures = {name: row.get(name) or 0 for name in (*visits, "overdue")}
    statuses = [
        (label, row[f"status_{value}"]) for value, label in DossierStatus.choices if row.get(f"status_{value}")
    ]
    return {"visits": figures, "statuses": statuses}
