"""The demo's partner offers: three published offers of the Sédhiou office and Seydou Mané's referral."""
from django.urls import reverse

from hom.accounts import demo as accounts_demo
from partnerships import demo
from partnerships.offers.demo import LOAN_TITLE
from partnerships.offers.models import OfferKind, OfferReferral, PartnerOffer


def test_the_demo_seeds_three_offers_and_a_referral_once(db, client):
    accounts_demo.seed()
    demo.seed()
    demo.seed()

    offers = PartnerOffer.objects.filter(office__code="SED")
    assert sorted(offers.values_list("kind", flat=True)) == sorted([OfferKind.LOAN, OfferKind.INSURANCE,
                                                                    OfferKind.COACHING])
    assert all(offer.is_published for offer in offers)
    referral = OfferReferral.objects.get()
    assert referral.offer.title == LOAN_TITLE and referral.migrant.last_name == "Mané"
    page = client.get(reverse("partnerships:offer_list")).text
    assert LOAN_TITLE in page and "Accompagnement des femmes entrepreneures" in page
