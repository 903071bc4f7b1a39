"""Reads of the administrative map: the commune search behind the commune picker.

The 553 communes are small reference data: the search reads their names (one query, no
model instances) and compares them in Python, accents and punctuation removed, so that it
behaves the same on SQLite and on PostgreSQL ("medina gounass" finds "Médina Gounass").
"""

import re
import unicodedata
from dataclasses import dataclass

from .models import Commune

# No commune name is longer than 80 characters: a longer query cannot match, it is cut.
MAX_QUERY_LENGTH = 80
MAX_RESULTS = 20
_WORD = re.compile(r"[a-z0-9]+")


def normalise_name(text: str) -> str:
    """Lower case, accents and punctuation removed, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", (text or "")[: MAX_QUERY_LENGTH * 2]).casefold()
    return " ".join(_WORD.findall("".join(char for char in decomposed if not unicodedata.combining(char))))


def commune_label(name: str, department: str, region: str) -> str:
    """How a commune is told apart from its homonyms: "Dinguiraye — Bambey (Diourbel)"."""
    return f"{name} — {department} ({region})"


@dataclass(frozen=True)
class CommuneHit:
    pk: int
    code: str
    name: str
    department: str
    region: str

    @property
    def label(self) -> str:
        return commune_label(self.name, self.department, self.region)


@dataclass(frozen=True)
class CommuneSearch:
    hits: list[CommuneHit]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.hits)


def _rank(query: str, name: str) -> int | None:
    """0 same name, 1 name starts with the query, 2 a word starts with it, 3 contains it; None no match."""
    words = query.split()
    compact_query, compact_name = query.replace(" ", ""), name.replace(" ", "")
    if not all(word in name for word in words) and compact_query not in compact_name:
        return None
    if name == query or compact_name == compact_query:
        return 0
    if name.startswith(query) or compact_name.startswith(compact_query):
        return 1
    if all(any(part.startswith(word) for part in name.split()) for word in words):
        return 2
    return 3


def communes_search(query: str, *, region_id: int | None = None, limit: int = MAX_RESULTS) -> CommuneSearch:
    """The communes whose name holds every word of ``query``, best first, in one query."""
    wanted = normalise_name(query[:MAX_QUERY_LENGTH])
    if not wanted:
        return CommuneSearch(hits=[], total=0)
    rows = Commune.objects.all()
    if region_id is not None:
        rows = rows.filter(department__region_id=region_id)
    ranked = []
    for pk, code, name, department, region in rows.values_list(
        "pk", "code", "name", "department__name", "department__region__name"
    ):
        rank = _rank(wanted, normalise_name(name))
        if rank is not None:
            ranked.append(
                ((rank, normalise_name(name), department, region), CommuneHit(pk, code, name, department, region))
            )
    ranked.sort(key=lambda pair: pair[0])
    return CommuneSearch(hits=[hit for _, hit in ranked[:limit]], total=len(ranked))
