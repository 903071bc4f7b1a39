"""Consent, versioned (issue 15, point 6): the text shown, the version recorded, the printable form."""
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from hom.accounts.models import User
from hom.testing.access import LOGIN, assert_access_matrix, staff_only
from migrants import consent, services
from migrants.models import LinkRequest, Migrant
from migrants.tests.factories import MigrantFactory
from migrants.tests.test_rights import sign_up_data
from migrants.views import sign_up_token

FIRST = consent.VERSIONS[0]


def test_the_desk_form_shows_the_current_text_and_the_registration_records_its_version(client, users, office):
    client.force_login(users["advisor"])

    page = client.get(reverse("migrants:create")).content.decode()
    client.post(reverse("migrants:create"), {
        "first_name": "Aminata", "last_name": "Sagna", "situation": "in_senegal", "consent_processing": "on",
        "consent_sharing": "on", "not_a_duplicate": "on",
    })

    assert f'data-version="{consent.CURRENT_VERSION}"' in page
    assert escape(consent.CURRENT.fr[1]) in page
    assert reverse("migrants:consent_form_blank") in page
    migrant = Migrant.objects.get(last_name="Sagna")
    assert migrant.consent_version == consent.CURRENT_VERSION
    assert migrant.consent_given_on == timezone.localdate() and migrant.consent_recorded_by == users["advisor"]


def test_a_registration_typed_in_later_records_the_text_in_force_on_its_day(users, office):
    in_force = timezone.make_aware(datetime.combine(consent.CURRENT.in_force_from, time(12)))

    before = services.migrant_register(
        office=office, recorded_by=users["advisor"], first_name="Awa", last_name="Mané",
        registered_at=in_force - timedelta(days=30), consent_processing=True,
    )
    since = services.migrant_register(
        office=office, recorded_by=users["advisor"], first_name="Awa", last_name="Mané",
        registered_at=in_force, consent_processing=True,
    )

    assert before.consent_version == FIRST.version
    assert since.consent_version == consent.CURRENT_VERSION


def test_an_unknown_version_is_refused(users, office):
    with pytest.raises(ValidationError):
        services.migrant_register(office=office, recorded_by=users["advisor"], first_name="Awa", last_name="Mané",
                                  consent_processing=True, consent_version="1999-01")


def test_a_changed_consent_records_the_current_version(users, office):
    migrant = MigrantFactory(office=office, consent_version=FIRST.version, consent_contact=False)

    services.migrant_update(migrant=migrant, changed_by=users["advisor"], consent_contact=True)

    migrant.refresh_from_db()
    assert migrant.consent_version == consent.CURRENT_VERSION
    assert migrant.history.first().consent_version == consent.CURRENT_VERSION
    assert migrant.history.last().consent_version == FIRST.version


def test_the_sign_up_shows_the_text_and_the_confirmed_record_keeps_its_version(client, office, monkeypatch):
    page = client.get(reverse("migrants:sign_up")).content.decode()
    client.post(reverse("migrants:sign_up"), sign_up_data(office))
    user = User.objects.get(email="lamine.coly@example.sn")

    # Were another text in force by the confirmation, the record would still say what the person read.
    monkeypatch.setattr(consent, "version_in_force", lambda on: FIRST.version)
    client.get(reverse("migrants:sign_up_confirm", args=[sign_up_token(user)]))

    assert f'data-version="{consent.CURRENT_VERSION}"' in page
    assert Migrant.objects.get(user=user).consent_version == consent.CURRENT_VERSION


def test_a_sign_up_linked_to_a_desk_record_brings_its_version(client, users, office):
    desk = MigrantFactory(office=office, first_name="Lamine", last_name="Coly", phone="+33612345678",
                          consent_sharing=False, consent_version=FIRST.version)
    client.post(reverse("migrants:sign_up"), sign_up_data(office, consent_sharing="on"))
    user = User.objects.get(email="lamine.coly@example.sn")
    client.get(reverse("migrants:sign_up_confirm", args=[sign_up_token(user)]))
    link_request = LinkRequest.objects.get(user=user)
    client.force_login(users["advisor"])

    client.post(reverse("migrants:link_decide", args=[link_request.pk]), {"decision": "confirm"})

    desk.refresh_from_db()
    assert link_request.consent_version == consent.CURRENT_VERSION
    assert desk.consent_sharing and desk.consent_version == consent.CURRENT_VERSION


def test_the_persons_page_shows_the_version_agreed_to_with_its_own_text(client, users, office):
    old = MigrantFactory(office=office, consent_version=FIRST.version)
    unknown = MigrantFactory(office=office, consent_version="")
    client.force_login(users["advisor"])

    page = client.get(reverse("migrants:detail", args=[old.pk])).content.decode()
    before_versions = client.get(reverse("migrants:detail", args=[unknown.pk])).content.decode()

    assert f"Texte accepté : version {FIRST.version}" in page
    assert escape(FIRST.fr[1]) in page and escape(consent.CURRENT.fr[1]) not in page
    assert reverse("migrants:consent_form", args=[old.pk]) in page
    assert "non enregistré" in before_versions


def test_the_printable_consent_form_is_filled_in_with_the_person_and_the_current_text(client, users, office):
    migrant = MigrantFactory(office=office, first_name="Khady", last_name="Badji", consent_version=FIRST.version)
    client.force_login(users["advisor"])

    page = client.get(reverse("migrants:consent_form", args=[migrant.pk])).content.decode()
    blank = client.get(reverse("migrants:consent_form_blank")).content.decode()

    assert "Khady Badji" in page and migrant.file_number in page
    for text in (page, blank):
        assert all(escape(paragraph) in text for paragraph in consent.CURRENT.fr)
        assert text.count('class="signature-line"') == 3
        assert "<script>" not in text.split("<main", 1)[1]
    assert "Khady" not in blank


def test_the_consent_form_of_an_erased_record_is_refused(client, users, office):
    migrant = MigrantFactory(office=office)
    services.migrant_erase(migrant=migrant, erased_by=users["admin"])
    client.force_login(users["advisor"])

    response = client.get(reverse("migrants:consent_form", args=[migrant.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("migrants:detail", args=[migrant.pk])
    assert "Cette fiche est effacée" in response.content.decode()


def test_the_consent_forms_access_matrix(client, users, office):
    migrant = MigrantFactory(office=office)
    own = {"anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 404,
           "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403}

    assert_access_matrix(client, reverse("migrants:consent_form", args=[migrant.pk]), own, users)
    assert_access_matrix(client, reverse("migrants:consent_form_blank"), staff_only(), users)
