"""Import of the office's existing spreadsheets of persons: the persons' columns, checks and service.

Reading the file, guessing the mapping, the all-or-nothing run and its progress are shared
(``hom.imports``); what is the registry's own is here:

1. ``import_create`` keeps the rows read from the file on a ``MigrantImport``.
2. ``import_check`` applies the column mapping and checks every row: missing name, unknown
   commune, bad phone or email, unreadable values, duplicates inside the file and against
   the office's records. The errors are stored, row by row, for the preview.
3. ``import_run`` checks the rows again (a person registered since is a duplicate), then
   registers them all through ``migrant_register_batch`` (a few statements whatever the number
   of rows) in ONE transaction: one failing row and nothing is imported. Large files run as a
   Celery task, with progress.

The sample file and its columns are documented in ``docs/migrants_import.md``.
"""
import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

import phonenumbers
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from hom.imports import runner
from hom.imports.mapping import guess_mapping
from hom.territories.models import Commune
from hom.text import normalise, search_name_for

from .models import ImportStatus, Migrant, MigrantImport, Sex, Situation
from .services import migrant_register_batch

# Above this many rows the import runs in a Celery worker, with a progress bar.
SYNC_ROW_LIMIT = 200

TARGETS = [
    ("first_name", gettext_lazy("First name")),
    ("last_name", gettext_lazy("Last name")),
    ("sex", gettext_lazy("Sex")),
    ("birth_year", gettext_lazy("Year of birth")),
    ("phone", gettext_lazy("Phone")),
    ("email", gettext_lazy("Email")),
    ("commune_of_origin", gettext_lazy("Commune of origin")),
    ("situation", gettext_lazy("Situation")),
    ("country_of_residence", gettext_lazy("Country of residence")),
    ("city_of_residence", gettext_lazy("City of residence")),
    ("occupation", gettext_lazy("Occupation")),
]

# Headers the office's spreadsheets use, normalised (see normalise()), for the first guess.
HEADER_ALIASES = {
    "first_name": {"prenom", "prenoms", "first name", "firstname", "first_name"},
    "last_name": {"nom", "nom de famille", "last name", "lastname", "last_name", "surname"},
    "sex": {"sexe", "sex", "genre"},
    "birth_year": {"annee de naissance", "annee naissance", "naissance", "birth year", "year of birth", "birth_year"},
    "phone": {"telephone", "tel", "phone", "portable", "numero"},
    "email": {"email", "e mail", "courriel", "mail"},
    "commune_of_origin": {"commune", "commune d origine", "commune of origin", "commune_of_origin"},
    "situation": {"situation", "statut"},
    "country_of_residence": {"pays", "pays de residence", "country", "country of residence", "country_of_residence"},
    "city_of_residence": {"ville", "ville de residence", "city", "city of residence", "city_of_residence"},
    "occupation": {"profession", "metier", "occupation"},
}

SEX_VALUES = {"f": Sex.FEMALE, "femme": Sex.FEMALE, "female": Sex.FEMALE, "m": Sex.MALE, "h": Sex.MALE,
              "homme": Sex.MALE, "male": Sex.MALE}
SITUATION_VALUES = {
    **{normalise(value): value for value in Situation.values},
    "senegal": Situation.IN_SENEGAL, "au senegal": Situation.IN_SENEGAL, "vit au senegal": Situation.IN_SENEGAL,
    "living in senegal": Situation.IN_SENEGAL, "etranger": Situation.ABROAD, "a l etranger": Situation.ABROAD,
    "diaspora": Situation.ABROAD, "vit a l etranger": Situation.ABROAD, "living abroad": Situation.ABROAD,
    "retour": Situation.RETURNED, "de retour": Situation.RETURNED, "rapatrie": Situation.RETURNED,
    "returned": Situation.RETURNED, "projet de depart": Situation.PLANNING_TO_LEAVE, "candidat au depart":
    Situation.PLANNING_TO_LEAVE, "planning to leave": Situation.PLANNING_TO_LEAVE,
}


@transaction.atomic
def import_create(*, office, uploaded_by, file_name: str, headers: list[str], rows: list[list[str]]) -> MigrantImport:
    migrant_import = MigrantImport(
        office=office, uploaded_by=uploaded_by, file_name=file_name[:200], headers=headers, rows=rows,
        mapping=guess_mapping(headers, HEADER_ALIASES),
    )
    migrant_import.full_clean()
    migrant_import.save()
    return migrant_import


@dataclass
class _Lookups:
    """What the check needs besides the rows: the communes, read once; the values met again in the
    file (a commune, a country, a situation) are read once too."""

    communes: dict = field(default_factory=dict)
    countries: dict = field(default_factory=dict)
    normalised: dict = field(default_factory=dict)
    this_year: int = field(default_factory=lambda: timezone.localdate().year)

    @classmethod
    def for_office(cls, office):
        lookups = cls()
        # A commune name may exist in two regions: the office's own region wins.
        for pk, name, code, region_id in Commune.objects.order_by("pk").values_list(
            "pk", "name", "code", "department__region_id"
        ):
            commune = Commune(pk=pk, name=name, code=code)
            key = normalise(name)
            if region_id == office.region_id or key not in lookups.communes:
                lookups.communes[key] = commune
            lookups.communes[normalise(code)] = commune
        return lookups

    def normalise(self, value: str) -> str:
        if value not in self.normalised:
            self.normalised[value] = normalise(value)
        return self.normalised[value]

    def country(self, value: str) -> str:
        if value not in self.countries:
            self.countries[value] = value.upper() if value.upper() in dict(countries) else (
                countries.by_name(value, language="fr") or countries.by_name(value, language="en")
            )
        return self.countries[value]


def _known_records(office, rows: list[dict]) -> tuple[dict, dict, dict]:
    """The office's records that share a key with the file's rows, by ONE query on the file's keys
    (phones, emails, search names), never the whole office: {phone: file number}, {email: ...},
    {(search name, year of birth, commune id): ...}.

    Raw SQL: on PostgreSQL each list of keys is ONE array parameter (``= ANY(%s)``), where the ORM's
    ``IN`` would prepare and quote thousands of parameters one by one; ``IN`` elsewhere."""
    keys = {
        "phone": sorted({cleaned["phone_key"] for cleaned in rows if cleaned["phone_key"]}),
        "email": sorted({cleaned["email"] for cleaned in rows if cleaned["email"]}),
        "search_name": sorted({cleaned["search_name"] for cleaned in rows if cleaned["search_name"]}),
    }
    known = ({}, {}, {})
    conditions, params = [], [office.pk]
    for name, values in keys.items():
        if not values:
            continue
        column = connection.ops.quote_name(Migrant._meta.get_field(name).column)
        if connection.vendor == "postgresql":
            conditions.append(f"{column} = ANY(%s)")
            params.append(values)
        else:
            conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    if not conditions:
        return known
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT file_number, phone, email, search_name, birth_year, commune_of_origin_id "
            f"FROM {connection.ops.quote_name(Migrant._meta.db_table)} "
            f"WHERE office_id = %s AND erased_at IS NULL AND ({' OR '.join(conditions)})",
            params,
        )
        records = cursor.fetchall()
    for file_number, phone, email, search_name, birth_year, commune_id in records:
        if phone:
            known[0][phone] = file_number
        if email:
            known[1][email.lower()] = file_number
        known[2][(search_name, birth_year, commune_id)] = file_number
    return known


# A Senegalese number written nationally (9 digits, not starting with 0, spaces, dots or dashes
# between): phonenumbers reads it as +221 and these digits (checked on every 9-digit number).
SN_NATIONAL = re.compile(r"[1-9][0-9]{8}")
SEPARATORS = str.maketrans("", "", " .-")


def _e164(phone: str, *, checked_before: bool) -> str | None:
    """The number in E.164, None when it is not a valid one. A run (``checked_before``: the check
    step parsed and validated every number of the file) reads a national Senegalese number without
    phonenumbers, which costs most of a row's cleaning."""
    if checked_before:
        digits = phone.translate(SEPARATORS)
        if SN_NATIONAL.fullmatch(digits):
            return f"+221{digits}"
    try:
        number = phonenumbers.parse(phone, "SN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _clean_row(values: dict, lookups: _Lookups, *, checked_before: bool = False) -> tuple[dict, list[str]]:
    errors, cleaned = [], {}
    cleaned["first_name"] = values.get("first_name", "")[:80]
    cleaned["last_name"] = values.get("last_name", "")[:80]
    if not cleaned["first_name"] or not cleaned["last_name"]:
        errors.append(_("Missing first or last name."))
    sex = values.get("sex", "")
    cleaned["sex"] = SEX_VALUES.get(lookups.normalise(sex), "") if sex else ""
    if sex and not cleaned["sex"]:
        errors.append(_("Unknown sex “%(value)s”.") % {"value": sex})
    year = values.get("birth_year", "")
    cleaned["birth_year"] = None
    if year:
        if year.isdigit() and 1900 <= int(year) <= lookups.this_year:
            cleaned["birth_year"] = int(year)
        else:
            errors.append(_("Bad year of birth “%(value)s”.") % {"value": year})
    phone = values.get("phone", "")
    cleaned["phone"] = ""
    if phone:
        cleaned["phone"] = _e164(phone, checked_before=checked_before) or ""
        if not cleaned["phone"]:
            errors.append(_("Bad phone number “%(value)s”.") % {"value": phone})
    email = values.get("email", "").lower()
    cleaned["email"] = email
    if email and not checked_before:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("Bad email “%(value)s”.") % {"value": email})
    commune = values.get("commune_of_origin", "")
    cleaned["commune_of_origin"] = None
    if commune:
        cleaned["commune_of_origin"] = lookups.communes.get(lookups.normalise(commune))
        if cleaned["commune_of_origin"] is None:
            errors.append(_("Unknown commune “%(value)s”.") % {"value": commune})
    situation = values.get("situation", "")
    cleaned["situation"] = (
        SITUATION_VALUES.get(lookups.normalise(situation), "") if situation else Situation.IN_SENEGAL
    )
    if not cleaned["situation"]:
        errors.append(_("Unknown situation “%(value)s”.") % {"value": situation})
    country = values.get("country_of_residence", "")
    cleaned["country_of_residence"] = ""
    if country:
        code = lookups.country(country)
        if not code:
            errors.append(_("Unknown country “%(value)s”.") % {"value": country})
        cleaned["country_of_residence"] = code or ""
    cleaned["city_of_residence"] = values.get("city_of_residence", "")[:80]
    cleaned["occupation"] = values.get("occupation", "")[:120]
    return cleaned, errors


# Keys of a cleaned row the check uses and the registration does not take.
_CHECK_KEYS = frozenset({"phone_key", "search_name"})
# The person's fields an imported row never sets: left to their defaults, not validated per row.
_UNSET_BY_IMPORTS = frozenset(
    field.name for field in Migrant._meta.concrete_fields if field.name not in {target for target, _label in TARGETS}
)


def _model_errors(cleaned: dict, office) -> list[str]:
    """What the model's own validation says of a row's fields, without the database (no unique
    checks, no constraint queries): the run writes the rows in bulk, without ``full_clean()`` per
    row. The fields a row does not set keep their defaults; the office is the import's, the commune
    was found in the database and the country code in django-countries' list (whose check would
    build the translated list of every country, for each row)."""
    fields = {name: value for name, value in cleaned.items() if name not in _CHECK_KEYS}
    migrant = Migrant(office=office, **fields)
    trusted = {"commune_of_origin", "country_of_residence"}
    try:
        migrant.full_clean(exclude=_UNSET_BY_IMPORTS | trusted, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            _("%(field)s: %(message)s") % {"field": capfirst(Migrant._meta.get_field(name).verbose_name),
                                           "message": message}
            if name != NON_FIELD_ERRORS else message
            for name, messages in error.message_dict.items() for message in messages
        ]
    return []


def _checked_rows(migrant_import: MigrantImport, *, checked_before: bool = False):
    """Return [(spreadsheet row number, cleaned values, errors)] for every row, duplicates included.

    The rows are cleaned first, then the office's records sharing a key with them are read by one
    query. The check step also runs the model's validation on each row; the run
    (``checked_before``: the import is READY, its rows and mapping are those the check passed)
    cleans the same values again without validating their form twice, and checks the duplicates
    again (a person registered since the check)."""
    lookups = _Lookups.for_office(migrant_import.office)
    index = {header: position for position, header in enumerate(migrant_import.headers)}
    columns = {target: index[header] for target, header in migrant_import.mapping.items() if header in index}
    checked = []
    for position, row in enumerate(migrant_import.rows):
        cleaned, errors = _clean_row({target: row[column] for target, column in columns.items()}, lookups,
                                     checked_before=checked_before)
        if not checked_before and not errors:
            errors.extend(_model_errors(cleaned, migrant_import.office))
        cleaned["phone_key"] = cleaned["phone"]
        cleaned["search_name"] = search_name_for(cleaned["first_name"], cleaned["last_name"])
        checked.append((position + 2, cleaned, errors))  # row 1 is the header, as the spreadsheet numbers them
    known = _known_records(migrant_import.office, [cleaned for _number, cleaned, _errors in checked])
    seen = ({}, {}, {})
    for number, cleaned, errors in checked:
        person = (
            cleaned["search_name"],
            cleaned["birth_year"],
            cleaned["commune_of_origin"].pk if cleaned["commune_of_origin"] else None,
        )
        for key, seen_keys, known_keys in zip(
            (cleaned["phone_key"], cleaned["email"], person if person[0] else None), seen, known, strict=True
        ):
            if not key:
                continue
            if key in seen_keys:
                message = _("Duplicate of row %(row)s of the file.") % {"row": seen_keys[key]}
            elif key in known_keys:
                message = _("Already registered as %(number)s.") % {"number": known_keys[key]}
            else:
                message = None
            if message and message not in errors:
                errors.append(message)
            seen_keys.setdefault(key, number)
    return checked


def import_check(*, migrant_import: MigrantImport, mapping: dict[str, str]) -> MigrantImport:
    """Store the mapping and the row-by-row errors; the import is READY only without any error."""
    return runner.import_check(
        spreadsheet_import=migrant_import, mapping=mapping, required={"first_name", "last_name"},
        missing_message=_("Choose the columns of the first and last names."),
        checked_rows=_checked_rows,
    )


def import_progress(migrant_import: MigrantImport) -> int:
    return runner.import_progress(migrant_import)


def import_queue(*, migrant_import: MigrantImport) -> bool:
    """Mark a READY import as QUEUED; False when it is not ready (already queued, run or invalid)."""
    return runner.import_queue(spreadsheet_import=migrant_import)


def import_start(*, migrant_import: MigrantImport) -> bool:
    """Start a READY import; False when it is not ready. Up to ``SYNC_ROW_LIMIT`` rows it runs
    at once; beyond, its run is queued through the outbox with its QUEUED state (a broker
    that is down delays the import, never loses it)."""
    in_worker = migrant_import.row_count > SYNC_ROW_LIMIT
    task = RUN_TASK if in_worker else None
    if not runner.import_queue(spreadsheet_import=migrant_import, task=task):
        return False
    if not in_worker:
        import_run(migrant_import=migrant_import)
    return True


# A QUEUED import untouched for this long has lost its run (see ``imports_requeue_stale``).
STALE_AFTER = timedelta(minutes=10)
RUN_TASK = "migrants.tasks.run_migrant_import"


def imports_requeue_stale() -> int:
    """Publish again the run of every import QUEUED for longer than ``STALE_AFTER`` and not running:
    its message was lost with a restarted Redis, or its worker died and the claim rolled back."""
    return runner.import_requeue_stale(model=MigrantImport, task=RUN_TASK, older_than=STALE_AFTER)


def _register_batch(migrant_import: MigrantImport, rows: list[tuple[int, dict]]) -> None:
    migrant_register_batch(
        office=migrant_import.office, recorded_by=migrant_import.uploaded_by,
        rows=[{name: value for name, value in cleaned.items() if name not in _CHECK_KEYS} for _number, cleaned in rows],
    )


def import_run(*, migrant_import: MigrantImport) -> MigrantImport:
    """Register every row, all or nothing, in one batch (``migrant_register_batch``). Safe to call
    twice: only a QUEUED import is claimed."""
    return runner.import_run(
        spreadsheet_import=migrant_import, claim_from=ImportStatus.QUEUED,
        checked_rows=partial(_checked_rows, checked_before=True),
        create_batch=partial(_register_batch, migrant_import), report_progress=True,
    )
