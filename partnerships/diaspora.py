"""Estimates of the Senegalese diaspora by country: reference data shipped with the code.

The rows of type ``stock`` of ``data/diaspora.csv`` (its sources: ``docs/partnerships.md`` and
the ``source_url`` of each row). They are published figures about countries, not about the
office's persons: they are read from the file once per process and never stored in the
database. A country is named in English in the file; its ISO code is looked up by that name
(``ALIASES`` for the names django-countries spells otherwise). The world and OECD rows are
totals, kept apart.
"""
import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils import translation
from django_countries import countries

DATA = Path(__file__).resolve().parent / "data" / "diaspora.csv"
ALIASES = {"United States": "US"}
TOTALS = {"World", "OECD total"}


@dataclass(frozen=True)
class Estimate:
    """One published estimate: how many Senegalese live in ``country`` (None: not given)."""

    country: str  # ISO 3166-1 alpha-2; empty for a total
    label: str  # the row's name in the file (e.g. "Brazil (Rio Grande do Sul only)")
    area: str
    estimate: int | None
    year: str
    source: str
    url: str
    notes: str

    @property
    def country_name(self) -> str:
        return str(countries.name(self.country)) if self.country else self.label


def _code(name: str) -> str:
    if name in ALIASES:
        return ALIASES[name]
    with translation.override("en"):
        return countries.by_name(name) or ""


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[Estimate, ...], tuple[Estimate, ...]]:
    by_country, totals = [], []
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["record_type"] != "stock":
                continue
            total = row["country"] in TOTALS
            estimate = Estimate(
                country="" if total else _code(row["country"]),
                label=row["name"],
                area=row["city_or_area"],
                estimate=int(row["stock_estimate"]) if row["stock_estimate"].strip().isdigit() else None,
                year=row["stock_year"],
                source=row["stock_source"],
                url=row["source_url"],
                notes=row["notes"],
            )
            (totals if total else by_country).append(estimate)
    by_country.sort(key=lambda item: (item.estimate is None, -(item.estimate or 0), item.label))
    return tuple(by_country), tuple(totals)


def diaspora_by_country() -> tuple[Estimate, ...]:
    """The countries' estimates, largest first (a country without a figure last)."""
    return _rows()[0]


def diaspora_totals() -> tuple[Estimate, ...]:
    """The world and OECD totals."""
    return _rows()[1]


def diaspora_for_countries(codes) -> list[Estimate]:
    """The estimates of the countries given (ISO codes), in the order of ``diaspora_by_country``."""
    wanted = set(codes)
    return [item for item in diaspora_by_country() if item.country in wanted]
