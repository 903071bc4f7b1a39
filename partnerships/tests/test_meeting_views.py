from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hom.testing.access import assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries
from partnerships.events.models import ActionItem, Meeting
from partnerships.events.selectors import convention_meetings_panel
from partnerships.tests.convention_factories import ActionItemFactory, ConventionFactory, MeetingFactory
from partnerships.tests.event_factories import convention_with_party


@pytest.fixture
def convention(office, partner_organisation):
    """A convention of the office to which the `partner` user's organisation is party."""
    return convention_with_party(office, partner_organisation, title="Convention ARD – Grdr")


@pytest.fixture
def meeting(convention):
    return MeetingFactory(convention=convention, place="ARD Sédhiou", minutes="Le comité a examiné le plan.")


def _readers(partner=200, **staff):
    """Staff of the office and partner users of a party read; others are out."""
    return {**staff_only(other_office_advisor=404, **staff), "partner": partner}


def test_access_to_the_meetings_of_a_convention(client, users, convention):
    assert_access_matrix(client, reverse("partnerships:meeting_list", args=[convention.pk]), _readers(), users)


def test_a_partner_not_party_gets_404_on_the_meetings(client, users, office):
    convention = convention_with_party(office)
    meeting = MeetingFactory(convention=convention)
    client.force_login(users["partner"])

    assert client.get(reverse("partnerships:meeting_list", args=[convention.pk])).status_code == 404
    assert client.get(reverse("partnerships:meeting_detail", args=[meeting.pk])).status_code == 404


def test_access_to_a_meeting(client, users, meeting):
    assert_access_matrix(client, reverse("partnerships:meeting_detail", args=[meeting.pk]), _readers(), users)


def test_access_to_the_new_meeting_form(client, users, convention):
    url = reverse("partnerships:meeting_create", args=[convention.pk])
    assert_access_matrix(client, url, staff_only(other_office_advisor=404), users)


def test_access_to_the_meeting_edit_form(client, users, meeting):
    url = reverse("partnerships:meeting_edit", args=[meeting.pk])
    assert_access_matrix(client, url, staff_only(other_office_advisor=404), users)


def test_access_to_the_new_action_form(client, users, meeting):
    url = reverse("partnerships:action_add", args=[meeting.pk])
    assert_access_matrix(client, url, staff_only(other_office_advisor=404), users)


def test_access_to_the_action_toggle(client, users, meeting):
    action = ActionItemFactory(meeting=meeting)
    expected = staff_only(admin=302, advisor=302, superuser=302, other_office_advisor=404)
    assert_access_matrix(client, reverse("partnerships:action_toggle", args=[action.pk]), expected, users,
                         method="post")


def test_access_to_the_open_actions(client, users):
    assert_access_matrix(client, reverse("partnerships:action_list"), staff_only(), users)


def test_staff_record_a_meeting(client, users, convention, partner_organisation):
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:meeting_create", args=[convention.pk]), {
        "held_at": "2026-11-20T10:00", "place": "ARD Sédhiou", "organisations": [partner_organisation.pk],
        "attendees": "Mme Diatta, ARD", "agenda": "Bilan", "minutes": "Le plan est validé.",
        "decisions": "Prochaine réunion en février.",
    })

    meeting = Meeting.objects.get(convention=convention)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.created_by == users["advisor"]
    assert list(meeting.organisations.all()) == [partner_organisation]


def test_the_meeting_form_keeps_what_was_typed_when_the_place_is_missing(client, users, convention):
    client.force_login(users["advisor"])

    response = client.post(reverse("partnerships:meeting_create", args=[convention.pk]), {
        "held_at": "2026-11-20T10:00", "minutes": "Compte rendu détaillé",
    })

    assert response.status_code == 200
    assert "Compte rendu détaillé" in response.content.decode()
    assert "is-invalid" in response.content.decode()
    assert not Meeting.objects.exists()


def test_staff_edit_a_meeting(client, users, meeting):
    client.force_login(users["admin"])

    response = client.post(reverse("partnerships:meeting_edit", args=[meeting.pk]), {
        "held_at": "2026-11-20T10:00", "is_remote": "on", "decisions": "Recruter un animateur.",
    })

    meeting.refresh_from_db()
    assert response.status_code == 302, response.context["form"].errors
    assert meeting.is_remote and meeting.decisions == "Recruter un animateur."


def test_staff_add_an_action_and_a_wrong_owner_is_refused(client, users, meeting):
    client.force_login(users["advisor"])
    url = reverse("partnerships:action_add", args=[meeting.pk])

    good = client.post(url, {"description": "Envoyer le compte rendu", "owner": users["advisor"].pk,
                             "due_on": "2026-12-04"})
    wrong = client.post(url, {"description": "Hors bureau", "owner": users["other_office_advisor"].pk,
                              "due_on": "2026-12-04"})

    assert good.status_code == 302
    assert wrong.status_code == 200 and "Hors bureau" in wrong.content.decode()
    assert list(ActionItem.objects.values_list("description", flat=True)) == ["Envoyer le compte rendu"]


def test_a_meeting_with_two_actions_shows_both_and_the_overdue_one(client, users, meeting):
    today = timezone.localdate()
    ActionItemFactory(
        meeting=meeting, description="Transmettre la liste des porteurs", due_on=today - timedelta(days=5)
    )
    ActionItemFactory(meeting=meeting, description="Préparer le forum", due_on=today + timedelta(days=7),
                      owner=users["advisor"])
    client.force_login(users["partner"])

    page = client.get(reverse("partnerships:meeting_detail", args=[meeting.pk])).content.decode()

    assert "Transmettre la liste des porteurs" in page and "Préparer le forum" in page
    assert page.count('data-testid="action"') == 2
    assert "list-group-item-danger" in page
    assert "Le comité a examiné le plan." in page
    # A partner reads: no button to change anything.
    assert reverse("partnerships:action_toggle", args=[meeting.actions.first().pk]) not in page


def test_staff_mark_an_action_done_with_htmx_and_undo(client, users, meeting):
    action = ActionItemFactory(meeting=meeting, due_on=timezone.localdate() - timedelta(days=1))
    client.force_login(users["advisor"])
    url = reverse("partnerships:action_toggle", args=[action.pk])

    done = client.post(url, headers={"HX-Request": "true"})
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    assert f'id="action-{action.pk}"' in done.content.decode()
    assert "text-bg-success" in done.content.decode()
    assert "<html" not in done.content.decode()

    client.post(url, {"next": reverse("partnerships:action_list")})
    action.refresh_from_db()
    assert action.done_on is None


def test_the_open_actions_list_overdue_first_and_filters_by_convention(client, users, office, meeting):
    today = timezone.localdate()
    ActionItemFactory(meeting=meeting, description="Plus tard", due_on=today + timedelta(days=10))
    ActionItemFactory(meeting=meeting, description="En retard", due_on=today - timedelta(days=2))
    ActionItemFactory(meeting=meeting, description="Faite", due_on=today, done_on=today)
    other = MeetingFactory(convention=ConventionFactory(office=office))
    ActionItemFactory(meeting=other, description="Autre convention", due_on=today)
    client.force_login(users["advisor"])

    everything = client.get(reverse("partnerships:action_list")).content.decode()
    filtered = client.get(reverse("partnerships:action_list"), {"convention": meeting.convention_id}).content.decode()

    assert everything.index("En retard") < everything.index("Autre convention") < everything.index("Plus tard")
    assert "Faite" not in everything
    assert "Autre convention" not in filtered and "En retard" in filtered


def test_the_open_actions_filter_by_owner(client, users, meeting):
    ActionItemFactory(meeting=meeting, description="À moi", owner=users["advisor"])
    ActionItemFactory(meeting=meeting, description="À l'admin", owner=users["admin"])
    client.force_login(users["advisor"])

    page = client.get(reverse("partnerships:action_list"), {"owner": users["advisor"].pk}).content.decode()

    assert "À moi" in page and "À l&#x27;admin" not in page and "À l'admin" not in page


def test_the_meetings_list_keeps_its_query_count(client, users, convention):
    client.force_login(users["advisor"])

    def make_rows(count):
        for number in range(count):
            ActionItemFactory(meeting=MeetingFactory(convention=convention, place=f"Salle {number}"))

    response = assert_constant_queries(
        client, reverse("partnerships:meeting_list", args=[convention.pk]), make_rows=make_rows
    )
    assert response.content.decode().count("Salle ") == 20


def test_the_open_actions_keep_their_query_count(client, users, meeting):
    client.force_login(users["advisor"])

    def make_rows(count):
        ActionItemFactory.create_batch(count, meeting=meeting, owner=users["advisor"])

    response = assert_constant_queries(client, reverse("partnerships:action_list"), make_rows=make_rows)
    assert response.content.decode().count('data-testid="action"') == 20


def test_the_panel_shows_last_and_next_meeting_and_open_actions(convention):
    now = timezone.now()
    today = timezone.localdate()
    MeetingFactory(convention=convention, held_at=now - timedelta(days=90), place="Ancienne")
    last = MeetingFactory(convention=convention, held_at=now - timedelta(days=10), place="Dernière")
    upcoming = MeetingFactory(convention=convention, held_at=now + timedelta(days=20), place="Prochaine")
    MeetingFactory(convention=convention, held_at=now + timedelta(days=60), place="Plus tard")
    later = ActionItemFactory(meeting=last, due_on=today + timedelta(days=7))
    overdue = ActionItemFactory(meeting=last, due_on=today - timedelta(days=3))
    ActionItemFactory(meeting=last, due_on=today - timedelta(days=30), done_on=today)

    panel = convention_meetings_panel(convention)

    assert panel["last_meeting"] == last
    assert panel["next_meeting"] == upcoming
    assert panel["open_actions"] == [overdue, later]
    assert [action.is_overdue for action in panel["open_actions"]] == [True, False]


def test_the_panel_selector_keeps_its_query_count(convention):
    def count():
        with CaptureQueriesContext(connection) as context:
            convention_meetings_panel(convention)
        return len(context.captured_queries)

    for _number in range(2):
        ActionItemFactory(meeting=MeetingFactory(convention=convention))
    with_two = count()
    for _number in range(18):
        ActionItemFactory(meeting=MeetingFactory(convention=convention))

    assert count() == with_two == 3


def test_the_panel_template_links_the_meetings_and_offers_staff_a_new_one(rf, users, convention):
    from django.template.loader import render_to_string

    meeting = MeetingFactory(convention=convention, held_at=timezone.now() - timedelta(days=3))
    ActionItemFactory(meeting=meeting, description="Relancer le conseil départemental",
                      due_on=timezone.localdate() - timedelta(days=1))
    context = {"convention": convention, "meetings_panel": convention_meetings_panel(convention)}

    template = "partnerships/meetings/_convention_panel.html"
    for_staff = render_to_string(template, {**context, "user": users["advisor"]})
    for_partner = render_to_string(template, {**context, "user": users["partner"]})

    assert meeting.get_absolute_url() in for_staff
    assert "Relancer le conseil départemental" in for_staff
    assert reverse("partnerships:meeting_create", args=[convention.pk]) in for_staff
    assert reverse("partnerships:meeting_create", args=[convention.pk]) not in for_partner
