import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hom.territories.models import Commune, Department, Sector
from migrants.models import Situation
from migrants.selectors import migrant_for_page
from migrants.tests.factories import MigrantFactory
from partnerships import demo
from partnerships.models import Organisation
from partnerships.selectors import migrants_matching, organisation_search, organisations_matching
from projects.tests.factories import DossierFactory

from .factories import OrganisationFactory


def test_the_same_commune_ranks_before_the_department_and_the_region(users, sharing_migrant, marsassoum):
    # given
    OrganisationFactory(name="Région", departments_served=[Department.objects.get(code="SN1101")])
    OrganisationFactory(name="Département", communes_served=[Commune.objects.get(code="SN1103_SEDHIOU")])
    OrganisationFactory(name="Commune", communes_served=[marsassoum])
    OrganisationFactory(name="Ailleurs", country="IT", departments_served=[Department.objects.get(code="SN0701")])
    # when
    ranked = organisations_matching(users["advisor"], sharing_migrant)
    # then
    assert [organisation.name for organisation in ranked] == ["Commune", "Département", "Région"]
    assert ranked[0].serves_commune and not ranked[2].serves_department and ranked[2].serves_region


def test_country_city_sector_of_a_dossier_and_language_count(users, office, agriculture):
    # given
    migrant = MigrantFactory(
        office=office, situation=Situation.ABROAD, country_of_residence="ES", city_of_residence="Sabadell",
        languages="Mandinka, catalan",
    )
    DossierFactory(promoter=migrant, sector=agriculture)
    OrganisationFactory(name="Sabadell", country="ES", city="Sabadell", sectors=[agriculture], languages="catalan")
    OrganisationFactory(name="Madrid", country="ES", city="Madrid")
    # when
    ranked = organisations_matching(users["advisor"], migrant)
    # then
    assert [(organisation.name, organisation.score) for organisation in ranked] == [("Sabadell", 50), ("Madrid", 20)]
    assert ranked[0].same_city and ranked[0].shares_sector and ranked[0].shares_language


def test_residence_counts_only_for_someone_abroad(users, office):
    migrant = MigrantFactory(office=office, situation=Situation.RETURNED, country_of_residence="ES")
    OrganisationFactory(country="ES", city="Madrid")

    assert organisations_matching(users["advisor"], migrant) == []


def test_matching_a_migrant_takes_the_same_queries_for_2_and_20_organisations(users, sharing_migrant, marsassoum):
    def run():
        migrant = migrant_for_page(users["advisor"], sharing_migrant.pk)
        with CaptureQueriesContext(connection) as context:
            organisations_matching(users["advisor"], migrant)
        return len(context.captured_queries)

    OrganisationFactory.create_batch(2, communes_served=[marsassoum])
    with_two = run()
    OrganisationFactory.create_batch(18, communes_served=[marsassoum])
    assert run() == with_two


def test_a_person_who_did_not_consent_is_never_a_candidate(users, office, marsassoum, agriculture):
    # given
    organisation = OrganisationFactory(communes_served=[marsassoum], sectors=[agriculture], country="ES")
    consenting = MigrantFactory(office=office, commune_of_origin=marsassoum, consent_sharing=True)
    MigrantFactory(office=office, commune_of_origin=marsassoum, consent_sharing=False, country_of_residence="ES")
    withdrawn = MigrantFactory(office=office, commune_of_origin=marsassoum, consent_sharing=True)
    withdrawn.consent_withdrawn_on = withdrawn.created_at.date()
    withdrawn.save()
    # when
    candidates = migrants_matching(users["advisor"], organisation)
    # then
    assert candidates == [consenting]


def test_candidates_are_of_the_viewer_office_only(users, office, other_office, marsassoum):
    organisation = OrganisationFactory(communes_served=[marsassoum])
    ours = MigrantFactory(office=office, commune_of_origin=marsassoum, consent_sharing=True)
    MigrantFactory(office=other_office, commune_of_origin=marsassoum, consent_sharing=True)

    assert migrants_matching(users["advisor"], organisation) == [ours]
    assert len(migrants_matching(users["superuser"], organisation)) == 2


def test_candidates_come_with_their_fitting_dossiers_and_reasons(users, office, marsassoum, agriculture):
    # given
    organisation = OrganisationFactory(country="ES", city="Sabadell (Catalogne)", sectors=[agriculture])
    migrant = MigrantFactory(
        office=office, consent_sharing=True, country_of_residence="ES", city_of_residence="sabadell",
        commune_of_origin=Commune.objects.filter(department__region__code="SN07").first(),
    )
    dossier = DossierFactory(promoter=migrant, sector=agriculture)
    DossierFactory(promoter=migrant, sector=Sector.objects.get(code="TIC"))
    # when
    [candidate] = migrants_matching(users["advisor"], organisation)
    # then
    assert candidate.same_country and candidate.same_city and candidate.shares_sector
    assert candidate.fitting_dossiers == [dossier]
    assert candidate.score == 45


def test_search_ignores_accents_and_finds_the_acronym(db):
    OrganisationFactory(name="Espace Migration et Développement de Sédhiou", acronym="EMDS", city="Sédhiou")
    OrganisationFactory(name="Autre")

    assert [o.acronym for o in organisation_search(Organisation.objects.all(), "developpement sedhiou")] == ["EMDS"]
    assert [o.acronym for o in organisation_search(Organisation.objects.all(), "emds")] == ["EMDS"]


@pytest.mark.postgresql(reason="trigram similarity needs PostgreSQL")
def test_search_forgives_a_misspelling_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity needs PostgreSQL")
    OrganisationFactory(name="Kandeemaa", city="Sabadell")

    assert organisation_search(Organisation.objects.all(), "kandema").count() == 1


def test_the_demo_returnee_from_marsassoum_in_spain_gets_an_association_of_sedhiou_in_spain_first(users, office):
    # given: the demo needs the Sédhiou office and an advisor there
    demo.seed()
    demo.seed()
    person = demo._demo_person(office, users["advisor"])
    # when
    first = organisations_matching(users["advisor"], person)[0]
    # then
    served = {commune.name for commune in first.communes_served.all()} | {
        department.name for department in first.departments_served.all()
    }
    assert first.country == "ES"
    assert served & {"Marsassoum", "Sédhiou"}
    assert first.serves_commune and first.same_country
    # 15 organisations of diaspora.csv, the ARD and three departmental councils of the demo convention, and
    # the two demonstration organisations of the partner offers (a mutual and an insurer), and the foreign local
    # authority of the cooperation introductions (seeding twice adds none).
    assert Organisation.objects.count() == 22
