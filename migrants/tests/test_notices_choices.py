"""The person's channel choices and the verified phone (migrants/notices, issue 22)."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from migrants import services as registry_services
from migrants.models import ContactChoice
from migrants.notices import services
from migrants.tests.factories import MigrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(office, users):
    return MigrantFactory(office=office, user=users["migrant"], phone="+221771234567")


def test_choosing_a_channel_records_the_consent_date_and_who(person, users):
    choice = services.contact_choice_set(migrant=person, by=users["advisor"], email=True, sms=True, whatsapp=False)
    assert choice.channels() == ["in_app", "email", "sms"]
    assert choice.consent_on == timezone.localdate()
    assert choice.recorded_by == users["advisor"]
    assert choice.history.count() == 1


def test_dropping_every_channel_clears_the_consent(person, users):
    services.contact_choice_set(migrant=person, by=users["migrant"], email=True, sms=False, whatsapp=False)
    choice = services.contact_choice_set(migrant=person, by=users["migrant"], email=False, sms=False, whatsapp=False)
    assert choice.consent_on is None


def test_sms_needs_a_phone(office, users):
    no_phone = MigrantFactory(office=office, user=users["migrant"])
    with pytest.raises(ValidationError) as error:
        services.contact_choice_set(migrant=no_phone, by=users["migrant"], email=False, sms=True, whatsapp=False)
    assert "sms" in error.value.message_dict
    assert not ContactChoice.objects.filter(migrant=no_phone).exists()


def test_email_needs_an_address(office):
    no_email = MigrantFactory(office=office, phone="+221771234567")
    with pytest.raises(ValidationError) as error:
        services.contact_choice_set(migrant=no_email, by=None, email=True, sms=False, whatsapp=False)
    assert "email" in error.value.message_dict


def test_phone_mark_verified_for_a_new_person_chooses_sms(person):
    choice = services.phone_mark_verified(migrant=person, phone=person.phone)
    assert choice.phone_verified == "+221771234567"
    assert choice.sms and choice.consent_on == timezone.localdate()
    assert choice.verified_for(person.phone)


def test_phone_mark_verified_keeps_a_choice_already_made(person, users):
    services.contact_choice_set(migrant=person, by=users["migrant"], email=True, sms=False, whatsapp=False)
    choice = services.phone_mark_verified(migrant=person, phone=person.phone)
    assert choice.phone_verified and not choice.sms


def test_a_changed_phone_is_no_longer_verified(person, users):
    services.phone_mark_verified(migrant=person, phone=person.phone)
    registry_services.migrant_update(migrant=person, changed_by=users["migrant"], phone="+221770000001")
    choice = ContactChoice.objects.get(migrant=person)
    assert choice.phone_verified == ""
    assert not choice.verified_for(person.phone)


def test_an_unchanged_phone_stays_verified(person, users):
    services.phone_mark_verified(migrant=person, phone=person.phone)
    registry_services.migrant_update(migrant=person, changed_by=users["migrant"], occupation="Menuisier")
    assert ContactChoice.objects.get(migrant=person).phone_verified == "+221771234567"


def test_erasure_removes_the_choices_and_their_history(person, users):
    services.phone_mark_verified(migrant=person, phone=person.phone)
    registry_services.migrant_erase(migrant=person, erased_by=users["admin"])
    assert not ContactChoice.objects.filter(migrant=person).exists()
    assert not ContactChoice.history.filter(migrant_id=person.pk).exists()


def test_merge_keeps_the_survivors_choice(office, users, person):
    duplicate = MigrantFactory(office=office, phone="+221779999999")
    services.phone_mark_verified(migrant=person, phone=person.phone)
    services.phone_mark_verified(migrant=duplicate, phone=duplicate.phone)
    registry_services.migrant_merge(survivor=person, duplicate=duplicate, merged_by=users["admin"])
    assert ContactChoice.objects.get(migrant=person).phone_verified == "+221771234567"
    assert ContactChoice.objects.count() == 1


def test_the_demo_migrant_chose_sms_on_a_verified_phone(db):
    from hom.accounts import demo as accounts_demo
    from migrants import demo

    accounts_demo.seed()
    demo.seed()
    demo.seed()

    choice = ContactChoice.objects.get(migrant__user__email="migrant@demo.hom")
    assert choice.sms and choice.consent_on is not None
    assert choice.verified_for(choice.migrant.phone)
    assert ContactChoice.objects.count() == 1


def test_the_person_page_links_to_the_messages_sent_which_the_channels_page_lists(client, users, office):
    from django.urls import reverse

    from hom.messaging.services import message_enqueue

    migrant = MigrantFactory(office=office, phone="+221771234567")
    message_enqueue(key="notice:test", channel="sms", to=migrant.phone, body="Bonjour",
                    person_key=f"migrants.migrant:{migrant.pk}", office=office)
    client.force_login(users["advisor"])

    person_page = client.get(migrant.get_absolute_url()).content.decode()
    channels_page = client.get(reverse("migrants:channels", args=[migrant.pk])).content.decode()

    assert 'data-testid="sent-messages-link"' in person_page and 'data-testid="sent-messages"' not in person_page
    assert 'data-testid="sent-messages"' in channels_page and "567" in channels_page
