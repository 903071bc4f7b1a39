"""Data built to produce small cells: a few persons of a commune, some walk-ins, some dossiers."""
from datetime import datetime

from django.utils import timezone

from migrants.models import Situation, Visit
from migrants.tests.factories import MigrantFactory, VisitFactory
from projects.models import DossierStatus
from projects.tests.factories import DossierFactory


def moment(year, month, day=15):
    return datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


def small_cells_of(commune, office, needs, sectors, *, when=None):
    """7 women abroad in France, 3 men returned from Spain, 2 women walking in; 6 + 3 dossiers.

    Every breakdown holds a count under five whose hiding a total would undo.
    """
    when = when or timezone.now()
    # Names no other word of a page can match (a random surname may be "Paris"), so that tests
    # looking for a person's name on a page find only a real leak.
    women = [
        MigrantFactory(
            office=office, commune_of_origin=commune, sex="F", birth_year=when.year - 30,
            situation=Situation.ABROAD, country_of_residence="FR",
            first_name=f"Prenomfemme{n}", last_name=f"Nomfemme{n}",
        )
        for n in range(7)
    ]
    men = [
        MigrantFactory(
            office=office, commune_of_origin=commune, sex="M", birth_year=when.year - 45,
            situation=Situation.RETURNED, country_of_residence="ES",
            first_name=f"Prenomhomme{n}", last_name=f"Nomhomme{n}",
        )
        for n in range(3)
    ]
    for person in women:
        VisitFactory(migrant=person, occurred_at=when, needs=[needs["FUNDING"]])
    for person in men:
        VisitFactory(migrant=person, occurred_at=when, needs=[needs["FUNDING"], needs["RETURN"]])
    for _ in range(2):
        walk_in = Visit.objects.create(office=office, commune=commune, sex="F", age_group="25_34", occurred_at=when)
        walk_in.needs.set([needs["PAPERS"]])
    for person in women[:6]:
        DossierFactory(promoter=person, commune=commune, sector=sectors["AGRI"])
    for person in men:
        DossierFactory(promoter=person, commune=commune, sector=sectors["ELEV"], status=DossierStatus.WITHDRAWN)
    return women + men


def outcomes_of(commune, office, persons, *, when=None):
    """Small cells in the funding, introduction, convention and event tables of ``commune``.

    ``persons`` are those of :func:`small_cells_of` (7 women, then 3 men, with their dossiers):
    7 applications planned, 2 accepted and 1 disbursed; 6 women introduced to a diaspora
    association, 3 men to an NGO (accepted); one active convention concerning the commune
    (2,000,000 committed, 500,000 paid); one training with the 7 women, two forums with the men.
    Returns the convention.
    """
    from partnerships.events.models import EventKind
    from partnerships.models import IntroductionStatus, OrganisationKind
    from partnerships.tests.convention_factories import (
        ContributionFactory,
        ConventionFactory,
        ConventionPartyFactory,
        EventFactory,
        EventParticipantFactory,
    )
    from partnerships.tests.factories import IntroductionFactory, OrganisationFactory
    from projects.funding.models import ApplicationStatus, FundingApplication
    from projects.tests.funding_factories import FundingApplicationFactory, FundingOpportunityFactory

    when = when or timezone.now()
    day = timezone.localtime(when).date()
    dossiers = [dossier for person in persons for dossier in person.dossiers.all()]
    first, second = FundingOpportunityFactory(), FundingOpportunityFactory()
    for dossier in dossiers[:7]:
        FundingApplicationFactory(dossier=dossier, opportunity=first)
    for dossier in dossiers[7:9]:
        FundingApplicationFactory(
            dossier=dossier, opportunity=second, status=ApplicationStatus.ACCEPTED, submitted_on=day,
            amount_granted=800_000, decided_on=day,
        )
    FundingApplicationFactory(
        dossier=dossiers[0], opportunity=second, status=ApplicationStatus.DISBURSED, submitted_on=day,
        amount_granted=500_000, decided_on=day, amount_disbursed=500_000, disbursed_on=day,
    )
    FundingApplication.objects.filter(dossier__in=dossiers).update(created_at=when)

    diaspora = OrganisationFactory(
        name="Association des ressortissants de Sédhiou en France", is_published=True, communes_served=[commune]
    )
    ngo = OrganisationFactory(name="ONG Appui Casamance", kind=OrganisationKind.NGO, communes_served=[commune])
    women, men = persons[:7], persons[7:]
    for person in women[:6]:
        IntroductionFactory(migrant=person, organisation=diaspora, introduced_on=day)
    for person in men:
        IntroductionFactory(migrant=person, organisation=ngo, introduced_on=day, status=IntroductionStatus.ACCEPTED)

    convention = ConventionFactory(office=office, title="Convention Sédhiou–diaspora", starts_on=day.replace(day=1))
    convention.communes.set([commune])
    party = ConventionPartyFactory(convention=convention, organisation=diaspora)
    ContributionFactory(budget_line__convention=convention, party=party, committed=2_000_000, paid=500_000)

    training = EventFactory(office=office, commune=commune, starts_on=day, kind=EventKind.TRAINING)
    for person in women:
        EventParticipantFactory(event=training, migrant=person)
    for person in men:
        forum = EventFactory(office=office, commune=commune, starts_on=day, kind=EventKind.FORUM)
        EventParticipantFactory(event=forum, migrant=person)
    return convention
