"""The report's visit and dossier figures, computed by GROUP BY queries (never by reading rows).

Each function takes a :class:`~hom.reports.scope.ReportScope` and returns a
:class:`~hom.reports.tables.Table` of raw counts; suppression happens when the table is
shown or exported. Each count comes with the sum of the record keys of the records it
counts (``Table.keys``, summed by the same query), from which a published figure is
perturbed (``privacy.py``). Anonymous walk-ins (visits without a person) count as visits wherever
they carry the figure (sex, age group, needs, month); persons are registered persons,
counted once. Visit figures read the monthly summaries when the scope says so
(``scope.from_summary``), the visits otherwise: same columns, same figures.
"""
from datetime import date

from django.db import connections, router
from django.db.models import BigIntegerField, Case, CharField, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from hom.territories.models import NeedCategory, Sector
from migrants.models import AgeGroup, Migrant, Sex, Situation
from projects.models import DossierStatus

from ..privacy import KEY_RANGE
from ..scope import ReportScope
from ..tables import Table

NOT_RECORDED = "__none__"
# The situation and country of an anonymous walk-in: not asked, unlike a person's "not recorded".
WALK_IN = "__walk_in__"

# Dossier statuses read in four stages, so that the sector table stays narrow on a phone.
DOSSIER_STAGES = (
    ("preparing", _("Being prepared"), [DossierStatus.DRAFT, DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW,
                                        DossierStatus.CHANGES_REQUESTED]),
    ("ready", _("Ready or sent to a funder"), [DossierStatus.READY, DossierStatus.SENT_TO_FUNDER]),
    ("funded", _("Funded"), [DossierStatus.FUNDED, DossierStatus.IN_IMPLEMENTATION, DossierStatus.CLOSED]),
    ("stopped", _("Not funded or withdrawn"), [DossierStatus.NOT_FUNDED, DossierStatus.WITHDRAWN]),
)


def visits_in_period(scope: ReportScope):
    start, stop = scope.period.bounds()
    return scope.visits.filter(occurred_at__gte=start, occurred_at__lt=stop)


def _source(scope: ReportScope, *, needs: bool = False):
    """The rows behind the visit figures of the period, and how to count visits over them.

    From the monthly summaries (a row per person and month, visits summed) or from the
    visits themselves: the same columns (office, migrant, commune, sex, age group), so the
    territory filter and the keys below read both alike.
    """
    if scope.from_summary:
        rows = scope.need_months if needs else scope.visit_months
        return rows.filter(month__gte=scope.period.first, month__lte=scope.period.last), "visits"
    return visits_in_period(scope), None


def _visits(field, **filters):
    """Visits: a count of visit rows, or a sum of a summary's ``visits``."""
    condition = Q(**filters) if filters else None
    if field is None:
        return Count("pk", filter=condition)
    return Coalesce(Sum(field, filter=condition), 0)


def _visit_keys(field, **filters):
    """The sum of the visits' record keys: over visit rows, or a sum of a summary's ``key_sum``.

    A row's ``key_sum`` (a person's visits of a month) is read as an integer: PostgreSQL sums
    integers in a 64-bit state, but big integers in a 128-bit one allocated per group, which
    made the per-person GROUP BY spill to disk and the report a third slower (bench/README.md).
    """
    condition = Q(**filters) if filters else None
    keys = "record_key" if field is None else Cast("key_sum", IntegerField())
    return Coalesce(Sum(keys, filter=condition), 0)


ZERO = (0, 0, 0, 0)


def _breakdown_table(scope, *, title, row_heading, choices, table_key, counts, walk_ins_apart=False) -> Table:
    """``counts``: code → (visits, persons, visits' key sum, persons' key sum)."""
    codes = [code for code, _label in choices]
    labels = [label for _code, label in choices]
    lines = [counts.get(code, ZERO) for code in codes]
    others = [value for code, value in counts.items() if code not in codes and code != WALK_IN]
    if others:
        lines.append(tuple(sum(value[index] for value in others) for index in range(4)))
        labels.append(_("Not recorded"))
    if WALK_IN in counts:
        # Anonymous walk-ins count visits, no person.
        visits, _persons, visit_keys, _person_keys = counts[WALK_IN]
        lines.append((visits, None, visit_keys, None))
        labels.append(_("Anonymous walk-ins"))
    return Table(
        key=table_key,
        title=title,
        row_heading=row_heading,
        columns=[_("Visits"), _("Persons")],
        row_labels=labels,
        body=[[visits, persons] for visits, persons, _keys, _person_keys in lines],
        keys=[[visit_keys, person_keys] for _visits, _persons, visit_keys, person_keys in lines]
        if scope.perturbed else None,
        column_totals=True,
        chart_columns=[0],
    )


def visits_by_month(scope: ReportScope) -> Table:
    rows, field = _source(scope)
    if field is None:
        rows = rows.annotate(month=TruncMonth("occurred_at"))
    keyed = {
        "registered_keys": _visit_keys(field, migrant__isnull=False),
        "walk_in_keys": _visit_keys(field, migrant__isnull=True),
    } if scope.perturbed else {}
    rows = (
        rows.values("month")
        .annotate(registered=_visits(field, migrant__isnull=False), walk_ins=_visits(field, migrant__isnull=True), **keyed)
        .order_by("month")
    )
    by_month, keys = {}, {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        by_month[date(month.year, month.month, 1)] = (row["registered"], row["walk_ins"])
        keys[date(month.year, month.month, 1)] = (row.get("registered_keys", 0), row.get("walk_in_keys", 0))
    months = scope.period.months()
    return Table(
        key="months",
        title=_("Visits by month"),
        row_heading=_("Month"),
        columns=[_("Visits of registered persons"), _("Anonymous walk-ins")],
        row_labels=[formats.date_format(month, "YEAR_MONTH_FORMAT") for month in months],
        body=[list(by_month.get(month, (0, 0))) for month in months],
        keys=[list(keys.get(month, (0, 0))) for month in months] if scope.perturbed else None,
        row_totals=True,
        column_totals=True,
        chart="line",
        chart_columns=[0, 1],
    )


def _sex_key():
    return Case(When(migrant__isnull=True, then=F("sex")), default=F("migrant__sex"), output_field=CharField())


def age_group_expression(reference_year: int, *, through: str = "migrant__"):
    """The age group of a visit's person in ``reference_year``; a walk-in's as recorded.

    ``through=""``: the age group of a person (a query on persons, no walk-ins).
    """
    birth_date, birth_year = f"{through}birth_date", f"{through}birth_year"

    def born_after(year):
        return Q(**{f"{birth_date}__year__gt": year}) | Q(**{f"{birth_date}__isnull": True, f"{birth_year}__gt": year})

    walk_ins = [When(migrant__isnull=True, then=F("age_group"))] if through else []
    return Case(
        *walk_ins,
        When(Q(**{f"{birth_date}__isnull": True, f"{birth_year}__isnull": True}), then=Value("")),
        When(born_after(reference_year - 18), then=Value(AgeGroup.UNDER_18.value)),
        When(born_after(reference_year - 25), then=Value(AgeGroup.FROM_18_TO_24.value)),
        When(born_after(reference_year - 35), then=Value(AgeGroup.FROM_25_TO_34.value)),
        When(born_after(reference_year - 50), then=Value(AgeGroup.FROM_35_TO_49.value)),
        default=Value(AgeGroup.FROM_50.value),
        output_field=CharField(),
    )


PERSON_KEYS = ("sex", "age", "situation", "country")


def _registered_groups(scope: ReportScope, rows, field) -> list[tuple]:
    """(sex, age, situation, country, visits, persons, visits' key sum, persons' key sum)
    of the registered persons of the period.

    Two levels, so that no ``COUNT(DISTINCT)`` has to sort the period's rows: first each
    person's visits of the period (GROUP BY person), then those persons joined to their
    attributes and counted (GROUP BY the four keys; ``COUNT(*)`` is the persons). Both
    inner queries are compiled by the ORM; only the join around them is written here.
    """
    keyed = {"visit_keys": _visit_keys(field)} if scope.perturbed else {}
    per_person = (
        rows.filter(migrant__isnull=False)
        .values(person_id=F("migrant"))
        .annotate(visits=_visits(field), **keyed)
        .order_by()
    )
    keys = {
        "key_sex": F("sex"),
        "key_age": age_group_expression(scope.period.last.year, through=""),
        "key_situation": F("situation"),
        "key_country": F("country_of_residence"),
    }
    persons = Migrant._base_manager.annotate(**keys).values("pk", "record_key", *keys).order_by()
    period_sql, period_params = per_person.query.sql_with_params()
    persons_sql, persons_params = _persons_of_period(scope, persons)
    database = connections[router.db_for_read(Migrant)]  # where the ORM would read the persons (hom/replica.py)
    quote = database.ops.quote_name
    columns = ", ".join(f"person.{quote(key)}" for key in keys)
    # The keys are summed only for figures that are perturbed (staff read exact ones).
    key_sums = (
        f"SUM(period.{quote('visit_keys')}), SUM(person.{quote('record_key')})" if scope.perturbed else "0, 0"
    )
    sql = (
        f"WITH period AS ({period_sql}) "
        f"SELECT {columns}, SUM(period.{quote('visits')}), COUNT(*), {key_sums} "
        f"FROM period INNER JOIN ({persons_sql}) person "
        f"ON person.{quote('pk')} = period.{quote('person_id')} "
        f"GROUP BY {columns}"
    )
    with database.cursor() as cursor:
        cursor.execute(sql, [*period_params, *persons_params])
        return cursor.fetchall()


def _persons_of_period(scope: ReportScope, persons) -> tuple[str, list]:
    """The persons to join to the period's (``period``, a CTE), as SQL and parameters.

    Every person for a report over every office. For a staff reader's report (the rows of one
    office): the persons that office holds (its index), and the few others (persons transferred
    away since their visits here) by their primary key, the period's persons less the office's
    (an array computed once on PostgreSQL). The join then never reads the other offices' persons,
    however many they hold (issue 23: it read the whole table, the report's slowest query).
    """
    if scope.office_id is None:
        persons_sql, persons_params = persons.query.sql_with_params()
        return persons_sql, list(persons_params)
    persons_sql, persons_params = persons.annotate(person_office=F("office_id")).query.sql_with_params()
    database = connections[router.db_for_read(Migrant)]
    quote = database.ops.quote_name
    others = (
        f"SELECT period.{quote('person_id')} FROM period EXCEPT "
        f"SELECT {quote('id')} FROM {quote(Migrant._meta.db_table)} WHERE {quote('office_id')} = %s"
    )
    elsewhere = f"= ANY(ARRAY({others}))" if database.vendor == "postgresql" else f"IN ({others})"
    sql = (
        f"SELECT * FROM ({persons_sql}) candidate "
        f"WHERE candidate.{quote('person_office')} = %s OR candidate.{quote('pk')} {elsewhere}"
    )
    return sql, [*persons_params, scope.office_id, scope.office_id]


def person_breakdowns(scope: ReportScope) -> dict[str, dict]:
    """Visits and distinct persons by sex, age group, situation and country, in two GROUP BYs.

    Registered persons are grouped by the four keys together (:func:`_registered_groups`),
    walk-ins by what they recorded (sex, age group; they count no person); each table then
    adds up the few groups of its key. Persons add up exactly: a registered person has one
    sex, one age, one situation and one country, so they fall in exactly one group.
    """
    rows, field = _source(scope)
    groups = list(_registered_groups(scope, rows, field))
    keyed = {"visit_keys": _visit_keys(field)} if scope.perturbed else {}
    walk_ins = (
        rows.filter(migrant__isnull=True)
        .values("sex", "age_group")
        .annotate(visits=_visits(field), **keyed)
        .order_by()
    )
    groups += [
        (row["sex"], row["age_group"], WALK_IN, WALK_IN, row["visits"], 0, row.get("visit_keys", 0), 0)
        for row in walk_ins
    ]
    counts: dict[str, dict] = {name: {} for name in PERSON_KEYS}
    for *codes, visits, persons, visit_keys, person_keys in groups:
        for name, code in zip(PERSON_KEYS, codes, strict=True):
            code = code or NOT_RECORDED
            known = counts[name].get(code, ZERO)
            counts[name][code] = (
                known[0] + visits, known[1] + persons, known[2] + (visit_keys or 0), known[3] + (person_keys or 0)
            )
    return counts


def visits_by_sex(scope: ReportScope, counts: dict | None = None) -> Table:
    return _breakdown_table(
        scope, counts=counts if counts is not None else person_breakdowns(scope)["sex"],
        title=_("Visits and persons by sex"), row_heading=_("Sex"), choices=Sex.choices, table_key="sex",
    )


def visits_by_age_group(scope: ReportScope, counts: dict | None = None) -> Table:
    if counts is None:
        counts = person_breakdowns(scope)["age"]
    return _breakdown_table(
        scope, counts=counts, title=_("Visits and persons by age group"),
        row_heading=_("Age group"), choices=AgeGroup.choices, table_key="age",
    )


def visits_by_situation(scope: ReportScope, counts: dict | None = None) -> Table:
    return _breakdown_table(
        scope, counts=counts if counts is not None else person_breakdowns(scope)["situation"],
        title=_("Visits and persons by situation"), row_heading=_("Situation"),
        choices=Situation.choices, table_key="situation", walk_ins_apart=True,
    )


def visits_by_country(scope: ReportScope, counts: dict | None = None) -> Table:
    if counts is None:
        counts = person_breakdowns(scope)["country"]
    codes = sorted(
        (code for code in counts if code not in (NOT_RECORDED, WALK_IN)), key=lambda code: (-counts[code][0], code)
    )
    return _breakdown_table(
        scope, counts=counts, choices=[(code, countries.name(code) or code) for code in codes],
        title=_("Visits and persons by country of residence"), row_heading=_("Country of residence"),
        table_key="country", walk_ins_apart=True,
    )


def person_tables(scope: ReportScope) -> list[Table]:
    """The four "who comes" tables from one query (:func:`person_breakdowns`)."""
    counts = person_breakdowns(scope)
    return [
        visits_by_sex(scope, counts["sex"]),
        visits_by_age_group(scope, counts["age"]),
        visits_by_situation(scope, counts["situation"]),
        visits_by_country(scope, counts["country"]),
    ]


# The needs' distinct persons and their keys packed in one value per person (PostgreSQL): the
# person's id above bit 32, their key in bits 24-31, a one in bit 0 (see need_counts).
_PERSON_SHIFT, _KEY_SHIFT, _COUNT_MASK = 2**32, 2**24, 2**24 - 1


def need_counts(rows, field, *, person_key, keyed: bool) -> dict:
    """need → (visits, persons, visits' key sum, persons' key sum), in one GROUP BY.

    ``rows`` carry a ``need_key``; ``person_key`` is the expression of each row's person's
    record key (0 to 255). The persons are ``COUNT(DISTINCT migrant)``. The key of those distinct
    persons is the sum, over the distinct persons, of their keys, modulo 256 (all the cell key
    needs, ``privacy.noise``); walk-ins (no person) add visits only. ``keyed=False`` (exact
    figures for staff): no keys summed.

    Keyed, on PostgreSQL both come from one ``SUM(DISTINCT id * 2^32 + key * 2^24 + 1)``: each
    person gives one distinct value (a person's key is the same on all their rows), so the sum's
    low 24 bits count the persons and bits 24-31 hold their keys' sum modulo 256. PostgreSQL
    sorts each ``DISTINCT`` aggregate on its own: one sort instead of two (a count and a key sum)
    is most of what the perturbation cost this table (bench/README.md). The sum is a
    ``numeric`` there, so it cannot overflow; a cell would need 16,777,216 persons to spill
    into the key's bits. SQLite sums 64-bit integers and would overflow, so it takes the two
    aggregates: ``COUNT(DISTINCT migrant)`` and ``SUM(DISTINCT migrant * 256 + key)``.
    """
    aggregates = {"visits": _visits(field)}
    packed = keyed and connections[rows.db].vendor == "postgresql"
    if not packed:
        aggregates["persons"] = Count("migrant", distinct=True)
    if keyed:
        aggregates["visit_keys"] = _visit_keys(field)
    if packed:
        aggregates["packed"] = Sum(
            Cast("migrant", BigIntegerField()) * _PERSON_SHIFT + Cast(person_key, BigIntegerField()) * _KEY_SHIFT + 1,
            distinct=True, output_field=BigIntegerField(),
        )
    elif keyed:
        aggregates["person_keys"] = Sum(
            F("migrant") * KEY_RANGE + person_key, distinct=True, output_field=BigIntegerField()
        )
    counts = {}
    for row in rows.values("need_key").annotate(**aggregates).order_by():
        if packed:
            total = int(row["packed"] or 0)
            persons, person_keys = total & _COUNT_MASK, (total // _KEY_SHIFT) % KEY_RANGE
        else:
            persons, person_keys = row["persons"], int(row.get("person_keys") or 0) % KEY_RANGE
        counts[row["need_key"]] = (row["visits"], persons, row.get("visit_keys", 0), person_keys)
    return counts


def visits_by_need(scope: ReportScope) -> Table:
    """Needs expressed: a visit may carry several, so the rows do not add up (no totals)."""
    if scope.from_summary:
        rows, field = _source(scope, needs=True)
        rows, person_key = rows.annotate(need_key=F("need")), F("person_key")
    else:
        rows, field = visits_in_period(scope).filter(needs__isnull=False).annotate(need_key=F("needs")), None
        person_key = F("person_key")  # the visit's copy of its person's key: no join to the persons
    counts = need_counts(rows, field, person_key=person_key, keyed=scope.perturbed)
    needs = [need for need in NeedCategory.objects.order_by("position", "code") if need.pk in counts]
    needs.sort(key=lambda need: -counts[need.pk][0])
    return Table(
        key="needs",
        title=_("Needs expressed"),
        row_heading=_("Need"),
        columns=[_("Visits"), _("Persons")],
        row_labels=[need.label for need in needs],
        body=[list(counts[need.pk][:2]) for need in needs],
        keys=[list(counts[need.pk][2:]) for need in needs] if scope.perturbed else None,
        chart_columns=[0],
    )


def dossiers_by_sector_and_stage(scope: ReportScope) -> Table:
    """Project dossiers opened in the period, by sector and where they stand now."""
    start, stop = scope.period.bounds()
    rows = (
        scope.dossiers.filter(created_at__gte=start, created_at__lt=stop)
        .values("sector", "status")
        .annotate(count=Count("pk"), keys=Sum("record_key"))
        .order_by()
    )
    return _dossier_table(rows)


def _dossier_table(rows) -> Table:
    stage_of = {status: index for index, (_key, _label, statuses) in enumerate(DOSSIER_STAGES) for status in statuses}
    counts: dict = {}
    keys: dict = {}
    for row in rows:
        line = counts.setdefault(row["sector"], [0] * len(DOSSIER_STAGES))
        line[stage_of[row["status"]]] += row["count"]
        key_line = keys.setdefault(row["sector"], [0] * len(DOSSIER_STAGES))
        key_line[stage_of[row["status"]]] += row["keys"] or 0
    sectors = [sector for sector in Sector.objects.order_by("position", "code") if sector.pk in counts]
    labels = [sector.label for sector in sectors]
    body = [counts[sector.pk] for sector in sectors]
    key_body = [keys[sector.pk] for sector in sectors]
    if None in counts:
        labels.append(_("No sector yet"))
        body.append(counts[None])
        key_body.append(keys[None])
    return Table(
        key="dossiers",
        title=_("Project dossiers by sector and stage"),
        row_heading=_("Sector"),
        columns=[label for _key, label, _statuses in DOSSIER_STAGES],
        row_labels=labels,
        body=body,
        keys=key_body,
        row_totals=True,
        column_totals=True,
        chart_columns=[0, 1, 2, 3],
    )


def all_dossiers_by_sector_and_stage(dossiers) -> Table:
    """Every dossier of a territory, whatever its date (the commune profile)."""
    return _dossier_table(
        dossiers.values("sector", "status").annotate(count=Count("pk"), keys=Sum("record_key")).order_by()
    )
