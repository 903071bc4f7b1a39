"""Demo convention like the case study's (ARD Sédhiou, Grdr and the three departmental councils).

The UN case study (``seed/``) says partnerships fail when roles, budgets and reporting are
vague: the demo convention writes down each party's role and responsibilities, a budget
with each party's cash and in-kind contributions, and a quarterly reporting schedule,
the last quarter's report being late. It is signed and active.

Creates the organisations it needs when missing (ARD Sédhiou, a public agency, and the
departmental councils of Sédhiou, Bounkiling and Goudomp, local authorities); Grdr comes
from the associations demo. The demo partner account ``partenaire@demo.hom`` also becomes
a partner user of Grdr, so that it sees this convention ("My conventions") and may send
Grdr's late report.

Idempotent: the convention is recognised by its title (``DEMO_CONVENTION_TITLE``) in the
Sédhiou office; meetings and events built on it are seeded by ``partnerships.events.demo``. Dates follow
today, so that one report is late whenever the demo is loaded.
"""
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, Role, User
from hom.territories.models import Commune
from partnerships.conventions import services
from partnerships.conventions.models import (
    ContributionKind,
    Convention,
    ConventionStatus,
    PartyRole,
    Periodicity,
    ReportItemStatus,
)
from partnerships.models import Organisation, OrganisationKind, RelationWithOffice
from partnerships.services import organisation_create
from projects.demo import demo_pdf
from projects.models import ProjectDossier

DEMO_CONVENTION_TITLE = "Convention de partenariat HOM Sédhiou — ARD, Grdr et conseils départementaux"

ORGANISATIONS = {
    "ARD": ("Agence régionale de développement de Sédhiou", "ARD Sédhiou", OrganisationKind.PUBLIC_AGENCY),
    "CD_SEDHIOU": ("Conseil départemental de Sédhiou", "CD Sédhiou", OrganisationKind.LOCAL_AUTHORITY),
    "CD_BOUNKILING": ("Conseil départemental de Bounkiling", "CD Bounkiling", OrganisationKind.LOCAL_AUTHORITY),
    "CD_GOUDOMP": ("Conseil départemental de Goudomp", "CD Goudomp", OrganisationKind.LOCAL_AUTHORITY),
}

# key -> (role, responsibilities, signatory, signatory's title)
PARTIES = [
    ("ARD", PartyRole.COORDINATOR,
     "Héberge le Bureau d'appui aux migrants (HOM) et met à disposition deux conseillers et les locaux. "
     "Coordonne le comité de pilotage, tient le registre des migrants et produit le rapport annuel d'activité.",
     "Directeur de l'ARD", "Directeur"),
    ("Grdr", PartyRole.TECHNICAL,
     "Forme les conseillers du HOM et les élus départementaux, appuie les associations de migrants ici et là-bas, "
     "cofinance le fonds d'amorçage et remet chaque trimestre un rapport technique et financier.",
     "Coordinateur régional du Grdr", "Coordinateur"),
    ("CD_SEDHIOU", PartyRole.CO_FUNDER,
     "Cofinance le forum de la diaspora et le fonds d'amorçage, désigne un élu référent migration.",
     "Président du conseil départemental", "Président"),
    ("CD_BOUNKILING", PartyRole.CO_FUNDER,
     "Cofinance le forum de la diaspora et le fonds d'amorçage, désigne un élu référent migration.",
     "Président du conseil départemental", "Président"),
    ("CD_GOUDOMP", PartyRole.CO_FUNDER,
     "Cofinance le forum de la diaspora et le fonds d'amorçage, désigne un élu référent migration.",
     "Président du conseil départemental", "Président"),
]

CASH, IN_KIND = ContributionKind.CASH, ContributionKind.IN_KIND
# activity, amount, [(party key, kind, committed, paid)]
BUDGET = [
    ("Accueil, information et orientation des migrants au HOM", 12_000_000, [
        ("ARD", IN_KIND, 6_000_000, 4_500_000), ("ARD", CASH, 4_000_000, 2_000_000), ("Grdr", CASH, 2_000_000, 2_000_000),
    ]),
    ("Formation des conseillers et des élus départementaux", 8_000_000, [
        ("Grdr", CASH, 5_000_000, 3_000_000), ("Grdr", IN_KIND, 1_500_000, 1_500_000),
        ("CD_SEDHIOU", CASH, 1_500_000, 0),
    ]),
    ("Forum de la diaspora et mission d'échange", 15_000_000, [
        ("Grdr", CASH, 6_000_000, 2_000_000), ("ARD", IN_KIND, 1_000_000, 0), ("CD_SEDHIOU", CASH, 3_000_000, 1_000_000),
        ("CD_BOUNKILING", CASH, 2_000_000, 0), ("CD_GOUDOMP", CASH, 2_000_000, 500_000),
    ]),
    ("Fonds d'amorçage des projets des migrants de retour", 20_000_000, [
        ("Grdr", CASH, 10_000_000, 0), ("CD_SEDHIOU", CASH, 2_000_000, 0), ("CD_BOUNKILING", CASH, 2_000_000, 0),
        ("CD_GOUDOMP", CASH, 2_000_000, 0),
    ]),
]
COMMUNES = ["SN1103_SEDHIOU", "SN1101_BOUNKILING", "SN1102_GOUDOMP"]


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _organisations() -> dict:
    found = {"Grdr": Organisation.objects.get(acronym="Grdr")}
    for key, (name, acronym, kind) in ORGANISATIONS.items():
        organisation = Organisation.objects.filter(name=name).order_by("pk").first()
        found[key] = organisation or organisation_create(
            name=name, acronym=acronym, kind=kind, country="SN", city=name.rsplit(" de ", 1)[-1],
            relation=RelationWithOffice.UNDER_CONVENTION,
        )
    return found


@transaction.atomic
def seed(stdout=None) -> None:
    office = Office.objects.get(code="SED")
    admin = User.objects.filter(office=office, role=Role.ADMIN).order_by("pk").first()
    advisor = User.objects.filter(office=office, role=Role.ADVISOR).order_by("pk").first() or admin
    organisations = _organisations()
    organisations["Grdr"].partner_users.add(*User.objects.filter(role=Role.PARTNER, email="partenaire@demo.hom"))
    if Convention.objects.filter(office=office, title=DEMO_CONVENTION_TITLE).exists():
        return

    today = timezone.localdate()
    starts_on = _month_start(today, 10)
    ends_on = date(starts_on.year + 2, starts_on.month, 1) - timedelta(days=1)
    signed_on = starts_on - timedelta(days=12)
    convention = services.convention_create(
        office=office, created_by=admin, advisor=advisor, title=DEMO_CONVENTION_TITLE, starts_on=starts_on,
        ends_on=ends_on,
        objectives=(
            "Renforcer le Bureau d'appui aux migrants de Sédhiou pour que, d'ici la fin de la convention, "
            "600 migrants et migrants de retour soient accueillis et orientés, 40 élus et agents des trois "
            "départements formés, un forum de la diaspora tenu chaque année et 30 projets de retour financés "
            "par le fonds d'amorçage."
        ),
        communes=list(Commune.objects.filter(code__in=COMMUNES)),
        dossiers=list(ProjectDossier.objects.filter(office=office).order_by("pk")[:2]),
    )
    parties = {
        key: services.party_add(
            convention=convention, organisation=organisations[key], role=role, responsibilities=responsibilities,
            signatory_name=signatory, signatory_title=title, signed_on=signed_on,
        )
        for key, role, responsibilities, signatory, title in PARTIES
    }
    for activity, amount, contributions in BUDGET:
        line = services.budget_line_add(convention=convention, activity=activity, amount=amount)
        for key, kind, committed, paid in contributions:
            contribution = services.contribution_add(budget_line=line, party=parties[key], kind=kind, committed=committed)
            if paid:
                services.contribution_record_payment(contribution=contribution, paid=paid, recorded_on=today)
    services.convention_attach_document(
        convention=convention, uploaded=ContentFile(demo_pdf(DEMO_CONVENTION_TITLE), name="convention-signee.pdf")
    )
    for status, comment in [
        (ConventionStatus.NEGOTIATION, "Projet transmis aux conseils départementaux."),
        (ConventionStatus.SIGNED, "Signée par les cinq parties."),
        (ConventionStatus.ACTIVE, "Lancement officiel au comité de pilotage."),
    ]:
        convention = services.convention_move(convention=convention, to_status=status, actor=admin, comment=comment)

    quarterly = services.obligation_add(
        convention=convention, party=parties["Grdr"], title="Rapport trimestriel technique et financier",
        periodicity=Periodicity.QUARTERLY, first_due_on=_month_start(starts_on, -3) - timedelta(days=1),
    )
    services.obligation_add(
        convention=convention, party=parties["ARD"], title="Rapport annuel d'activité du HOM",
        periodicity=Periodicity.YEARLY, first_due_on=_month_start(starts_on, -12) - timedelta(days=1),
    )
    # Every past quarter is reported and approved, except the last one: late.
    past = list(quarterly.items.filter(due_on__lt=today, status=ReportItemStatus.DUE).order_by("due_on"))
    for item in past[:-1]:
        item = services.report_submit(
            item=item, actor=admin,
            uploaded=ContentFile(demo_pdf(f"{quarterly.title} {item.due_on:%d/%m/%Y}"), name="rapport.pdf"),
        )
        services.report_accept(item=item, actor=admin)
    if stdout:
        stdout.write("Conventions: the demo convention with Grdr and the departmental councils is added.")
