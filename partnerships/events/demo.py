"""Demo meetings with their action items on the demo convention, and the case study's events.

The case study's lesson "s'assurer d'un suivi et d'échanges constants": the demo convention
has a steering committee held three weeks ago (minutes, decisions, two action items, one
overdue and one due next week) and its next meeting planned. Events come from the same
study: the diaspora forums of Terrassa (Spain) and Porto Alegre (Brazil) facilitated by the
Groupe Teranga Rewmi (named in the description only: the demo adds no organisation), a forum
with Sédhiou's diaspora in Paris (EMDS held one in Paris 18e on 22 October 2016,
``data/diaspora.csv``), and a training in project management in Sédhiou, open for
registration, for which ``migrant@demo.hom``'s person is registered.

Idempotent: events are recognised by their title in the Sédhiou office, meetings by their
convention (none seeded when the convention already has one). Dates follow today, so that one
action is always overdue and the training always ahead; nothing is seeded on the convention
when the conventions demo has not created it.
"""
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, User
from hom.territories.models import Commune
from migrants.models import Migrant
from partnerships.conventions import demo as convention_demo
from partnerships.conventions.models import Convention
from partnerships.events import services
from partnerships.events.models import Event, EventKind
from partnerships.models import Organisation

# Helper A's constant; the same text until both branches meet.
DEMO_CONVENTION_TITLE = getattr(
    convention_demo, "DEMO_CONVENTION_TITLE",
    "Convention de partenariat HOM Sédhiou — ARD, Grdr et conseils départementaux",
)
TRAINING_TITLE = "Formation en gestion de projet et entrepreneuriat — Sédhiou"


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _organisation(name_prefix: str):
    return Organisation.objects.filter(name__startswith=name_prefix).order_by("pk").first()


def _seed_meetings(convention: Convention, today) -> int:
    if convention.meetings.exists():
        return 0
    advisor = User.objects.filter(email="conseiller@demo.hom").first()
    admin = User.objects.filter(email="admin@demo.hom").first()
    parties = list(Organisation.objects.filter(convention_parties__convention=convention))
    steering = services.meeting_create(
        convention=convention, created_by=admin, held_at=_at(today - timedelta(days=21), 10),
        place="Salle de réunion de l'ARD, Sédhiou", organisations=parties,
        attendees="Directeur de l'ARD Sédhiou (président de séance)\nConseillers du HOM\n"
                  "Coordinateur régional du Grdr\nÉlus référents migration des trois conseils départementaux",
        agenda="1. Bilan du trimestre écoulé\n2. Rapports des parties\n3. Préparation du forum de la diaspora\n"
               "4. Divers",
        minutes="Le comité de pilotage a passé en revue les activités du trimestre : 42 personnes accueillies "
                "au HOM, 9 dossiers de projet accompagnés, 3 mises en relation avec des associations de "
                "ressortissants. Le rapport trimestriel du Grdr n'a pas encore été transmis. Les élus ont "
                "rappelé l'importance d'un suivi régulier et d'échanges constants avec la diaspora.",
        decisions="Le Grdr transmet son rapport trimestriel sous quinzaine.\n"
                  "Le HOM prépare la liste des porteurs de projets à présenter au prochain forum.\n"
                  "Le comité se réunit de nouveau dans dix semaines.",
    )
    services.action_add(
        meeting=steering, description="Relancer le Grdr pour son rapport trimestriel", owner=advisor,
        due_on=today - timedelta(days=5),
    )
    services.action_add(
        meeting=steering, description="Arrêter la liste des porteurs de projets à présenter au forum", owner=admin,
        due_on=today + timedelta(days=7),
    )
    services.meeting_create(
        convention=convention, created_by=admin, held_at=_at(today + timedelta(days=49), 10),
        place="Conseil départemental de Goudomp", organisations=parties,
        agenda="1. Suivi des actions du dernier comité\n2. Rapports des parties\n3. Budget : engagé et versé",
    )
    return 2


def _event(office, admin, title: str, **fields) -> tuple[Event, bool]:
    event = Event.objects.filter(office=office, title=title).first()
    if event:
        return event, False
    return services.event_create(office=office, created_by=admin, title=title, **fields), True


def _seed_events(office: Office, convention, today) -> int:
    admin = User.objects.filter(email="admin@demo.hom").first()
    ard = _organisation("Agence régionale de développement de Sédhiou")
    emds, grdr = _organisation("EMDS"), _organisation("Grdr")
    porto_alegre = _organisation("Associação de Senegaleses de Porto Alegre")
    created = 0
    forums = [
        ("Forum de la diaspora sénégalaise à Terrassa", today - timedelta(days=230), "Terrassa", "ES", [ard],
         "Rencontre des ressortissants sénégalais de Catalogne avec l'agence régionale de développement, "
         "facilitée par une structure privée, le Groupe Teranga Rewmi (GTR).",
         "Forte mobilisation de la communauté ; présentation des programmes locaux et nationaux ; "
         "plusieurs porteurs de projets orientés vers le HOM.", []),
        ("Forum de la diaspora sénégalaise à Porto Alegre", today - timedelta(days=170), "Porto Alegre", "BR",
         [ard, porto_alegre],
         "Première consultation de la diaspora sénégalaise du Brésil par des représentants du Sénégal.",
         "Contacts noués pour faciliter les démarches administratives auprès de l'Ambassade du Brésil ; "
         "rencontre avec les autorités fédérales de l'agriculture, piste de coopération décentralisée.",
         [porto_alegre]),
        ("Forum des ressortissants de la région de Sédhiou à Paris", today - timedelta(days=60), "Paris 18e", "FR",
         [emds, ard],
         "Les ressortissants de Sédhiou, Bounkiling et Goudomp et leurs élus locaux échangent sur les stratégies de "
         "développement de la région.",
         "Les élus invitent les associations à se fédérer ; douze projets recensés.", [emds, grdr]),
    ]
    for title, starts_on, place, country, organisers, description, outcomes, participants in forums:
        event, new = _event(
            office, admin, title, kind=EventKind.FORUM, starts_on=starts_on, ends_on=starts_on + timedelta(days=1),
            place=place, country=country, organisers=[o for o in organisers if o], description=description,
            outcomes=outcomes,
        )
        created += new
        for organisation in participants:
            if organisation and not event.participants.filter(organisation=organisation).exists():
                services.event_participant_add(event=event, registered_by=admin, organisation=organisation)
    starts_on = today + timedelta(days=21)
    training, new = _event(
        office, admin, TRAINING_TITLE, kind=EventKind.TRAINING, starts_on=starts_on,
        ends_on=starts_on + timedelta(days=2), place="Salle de formation de l'ARD, Sédhiou", country="SN",
        commune=Commune.objects.filter(code="SN1103_SEDHIOU").first(), organisers=[o for o in (ard, grdr) if o],
        convention=convention, capacity=25, registration_open=True,
        description="Trois jours pour passer de l'idée au plan d'affaires : étude de marché, budget, plan de "
                    "financement, recherche de financements. Pour les migrants de retour et les porteurs de projets "
                    "de la diaspora.",
    )
    created += new
    person = Migrant.objects.filter(user__email="migrant@demo.hom").select_related("user").first()
    if person and not training.participants.filter(migrant=person).exists() and training.starts_on > today:
        services.event_register(event=training, migrant=person, registered_by=person.user)
    return created


@transaction.atomic
def seed(stdout=None) -> None:
    office = Office.objects.filter(code="SED").first()
    if office is None:
        return
    today = timezone.localdate()
    convention = Convention.objects.filter(office=office, title=DEMO_CONVENTION_TITLE).first()
    meetings = _seed_meetings(convention, today) if convention else 0
    events = _seed_events(office, convention, today)
    if stdout:
        stdout.write(f"Partnerships: {meetings} demo meetings and {events} demo events added.")
