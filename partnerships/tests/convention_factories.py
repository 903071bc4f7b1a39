"""Factories for conventions, their follow-up and events (plain rows: tests of services use the services)."""
import datetime

import factory
from django.utils import timezone

from hom.accounts.tests.factories import OfficeFactory
from partnerships.conventions.models import (
    Contribution,
    ContributionKind,
    Convention,
    ConventionBudgetLine,
    ConventionParty,
    ConventionStatus,
    PartyRole,
    Periodicity,
    ReportingObligation,
    ReportItem,
)
from partnerships.events.models import ActionItem, Event, EventKind, EventParticipant, Meeting

from .factories import OrganisationFactory


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    office = factory.SubFactory(OfficeFactory)
    title = factory.Sequence(lambda n: f"Convention de partenariat {n}")
    objectives = "Accompagner 30 porteurs de projets de la diaspora d'ici fin 2027."
    status = ConventionStatus.ACTIVE
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2027, 12, 31)


class ConventionPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConventionParty

    convention = factory.SubFactory(ConventionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PartyRole.TECHNICAL
    responsibilities = "Appui technique et formation des conseillers."


class ConventionBudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConventionBudgetLine

    convention = factory.SubFactory(ConventionFactory)
    activity = factory.Sequence(lambda n: f"Activité {n}")
    amount = 1_000_000


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    budget_line = factory.SubFactory(ConventionBudgetLineFactory)
    party = factory.SubFactory(ConventionPartyFactory, convention=factory.SelfAttribute("..budget_line.convention"))
    kind = ContributionKind.CASH
    committed = 500_000


class ReportingObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingObligation

    convention = factory.SubFactory(ConventionFactory)
    party = factory.SubFactory(ConventionPartyFactory, convention=factory.SelfAttribute("..convention"))
    title = "Rapport trimestriel"
    periodicity = Periodicity.QUARTERLY
    first_due_on = datetime.date(2026, 3, 31)


class ReportItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportItem

    obligation = factory.SubFactory(ReportingObligationFactory)
    convention = factory.SelfAttribute("obligation.convention")
    party = factory.SelfAttribute("obligation.party")
    due_on = factory.LazyFunction(timezone.localdate)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    convention = factory.SubFactory(ConventionFactory)
    held_at = factory.LazyFunction(timezone.now)
    place = "ARD Sédhiou"
    agenda = "Point d'étape."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    convention = factory.SelfAttribute("meeting.convention")
    description = factory.Sequence(lambda n: f"Action {n}")
    due_on = factory.LazyFunction(timezone.localdate)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    office = factory.SubFactory(OfficeFactory)
    kind = EventKind.TRAINING
    title = factory.Sequence(lambda n: f"Formation en gestion de projet {n}")
    starts_on = datetime.date(2026, 6, 1)
    place = "Sédhiou"


class EventParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventParticipant

    event = factory.SubFactory(EventFactory)
