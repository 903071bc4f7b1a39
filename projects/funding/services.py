"""Writes on the funding catalogue: create, update, refresh derived columns, load the programmes.

The loaders and ``funding_opportunity_refresh`` take their model classes as arguments so
that the data migration can pass the historical models and the rest of the code the
current ones (as ``hom.territories.services`` does).
"""
import csv
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hom.notifications.models import FUNDING_DECIDED
from hom.outbox.services import outbox_enqueue
from hom.territories.models import Commune, Region, Sector
from migrants.notices.services import notice_send
from projects.funding.models import (
    GRANTED_STATUSES,
    ApplicationStatus,
    Currency,
    FundingApplication,
    FundingOpportunity,
    FundingTargetGroup,
    FundingType,
    FundingTypeCode,
    TargetGroupCode,
    eur_to_xof_rate,
)
from projects.results.services import result_schedule_create
from projects.selectors import dossier_role_of, dossier_totals
from projects.workflows import AMOUNT_REQUIRED, MOVE_AMOUNT_FIELD, MOVE_DATE_FIELD, application_may_move

DATA_DIR = Path(__file__).resolve().parent / "data"
PROGRAMMES_CSV = DATA_DIR / "funding_programmes.csv"
PROGRAMMES_FRENCH_CSV = DATA_DIR / "funding_programmes_fr.csv"
PROGRAMMES_CODING_CSV = DATA_DIR / "funding_programmes_coding.csv"

SEARCH_CONFIGURATION = "french_unaccent"

# French words people type for each type and target group: the search must find them
# whatever the interface language and whether or not a catalogue is compiled.
TYPE_SEARCH_WORDS = {
    FundingTypeCode.GRANT: "subvention don grant",
    FundingTypeCode.LOAN: "prêt crédit loan",
    FundingTypeCode.GUARANTEE: "garantie guarantee",
    FundingTypeCode.EQUITY: "capital participation equity",
    FundingTypeCode.IN_KIND: "nature équipement matériel in-kind",
    FundingTypeCode.TRAINING: "formation training",
    FundingTypeCode.TECHNICAL_SUPPORT: "accompagnement appui technique support",
}
TARGET_GROUP_SEARCH_WORDS = {
    TargetGroupCode.DIASPORA: "diaspora sénégalais de l'extérieur émigrés",
    TargetGroupCode.RETURNEES: "migrants de retour retournés réinsertion returnees",
    TargetGroupCode.POTENTIAL_MIGRANTS: "candidats à la migration migrants potentiels",
    TargetGroupCode.WOMEN: "femmes women",
    TargetGroupCode.YOUTH: "jeunes jeunesse youth",
    TargetGroupCode.ASSOCIATIONS: "associations OSIM",
    TargetGroupCode.COLLECTIVES: "groupements GIE collectifs coopératives",
    TargetGroupCode.COMPANIES: "entreprises PME PMI companies",
}
# Words a sector's label does not say but searchers use.
SECTOR_SEARCH_WORDS = {
    "ELEV": "élevage aviculture volaille poulet poulailler bétail embouche ovin bovin caprin",
    "AGRI": "agriculture maraîchage arboriculture culture",
    "PECHE": "pêche aquaculture pisciculture poisson",
}


def normalise_search_text(text: str) -> str:
    """Lower case, accents removed, whitespace collapsed: what SQLite's plain search compares."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())


# In ``search_text``, the name comes first, before this separator, so SQLite can rank name matches first.
NAME_SEPARATOR = " | "


def search_text_of(name: str, others: list[str]) -> str:
    return normalise_search_text(name).replace("|", " ") + NAME_SEPARATOR + normalise_search_text(" ".join(others))


def amount_in_xof(amount: int | None, currency: str) -> int | None:
    if amount is None:
        return None
    if currency == Currency.EUR:
        return int((Decimal(amount) * Decimal(str(eur_to_xof_rate()))).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return amount


@transaction.atomic
def funding_reference_load(*, type_model=FundingType, target_group_model=FundingTargetGroup) -> None:
    """Create the fixed funding types and target groups (idempotent)."""
    for model, choices in ((type_model, FundingTypeCode), (target_group_model, TargetGroupCode)):
        for position, code in enumerate(choices.values, start=1):
            model.objects.update_or_create(code=code, defaults={"position": position})


@transaction.atomic
def funding_opportunity_refresh(*, opportunity_ids=None, opportunity_model=FundingOpportunity) -> int:
    """Recompute the FCFA equivalents, the search text and (on PostgreSQL) the search vector.

    Called after every write, by the loader, and by ``load_funding_programmes --refresh``
    when the EUR rate setting changes. Returns the number of rows refreshed.
    """
    queryset = opportunity_model.objects.all()
    if opportunity_ids is not None:
        queryset = queryset.filter(pk__in=list(opportunity_ids))
    rows = list(
        queryset.prefetch_related("types", "target_groups", "eligible_sectors", "eligible_regions", "eligible_communes")
    )
    for opportunity in rows:
        words = [opportunity.keywords]
        words += [TYPE_SEARCH_WORDS.get(kind.code, kind.code) for kind in opportunity.types.all()]
        words += [TARGET_GROUP_SEARCH_WORDS.get(group.code, group.code) for group in opportunity.target_groups.all()]
        for sector in opportunity.eligible_sectors.all():
            words += [sector.label_fr, sector.label_en, SECTOR_SEARCH_WORDS.get(sector.code, "")]
        words += [region.name for region in opportunity.eligible_regions.all()]
        words += [commune.name for commune in opportunity.eligible_communes.all()]
        opportunity.search_terms = " ".join(word for word in words if word)
        opportunity.search_text = search_text_of(
            opportunity.name,
            # The English translations too (absent from the historical models of early migrations).
            [opportunity.funder_name, opportunity.search_terms, opportunity.description, opportunity.notes]
            + [getattr(opportunity, field, "") for field in ("name_en", "funder_name_en", "description_en")],
        )
        opportunity.amount_min_xof = amount_in_xof(opportunity.amount_min, opportunity.currency)
        opportunity.amount_max_xof = amount_in_xof(opportunity.amount_max, opportunity.currency)
    opportunity_model.objects.bulk_update(
        rows, ["search_terms", "search_text", "amount_min_xof", "amount_max_xof"], batch_size=500
    )
    if connection.vendor == "postgresql":
        queryset.update(search_vector=search_vector_expression())
    return len(rows)


def search_vector_expression():
    """Name first, then funder and search terms, then the description, then the notes."""
    return (
        SearchVector("name", weight="A", config=SEARCH_CONFIGURATION)
        + SearchVector("funder_name", "keywords", "search_terms", weight="B", config=SEARCH_CONFIGURATION)
        + SearchVector("description", weight="C", config=SEARCH_CONFIGURATION)
        + SearchVector("notes", weight="D", config=SEARCH_CONFIGURATION)
    )


M2M_FIELDS = ("types", "target_groups", "eligible_sectors", "excluded_sectors", "eligible_regions", "eligible_communes")


def sectors_both_eligible_and_excluded(*, eligible_sectors, excluded_sectors) -> set:
    """The sectors a programme would list as both eligible and excluded (rows or ids alike)."""
    ids = lambda sectors: {getattr(sector, "pk", sector) for sector in sectors or ()}  # noqa: E731
    return ids(eligible_sectors) & ids(excluded_sectors)


def funding_sectors_check(*, eligible_sectors, excluded_sectors) -> None:
    """A sector is either eligible or excluded, never both: the form, the admin and the services ask here."""
    if sectors_both_eligible_and_excluded(eligible_sectors=eligible_sectors, excluded_sectors=excluded_sectors):
        raise ValidationError({"excluded_sectors": _("A sector cannot be both eligible and excluded.")})


def _apply(opportunity: FundingOpportunity, fields: dict) -> FundingOpportunity:
    relations = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    if "eligible_sectors" in relations or "excluded_sectors" in relations:
        current = opportunity.pk is not None
        funding_sectors_check(
            eligible_sectors=relations.get("eligible_sectors", opportunity.eligible_sectors.all() if current else ()),
            excluded_sectors=relations.get("excluded_sectors", opportunity.excluded_sectors.all() if current else ()),
        )
    for name, value in fields.items():
        setattr(opportunity, name, value)
    opportunity.full_clean()
    opportunity.save()
    for name, value in relations.items():
        getattr(opportunity, name).set(value)
    funding_opportunity_refresh(opportunity_ids=[opportunity.pk])
    opportunity.refresh_from_db()
    return opportunity


@transaction.atomic
def funding_opportunity_create(**fields) -> FundingOpportunity:
    """Create an opportunity from model field values (M2M fields take iterables of rows)."""
    return _apply(FundingOpportunity(), dict(fields))


@transaction.atomic
def funding_opportunity_update(*, opportunity: FundingOpportunity, **fields) -> FundingOpportunity:
    return _apply(opportunity, dict(fields))


def _codes(value: str) -> list[str]:
    return [code.strip() for code in (value or "").split(";") if code.strip()]


def _labelled(row: dict, labels, colon: str) -> str:
    """``Label: value`` lines of the row's non-empty columns (French puts a non-breaking space before the colon)."""
    return "\n".join(f"{label}{colon} {row[column]}" for label, column in labels if row[column])


def _int_or_none(value: str) -> int | None:
    return int(value) if (value or "").strip() else None


@transaction.atomic
def programmes_load(
    *,
    opportunity_model=FundingOpportunity,
    type_model=FundingType,
    target_group_model=FundingTargetGroup,
    sector_model=Sector,
    region_model=Region,
    commune_model=Commune,
    csv_path: Path = PROGRAMMES_CSV,
    coding_path: Path = PROGRAMMES_CODING_CSV,
    french_path: Path = PROGRAMMES_FRENCH_CSV,
) -> int:
    """Create or update the real programmes of the reference CSV (idempotent).

    ``funding_programmes.csv`` is the public source, kept verbatim; the coding file turns
    its free text into codes (types, target groups, sectors, regions, rules); the French file
    gives the official French name (when the source's is English), funder, public, sectors,
    own contribution and area. French is the main text; the source's English is kept as the
    translation where it differs. A programme is found by either name, so renaming it into
    French updates it. Amounts left empty in the source stay empty. Returns the number of
    programmes. It also runs inside migrations, with historical models.
    """
    funding_reference_load(type_model=type_model, target_group_model=target_group_model)
    with open(csv_path, newline="", encoding="utf-8") as handle:
        sources = {row["name"]: row for row in csv.DictReader(handle)}
    with open(coding_path, newline="", encoding="utf-8") as handle:
        codings = {row["name"]: row for row in csv.DictReader(handle)}
    with open(french_path, newline="", encoding="utf-8") as handle:
        frenches = {row["name"]: row for row in csv.DictReader(handle)}
    types = {row.code: row for row in type_model.objects.all()}
    groups = {row.code: row for row in target_group_model.objects.all()}
    sectors = {row.code: row for row in sector_model.objects.all()}
    regions = {row.code: row for row in region_model.objects.all()}
    ids = []
    for name, source in sources.items():
        coding, french = codings[name], frenches[name]
        french_name = french["name_fr"] or name
        english = _labelled(source, (("Public", "target"), ("Sectors", "sectors"),
                                     ("Own contribution", "own_contribution"), ("Area", "scope")), ":")
        values = {
            "name": french_name,
            "name_en": name if name != french_name else "",
            "funder_name": french["organisation_fr"] or source["organisation"],
            "funder_name_en": source["organisation"] if source["organisation"] != french["organisation_fr"] else "",
            "description": _labelled(french, (("Public", "target_fr"), ("Secteurs", "sectors_fr"),
                                              ("Apport personnel", "own_contribution_fr"), ("Zone", "scope_fr")), "\u00a0:"),
            "description_en": english,
            "amount_min": _int_or_none(source["min_amount"]),
            "amount_max": _int_or_none(source["max_amount"]),
            "currency": source["currency"] or Currency.XOF,
            "youth_min_age": _int_or_none(coding["youth_min_age"]),
            "youth_max_age": _int_or_none(coding["youth_max_age"]),
            "max_share_funded_percent": _int_or_none(coding["max_share_funded_percent"]),
            "min_own_contribution_percent": _int_or_none(coding["min_own_contribution_percent"]),
            "required_documents": _codes(coding["required_documents"]),
            "status": coding["status"],
            "is_rolling": coding["is_rolling"] == "1",
            "notes": french["notes_fr"] or source["notes"],
            "notes_en": source["notes"] if source["notes"] != french["notes_fr"] else "",
            "source_url": source["source_url"],
            "keywords": coding["keywords"],
        }
        opportunity = opportunity_model.objects.filter(name__in={name, french_name}).first() or opportunity_model()
        for field, value in values.items():
            setattr(opportunity, field, value)  # a historical model without the English fields ignores them
        opportunity.save()
        opportunity.types.set([types[code] for code in _codes(coding["types"])])
        opportunity.target_groups.set([groups[code] for code in _codes(coding["target_groups"])])
        opportunity.eligible_sectors.set([sectors[code] for code in _codes(coding["eligible_sectors"])])
        opportunity.excluded_sectors.set([sectors[code] for code in _codes(coding["excluded_sectors"])])
        opportunity.eligible_regions.set([regions[code] for code in _codes(coding["eligible_regions"])])
        ids.append(opportunity.pk)
    funding_opportunity_refresh(opportunity_ids=ids, opportunity_model=opportunity_model)
    return len(ids)



# --- Applications: a dossier presented to a programme ------------------------------------

# The moves, who may make them and what each records: ``projects.workflows``.


class ApplicationMoveNotAllowed(PermissionDenied):
    """This user may not record this move on this application."""


@transaction.atomic
def funding_application_create(
    *, dossier, opportunity: FundingOpportunity, actor, amount_requested: int | None = None, notes: str = ""
) -> FundingApplication:
    """Shortlist a programme for a dossier: its promoter or the office's staff may.

    The amount requested defaults to what the financing plan asks of funders.
    """
    if dossier_role_of(dossier, actor) is None:
        raise PermissionDenied(gettext("You cannot shortlist programmes for this dossier."))
    if amount_requested is None:
        amount_requested = dossier_totals(dossier)["amount_sought"] or None
    application = FundingApplication(
        dossier=dossier,
        opportunity=opportunity,
        amount_requested=amount_requested,
        notes=notes.strip(),
        created_by=actor,
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def funding_application_move(
    *, application: FundingApplication, actor, to_status: str, on: date | None = None,
    amount: int | None = None, notes: str = "",
) -> FundingApplication:
    """Record the next step of an application (submitted, accepted, refused, disbursed).

    ``on`` is the date it happened (today by default); ``amount`` the amount requested,
    granted or disbursed, as the move says. Raises ``ApplicationMoveNotAllowed`` when the
    actor's part on the dossier does not allow this move from the current status.
    """
    application = (
        FundingApplication.objects.select_for_update(of=("self",))
        .select_related("dossier__promoter", "opportunity")
        .get(pk=application.pk)
    )
    role = dossier_role_of(application.dossier, actor)
    if not application_may_move(application.status, to_status, role):
        raise ApplicationMoveNotAllowed(
            gettext("You cannot record this application as “%(target)s”.")
            % {"target": ApplicationStatus(to_status).label if to_status in ApplicationStatus.values else to_status}
        )
    if to_status in AMOUNT_REQUIRED and amount is None:
        raise ValidationError({"amount": _("Enter the amount.")})
    if amount is not None and to_status in MOVE_AMOUNT_FIELD:
        setattr(application, MOVE_AMOUNT_FIELD[to_status], amount)
    setattr(application, MOVE_DATE_FIELD[to_status], on or timezone.localdate())
    if notes.strip():
        application.notes = f"{application.notes}\n{notes.strip()}".strip()
    application.status = to_status
    application.full_clean()
    application.save()
    if to_status in GRANTED_STATUSES:
        # A funder granted money: the follow-up of the results starts (projects.results), once.
        result_schedule_create(dossier=application.dossier, funded_on=application.decided_on, actor=actor)
    if to_status in DECIDED_STATUSES:
        # The promoter is told on their channels (migrants.notices), with the move (hom.outbox): never lost.
        outbox_enqueue(task="projects.tasks.funding_decision_notify", args=[application.pk, to_status])
    return application


DECIDED_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.REFUSED)


def funding_decision_key(application_id: int, status: str) -> str:
    return f"projects.application:{application_id}:{status}"


def notice_send_for_decision(*, application: FundingApplication, status: str) -> list:
    """Tell the promoter that a funder accepted or refused their application, on their channels. Safe to run twice."""
    dossier = application.dossier

    def text():
        values = {"programme": application.opportunity.name, "reference": dossier.reference}
        if status == ApplicationStatus.ACCEPTED:
            return gettext("Good news: your application to “%(programme)s” for the dossier %(reference)s is accepted.") % values
        return gettext("Your application to “%(programme)s” for the dossier %(reference)s was not accepted.") % values

    return notice_send(
        migrant=dossier.promoter, kind=FUNDING_DECIDED, key=funding_decision_key(application.pk, status), text=text,
        path=reverse("projects:detail", args=[dossier.pk]), subject=lambda: gettext("HOM: your funding application"),
    )
