"""The demo's meetings and events: a steering committee with two actions (one overdue), the next meeting,
the case study's forums and the training where migrant@demo.hom is registered; seeding twice adds nothing."""
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hom.accounts import demo as accounts_demo
from hom.accounts.models import Office, User
from partnerships.events.demo import DEMO_CONVENTION_TITLE, TRAINING_TITLE
from partnerships.events.models import ActionItem, Event, EventKind, Meeting
from partnerships.events.selectors import convention_meetings_panel
from partnerships.tests.event_factories import convention_with_party


def test_the_demo_seeds_meetings_actions_and_events_once(db, client):
    accounts_demo.seed()
    # The conventions demo makes this convention; made here too so that this test stands on its own.
    convention = convention_with_party(Office.objects.get(code="SED"), title=DEMO_CONVENTION_TITLE)

    call_command("seed_demo")
    call_command("seed_demo")

    today = timezone.localdate()
    panel = convention_meetings_panel(convention)
    assert Meeting.objects.filter(convention=convention).count() == 2
    assert panel["last_meeting"].minutes and panel["last_meeting"].decisions
    assert panel["next_meeting"].held_at > timezone.now()
    assert [action.is_overdue for action in panel["open_actions"]] == [True, False]
    assert {action.owner.email for action in ActionItem.objects.filter(convention=convention)} == {
        "conseiller@demo.hom", "admin@demo.hom",
    }
    forums = Event.objects.filter(office__code="SED", kind=EventKind.FORUM)
    assert sorted(forums.values_list("country", flat=True)) == ["BR", "ES", "FR"]
    assert all(forum.starts_on < today for forum in forums)
    training = Event.objects.get(title=TRAINING_TITLE)
    assert training.registration_open and training.starts_on > today
    assert training.participants.get().migrant.user.email == "migrant@demo.hom"

    client.force_login(User.objects.get(email="migrant@demo.hom"))
    page = client.get(reverse("partnerships:training_list")).content.decode()
    assert TRAINING_TITLE in page
