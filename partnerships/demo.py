"""Demo organisations (``seed_demo``): the associations of ``data/diaspora.csv``, with their sources.

Idempotent: an organisation is recognised by its name, country and city. Territories and
sectors are those the source row names (see ``data/SOURCES.md``). Also adds one person the
matching demonstration needs (from Marsassoum, living in Sabadell, interested in
agriculture) when the migrants demo has none, and one introduction to follow up; then the
conventions, events and partner offers demos (``offers/demo.py``: three offers, Seydou's referral), and the
cooperation demo (``cooperation/demo.py``: the commune of Sédhiou's introductions and requests).
"""
import csv
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, Role, User
from hom.territories.models import Commune, Department, Sector
from migrants.models import Migrant, Situation
from migrants.services import migrant_register
from partnerships.conventions import demo as convention_demo
from partnerships.cooperation import demo as cooperation_demo
from partnerships.events import demo as event_demo
from partnerships.models import IntroductionChannel, Organisation, OrganisationKind, RecordSource, RelationWithOffice
from partnerships.offers import demo as offer_demo
from partnerships.services import introduction_create, organisation_create

DATA = Path(__file__).resolve().parent / "data" / "diaspora.csv"
K = OrganisationKind

# name prefix in the CSV -> (acronym, kind, country, city, commune codes, department names, sector codes, languages)
CURATED = {
    "EMDS": ("EMDS", K.DIASPORA_ASSOCIATION, "SN", "Sédhiou", [], ["Sédhiou", "Bounkiling", "Goudomp"],
             ["SOCIAL"], "français, mandingue"),
    "Ressortissants de la région de Sédhiou": ("", K.HOMETOWN_ASSOCIATION, "FR", "Paris", [],
                                               ["Sédhiou", "Bounkiling", "Goudomp"], [], "français, mandingue"),
    "Associació Amic de Sedhiou": ("", K.HOMETOWN_ASSOCIATION, "ES", "Sabadell", ["SN1103_SEDHIOU"], [], [],
                                   "catalan, espagnol, mandingue"),
    "Associació Afrocatalana": ("", K.DIASPORA_ASSOCIATION, "ES", "Sabadell",
                                ["SN1103_DIANNAH-BA", "SN1103_MARSASSOUM"], [], ["FORM", "EAU_ENV"],
                                "catalan, espagnol, français"),
    "FEDEAFRICANESCA": ("FEDEAFRICANESCA", K.FEDERATION, "ES", "Sabadell", [], [], [], "catalan, espagnol"),
    "CASC": ("CASC", K.FEDERATION, "ES", "Barcelona", [], [], ["SOCIAL"], "catalan, espagnol, wolof"),
    "Cooperació Activa": ("", K.NGO, "ES", "Salou", [], [], ["SANTE", "FORM", "AGRI"], "catalan, espagnol, wolof"),
    "FACE": ("FACE", K.FEDERATION, "IT", "Vittorio Veneto", [], [], ["AGRI"], "italien, français, diola"),
    "Associazione Diamoral": ("", K.DIASPORA_ASSOCIATION, "IT", "Fregona", [], [], [], "italien, français"),
    "FAST": ("FAST", K.FEDERATION, "IT", "Treviso", [], [], ["SOCIAL"], "italien, wolof"),
    "A.C.S.I.": ("ACSI", K.DIASPORA_ASSOCIATION, "IT", "Treviso", [], [], ["SOCIAL"], "italien, wolof"),
    "SOS Casamance": ("", K.DIASPORA_ASSOCIATION, "FR", "Paris", [], ["Ziguinchor"], ["FORM"], "français, diola"),
    "Associação dos Senegaleses de Caxias": ("", K.DIASPORA_ASSOCIATION, "BR", "Caxias do Sul", [], [], [],
                                             "portugais, wolof"),
    "Associação de Senegaleses de Porto Alegre": ("", K.DIASPORA_ASSOCIATION, "BR", "Porto Alegre", [], [], [],
                                                  "portugais, wolof"),
    "Grdr": ("Grdr", K.NGO, "FR", "Montreuil", [], ["Sédhiou", "Bounkiling", "Goudomp"], ["SOCIAL"],
             "français"),
}

DEMO_PERSON = {
    "first_name": "Seydou", "last_name": "Mané", "sex": "M", "birth_year": 1986,
    "situation": Situation.ABROAD, "country_of_residence": "ES", "city_of_residence": "Sabadell",
    "occupation": "Ouvrier agricole", "languages": "Mandingue, français, espagnol",
    "consent_processing": True, "consent_sharing": True, "consent_contact": True,
}


def _rows():
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["record_type"] in {"association", "support_organisation"}:
                yield row


def _curated(name: str):
    return next(values for prefix, values in CURATED.items() if name.startswith(prefix))


def _seed_organisations() -> int:
    communes = {commune.code: commune for commune in Commune.objects.filter(department__region__code__in=["SN11"])}
    departments = {department.name: department for department in Department.objects.all()}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    created = 0
    for row in _rows():
        acronym, kind, country, city, commune_codes, department_names, sector_codes, languages = _curated(row["name"])
        name = row["name"][:200]
        if Organisation.objects.filter(name=name, country=country, city=city).exists():
            continue
        organisation_create(
            name=name, acronym=acronym, kind=kind, country=country, city=city, languages=languages,
            description=f"{row['city_or_area']}. {row['casamance_sedhiou_link']}. {row['notes']}".strip(),
            source=RecordSource.PUBLIC_SOURCE, source_url=row["source_url"][:400],
            relation=RelationWithOffice.ACTIVE_PARTNER if acronym == "EMDS" else RelationWithOffice.KNOWN,
            is_published=True,
            communes_served=[communes[code] for code in commune_codes],
            departments_served=[departments[name] for name in department_names if name in departments],
            sectors=[sectors[code] for code in sector_codes if code in sectors],
        )
        created += 1
    return created


def _demo_person(office: Office, advisor: User) -> Migrant:
    marsassoum = Commune.objects.get(code="SN1103_MARSASSOUM")
    agriculture = Sector.objects.get(code="AGRI")
    person = Migrant.objects.filter(
        office=office, commune_of_origin=marsassoum, country_of_residence="ES",
        sectors_of_interest=agriculture, consent_sharing=True,
    ).order_by("pk").first()
    if person:
        return person
    return migrant_register(
        office=office, recorded_by=advisor, advisor=advisor, commune_of_origin=marsassoum,
        sectors_of_interest=[agriculture], **DEMO_PERSON
    )


@transaction.atomic
def seed(stdout=None) -> None:
    created = _seed_organisations()
    office = Office.objects.get(code="SED")
    advisor = User.objects.filter(office=office, role=Role.ADVISOR).order_by("pk").first()
    person = _demo_person(office, advisor)
    emds = Organisation.objects.get(acronym="EMDS")
    # The demo partner account works for EMDS ("My organisation").
    emds.partner_users.add(*User.objects.filter(role=Role.PARTNER, email="partenaire@demo.hom"))
    if not person.introductions.filter(organisation=emds).exists():
        introduction_create(
            migrant=person, organisation=emds, introduced_by=advisor, channel=IntroductionChannel.WHATSAPP,
            purpose="Rencontre avec les élus de Marsassoum lors du prochain forum de la diaspora.",
            introduced_on=timezone.localdate() - timedelta(days=14),
            follow_up_on=timezone.localdate() - timedelta(days=2),
        )
    if stdout:
        stdout.write(f"Partnerships: {created} demo organisations added.")
    convention_demo.seed(stdout)
    event_demo.seed(stdout)
    offer_demo.seed(stdout, person=person)
    cooperation_demo.seed(stdout)
