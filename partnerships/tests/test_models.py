from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from migrants.tests.factories import MigrantFactory
from partnerships.models import Introduction, IntroductionStatus, Organisation

from .factories import IntroductionFactory, OrganisationFactory


def test_staff_of_every_office_see_every_organisation(users, organisation):
    for role in ("superuser", "admin", "advisor", "other_office_advisor"):
        assert list(Organisation.objects.visible_to(users[role])) == [organisation]


def test_a_partner_sees_only_their_organisation(users, organisation, partner_organisation):
    assert list(Organisation.objects.visible_to(users["partner"])) == [partner_organisation]


def test_migrants_and_authorities_see_no_organisation(users, organisation):
    for role in ("migrant", "authority"):
        assert not Organisation.objects.visible_to(users[role]).exists()


def test_the_same_name_cannot_be_recorded_twice_in_one_city(organisation):
    with pytest.raises(ValidationError):
        OrganisationFactory(name=organisation.name, country="ES", city="Sabadell")


def test_organisation_changes_are_kept_in_history(organisation):
    organisation.city = "Barcelona"
    organisation.save()

    assert organisation.history.count() == 2


def test_a_person_has_one_open_introduction_per_organisation(db, office, organisation):
    # given
    migrant = MigrantFactory(office=office, consent_sharing=True)
    IntroductionFactory(migrant=migrant, organisation=organisation)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Introduction.objects.create(
            office=office, migrant=migrant, organisation=organisation, purpose="x", channel="phone"
        )


def test_a_follow_up_cannot_be_before_the_introduction(db, office, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        IntroductionFactory(
            migrant__office=office, organisation=organisation, introduced_on=date(2026, 5, 2),
            follow_up_on=date(2026, 5, 1),
        )


def test_a_partner_sees_the_introductions_to_their_organisation_of_consenting_persons_only(
    users, office, partner_organisation, organisation
):
    # given
    shared = IntroductionFactory(migrant__office=office, organisation=partner_organisation)
    IntroductionFactory(migrant__office=office, migrant__consent_sharing=False, organisation=partner_organisation)
    IntroductionFactory(migrant__office=office, organisation=organisation)
    # when
    visible = list(Introduction.objects.visible_to(users["partner"]))
    # then
    assert visible == [shared]


def test_introductions_follow_the_migrant_office(users, office, other_office, organisation):
    ours = IntroductionFactory(migrant__office=office, organisation=organisation)
    IntroductionFactory(migrant__office=other_office, organisation=organisation)

    assert list(Introduction.objects.visible_to(users["advisor"])) == [ours]
    assert Introduction.objects.visible_to(users["superuser"]).count() == 2


def test_a_migrant_sees_their_own_introductions(users, office, organisation):
    own = IntroductionFactory(migrant__office=office, migrant__user=users["migrant"], organisation=organisation)
    IntroductionFactory(migrant__office=office, organisation=organisation)

    assert list(Introduction.objects.visible_to(users["migrant"])) == [own]


def test_a_follow_up_is_due_only_while_the_introduction_is_open(db, office, organisation):
    due = IntroductionFactory(migrant__office=office, organisation=organisation, follow_up_on=date.today())
    IntroductionFactory(
        migrant__office=office, organisation=organisation, follow_up_on=date.today(),
        status=IntroductionStatus.COMPLETED,
    )

    assert list(Introduction.objects.follow_ups_due()) == [due]
