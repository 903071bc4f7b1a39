"""Transfers and duplicates across offices (issue 24, part 6): who may, what moves, what the other office never sees."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.testing.access import assert_access_matrix, staff_only
from hom.testing.queries import assert_constant_queries, count_queries
from migrants.models import Transfer, TransferState
from migrants.transfers import services
from projects.models import DossierStatus
from projects.tests.factories import DossierFactory

from .factories import MigrantFactory, VisitFactory

ADMIN_ONLY = {**staff_only(advisor=403, other_office_advisor=403)}


@pytest.fixture
def kolda_admin(other_office):
    return UserFactory(role=Role.ADMIN, office=other_office, email="admin.kolda@example.sn")


@pytest.fixture
def person(office, sedhiou):
    return MigrantFactory(office=office, first_name="Ousmane", last_name="Sagna", birth_year=1988,
                          commune_of_origin=sedhiou, phone="+221771112233", email="ousmane@example.sn")


def _transfer(client, person, to_office, reason="Déménage à Kolda"):
    return client.post(reverse("migrants:transfer_create", args=[person.pk]), {"to_office": to_office.pk, "reason": reason})


def test_the_admin_transfers_a_person_with_their_open_dossiers_and_both_admins_see_it(
    client, users, person, other_office, office, kolda_admin
):
    open_dossier = DossierFactory(promoter=person, status=DossierStatus.IN_REVIEW, submitted_at=timezone.now())
    closed_dossier = DossierFactory(promoter=person, status=DossierStatus.CLOSED, submitted_at=timezone.now())
    visit = VisitFactory(migrant=person)
    client.force_login(users["admin"])

    response = _transfer(client, person, other_office)

    assert response.status_code == 302
    person.refresh_from_db()
    open_dossier.refresh_from_db()
    closed_dossier.refresh_from_db()
    visit.refresh_from_db()
    assert person.office == other_office
    assert open_dossier.office == other_office
    assert closed_dossier.office == office  # decided where it was decided
    assert visit.office == office  # counted where it was made
    sent = client.get(reverse("migrants:transfer_list")).content.decode()
    assert "Sagna" in sent and "Bureau de Kolda" in sent and "Déménage à Kolda" in sent
    assert client.get(person.get_absolute_url()).status_code == 404  # no longer theirs

    client.force_login(kolda_admin)
    received = client.get(reverse("migrants:transfer_list")).content.decode()
    assert "Sagna" in received and "Bureau de Sédhiou" in received
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Transféré vers Bureau de Kolda" in page and "Bureau de Sédhiou" in page


def test_transfer_pages_access_matrix(client, users, person, other_office):
    assert_access_matrix(client, reverse("migrants:transfer_list"), ADMIN_ONLY, users)
    assert_access_matrix(client, reverse("migrants:transfer_create", args=[person.pk]), ADMIN_ONLY, users)
    assert_access_matrix(client, reverse("migrants:transfer_request"), {**staff_only(), "superuser": 302,
                         "admin": 302, "advisor": 302, "other_office_advisor": 302}, users, method="post")
    request = Transfer.objects.create(migrant=person, from_office=person.office, to_office=other_office,
                                      state=TransferState.REQUESTED)
    decide = {**ADMIN_ONLY, "superuser": 302, "admin": 302}
    assert_access_matrix(client, reverse("migrants:transfer_decide", args=[request.pk]), decide, users, method="post",
                         data={"decision": "refuse"})


def test_an_advisor_cannot_transfer(client, users, person, other_office):
    client.force_login(users["advisor"])
    assert _transfer(client, person, other_office).status_code == 403
    person.refresh_from_db()
    assert person.office_id != other_office.pk


def test_a_forged_transfer_of_another_offices_person_is_404(client, kolda_admin, person, other_office, office):
    client.force_login(kolda_admin)
    assert _transfer(client, person, other_office).status_code == 404
    assert client.get(reverse("migrants:transfer_create", args=[person.pk])).status_code == 404
    person.refresh_from_db()
    assert person.office == office and not Transfer.objects.exists()


def test_bad_input_is_refused_with_a_message(client, users, person, office):
    client.force_login(users["admin"])
    no_reason = _transfer(client, person, office, reason="  ")
    same_office = client.post(reverse("migrants:transfer_create", args=[person.pk]), {"to_office": office.pk, "reason": "x"})
    forged_office = client.post(reverse("migrants:transfer_create", args=[person.pk]), {"to_office": "999999", "reason": "x"})
    for response in (no_reason, same_office, forged_office):
        assert response.status_code == 200
        assert "invalid-feedback" in response.content.decode() or "alert-danger" in response.content.decode()
    assert not Transfer.objects.exists()


def _registration(sedhiou):
    return {"first_name": "Ousmane", "last_name": "Sagna", "sex": "M", "birth_year": "1988", "situation": "in_senegal",
            "consent_processing": "on", "commune_of_origin": sedhiou.pk, "phone": "77 111 22 33"}


def _notice(page: str) -> str:
    return page.split('data-testid="known-elsewhere"')[1].split('<form method="post" novalidate')[0]


def test_a_duplicate_at_another_office_is_known_by_the_office_name_only(client, users, person, other_office, sedhiou):
    client.force_login(users["other_office_advisor"])

    live = client.post(reverse("migrants:duplicate_check"), _registration(sedhiou)).content.decode()
    on_save = client.post(reverse("migrants:create"), _registration(sedhiou)).content.decode()

    for page in (live, on_save):
        notice = _notice(page)
        assert "Bureau de Sédhiou" in notice
        for detail in ("Ousmane", "Sagna", "771112233", person.file_number, "ousmane@example.sn", f"/migrants/{person.pk}/",
                       f'value="{person.pk}"'):
            assert detail not in notice
    assert "Sagna" not in live  # the live notice is the notice only
    assert not person.pk == 0 and Transfer.objects.count() == 0


def test_the_requesting_office_asks_and_the_holding_office_accepts_once(
    client, users, person, other_office, kolda_admin, sedhiou
):
    client.force_login(users["other_office_advisor"])
    live = client.post(reverse("migrants:duplicate_check"), _registration(sedhiou)).content.decode()
    token = live.split('name="token" value="')[1].split('"')[0]

    asked = client.post(reverse("migrants:transfer_request"), {"token": token})
    client.post(reverse("migrants:transfer_request"), {"token": token})  # twice: one request

    assert asked.status_code == 302
    request = Transfer.objects.get()
    assert request.state == TransferState.REQUESTED and request.to_office == other_office
    client.force_login(kolda_admin)
    theirs = client.get(reverse("migrants:transfer_list")).content.decode()
    assert "Sagna" not in theirs and person.file_number not in theirs and "Bureau de Sédhiou" in theirs
    # The requesting office cannot accept its own request, nor open the person.
    assert client.post(reverse("migrants:transfer_decide", args=[request.pk]), {"decision": "accept"}).status_code == 404
    assert client.get(person.get_absolute_url()).status_code == 404

    client.force_login(users["admin"])
    assert "Sagna" in client.get(reverse("migrants:transfer_list")).content.decode()
    first = client.post(reverse("migrants:transfer_decide", args=[request.pk]), {"decision": "accept"}, follow=True)
    second = client.post(reverse("migrants:transfer_decide", args=[request.pk]), {"decision": "refuse"}, follow=True)

    request.refresh_from_db()
    person.refresh_from_db()
    assert request.state == TransferState.DONE and person.office == other_office
    assert "déjà" in second.content.decode() and first.status_code == 200
    assert request.history.count() == 2  # requested, then done: nothing twice
    client.force_login(kolda_admin)
    assert client.get(person.get_absolute_url()).status_code == 200


def test_a_refused_request_leaves_the_person_and_a_forged_token_is_refused(client, users, person, office, kolda_admin):
    client.force_login(kolda_admin)
    forged = client.post(reverse("migrants:transfer_request"), {"token": f"{person.pk}"}, follow=True)
    assert "plus valable" in forged.content.decode() and not Transfer.objects.exists()
    # A token made for another office is refused.
    token = services.request_token(migrant=person, office=office)
    client.post(reverse("migrants:transfer_request"), {"token": token})
    assert not Transfer.objects.exists()

    token = services.request_token(migrant=person, office=kolda_admin.office)
    client.post(reverse("migrants:transfer_request"), {"token": token})
    client.force_login(users["admin"])
    request = Transfer.objects.get()
    client.post(reverse("migrants:transfer_decide", args=[request.pk]), {"decision": "refuse"})
    request.refresh_from_db()
    person.refresh_from_db()
    assert request.state == TransferState.REFUSED and person.office == office


def test_the_list_has_constant_queries(client, users, office, other_office, sedhiou):
    client.force_login(users["admin"])

    def make_rows(count):
        for _ in range(count):
            migrant = MigrantFactory(office=office, last_name="Relecture")
            services.transfer_make(migrant=migrant, to_office=other_office, made_by=users["admin"], reason="Déménage")

    response = assert_constant_queries(client, reverse("migrants:transfer_list"), make_rows=make_rows)
    assert response.content.decode().count("Relecture") == 20
    assert count_queries(client, reverse("migrants:transfer_list"))[0] <= 10


def test_open_follow_ups_go_with_the_person_and_are_owed_by_the_new_office(
    client, users, person, other_office, office, kolda_admin
):
    from hom.notifications.due import due_items

    today = timezone.localdate()
    kolda_advisor = users["other_office_advisor"]
    promised = VisitFactory(migrant=person, advisor=users["advisor"], follow_up_advisor=users["advisor"],
                            follow_up_on=today - timedelta(days=2), notes="Rappeler pour le titre de séjour")
    done = VisitFactory(migrant=person, advisor=users["advisor"], follow_up_on=today - timedelta(days=9),
                        follow_up_done=True)
    assert [item.recipient_id for item in due_items(today=today)] == [users["advisor"].pk]
    client.force_login(users["admin"])
    _transfer(client, person, other_office)

    promised.refresh_from_db()
    assert promised.office == office and promised.follow_up_advisor is None  # the visit stays; the promise moves
    # The old office no longer lists it, nor counts it, nor may close it.
    client.force_login(users["advisor"])
    assert "Sagna" not in client.get(reverse("migrants:follow_ups")).content.decode()
    assert client.post(reverse("migrants:follow_up_done", args=[promised.pk])).status_code == 404
    assert due_items(today=today, office=office) == []
    # The new office sees it; once it names the person's advisor, the reminder goes to them.
    client.force_login(kolda_advisor)
    assert "Sagna" in client.get(reverse("migrants:follow_ups")).content.decode()
    person.refresh_from_db()
    person.advisor = kolda_advisor
    person.save()
    assert [item.recipient_id for item in due_items(today=today, office=other_office)] == [kolda_advisor.pk]
    assert [item.recipient_id for item in due_items(today=today, office=other_office, recipient=kolda_advisor)] == [
        kolda_advisor.pk]
    assert due_items(today=today, recipient=users["advisor"]) == []
    response = client.post(reverse("migrants:follow_up_done", args=[promised.pk]))
    assert response.status_code == 302
    promised.refresh_from_db()
    assert promised.follow_up_done and promised.history.first().history_user == kolda_advisor
    # The old office's visit that was done: the new office may say so again, it changes nothing.
    assert client.post(reverse("migrants:follow_up_done", args=[done.pk])).status_code == 302
    assert done.history.count() == 1
