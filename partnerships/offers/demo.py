"""Demo partner offers and one referral (issue 24, part 2), called by ``partnerships.demo.seed``.

Three offers of the Sédhiou office: a savings-and-credit mutual's loan for returnees, an
insurer's micro-insurance for families of migrants, and the Grdr's coaching of women
entrepreneurs (the Grdr is in the demo directory, from ``data/diaspora.csv``). The mutual and
the insurer are demonstration organisations (named so, never published in the directory).
Seydou Mané, the partnerships demo's person, is referred to the loan.

Idempotent: an offer is recognised by its title, the referral by its person and offer.
"""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, Role, User
from hom.territories.models import Region
from partnerships.models import Organisation, OrganisationKind, RecordSource
from partnerships.services import organisation_create

from .models import OfferKind, OfferReferral, OfferTargetGroup, PartnerOffer
from .services import offer_create, referral_create

LOAN_TITLE = "Crédit de réinstallation pour les migrants de retour"

DEMO_ORGANISATIONS = {
    "mutual": ("Mutuelle d'épargne et de crédit de Sédhiou (démonstration)", "SN", "Sédhiou"),
    "insurer": ("Assurances solidaires du Sénégal (démonstration)", "SN", "Dakar"),
}


def _organisation(name: str, country: str, city: str) -> Organisation:
    organisation = Organisation.objects.filter(name=name, country=country, city=city).first()
    return organisation or organisation_create(
        name=name, kind=OrganisationKind.COMPANY, country=country, city=city, source=RecordSource.REFERRAL,
        description="Organisation de démonstration : ses offres illustrent le catalogue.",
    )


def _offers(office: Office, admin: User) -> dict[str, PartnerOffer]:
    mutual = _organisation(*DEMO_ORGANISATIONS["mutual"])
    insurer = _organisation(*DEMO_ORGANISATIONS["insurer"])
    grdr = Organisation.objects.filter(name__startswith="Grdr").order_by("pk").first() or _organisation(
        "Grdr", "FR", "Montreuil")
    sedhiou = Region.objects.filter(code="SN11")
    specs = [
        dict(organisation=mutual, kind=OfferKind.LOAN, title=LOAN_TITLE,
             description="Un prêt pour lancer ou relancer une activité génératrice de revenus après le retour : "
                         "commerce, transformation agricole, élevage, services.",
             conditions="Être membre de la mutuelle (adhésion 5 000 FCFA), présenter un plan d'affaires "
                        "validé par le bureau HOM, apport personnel de 10 %. Remboursement sur 6 à 24 mois.",
             target_groups=[OfferTargetGroup.RETURNEES, OfferTargetGroup.YOUTH],
             amount_min_xof=250_000, amount_max_xof=3_000_000, regions_served=list(sedhiou),
             contact_instructions="Agence de Sédhiou, quartier Escale, du lundi au vendredi. "
                                  "Venir avec la fiche d'orientation du bureau HOM."),
        dict(organisation=insurer, kind=OfferKind.INSURANCE, title="Microassurance santé des familles de migrants",
             description="Une couverture santé pour la famille restée au pays, payée depuis l'étranger "
                         "ou sur place par mobile money.",
             conditions="Cotisation mensuelle à partir de 3 500 FCFA par personne ; délai de carence de 30 jours.",
             target_groups=[OfferTargetGroup.DIASPORA, OfferTargetGroup.FAMILIES],
             amount_min_xof=3_500, amount_max_xof=None,
             contact_instructions="Guichets partenaires et site web de l'assureur ; le bureau HOM aide à remplir "
                                  "le formulaire d'adhésion."),
        dict(organisation=grdr, kind=OfferKind.COACHING, title="Accompagnement des femmes entrepreneures",
             description="Six mois de coaching en groupe et individuel : gestion, commercialisation, "
                         "accès au crédit, pour les porteuses de projets de la région de Sédhiou.",
             conditions="Avoir une activité ou un projet en cours ; participer aux sessions mensuelles.",
             target_groups=[OfferTargetGroup.WOMEN, OfferTargetGroup.RETURNEES],
             amount_min_xof=None, amount_max_xof=None, regions_served=list(sedhiou),
             contact_instructions="S'inscrire auprès du bureau HOM de Sédhiou, qui transmet au Grdr."),
    ]
    offers = {}
    for spec in specs:
        offer = PartnerOffer.objects.filter(office=office, title=spec["title"]).first()
        offers[spec["title"]] = offer or offer_create(
            office=office, created_by=admin, is_published=True,
            valid_until=timezone.localdate() + timedelta(days=365), **spec)
    return offers


@transaction.atomic
def seed(stdout=None, *, person=None) -> None:
    office = Office.objects.get(code="SED")
    admin = User.objects.filter(office=office, role=Role.ADMIN).order_by("pk").first()
    advisor = User.objects.filter(office=office, role=Role.ADVISOR).order_by("pk").first()
    if admin is None:
        return
    offers = _offers(office, admin)
    loan = offers[LOAN_TITLE]
    if person is not None and person.shares_with_partners and not OfferReferral.objects.filter(
            migrant=person, offer=loan).exists():
        referral_create(migrant=person, offer=loan, referred_by=advisor or admin,
                        note="Projet de transformation de mangues à Marsassoum après son retour d'Espagne.",
                        referred_on=timezone.localdate() - timedelta(days=7))
    if stdout:
        stdout.write(f"Partner offers: {len(offers)} offers in the demo.")
