"""The report's sections, in order. Another app adds its own with :func:`register_section`.

A section is a title and a function that, given a :class:`~hom.reports.scope.ReportScope`,
returns its tables, each computed by a fixed number of GROUP BY queries (the report's
query count must not grow with the data). Funding granted and disbursed, introductions,
conventions and events are meant to arrive this way from ``projects`` and
``partnerships`` (for instance from their ``AppConfig.ready``).
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import selectors
from .scope import ReportScope
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


def report_sections(scope: ReportScope) -> list[BuiltSection]:
    return [BuiltSection(section.key, section.title, section.tables(scope)) for section in SECTIONS]


register_section(Section("activity", _("Activity of the office"), lambda scope: [selectors.visits_by_month(scope)]))
register_section(Section("needs", _("Needs"), lambda scope: [selectors.visits_by_need(scope)]))
register_section(
    Section(
        "persons",
        _("Who comes to the office"),
        lambda scope: [
            selectors.visits_by_sex(scope),
            selectors.visits_by_age_group(scope),
            selectors.visits_by_situation(scope),
            selectors.visits_by_country(scope),
        ],
    )
)
register_section(
    Section("dossiers", _("Project dossiers"), lambda scope: [selectors.dossiers_by_sector_and_stage(scope)])
)
