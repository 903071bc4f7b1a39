"""Property: random text, numbers and dates in the create and edit forms of the registry,
dossiers and budget never give a 500, and every refusal names its field (issue 14).

Each form is posted with values drawn for each of its fields; the test client raises any
exception a view lets through, so "no 500" is checked by the request itself. A non-field
error is allowed only on the forms where it truly is one (the empty walk-in).
"""
import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrants.tests.factories import MigrantFactory
from projects.tests.factories import DossierFactory

SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
text = st.text(max_size=40)
number = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["75.000", "75 000", "7.50", "75,5", "9223372036854775807", "", "0", "1e9"]),
    text,
)
day = st.one_of(
    st.dates().map(lambda value: value.isoformat()),
    st.sampled_from(["2031-02-30", "1901-01-01", "31/12/2099", "", "demain"]),
    text,
)
moment = st.one_of(day.map(lambda value: f"{value}T10:00"), day)


def _refusals_name_their_fields(response, form_name="form", non_field_allowed=False):
    if response.status_code != 200 or response.context is None:
        return
    form = response.context.get(form_name)
    if form is None or not form.errors:
        return
    for field in form.errors:
        if field == NON_FIELD_ERRORS:
            assert non_field_allowed, form.errors
        else:
            assert field in form.fields, field


@pytest.fixture
def staff_client(client, users):
    client.force_login(users["advisor"])
    return client


@SETTINGS
@given(first_name=text, last_name=text, birth_year=number, phone=text, email=text)
def test_person_registration(staff_client, first_name, last_name, birth_year, phone, email):
    response = staff_client.post(reverse("migrants:create"), {
        "first_name": first_name, "last_name": last_name, "birth_year": birth_year, "phone": phone, "email": email,
        "situation": "returned", "consent_processing": "on", "not_a_duplicate": "on",
    })
    assert response.status_code in (200, 302)
    _refusals_name_their_fields(response)


@SETTINGS
@given(birth_date=day, birth_year=number, departure_year=number, return_year=number, first_name=text)
def test_person_edit(staff_client, office, birth_date, birth_year, departure_year, return_year, first_name):
    person = MigrantFactory(office=office)
    response = staff_client.post(reverse("migrants:edit", args=[person.pk]), {
        "first_name": first_name, "last_name": "Sagna", "situation": "returned", "birth_date": birth_date,
        "birth_year": birth_year, "departure_year": departure_year, "return_year": return_year,
    })
    assert response.status_code in (200, 302)
    _refusals_name_their_fields(response)


@SETTINGS
@given(occurred_at=moment, follow_up_on=day, notes=text, place=text)
def test_visit(staff_client, office, occurred_at, follow_up_on, notes, place):
    person = MigrantFactory(office=office)
    response = staff_client.post(reverse("migrants:visit_create", args=[person.pk]), {
        "occurred_at": occurred_at, "channel": "office", "follow_up_on": follow_up_on, "notes": notes, "place": place,
    })
    assert response.status_code in (200, 302)
    _refusals_name_their_fields(response)


@SETTINGS
@given(sex=st.sampled_from(["", "F", "M", "X"]), age_group=st.sampled_from(["", "25_34", "?"]), commune=number)
def test_walk_in(staff_client, sex, age_group, commune):
    response = staff_client.post(reverse("migrants:walk_in_create"), {"sex": sex, "age_group": age_group, "commune": commune})
    assert response.status_code in (200, 302)
    _refusals_name_their_fields(response, non_field_allowed=True)


@pytest.fixture
def promoter_client(client, users, office):
    MigrantFactory(office=office, user=users["migrant"])
    client.force_login(users["migrant"])
    return client


@SETTINGS
@given(title=text, summary=text)
def test_dossier_creation(promoter_client, title, summary):
    response = promoter_client.post(reverse("projects:create"), {
        "title": title, "summary": summary, "kind": "individual", "stage": "idea",
    })
    assert response.status_code in (200, 302)
    _refusals_name_their_fields(response)


@SETTINGS
@given(market=text, expected_start=day, women=number, men=number, youth=number)
def test_dossier_steps(promoter_client, users, market, expected_start, women, men, youth):
    dossier = DossierFactory(promoter=users["migrant"].migrant_profile)
    market_page = promoter_client.post(
        reverse("projects:step", args=[dossier.pk, "market"]), {"market": market, "expected_start": expected_start}
    )
    team_page = promoter_client.post(
        reverse("projects:step", args=[dossier.pk, "team"]),
        {"team": market, "jobs_women": women, "jobs_men": men, "jobs_youth": youth},
    )
    for response in (market_page, team_page):
        assert response.status_code in (200, 302)
        _refusals_name_their_fields(response)


@SETTINGS
@given(label=text, quantity=number, unit_cost=number, amount=number)
def test_budget_and_financing_lines(promoter_client, users, label, quantity, unit_cost, amount):
    dossier = DossierFactory(promoter=users["migrant"].migrant_profile)
    budget = promoter_client.post(reverse("projects:budget_line_add", args=[dossier.pk]), {
        "budget-category": "investment", "budget-label": label, "budget-quantity": quantity,
        "budget-unit_cost": unit_cost,
    })
    financing = promoter_client.post(reverse("projects:financing_line_add", args=[dossier.pk]), {
        "financing-source": "own", "financing-label": label, "financing-amount": amount,
    })
    assert budget.status_code in (200, 302) and financing.status_code in (200, 302)
    _refusals_name_their_fields(budget, "budget_form")
    _refusals_name_their_fields(financing, "financing_form")
