"""What a report covers: a territory the user may read, a period, and the rows behind them.

Staff read their office (as a whole, or its region, a department or a commune of it,
counting their office's rows only); a national admin reads everything; a local authority
reads only the communes of its account (``user.communes``), all offices together. Any
other territory answers 404, like a record out of scope.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import Office, Role
from hom.territories.models import Commune, Department, Region
from migrants.models import Migrant, Visit
from projects.models import ProjectDossier


class TerritoryKind:
    NATIONAL = "national"
    OFFICE = "office"
    REGION = "region"
    DEPARTMENT = "department"
    COMMUNE = "commune"

    LABELS = {
        NATIONAL: _("Senegal"),
        OFFICE: _("Office"),
        REGION: _("Region"),
        DEPARTMENT: _("Department"),
        COMMUNE: _("Commune"),
    }


# Where a person's territory is found: their commune of origin; an anonymous walk-in's commune.
_AREA_LOOKUPS = {
    TerritoryKind.REGION: "department__region__code",
    TerritoryKind.DEPARTMENT: "department__code",
    TerritoryKind.COMMUNE: "code",
}


@dataclass(frozen=True)
class Territory:
    kind: str
    code: str
    name: str

    @property
    def label(self) -> str:
        if self.kind == TerritoryKind.NATIONAL:
            return str(self.name)
        return f"{TerritoryKind.LABELS[self.kind]} · {self.name}"

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.code}"

    def visits_filter(self) -> Q:
        if self.kind == TerritoryKind.NATIONAL:
            return Q()
        if self.kind == TerritoryKind.OFFICE:
            return Q(office__code=self.code)
        lookup = _AREA_LOOKUPS[self.kind]
        return Q(**{f"migrant__commune_of_origin__{lookup}": self.code}) | Q(
            migrant__isnull=True, **{f"commune__{lookup}": self.code}
        )

    def migrants_filter(self) -> Q:
        if self.kind == TerritoryKind.NATIONAL:
            return Q()
        if self.kind == TerritoryKind.OFFICE:
            return Q(office__code=self.code)
        return Q(**{f"commune_of_origin__{_AREA_LOOKUPS[self.kind]}": self.code})

    def dossiers_filter(self) -> Q:
        if self.kind == TerritoryKind.NATIONAL:
            return Q()
        if self.kind == TerritoryKind.OFFICE:
            return Q(office__code=self.code)
        return Q(**{f"commune__{_AREA_LOOKUPS[self.kind]}": self.code})

    def area_filter(self, prefix: str) -> Q:
        """Rows whose commune (reached through ``prefix``) lies in the territory; an office's own rows."""
        if self.kind == TerritoryKind.NATIONAL:
            return Q()
        if self.kind == TerritoryKind.OFFICE:
            return Q(office__code=self.code)
        return Q(**{f"{prefix}__{_AREA_LOOKUPS[self.kind]}": self.code})


# The periods a perturbed report may cover (issue 16): one calendar month, a calendar quarter,
# a calendar half-year, or whole calendar years (January to December), at most five. Any other
# range would let an authority average the differences of many overlapping periods and narrow
# the noise down to a hidden count (docs/reports.md, "Why aligned periods").
ALIGNED_QUARTER_STARTS = (1, 4, 7, 10)
ALIGNED_HALF_STARTS = (1, 7)
ALIGNED_MAX_YEARS = 5


@dataclass(frozen=True)
class Period:
    """Whole months, from the first day of ``first`` to the last day of ``last``."""

    first: date
    last: date

    @classmethod
    def last_twelve_months(cls, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        first = date(today.year - 1, today.month, 1)
        first = date(first.year + (first.month // 12), first.month % 12 + 1, 1)
        return cls(first=first, last=date(today.year, today.month, 1))

    @classmethod
    def calendar_years(cls, first_year: int, last_year: int | None = None) -> "Period":
        """January of ``first_year`` to December of ``last_year`` (the same year by default)."""
        return cls(first=date(first_year, 1, 1), last=date(last_year or first_year, 12, 1))

    @classmethod
    def current_year(cls, today: date | None = None) -> "Period":
        """The calendar year of ``today``: the default of a perturbed report."""
        return cls.calendar_years((today or timezone.localdate()).year)

    @property
    def length(self) -> int:
        """The number of months covered."""
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def is_aligned(self) -> bool:
        """A calendar month, quarter or half-year, or one to five whole calendar years."""
        if self.length == 1:
            return True
        if self.first.year == self.last.year:
            if self.length == 3 and self.first.month in ALIGNED_QUARTER_STARTS:
                return True
            if self.length == 6 and self.first.month in ALIGNED_HALF_STARTS:
                return True
        return self.first.month == 1 and self.last.month == 12 and self.last.year - self.first.year < ALIGNED_MAX_YEARS

    @property
    def end(self) -> date:
        """The last day of the period."""
        return date(self.last.year, self.last.month, calendar.monthrange(self.last.year, self.last.month)[1])

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, stop) in the office's time zone."""
        zone = timezone.get_current_timezone()
        stop = date(self.last.year + (self.last.month // 12), self.last.month % 12 + 1, 1)
        return datetime.combine(self.first, time.min, zone), datetime.combine(stop, time.min, zone)

    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = date(month.year + (month.month // 12), month.month % 12 + 1, 1)
        return months


@dataclass(frozen=True)
class ReportScope:
    territory: Territory
    period: Period
    visits: QuerySet
    migrants: QuerySet
    dossiers: QuerySet
    # Whose rows these are ("all", or the office of a staff reader): part of the cache key.
    owner: str = "all"
    # The staff reader's office: conventions, events and introductions are counted for it only.
    office_id: int | None = None
    # The monthly summaries of the same visits (``models.VisitMonth``, ``VisitNeedMonth``), and
    # whether the visit figures are read from them (every month of the period is built).
    visit_months: QuerySet | None = None
    need_months: QuerySet | None = None
    from_summary: bool = False
    # Whether the figures are published beyond the office's own staff (authorities, the national
    # admin): then perturbed by their cell keys (privacy.py). Staff read their office's exact figures.
    perturbed: bool = False


def summary_covers(period: Period) -> bool:
    """Whether every month of ``period`` has been built in the summaries (one query)."""
    from .models import SummaryMonth

    months = period.months()
    built = SummaryMonth.objects.filter(month__gte=period.first, month__lte=period.last, built_at__isnull=False)
    return built.count() == len(months)


def _national() -> Territory:
    return Territory(TerritoryKind.NATIONAL, "all", _("Senegal"))


def territories_for(user) -> list[Territory]:
    """The territories offered to ``user`` in the report's selector."""
    if user.role == Role.AUTHORITY and not user.is_superuser:
        return [
            Territory(TerritoryKind.COMMUNE, commune.code, commune.name) for commune in user.communes.order_by("name")
        ]
    if user.is_superuser:
        offices = Office.objects.order_by("name")
        regions = Region.objects.order_by("name")
        return [
            _national(),
            *(Territory(TerritoryKind.OFFICE, office.code, office.name) for office in offices),
            *(Territory(TerritoryKind.REGION, region.code, region.name) for region in regions),
        ]
    office = user.office
    region = office.region
    departments = Department.objects.filter(region=region).order_by("name")
    communes = Commune.objects.filter(department__region=region).order_by("name")
    return [
        Territory(TerritoryKind.OFFICE, office.code, office.name),
        Territory(TerritoryKind.REGION, region.code, region.name),
        *(Territory(TerritoryKind.DEPARTMENT, department.code, department.name) for department in departments),
        *(Territory(TerritoryKind.COMMUNE, commune.code, commune.name) for commune in communes),
    ]


def default_territory(user) -> Territory | None:
    if user.role == Role.AUTHORITY and not user.is_superuser:
        commune = user.communes.order_by("name").first()
        return Territory(TerritoryKind.COMMUNE, commune.code, commune.name) if commune else None
    if user.is_superuser:
        return _national()
    return Territory(TerritoryKind.OFFICE, user.office.code, user.office.name)


def territory_for(user, kind: str, code: str) -> Territory:
    """The territory ``kind``/``code`` if ``user`` may read it; Http404 otherwise."""
    if user.role == Role.AUTHORITY and not user.is_superuser:
        candidates = {TerritoryKind.COMMUNE: user.communes.all()}
    elif user.is_superuser:
        candidates = {
            TerritoryKind.OFFICE: Office.objects.all(),
            TerritoryKind.REGION: Region.objects.all(),
            TerritoryKind.DEPARTMENT: Department.objects.all(),
            TerritoryKind.COMMUNE: Commune.objects.all(),
        }
        if kind == TerritoryKind.NATIONAL and code == "all":
            return _national()
    else:
        region_id = user.office.region_id
        candidates = {
            TerritoryKind.OFFICE: Office.objects.filter(pk=user.office_id),
            TerritoryKind.REGION: Region.objects.filter(pk=region_id),
            TerritoryKind.DEPARTMENT: Department.objects.filter(region_id=region_id),
            TerritoryKind.COMMUNE: Commune.objects.filter(department__region_id=region_id),
        }
    if kind not in candidates:
        raise Http404
    found = candidates[kind].filter(code=code).values_list("name", flat=True).first()
    if found is None:
        raise Http404
    return Territory(kind, code, found)


def report_office(user, territory: Territory):
    """The office a report is printed for: the territory's office, the reader's, or the region's first."""
    if territory.kind == TerritoryKind.OFFICE:
        return Office.objects.filter(code=territory.code).first()
    if user.office_id:
        return user.office
    region_lookup = {
        TerritoryKind.REGION: "region__code",
        TerritoryKind.DEPARTMENT: "region__departments__code",
        TerritoryKind.COMMUNE: "region__departments__communes__code",
    }.get(territory.kind)
    return Office.objects.filter(**{region_lookup: territory.code}).first() if region_lookup else None


def reads_perturbed(user) -> bool:
    """Whether ``user``'s reports are published beyond their office (an authority, the national
    admin): perturbed figures, for aligned periods only. Office staff read their office's exact figures."""
    return user.is_superuser or user.role == Role.AUTHORITY


def report_scope(user, territory: Territory, period: Period, *, from_summary: bool | None = None) -> ReportScope:
    """The rows behind a report; staff count their office's rows only, authorities every office's.

    Visit figures come from the monthly summaries when ``REPORTS_FROM_SUMMARY`` (default
    on) and every month of the period is built; from the visits otherwise (``from_summary``
    forces either).
    """
    from .models import VisitMonth, VisitNeedMonth

    owner = "all"
    if user.role == Role.AUTHORITY and not user.is_superuser:
        visits, migrants, dossiers = Visit.objects.all(), Migrant.objects.all(), ProjectDossier.objects.all()
        visit_months, need_months = VisitMonth.objects.all(), VisitNeedMonth.objects.all()
    else:
        owner = "all" if user.is_superuser else f"office-{user.office_id}"
        visits = Visit.objects.visible_to(user)
        migrants = Migrant.objects.visible_to(user)
        dossiers = ProjectDossier.objects.visible_to(user)
        visit_months, need_months = VisitMonth.objects.visible_to(user), VisitNeedMonth.objects.visible_to(user)
    if from_summary is None:
        from_summary = getattr(settings, "REPORTS_FROM_SUMMARY", True) and summary_covers(period)
    return ReportScope(
        territory=territory,
        period=period,
        visits=visits.filter(territory.visits_filter()).order_by(),
        migrants=migrants.filter(territory.migrants_filter()).order_by(),
        dossiers=dossiers.filter(territory.dossiers_filter()).order_by(),
        owner=owner,
        office_id=None if owner == "all" else user.office_id,
        visit_months=visit_months.filter(territory.visits_filter()).order_by(),
        need_months=need_months.filter(territory.visits_filter()).order_by(),
        from_summary=from_summary,
        perturbed=reads_perturbed(user),
    )
