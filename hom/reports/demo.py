"""Demo of the commune of Sédhiou for its report and public profile. Idempotent.

The presentation of the commune, and two years of activity of its people at the Sédhiou
office (about 450 visits: both sexes, every age group, several needs, quiet months in the
rainy season and busy ones after it), so that its authority's report shows real figures,
some small cells and the protection at work.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, User
from hom.territories.models import Commune, NeedCategory
from migrants.demo import _person
from migrants.models import AgeGroup, Visit, VisitChannel
from migrants.services import migrant_register, visit_record, walk_in_record

from .models import CommuneProfile
from .services import commune_profile_update
from .signals import summaries_deferred as bulk_writes  # seed_demo wraps the whole seeding in it

__all__ = ["bulk_writes", "seed"]

NARRATIVE = (
    "Chef-lieu de région sur le fleuve Casamance, Sédhiou compte une diaspora nombreuse en France, en "
    "Espagne, en Italie et en Gambie. Ses associations de ressortissants financent déjà des forages, "
    "des salles de classe et des périmètres maraîchers.\n\n"
    "La commune cherche des partenaires pour l'agriculture, l'élevage et la transformation des produits locaux."
)
SEED = 1616
PERSONS = 90
# Visits of registered persons and walk-ins expected in a month, January to December: the
# rainy season (July to September) is quiet, the months after the harvest and the holidays
# (when the diaspora comes home) are busy.
MONTHLY = (16, 14, 15, 12, 11, 8, 3, 2, 4, 14, 18, 22)
WALK_IN_SHARE = 0.25
ENOUGH = 300  # visits of the commune's people at which the demo is considered seeded


def _month_start(today, back: int):
    index = today.year * 12 + today.month - 1 - back
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=timezone.get_current_timezone())


def _two_years(commune, office, advisor, stdout=None) -> int:
    already = Visit.objects.filter(migrant__commune_of_origin=commune).count()
    if already >= ENOUGH:
        return 0
    rng = random.Random(SEED)
    needs = list(NeedCategory.objects.active().order_by("position", "code"))
    # Each person's main concern: funding and training often, papers and return less.
    weights = [max(1, 8 - index) for index in range(len(needs))]
    today = timezone.localdate()
    start = _month_start(today, 23)
    persons = []
    for _ in range(PERSONS):
        person = _person(rng, [commune])
        person["birth_year"] = rng.choice([rng.randint(2008, 2010), rng.randint(1960, 2006), rng.randint(1985, 2000)])
        registered_at = start + timedelta(days=rng.randint(0, 600), hours=rng.randint(8, 16))
        persons.append(
            migrant_register(office=office, recorded_by=advisor, advisor=advisor, registered_at=registered_at, **person)
        )
    made = 0
    for back in range(23, -1, -1):
        month = _month_start(today, back)
        following = _month_start(today, back - 1)
        days = max(1, min((following - month).days, (timezone.now() - month).days))
        expected = MONTHLY[month.month - 1]
        for _ in range(max(0, round(rng.gauss(expected, expected / 4)))):
            occurred_at = month + timedelta(days=rng.randrange(days), hours=rng.randint(8, 17))
            chosen = rng.choices(needs, weights, k=rng.randint(1, 2))
            if rng.random() < WALK_IN_SHARE:
                walk_in_record(
                    office=office,
                    advisor=advisor,
                    commune=commune,
                    sex=rng.choice("MF"),
                    age_group=rng.choice(AgeGroup.values),
                    needs=set(chosen),
                    occurred_at=occurred_at,
                )
            else:
                registered = [person for person in persons if person.created_at <= occurred_at] or persons[:1]
                visit_record(
                    migrant=rng.choice(registered),
                    advisor=advisor,
                    occurred_at=occurred_at,
                    needs=set(chosen),
                    channel=rng.choice([VisitChannel.OFFICE, VisitChannel.PHONE, VisitChannel.WHATSAPP]),
                )
            made += 1
    if stdout:
        stdout.write(f"reports: {PERSONS} persons and {made} visits of the commune of Sédhiou over two years")
    return made


@transaction.atomic
def seed(stdout=None) -> None:
    commune = Commune.objects.filter(code="SN1103_SEDHIOU").first()
    if commune is None:
        return
    admin = User.objects.filter(email="admin@demo.hom").first()
    if not CommuneProfile.objects.filter(commune=commune).exists():
        commune_profile_update(commune=commune, actor=admin, narrative=NARRATIVE)
        if stdout:
            stdout.write("reports: presentation of the commune of Sédhiou")
    office = Office.objects.filter(code="SED").first()
    advisor = User.objects.filter(email="conseiller@demo.hom").first()
    if office is not None:
        _two_years(commune, office, advisor, stdout)
