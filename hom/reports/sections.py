"""The report's sections, in order. Another app adds its own with :func:`register_section`.

A section is a title and a function that, given a :class:`~hom.reports.scope.ReportScope`,
returns its tables, each computed by a fixed number of GROUP BY queries (the report's
query count must not grow with the data). Funding granted and disbursed, introductions,
conventions and events are registered below (``selectors.outcomes``); another app may add
its own the same way (for instance from its ``AppConfig.ready``).
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .scope import ReportScope
from .selectors import outcomes, visits
from .tables import Table


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: Callable[[ReportScope], list[Table]]


SECTIONS: list[Section] = []


def register_section(section: Section, *, before: str | None = None) -> None:
    """Add ``section`` (once: registering the same key again replaces it)."""
    existing = [index for index, known in enumerate(SECTIONS) if known.key == section.key]
    if existing:
        SECTIONS[existing[0]] = section
        return
    keys = [known.key for known in SECTIONS]
    SECTIONS.insert(keys.index(before) if before in keys else len(SECTIONS), section)


@dataclass(frozen=True)
class BuiltSection:
    key: str
    title: str
    tables: list[Table]


def _cache_key(section: Section, scope: ReportScope) -> str:
    period = scope.period
    return ":".join(
        ["reports", section.key, scope.territory.value, scope.owner, f"{period.first:%Y%m}", f"{period.last:%Y%m}",
         get_language() or "fr"]
    )


def report_sections(scope: ReportScope) -> list[BuiltSection]:
    """Every section's tables, kept in the cache for ``REPORTS_CACHE_SECONDS`` (0: computed each time).

    A year's report of a whole office runs GROUP BYs over hundreds of thousands of visits
    (seconds, see bench/reports_aggregates.py); figures a few minutes old are fine for
    planning, so readers and exports within that time share one computation.

    The cache keeps plain data (``Table.to_plain``: strings, numbers, lists, dicts), never a
    lazy translation or a model instance; each table's suppression is computed once and kept.
    """
    seconds = getattr(settings, "REPORTS_CACHE_SECONDS", 600)
    built = []
    for section in SECTIONS:
        key = _cache_key(section, scope)
        cached = cache.get(key) if seconds else None
        if cached is not None:
            tables = [Table.from_plain(plain) for plain in cached]
        else:
            tables = section.tables(scope)
            for table in tables:
                table.perturbed = scope.perturbed
            plain = [table.to_plain() for table in tables]  # computes each table's suppression once
            if seconds:
                cache.set(key, plain, seconds)
            tables = [Table.from_plain(data) for data in plain]
        built.append(BuiltSection(section.key, section.title, tables))
    return built


register_section(Section("activity", _("Activity of the office"), lambda scope: [visits.visits_by_month(scope)]))
register_section(Section("needs", _("Needs"), lambda scope: [visits.visits_by_need(scope)]))
register_section(
    Section(
        "persons",
        _("Who comes to the office"),
        visits.person_tables,
    )
)
register_section(
    Section("dossiers", _("Project dossiers"), lambda scope: [visits.dossiers_by_sector_and_stage(scope)])
)
register_section(Section("funding", _("Funding"), lambda scope: [outcomes.funding_by_status(scope)]))
register_section(
    Section(
        "impact", _("Results after funding"),
        lambda scope: [outcomes.results_impact(scope.dossiers, until=scope.period.bounds()[1])],
    )
)
register_section(
    Section(
        "introductions", _("Introductions to organisations"),
        lambda scope: [outcomes.introductions_by_kind_and_status(scope)],
    )
)
register_section(
    Section("conventions", _("Conventions"), lambda scope: [outcomes.conventions_by_status(scope)])
)
register_section(Section("events", _("Events"), lambda scope: [outcomes.events_by_kind(scope)]))
