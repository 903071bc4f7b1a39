"""Demo persons and visits (``seed_demo``): about 60 people of Sédhiou's communes, a few of Kolda's.

Deterministic (one seeded random generator) and idempotent: a person already present
(same office, normalised name and year of birth) is left alone, with their visits.
Names are common in Casamance and Sédhiou; the diaspora lives in France, Spain,
Italy, the Gambia and Brazil; a third are returnees. ``migrant@demo.hom`` and
``migrant2@demo.hom`` (made by hom/accounts/demo.py) each own one record.
"""
import random
from datetime import timedelta

import phonenumbers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hom.accounts.models import Office, User
from hom.territories.models import Commune, NeedCategory, Sector
from hom.text import search_name_for

from .appointments import demo as appointments_demo
from .models import AgeGroup, ContactChoice, Migrant, Situation, Visit, VisitChannel
from .notices import services as notice_services
from .procedures import demo as procedures_demo
from .services import migrant_register, visit_correct, visit_follow_up_done, visit_record, walk_in_record
from .transfers import demo as transfers_demo

SEED = 2026
SEDHIOU_PEOPLE = 58
KOLDA_PEOPLE = 6
WALK_INS = 24

MALE = ["Ousmane", "Mamadou", "Ibrahima", "Lamine", "Moussa", "Abdoulaye", "Seydou", "Ansou", "Bakary", "Malang",
        "Sékou", "Youssouph", "Boubacar", "Alassane", "Demba", "Kéba", "Famara", "Landing"]
FEMALE = ["Fatoumata", "Aminata", "Awa", "Mariama", "Kadiatou", "Binta", "Djénéba", "Aïssatou", "Khady",
          "Ramatoulaye", "Sira", "Nafi", "Maïmouna", "Ndèye"]
LAST_NAMES = ["Diédhiou", "Sané", "Mané", "Sagna", "Coly", "Badji", "Diatta", "Baldé", "Diallo", "Sonko", "Cissé",
              "Dramé", "Fofana", "Camara", "Touré", "Kanté", "Sadio", "Goudiaby", "Djiba", "Mandiang", "Seydi"]
# country: (cities, phone pattern, digits to draw)
ABROAD = {
    "FR": (["Paris", "Montreuil", "Marseille", "Mantes-la-Jolie", "Lyon"], "+336{:08d}", 8),
    "ES": (["Almería", "Barcelone", "Madrid", "Lleida", "Murcie"], "+346{:08d}", 8),
    "IT": (["Brescia", "Milan", "Turin", "Bergame"], "+39320{:07d}", 7),
    "GM": (["Banjul", "Serekunda", "Brikama"], "+2207{:06d}", 6),
    "BR": (["São Paulo", "Caxias do Sul", "Porto Alegre"], "+55119{:08d}", 8),
}
OCCUPATIONS = ["Maçon", "Commerçant", "Couturière", "Mécanicien", "Agriculteur", "Ouvrier agricole", "Chauffeur",
               "Aide-soignante", "Électricien", "Éleveur", "Transformatrice de produits locaux", "Étudiant",
               "Menuisier", "Restauratrice", "Pêcheur"]
REFERRALS = ["ANPEJ", "DER/FJ", "FAISE", "OIM Sénégal", "Caritas Kolda", "3FPT", "Chambre de commerce de Sédhiou",
             "Maison des femmes de Sédhiou", ""]
SERVICES = ["Information sur les dispositifs de financement", "Aide à la rédaction du plan d'affaires",
            "Orientation vers une formation", "Appui pour l'obtention d'un extrait de naissance",
            "Mise en relation avec une association de ressortissants", "Écoute et conseil"]
LANGUAGES = ["Mandingue, français", "Diola, français", "Peul, wolof", "Mandingue, wolof, espagnol",
             "Balante, français", "Mandingue, italien"]
# The two demo migrants' records (they log in as migrant@demo.hom and migrant2@demo.hom).
OWNED = [
    ("migrant@demo.hom", "Ousmane", "Diédhiou", "M", 1987, "SN1103_SEDHIOU", Situation.ABROAD, "FR", "Montreuil"),
    ("migrant2@demo.hom", "Fatoumata", "Sané", "F", 1993, "SN1103_MARSASSOUM", Situation.RETURNED, "", ""),
]


def _phone(rng, pattern, digits) -> str:
    for _attempt in range(20):
        number = pattern.format(rng.randrange(10**digits))
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number
    return ""


def _person(rng, communes):
    sex = rng.choice("MF")
    situation = rng.choices(
        [Situation.ABROAD, Situation.RETURNED, Situation.IN_SENEGAL, Situation.PLANNING_TO_LEAVE], [40, 30, 15, 15]
    )[0]
    birth_year = rng.randint(1965, 2005)
    person = {
        "first_name": rng.choice(MALE if sex == "M" else FEMALE),
        "last_name": rng.choice(LAST_NAMES),
        "sex": sex,
        "birth_year": birth_year,
        "commune_of_origin": rng.choice(communes),
        "situation": situation,
        "occupation": rng.choice(OCCUPATIONS),
        "languages": rng.choice(LANGUAGES),
        "education_level": rng.choice(["none", "koranic", "primary", "secondary", "vocational", "higher"]),
        "consent_processing": True,
        "consent_sharing": rng.random() < 0.6,
        "consent_contact": rng.random() < 0.8,
    }
    if situation in (Situation.ABROAD, Situation.RETURNED):
        country = rng.choices(list(ABROAD), [35, 30, 20, 10, 5])[0]
        cities, pattern, digits = ABROAD[country]
        departure = rng.randint(max(birth_year + 17, 1995), 2022)
        person["departure_year"] = departure
        if situation == Situation.ABROAD:
            person.update(country_of_residence=country, city_of_residence=rng.choice(cities))
            person["phone"] = _phone(rng, pattern, digits)
            person["phone_is_whatsapp"] = True
        else:
            person["return_year"] = rng.randint(departure, 2026)
    if "phone" not in person:
        person["phone"] = _phone(rng, "+22177{:07d}", 7)
        person["phone_is_whatsapp"] = rng.random() < 0.7
    return person


def _visits(rng, migrant, advisor, needs, registered_at, now):
    visits_count = rng.choices([1, 2, 3, 4], [35, 35, 20, 10])[0]
    moments = sorted(
        registered_at + timedelta(minutes=rng.randint(0, max(1, int((now - registered_at).total_seconds() // 60))))
        for _ in range(visits_count - 1)
    )
    for index, occurred_at in enumerate([registered_at, *moments]):
        channel = (
            VisitChannel.OFFICE if index == 0 and migrant.situation != Situation.ABROAD
            else rng.choice([VisitChannel.PHONE, VisitChannel.WHATSAPP, VisitChannel.OFFICE, VisitChannel.MISSION_ABROAD,
                             VisitChannel.FORUM, VisitChannel.ONLINE])
        )
        last = index == visits_count - 1
        follow_up_on = None
        if last and rng.random() < 0.5:
            # Some follow-ups fall due soon, a few are already late.
            follow_up_on = timezone.localdate() + timedelta(days=rng.randint(-10, 30))
        visit = visit_record(
            migrant=migrant,
            advisor=advisor,
            channel=channel,
            occurred_at=occurred_at,
            needs=rng.sample(needs, rng.randint(1, 3)),
            services_given=rng.choice(SERVICES),
            referral_to=rng.choice(REFERRALS),
            follow_up_on=None,
        )
        if follow_up_on:
            # A follow-up date may lie in the past here (a late one); the form forbids that, the model does not.
            visit.follow_up_on, visit.follow_up_advisor = follow_up_on, advisor
            visit.save(update_fields=["follow_up_on", "follow_up_advisor"])
            if follow_up_on < timezone.localdate() and rng.random() < 0.4:
                visit_follow_up_done(visit=visit, done_by=advisor)


def _seed_office(rng, office, advisor, people, needs, sectors, now):
    created = 0
    for person in people:
        email = person.pop("email", None)
        user = User.objects.filter(email=email).first() if email else None
        # Already there (at this office, or transferred away from it: the demo transfer).
        if Migrant.objects.filter(
            Q(office=office) | Q(transfers__from_office=office),
            search_name=search_name_for(person["first_name"], person["last_name"]),
            birth_year=person["birth_year"],
        ).exists():
            continue
        registered_at = now - timedelta(days=rng.randint(5, 540), hours=rng.randint(0, 6))
        migrant = migrant_register(
            office=office,
            recorded_by=advisor,
            user=user,
            advisor=advisor,
            sectors_of_interest=rng.sample(sectors, rng.randint(1, 2)),
            email=email or "",
            registered_at=registered_at,
            **person,
        )
        _visits(rng, migrant, advisor, needs, registered_at, now)
        created += 1
    return created


def _owned_people(rng, communes_by_code):
    owners = []
    for email, first_name, last_name, sex, birth_year, commune_code, situation, country, city in OWNED:
        owners.append({
            "email": email, "first_name": first_name, "last_name": last_name, "sex": sex, "birth_year": birth_year,
            "commune_of_origin": communes_by_code[commune_code], "situation": situation,
            "country_of_residence": country, "city_of_residence": city,
            "phone": _phone(rng, "+336{:08d}", 8) if country == "FR" else _phone(rng, "+22177{:07d}", 7),
            "consent_processing": True, "consent_sharing": True, "consent_contact": True,
        })
    return owners


@transaction.atomic
def _corrected_visit(advisor) -> None:
    """One visit of the Sédhiou advisor corrected after the fact: its history and its person's show why."""
    visit = Visit.objects.filter(advisor=advisor, migrant__isnull=False).order_by("pk").first()
    if visit is not None:
        visit_correct(visit=visit, corrected_by=advisor, reason="Date saisie à la place de celle du forum",
                      occurred_at=visit.occurred_at - timedelta(days=1))


@transaction.atomic
def _demo_channels() -> None:
    """``migrant@demo.hom`` chose SMS and verified their phone (issue 22): moving their dossier sends an SMS."""
    person = Migrant.objects.filter(user__email="migrant@demo.hom").first()
    if person is not None and person.phone and not ContactChoice.objects.filter(migrant=person).exists():
        notice_services.phone_mark_verified(migrant=person, phone=person.phone, choose_sms=True)


def seed(stdout=None) -> None:
    # People come from their own generator, drawn before anything else, so that a second run
    # (which draws no visits) meets exactly the same people and skips them.
    people_rng = random.Random(SEED)
    rng = random.Random(SEED + 1)
    now = timezone.now()
    needs = list(NeedCategory.objects.active())
    sectors = list(Sector.objects.active())
    sedhiou_office = Office.objects.get(code="SED")
    kolda_office = Office.objects.get(code="KOL")
    sedhiou_communes = list(Commune.objects.filter(department__region__code="SN11").order_by("code"))
    kolda_communes = list(Commune.objects.filter(department__region__code="SN07").order_by("code"))
    sedhiou_advisor = User.objects.get(email="conseiller@demo.hom")
    kolda_advisor = User.objects.get(email="conseiller.kolda@demo.hom")
    sedhiou_people = _owned_people(people_rng, {commune.code: commune for commune in sedhiou_communes}) + [
        _person(people_rng, sedhiou_communes) for _ in range(SEDHIOU_PEOPLE)
    ]
    kolda_people = [_person(people_rng, kolda_communes) for _ in range(KOLDA_PEOPLE)]

    created = _seed_office(rng, sedhiou_office, sedhiou_advisor, sedhiou_people, needs, sectors, now)
    created += _seed_office(rng, kolda_office, kolda_advisor, kolda_people, needs, sectors, now)
    if created:
        for _ in range(WALK_INS):
            visit = walk_in_record(
                office=sedhiou_office,
                advisor=sedhiou_advisor,
                commune=rng.choice(sedhiou_communes),
                sex=rng.choice("MF"),
                age_group=rng.choice(AgeGroup.values),
                needs=rng.sample(needs, rng.randint(1, 2)),
            )
            visit.occurred_at = now - timedelta(days=rng.randint(0, 540))
            visit.save(update_fields=["occurred_at"])
        _corrected_visit(sedhiou_advisor)
    procedures_demo.seed(sedhiou_office, advisor=sedhiou_advisor)
    transfers_demo.seed(sedhiou_office, kolda_office)
    _demo_channels()
    appointments_demo.seed(sedhiou_office)
    if stdout:
        stdout.write(f"Migrants: {created} demo persons added.")
