"""Import of organisations from a CSV or XLSX file: read, map columns, check every row, import all or nothing.

The file is read, the columns mapped and the rows run all or nothing by ``hom.imports``;
the organisations' columns, their checks and the service that creates one are here.
Lists inside a cell (communes, departments, sectors) are separated by semicolons, commas
or vertical bars (a semicolon CSV uses commas or bars). Small files only (the census of
a region): the import runs in the request, in one transaction.
"""
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from hom.imports import runner
from hom.imports.mapping import guess_mapping
from hom.imports.status import ImportStatus
from hom.territories.models import Commune, Department, Sector
from hom.text import normalise

from .models import Organisation, OrganisationImport, OrganisationKind, RecordSource
from .services import organisation_create, search_text_for

TARGETS = [
    ("name", gettext_lazy("Name")),
    ("acronym", gettext_lazy("Acronym")),
    ("kind", gettext_lazy("Kind")),
    ("country", gettext_lazy("Country")),
    ("city", gettext_lazy("City")),
    ("communes_served", gettext_lazy("Communes of origin served")),
    ("departments_served", gettext_lazy("Departments of origin served")),
    ("sectors", gettext_lazy("Sectors")),
    ("languages", gettext_lazy("Languages")),
    ("contact_name", gettext_lazy("Contact person")),
    ("contact_email", gettext_lazy("Email")),
    ("website", gettext_lazy("Website")),
    ("source_url", gettext_lazy("Source address")),
    ("description", gettext_lazy("Description")),
]

HEADER_ALIASES = {
    "name": {"nom", "name", "association", "organisation", "nom de l association"},
    "acronym": {"sigle", "acronyme", "acronym"},
    "kind": {"type", "kind", "nature", "categorie"},
    "country": {"pays", "country"},
    "city": {"ville", "city", "localite", "city or area", "city_or_area"},
    "communes_served": {"communes", "communes d origine", "communes served", "commune"},
    "departments_served": {"departements", "departments", "departements d origine", "departement"},
    "sectors": {"secteurs", "sectors", "secteur", "domaines"},
    "languages": {"langues", "languages"},
    "contact_name": {"contact", "personne de contact", "contact name"},
    "contact_email": {"email", "e mail", "courriel"},
    "website": {"site", "site web", "website"},
    "source_url": {"source", "source url", "source_url"},
    "description": {"description", "notes"},
}

KIND_VALUES = {
    **{normalise(value): value for value in OrganisationKind.values},
    **{normalise(str(label)): value for value, label in OrganisationKind.choices},
    "association": OrganisationKind.DIASPORA_ASSOCIATION,
    "association de ressortissants": OrganisationKind.HOMETOWN_ASSOCIATION,
    "association de la diaspora": OrganisationKind.DIASPORA_ASSOCIATION,
    "federation": OrganisationKind.FEDERATION,
    "ong": OrganisationKind.NGO,
    "support organisation": OrganisationKind.NGO,
    "support_organisation": OrganisationKind.NGO,
    "entreprise": OrganisationKind.COMPANY,
    "collectivite": OrganisationKind.LOCAL_AUTHORITY,
    "bailleur": OrganisationKind.FUNDER,
}


@transaction.atomic
def organisation_import_create(*, uploaded_by, file_name: str, headers: list[str], rows: list[list[str]]):
    organisation_import = OrganisationImport(
        uploaded_by=uploaded_by, file_name=file_name[:200], headers=headers, rows=rows,
        mapping=guess_mapping(headers, HEADER_ALIASES),
    )
    organisation_import.full_clean()
    organisation_import.save()
    return organisation_import


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.replace(";", ",").replace("|", ",").split(",") if item.strip()]


def _country_code(text: str) -> str | None:
    if text.upper() in dict(countries):
        return text.upper()
    return countries.by_name(text, language="fr") or countries.by_name(text, language="en") or None


class _Lookups:
    """Communes, departments, sectors and existing organisations, fetched once for the whole file."""

    def __init__(self):
        self.communes = {}
        for commune in Commune.objects.order_by("pk"):
            self.communes.setdefault(normalise(commune.name), commune)
            self.communes[normalise(commune.code)] = commune
        self.departments = {}
        for department in Department.objects.order_by("pk"):
            self.departments.setdefault(normalise(department.name), department)
        self.sectors = {}
        for sector in Sector.objects.all():
            for key in (sector.code, sector.label_fr, sector.label_en):
                self.sectors[normalise(key)] = sector
        self.known = set(Organisation.objects.values_list("search_text", "country"))


def _resolve(text: str, table: dict, message: str, errors: list) -> list:
    # A whole cell may be one label with a comma in it ("Agriculture, maraîchage, arboriculture").
    if normalise(text) in table:
        return [table[normalise(text)]]
    found = []
    for item in _items(text):
        value = table.get(normalise(item))
        if value is None:
            errors.append(message % {"value": item})
        else:
            found.append(value)
    return found


def _clean_row(values: dict, lookups: _Lookups) -> tuple[dict, list[str]]:
    errors, cleaned = [], {}
    cleaned["name"] = values.get("name", "")[:200]
    if not cleaned["name"]:
        errors.append(_("Missing name."))
    cleaned["acronym"] = values.get("acronym", "")[:40]
    kind = values.get("kind", "")
    cleaned["kind"] = KIND_VALUES.get(normalise(kind), "") if kind else OrganisationKind.DIASPORA_ASSOCIATION
    if not cleaned["kind"]:
        errors.append(_("Unknown kind “%(value)s”.") % {"value": kind})
    country = values.get("country", "")
    cleaned["country"] = ""
    if country:
        cleaned["country"] = _country_code(country) or ""
        if not cleaned["country"]:
            errors.append(_("Unknown country “%(value)s”.") % {"value": country})
    cleaned["city"] = values.get("city", "")[:120]
    cleaned["communes_served"] = _resolve(
        values.get("communes_served", ""), lookups.communes, _("Unknown commune “%(value)s”."), errors
    )
    cleaned["departments_served"] = _resolve(
        values.get("departments_served", ""), lookups.departments, _("Unknown department “%(value)s”."), errors
    )
    cleaned["sectors"] = _resolve(values.get("sectors", ""), lookups.sectors, _("Unknown sector “%(value)s”."), errors)
    for name, length in (("languages", 160), ("contact_name", 120), ("contact_email", 254), ("website", 300),
                         ("source_url", 400), ("description", 10_000)):
        cleaned[name] = values.get(name, "")[:length]
    cleaned["source"] = RecordSource.CENSUS
    return cleaned, errors


def _checked_rows(organisation_import: OrganisationImport):
    """Yield (spreadsheet row number, cleaned values, errors) for every row."""
    lookups = _Lookups()
    index = {header: position for position, header in enumerate(organisation_import.headers)}
    columns = {target: index[header] for target, header in organisation_import.mapping.items() if header in index}
    seen = {}
    for position, row in enumerate(organisation_import.rows):
        number = position + 2  # row 1 is the header
        cleaned, errors = _clean_row({target: row[column] for target, column in columns.items()}, lookups)
        key = (search_text_for(name=cleaned["name"], acronym=cleaned["acronym"], city=cleaned["city"]),
               cleaned["country"])
        if cleaned["name"] and key in seen:
            errors.append(_("Duplicate of row %(row)s of the file.") % {"row": seen[key]})
        elif cleaned["name"] and key in lookups.known:
            errors.append(_("Already in the directory."))
        seen.setdefault(key, number)
        yield number, cleaned, errors


def organisation_import_check(*, organisation_import: OrganisationImport, mapping: dict[str, str]):
    """Store the mapping and the row-by-row errors; the import is READY only without any error."""
    return runner.import_check(
        spreadsheet_import=organisation_import, mapping=mapping, required={"name"},
        missing_message=_("Choose the column of the names."), checked_rows=_checked_rows,
    )


def organisation_import_run(*, organisation_import: OrganisationImport) -> OrganisationImport:
    """Create every row, all or nothing. Only a READY import runs, so a double click imports once."""
    return runner.import_run(
        spreadsheet_import=organisation_import, claim_from=ImportStatus.READY, checked_rows=_checked_rows,
        create=lambda cleaned: organisation_create(**cleaned),
    )
