"""Writes of the reports app: the commune profile that the ARD keeps, and the visit summaries."""

from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hom.uploads import check_upload
from migrants.models import Visit

from .models import CommuneProfile, SummaryMonth, VisitMonth, VisitNeedMonth
from .scope import ALIGNED_MAX_YEARS


@transaction.atomic
def commune_profile_update(
    *, commune, actor, narrative: str, development_plan=None, remove_plan: bool = False
) -> CommuneProfile:
    """Save the presentation of ``commune`` and, when given, its local development plan (checked by content)."""
    profile, _created = CommuneProfile.objects.select_for_update().get_or_create(commune=commune)
    profile.narrative = narrative
    profile.updated_by = actor
    if remove_plan and profile.development_plan:
        profile.development_plan.delete(save=False)
        profile.plan_extension = profile.plan_content_type = ""
    if development_plan is not None:
        checked = check_upload(development_plan)
        if profile.development_plan:
            profile.development_plan.delete(save=False)
        profile.plan_extension, profile.plan_content_type = checked.extension, checked.content_type
        profile.development_plan.save(development_plan.name, development_plan, save=False)
    profile.full_clean()
    profile.save()
    return profile


def month_of(moment) -> date:
    """The first day of the month of an aware datetime, in the office's time zone."""
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def _month_bounds(month: date):
    zone = timezone.get_current_timezone()
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return datetime.combine(month, time.min, zone), datetime.combine(following, time.min, zone)


def _insert_from(model, queryset, columns: list[str], month: date, constants: dict) -> None:
    """``INSERT INTO model (columns, month, constants) SELECT ..., month, constants FROM (queryset)``.

    The GROUP BY runs in the database; no row comes through Python. ``queryset`` selects
    ``columns`` in that order (``values()`` fields, then the ``visits`` count and ``key_sum``).
    """
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    names = [*columns, "month", *constants]
    placeholders = ", ".join(["%s"] * (1 + len(constants)))
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(name) for name in names)}) "
        f"SELECT summary.*, {placeholders} FROM ({sql}) summary"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [connection.ops.adapt_datefield_value(month), *constants.values(), *params])


def _rebuild(month: date, visits: Q) -> None:
    start, stop = _month_bounds(month)
    in_month = Visit.objects.filter(visits, occurred_at__gte=start, occurred_at__lt=stop).order_by()
    registered, walk_ins = in_month.filter(migrant__isnull=False), in_month.filter(migrant__isnull=True)
    person_columns = ["office_id", "migrant_id"]
    walk_in_columns = ["office_id", "commune_id", "sex", "age_group"]
    blank = {"sex": "", "age_group": ""}
    counted = {"visits": Count("pk"), "key_sum": Sum("record_key")}
    _insert_from(
        VisitMonth,
        registered.values(*person_columns).annotate(**counted),
        [*person_columns, *counted],
        month,
        blank,
    )
    _insert_from(
        VisitMonth,
        walk_ins.values(*walk_in_columns).annotate(**counted),
        [*walk_in_columns, *counted],
        month,
        {},
    )
    # The needs' rows copy the person's record key (a walk-in's row: 0).
    _insert_from(
        VisitNeedMonth,
        registered.filter(needs__isnull=False)
        .values(*person_columns, "needs", "migrant__record_key")
        .annotate(**counted),
        [*person_columns, "need_id", "person_key", *counted],
        month,
        blank,
    )
    _insert_from(
        VisitNeedMonth,
        walk_ins.filter(needs__isnull=False).values(*walk_in_columns, "needs").annotate(**counted),
        [*walk_in_columns, "need_id", *counted],
        month,
        {"person_key": 0},
    )


def _summary_filter(month: date, office_id=None, migrant_id=None, walk_ins=False) -> tuple[Q, Q]:
    """The same slice of the summaries and of the visits."""
    rows, visits = Q(month=month), Q()
    if office_id is not None:
        rows &= Q(office_id=office_id)
        visits &= Q(office_id=office_id)
    if migrant_id is not None:
        rows &= Q(migrant_id=migrant_id)
        visits &= Q(migrant_id=migrant_id)
    elif walk_ins:
        rows &= Q(migrant__isnull=True)
        visits &= Q(migrant__isnull=True)
    return rows, visits


def _lock_month(month: date) -> SummaryMonth:
    """The month's marker, locked until the end of the transaction: one rebuild or refresh at a time.

    Without it a refresh running beside a rebuild of the same month could delete before
    the rebuild commits and insert after: the person's visits would count twice.
    """
    SummaryMonth.objects.get_or_create(month=month)
    return SummaryMonth.objects.select_for_update().get(month=month)


@transaction.atomic
def visit_summary_rebuild_month(*, month: date) -> int:
    """Rebuild every summary row of ``month`` from the visits and mark it built: idempotent.

    Returns the number of person and walk-in rows made.
    """
    month = month.replace(day=1)
    marker = _lock_month(month)
    rows, visits = _summary_filter(month)
    VisitMonth.objects.filter(rows).delete()
    VisitNeedMonth.objects.filter(rows).delete()
    _rebuild(month, visits)
    marker.built_at = timezone.now()
    marker.full_clean()
    marker.save(update_fields=["built_at"])
    return VisitMonth.objects.filter(rows).count()


@transaction.atomic
def visit_summary_refresh(*, month: date, office_id: int, migrant_id: int | None) -> None:
    """Rebuild one person's rows of ``month`` (``migrant_id``), or an office's walk-ins' (``None``)."""
    month = month.replace(day=1)
    _lock_month(month)
    rows, visits = _summary_filter(month, office_id, migrant_id, walk_ins=migrant_id is None)
    VisitMonth.objects.filter(rows).delete()
    VisitNeedMonth.objects.filter(rows).delete()
    _rebuild(month, visits)


def _aligned_months(first: date | None, last: date | None, today: date | None) -> list[date]:
    this_month = (today or timezone.localdate()).replace(day=1)
    first = min(first, this_month) if first else this_month
    last = max(last, this_month) if last else this_month
    span = ALIGNED_MAX_YEARS - 1
    month, last = date(first.year - span, 1, 1), date(last.year + span, 12, 1)
    months = []
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def months_to_summarise(today: date | None = None) -> list[date]:
    """Every month that an aligned period holding a visit may cover: from January, four years before the
    first visit's year (or this year), to December, four years after this year (or the last visit's).

    A perturbed report covers whole calendar years, up to five (``scope.Period.is_aligned``): so
    that every such period that holds a visit reads the summaries (never the visits, whose
    needs table joins every person for their record key: bench/README.md), its months before the
    first visit and after this one are built too, empty. An empty month costs a few queries.
    """
    moments = Visit.objects.order_by().aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    return _aligned_months(
        month_of(moments["first"]) if moments["first"] else None,
        month_of(moments["last"]) if moments["last"] else None,
        today,
    )


def months_changed(today: date | None = None) -> list[date]:
    """The months whose summaries may differ from their visits: what the nightly run rebuilds.

    A month is rebuilt when it was never built (``months_to_summarise``'s range, or a month
    holding visits or summary rows outside it), when one of its visits was created or saved
    since the month was built (``created_at``/``updated_at`` at or after ``built_at``), or
    when its fingerprint differs: the number of its visits and the sum of their record keys,
    against the same sums over its summary rows. The fingerprint catches what leaves no
    trace in the times: a visit deleted, or moved to another month, by SQL or by
    ``QuerySet.update`` (which does not set ``updated_at``).

    Three queries, whatever the number of months: one GROUP BY month over the visits (an
    index-only scan of ``visit_summary_fingerprint_idx`` on PostgreSQL), one over the
    summary rows, and the markers. Not caught: a visit's needs, office or person changed by
    SQL within its month with no ``updated_at``; ``rebuild_report_summaries --all`` rebuilds
    every month.
    """
    visits = {
        month_of(row["moment"]): row
        for row in Visit.objects.order_by()
        .annotate(moment=TruncMonth("occurred_at"))
        .values("moment")
        .annotate(visits=Count("pk"), key_sum=Sum("record_key"), created=Max("created_at"), updated=Max("updated_at"))
    }
    summaries = {
        row["month"]: (int(row["visits"] or 0), int(row["key_sum"] or 0))
        for row in VisitMonth.objects.order_by()
        .values("month")
        .annotate(visits=Sum("visits"), key_sum=Sum("key_sum"))
    }
    built = dict(SummaryMonth.objects.values_list("month", "built_at"))
    months = set(_aligned_months(min(visits, default=None), max(visits, default=None), today))
    changed = []
    for month in sorted(months | set(visits) | set(summaries)):
        row, built_at = visits.get(month), built.get(month)
        fingerprint = (row["visits"], int(row["key_sum"] or 0)) if row else (0, 0)
        if (
            built_at is None
            or fingerprint != summaries.get(month, (0, 0))
            or (row and max(row["created"], row["updated"]) >= built_at)
        ):
            changed.append(month)
    return changed
