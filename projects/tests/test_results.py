"""Results after funding (issue 24, part 1): the schedule of a funded dossier, recording a check,
who may do what, the reminders of overdue checks, the person's data."""
import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hom.notifications.due import due_items
from hom.notifications.models import ReminderKind
from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries, count_queries
from migrants.tests.factories import MigrantFactory
from projects import reminders, services
from projects.funding.models import ApplicationStatus
from projects.funding.services import funding_application_move
from projects.models import DossierStatus
from projects.personal_data import erase_person, export_person
from projects.results.models import ResultCheck
from projects.results.services import result_check_record, result_schedule_create
from projects.tests.funding_factories import FundingApplicationFactory
from projects.tests.results_factories import FundedDossierFactory, ResultCheckFactory

FUNDED_ON = datetime.date(2025, 1, 15)
RECORD = {
    "state": "operating", "jobs_created": "5", "jobs_women": "2", "jobs_youth": "3", "turnover_band": "1m_5m",
    "amount_disbursed": "2 000 000", "amount_repaid": "450 000", "notes": "Le poulailler tourne bien.",
}
SCHEDULE_MATRIX = {
    "anonymous": LOGIN, "superuser": 200, "admin": 200, "advisor": 200, "other_office_advisor": 404,
    "migrant": 200, "other_migrant": 404, "authority": 403, "partner": 403,
}
RECORD_MATRIX = SCHEDULE_MATRIX | {"migrant": 403, "other_migrant": 403}


@pytest.fixture
def funded(promoter, users):
    dossier = FundedDossierFactory(promoter=promoter, advisor=users["advisor"], title="Poulailler de Marsassoum")
    result_schedule_create(dossier=dossier, funded_on=FUNDED_ON, actor=users["admin"])
    return dossier


def _check(dossier, months=12):
    return ResultCheck.objects.get(dossier=dossier, months=months)


# --- The schedule ------------------------------------------------------------------------


def test_the_schedule_falls_3_6_12_and_24_months_after_the_funding_date_and_is_made_once(funded, users):
    again = result_schedule_create(dossier=funded, funded_on=datetime.date(2026, 3, 1), actor=users["admin"])

    assert [(check.months, check.due_on) for check in again] == [
        (3, datetime.date(2025, 4, 15)), (6, datetime.date(2025, 7, 15)),
        (12, datetime.date(2026, 1, 15)), (24, datetime.date(2027, 1, 15)),
    ]
    assert ResultCheck.objects.filter(dossier=funded).count() == 4
    assert _check(funded).history.first().history_user == users["admin"]


def test_a_dossier_not_funded_has_no_schedule(dossier):
    with pytest.raises(ValidationError) as error:
        result_schedule_create(dossier=dossier)

    assert error.value.code == "not_funded"
    assert not ResultCheck.objects.exists()


def test_the_funders_decision_recorded_on_the_dossier_starts_the_schedule(promoter, users):
    dossier = FundedDossierFactory(promoter=promoter, status=DossierStatus.SENT_TO_FUNDER)

    services.dossier_transition(dossier=dossier, actor=users["admin"], to_status=DossierStatus.FUNDED, notify=False)

    today = timezone.localdate()
    assert [check.funded_on for check in ResultCheck.objects.filter(dossier=dossier)] == [today] * 4


def test_an_accepted_application_starts_the_schedule_from_its_decision_date(promoter, users):
    dossier = FundedDossierFactory(promoter=promoter, status=DossierStatus.SENT_TO_FUNDER)
    application = FundingApplicationFactory(
        dossier=dossier, status=ApplicationStatus.SUBMITTED, submitted_on=datetime.date(2025, 1, 2)
    )

    funding_application_move(
        application=application, actor=users["advisor"], to_status=ApplicationStatus.ACCEPTED,
        on=datetime.date(2025, 2, 10), amount=1_000_000,
    )
    # The funder's decision recorded on the dossier afterwards keeps the dates of the first grant.
    services.dossier_transition(dossier=dossier, actor=users["admin"], to_status=DossierStatus.FUNDED, notify=False)

    assert _check(dossier, 3).due_on == datetime.date(2025, 5, 10)
    assert ResultCheck.objects.filter(dossier=dossier).count() == 4


# --- Recording a check -----------------------------------------------------------------


def test_an_advisor_of_the_office_records_a_check_and_the_history_says_who(funded, users):
    check = result_check_record(
        check=_check(funded), actor=users["advisor"], state="paused", jobs_created=3, jobs_women=1, jobs_youth=2,
        amount_disbursed=1_000_000, amount_repaid=0, notes="  Saison des pluies.  ",
    )

    check.refresh_from_db()
    assert (check.state, check.jobs_created, check.notes, check.recorded_by) == ("paused", 3, "Saison des pluies.", users["advisor"])
    assert check.recorded_at is not None
    assert check.history.first().history_user == users["advisor"]


@pytest.mark.parametrize("name", ["migrant", "other_office_advisor", "authority", "partner"])
def test_nobody_but_the_offices_staff_records_a_check(funded, users, name):
    with pytest.raises(PermissionDenied):
        result_check_record(check=_check(funded), actor=users[name], state="operating")

    assert not _check(funded).is_recorded


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"state": ""}, "state"),
        ({"state": "operating", "jobs_created": 2, "jobs_women": 3}, "__all__"),
        ({"state": "operating", "jobs_created": 2, "jobs_youth": 3}, "__all__"),
        ({"state": "operating", "amount_disbursed": 100, "amount_repaid": 200}, "__all__"),
        ({"state": "operating", "jobs_women": 1}, "jobs_created"),
        ({"state": "operating", "amount_disbursed": 10**13}, "amount_disbursed"),
        ({"state": "operating", "jobs_created": 40_000}, "jobs_created"),
    ],
)
def test_an_impossible_check_is_refused_with_a_message(funded, users, fields, field):
    with pytest.raises(ValidationError) as error:
        result_check_record(check=_check(funded), actor=users["advisor"], **fields)

    assert field in error.value.message_dict
    assert not _check(funded).is_recorded


# --- Pages ------------------------------------------------------------------------------


def test_the_schedule_page_answers_the_promoter_and_the_offices_staff(client, users, funded):
    assert_access_matrix(client, reverse("projects:results", args=[funded.pk]), SCHEDULE_MATRIX, users)


def test_the_record_page_answers_only_the_offices_staff(client, users, funded):
    url = reverse("projects:result_record", args=[funded.pk, _check(funded).pk])

    assert_access_matrix(client, url, RECORD_MATRIX, users)
    posted = RECORD_MATRIX | {"superuser": 302, "admin": 302, "advisor": 302}
    assert_access_matrix(client, url, posted, users, method="post", data=RECORD)


def test_a_check_of_another_dossier_is_not_reached_through_this_one(client, users, funded, office):
    other = FundedDossierFactory(promoter=MigrantFactory(office=office))
    result_schedule_create(dossier=other, funded_on=FUNDED_ON)
    client.force_login(users["advisor"])

    response = client.post(reverse("projects:result_record", args=[funded.pk, _check(other).pk]), RECORD)

    assert response.status_code == 404
    assert not _check(other).is_recorded


def test_the_promoter_reads_the_schedule_but_gets_no_button_to_record(client, users, funded):
    result_check_record(check=_check(funded, 3), actor=users["advisor"], state="operating", jobs_created=2)
    client.force_login(users["migrant"])

    text = client.get(reverse("projects:detail", args=[funded.pk])).content.decode()

    assert text.count('data-testid="result-check"') == 4
    assert 'data-testid="record-check"' not in text
    assert "Exploitation" in text or "En activité" in text or "Operating" in text


def test_the_advisor_records_a_check_from_the_form_and_the_dossier_page_shows_it(client, users, funded):
    client.force_login(users["advisor"])
    url = reverse("projects:result_record", args=[funded.pk, _check(funded).pk])

    response = client.post(url, RECORD, follow=True)

    check = _check(funded)
    assert (check.jobs_created, check.amount_disbursed, check.amount_repaid) == (5, 2_000_000, 450_000)
    assert response.redirect_chain[-1][0] == reverse("projects:results", args=[funded.pk])
    page = client.get(reverse("projects:detail", args=[funded.pk])).content.decode()
    assert 'data-months="12" data-recorded="yes"' in page
    assert "Le poulailler tourne bien." in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount_repaid": "45,5"}, "amount_repaid"),
        ({"jobs_created": "beaucoup"}, "jobs_created"),
        ({"jobs_women": "9"}, None),
        ({"state": "vanished"}, "state"),
        ({"jobs_created": "99999"}, "jobs_created"),
    ],
)
def test_bad_input_on_the_form_gets_a_message_not_an_error(client, users, funded, change, field):
    client.force_login(users["advisor"])

    response = client.post(reverse("projects:result_record", args=[funded.pk, _check(funded).pk]), RECORD | change)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] if field else form.non_field_errors()
    assert not _check(funded).is_recorded


def test_the_schedule_page_costs_the_same_whatever_the_checks_recorded(client, users, funded):
    client.force_login(users["advisor"])
    checks = list(ResultCheck.objects.filter(dossier=funded))

    def make_rows(count):
        for check in checks[:count]:
            result_check_record(check=check, actor=users["advisor"], state="operating", jobs_created=1)

    response = assert_constant_queries(client, reverse("projects:results", args=[funded.pk]), make_rows=make_rows)

    assert response.content.decode().count('data-recorded="yes"') == 4


def test_a_funded_dossiers_page_stays_within_its_ten_queries(client, users, funded):
    client.force_login(users["advisor"])
    url = reverse("projects:detail", args=[funded.pk])
    client.get(url)  # caches warm, as the budget of every page is measured (hom.testing.queries)

    queries, response = count_queries(client, url)

    assert queries <= 10
    text = response.content.decode()
    assert text.count('data-testid="record-check"') == 4
    # The results take the place of the best programmes; the whole catalogue is one link away.
    assert "matches" not in response.context
    assert reverse("projects:funding", args=[funded.pk]) in text


# --- Reminders --------------------------------------------------------------------------


def _result_items(today, recipient=None):
    """The result checks' reminders, read by the dossiers' provider (one query for both)."""
    return [
        item for item in reminders.dossiers_waiting(today, None, recipient=recipient)
        if item.kind == ReminderKind.RESULT_CHECK
    ]


@time_machine.travel(datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC))
def test_the_oldest_overdue_check_is_due_to_the_advisor_until_recorded_then_the_next(funded, users):
    today = timezone.localdate()

    first = _result_items(today, users["advisor"])
    result_check_record(check=_check(funded, 3), actor=users["advisor"], state="operating")
    second = _result_items(today, users["advisor"])
    for months in (6, 12):
        result_check_record(check=_check(funded, months), actor=users["advisor"], state="operating")

    assert [(item.object_key, item.due_on, item.recipient_id) for item in first] == [
        (f"projects.result_check:{_check(funded, 3).pk}", datetime.date(2025, 4, 15), users["advisor"].pk),
    ]
    assert [item.object_key for item in second] == [f"projects.result_check:{_check(funded, 6).pk}"]
    assert second[0].url == reverse("projects:results", args=[funded.pk]) + "#check-6"
    assert _result_items(today, users["advisor"]) == []  # the 24-month check is not due yet
    assert not _result_items(today, users["other_office_advisor"])
    assert due_items(today=today, recipient=users["advisor"]) == []


@time_machine.travel(datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC))
def test_a_check_of_a_dossier_without_advisor_goes_to_the_office_admins(promoter, users):
    dossier = FundedDossierFactory(promoter=promoter)
    result_schedule_create(dossier=dossier, funded_on=FUNDED_ON)
    today = timezone.localdate()

    everyone = _result_items(today)

    assert {item.recipient_id for item in everyone} == {users["admin"].pk}
    assert _result_items(today, users["admin"]) == everyone
    assert not _result_items(today, users["advisor"])


@time_machine.travel(datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC))
def test_the_reminders_cost_the_same_at_2_and_20_checks(users, office, django_assert_num_queries):
    def run():
        with django_assert_num_queries(2):
            return _result_items(timezone.localdate())

    for _index in range(2):
        ResultCheckFactory(dossier=FundedDossierFactory(promoter=MigrantFactory(office=office)))
    assert len(run()) == 2
    for _index in range(18):
        ResultCheckFactory(dossier=FundedDossierFactory(promoter=MigrantFactory(office=office)))
    assert len(run()) == 20


# --- The person's data ------------------------------------------------------------------


def test_the_checks_are_exported_and_their_notes_erased_with_the_dossier(funded, users, promoter):
    result_check_record(check=_check(funded), actor=users["advisor"], state="closed", notes="Le gérant est parti.")

    staff_export = export_person(migrant=promoter, staff=True)["dossiers"][0]["result_checks"]
    own_export = export_person(migrant=promoter, staff=False)["dossiers"][0]["result_checks"]
    erase_person(migrant=promoter, account=None)

    assert [check["months"] for check in staff_export] == [3, 6, 12, 24]
    assert staff_export[2]["notes"] == "Le gérant est parti."
    assert "notes" not in own_export[2]
    check = _check(funded)
    assert check.notes == "" and check.state == "closed"
    assert not check.history.exclude(notes="").exists()


def test_staff_reading_a_follow_up_is_written_to_the_access_log(client, users, funded):
    from migrants.models import PersonAccess

    client.force_login(users["advisor"])
    client.get(reverse("projects:results", args=[funded.pk]))
    client.get(reverse("projects:result_record", args=[funded.pk, _check(funded).pk]))

    logged = PersonAccess.objects.filter(user=users["advisor"], migrant=funded.promoter, object_id=funded.pk)
    assert logged.count() == 2
