"""What the report cache keeps: plain data (str, int, bool, None, lists, dicts), nothing lazy, no model."""
import pickle
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hom.reports.scope import Period, Territory, TerritoryKind, report_scope
from hom.reports.sections import SECTIONS, _cache_key, report_sections
from migrants.tests.factories import MigrantFactory, VisitFactory

from .builders import moment, small_cells_of

SEDHIOU = Territory(TerritoryKind.COMMUNE, "SN1103_SEDHIOU", "Sédhiou")
PERIOD = Period(first=date(2026, 1, 1), last=date(2026, 12, 1))
PLAIN = (str, int, bool, type(None))


def _kinds(value, path="value"):
    """Every (path, type) of ``value`` that is not plain data."""
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in (_kinds(key, path) + _kinds(item, f"{path}[{key!r}]"))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _kinds(item, f"{path}[{index}]")]
    return [] if type(value) in PLAIN else [(path, type(value).__name__)]


def _cached_values(scope):
    return {section.key: cache.get(_cache_key(section, scope)) for section in SECTIONS}


def test_the_cached_report_is_plain_data_and_loads_back_the_same_tables(settings, users, office, sedhiou, needs, sectors):
    settings.REPORTS_CACHE_SECONDS = 600
    small_cells_of(sedhiou, office, needs, sectors, when=moment(2026, 3))
    scope = report_scope(users["authority"], SEDHIOU, PERIOD)
    first = report_sections(scope)

    cached = _cached_values(scope)

    assert all(value is not None for value in cached.values()), "every section is cached"
    for key, value in cached.items():
        loaded = pickle.loads(pickle.dumps(value))
        assert loaded == value
        assert _kinds(loaded, key) == []
    with CaptureQueriesContext(connection) as context:
        again = report_sections(scope)
    assert len(context.captured_queries) == 0
    shown = [(table.key, table.rows, table.cells, table.chart_data()) for section in first for table in section.tables]
    assert [(table.key, table.rows, table.cells, table.chart_data()) for section in again for table in section.tables] == shown


def test_a_lazy_label_is_cached_in_the_language_of_its_key(settings, users, office, sedhiou):
    settings.REPORTS_CACHE_SECONDS = 600
    VisitFactory(migrant=MigrantFactory(office=office, commune_of_origin=sedhiou, sex="F"), occurred_at=moment(2026, 2))
    scope = report_scope(users["authority"], SEDHIOU, PERIOD)

    with translation.override("fr"):
        french = report_sections(scope)
    with translation.override("en"):
        english = report_sections(scope)
        english_again = report_sections(scope)

    def labels(sections):
        return [label for section in sections for table in section.tables if table.key == "sex" for label in table.row_labels]

    assert labels(french) == ["Femme", "Homme"]
    assert labels(english) == labels(english_again) == ["Female", "Male"]
    assert all(type(label) is str for label in labels(english_again))
