from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from migrants.services import migrant_erase
from migrants.tests.factories import MigrantFactory
from partnerships.models import IntroductionStatus
from partnerships.services import introduction_create, introduction_move, organisation_create, organisation_update
from projects.tests.factories import DossierFactory

from .factories import IntroductionFactory


def test_creating_an_organisation_fills_its_search_text(db, marsassoum, agriculture):
    organisation = organisation_create(
        name="Amicale des Ressortissants", acronym="ARM", kind="hometown", country="ES", city="Sabadell",
        communes_served=[marsassoum], sectors=[agriculture],
    )

    assert organisation.search_text == "amicale des ressortissants arm sabadell"
    assert list(organisation.communes_served.all()) == [marsassoum]


def test_updating_an_organisation_keeps_the_relations_not_given(organisation, marsassoum):
    organisation_update(organisation=organisation, communes_served=[marsassoum])

    organisation_update(organisation=organisation, city="Lleida")

    assert list(organisation.communes_served.all()) == [marsassoum]
    assert organisation.search_text.endswith("lleida")


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(ValidationError):
        organisation_create(name="X", kind="club")


def test_an_introduction_takes_the_migrant_office(users, sharing_migrant, organisation):
    introduction = introduction_create(
        migrant=sharing_migrant, organisation=organisation, introduced_by=users["advisor"], purpose="Agriculture",
        channel="whatsapp", follow_up_on=timezone.localdate() + timedelta(days=3),
    )

    assert introduction.office == sharing_migrant.office
    assert introduction.status == IntroductionStatus.PROPOSED


def test_the_dossier_of_another_person_is_refused(users, sharing_migrant, organisation):
    dossier = DossierFactory(promoter__consent_sharing=True)

    with pytest.raises(ValidationError):
        introduction_create(
            migrant=sharing_migrant, organisation=organisation, introduced_by=users["advisor"], purpose="x",
            channel="phone", dossier=dossier,
        )


def test_an_introduction_moves_along_the_allowed_statuses(db, office, organisation):
    introduction = IntroductionFactory(migrant__office=office, organisation=organisation)

    introduction = introduction_move(introduction=introduction, status=IntroductionStatus.CONTACTED)
    introduction = introduction_move(introduction=introduction, status=IntroductionStatus.ACCEPTED)
    introduction = introduction_move(
        introduction=introduction, status=IntroductionStatus.COMPLETED, outcome="Parrainage obtenu."
    )

    assert introduction.status == IntroductionStatus.COMPLETED
    assert introduction.outcome == "Parrainage obtenu."
    assert introduction.follow_up_on is None


def test_a_declined_introduction_cannot_move_again(db, office, organisation):
    introduction = IntroductionFactory(
        migrant__office=office, organisation=organisation, status=IntroductionStatus.DECLINED
    )

    with pytest.raises(ValidationError):
        introduction_move(introduction=introduction, status=IntroductionStatus.ACCEPTED)


def test_a_person_without_sharing_consent_cannot_be_introduced(users, office, organisation):
    migrant = MigrantFactory(office=office, consent_sharing=False)

    with pytest.raises(ValidationError):
        introduction_create(
            migrant=migrant, organisation=organisation, introduced_by=users["advisor"], purpose="x", channel="phone"
        )


def test_erasing_a_person_blanks_the_text_of_their_introductions_and_its_history(users):
    introduction = IntroductionFactory(purpose="Présenter Awa Diatta à l'association", outcome="Awa a rencontré le bureau")
    migrant_erase(migrant=introduction.migrant, erased_by=users["admin"])
    introduction.refresh_from_db()
    assert (introduction.purpose, introduction.outcome) == ("—", "")
    assert introduction.organisation_id and introduction.status == "proposed"
    assert not introduction.history.filter(purpose__contains="Awa").exists()
