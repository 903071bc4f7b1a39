"""Home dashboards, login, logout, password change and reset, and the navigation by role."""
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hom.accounts.tests.factories import PASSWORD
from hom.testing.access import ROLES, assert_access_matrix

DASHBOARD_TITLES = {
    "superuser": "Tableau de bord national",
    "admin": "Tableau de bord — Bureau de Sédhiou",
    "advisor": "Tableau de bord — Bureau de Sédhiou",
    "other_office_advisor": "Tableau de bord — Bureau de Kolda",
    "migrant": "Bienvenue",
    "other_migrant": "Bienvenue",
    "authority": "Besoins de mes communes",
    "partner": "Mes partenariats",
}


def test_home_answers_every_role(client, users):
    assert_access_matrix(client, reverse("home"), {role: 200 for role in ROLES}, users)


@pytest.mark.parametrize("role", sorted(DASHBOARD_TITLES))
def test_each_role_sees_its_own_dashboard(client, users, role):
    client.force_login(users[role])

    response = client.get(reverse("home"))

    assert DASHBOARD_TITLES[role] in response.content.decode()


def test_an_advisor_sees_only_their_office_and_the_national_admin_sees_all(client, users):
    client.force_login(users["advisor"])
    advisor_page = client.get(reverse("home")).content.decode()
    client.force_login(users["superuser"])
    national_page = client.get(reverse("home")).content.decode()

    assert "Bureau de Kolda" not in advisor_page
    assert "Bureau de Kolda" in national_page and "Bureau de Sédhiou" in national_page


def test_an_authority_sees_its_communes(client, users):
    client.force_login(users["authority"])

    response = client.get(reverse("home"))

    assert "Sédhiou" in response.content.decode()


def test_anonymous_visitors_get_the_public_welcome(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Bureau d'appui aux migrants" in response.content.decode()


def test_only_staff_see_the_administration_link(client, users):
    client.force_login(users["admin"])
    admin_page = client.get(reverse("home")).content.decode()
    client.force_login(users["advisor"])
    advisor_page = client.get(reverse("home")).content.decode()

    assert reverse("admin:index") in admin_page
    assert reverse("admin:index") not in advisor_page


def test_login_by_email_is_case_insensitive_and_lands_on_the_dashboard(client, users):
    response = client.post(reverse("login"), {"username": "ADVISOR@example.sn", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_keeps_the_email_and_says_why(client, users):
    response = client.post(reverse("login"), {"username": "advisor@example.sn", "password": "nope"})

    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="advisor@example.sn"' in text
    assert "Saisissez une adresse e-mail ou un numéro de téléphone et un mot de passe corrects." in text


def test_logout_ends_the_session(client, users):
    client.force_login(users["advisor"])

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_five_failed_logins_lock_the_account_and_the_lock_lifts_by_itself(client, users):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            client.post(reverse("login"), {"username": "advisor@example.sn", "password": "wrong-password"})

        locked = client.post(reverse("login"), {"username": "advisor@example.sn", "password": PASSWORD})
        traveller.shift(60 * 16)
        unlocked = client.post(reverse("login"), {"username": "advisor@example.sn", "password": PASSWORD})

    assert locked.status_code == 429
    assert "verrouillé" in locked.content.decode()
    assert unlocked.status_code == 302


def test_a_lock_on_one_account_does_not_lock_another(client, users):
    for _ in range(5):
        client.post(reverse("login"), {"username": "advisor@example.sn", "password": "wrong-password"})

    response = client.post(reverse("login"), {"username": "admin@example.sn", "password": PASSWORD})

    assert response.status_code == 302


def test_sessions_expire_after_inactivity(client, users, settings):
    client.post(reverse("login"), {"username": "advisor@example.sn", "password": PASSWORD})

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change(client, users):
    client.force_login(users["advisor"])
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )

    assert response["Location"] == reverse("password_change_done")
    assert "Mot de passe modifié" in client.get(reverse("password_change_done")).content.decode()
    users["advisor"].refresh_from_db()
    assert users["advisor"].check_password("a-new-long-passphrase")


def test_password_reset_by_email(client, users):
    assert client.get(reverse("password_reset")).status_code == 200

    response = client.post(reverse("password_reset"), {"email": "advisor@example.sn"})
    assert response["Location"] == reverse("password_reset_done")
    assert client.get(reverse("password_reset_done")).status_code == 200
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"})
    done = client.get(reverse("password_reset_complete"))

    assert done.status_code == 200
    users["advisor"].refresh_from_db()
    assert users["advisor"].check_password("another-long-passphrase")


def test_a_used_reset_link_is_refused_with_a_clear_message(client, users):
    client.post(reverse("password_reset"), {"email": "advisor@example.sn"})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"})

    response = client.get(link)

    assert "n’est plus valide" in response.content.decode() or "n'est plus valide" in response.content.decode()


def test_a_logged_in_user_opening_login_goes_to_the_dashboard(client, users):
    client.force_login(users["migrant"])

    response = client.get(reverse("login"))

    assert response["Location"] == reverse("home")


def test_the_navigation_marks_only_the_closest_entry_active(rf, users):
    from hom.accounts.context_processors import navigation

    request = rf.get("/projects/queue/")
    request.user = users["advisor"]

    active = [entry["url"] for entry in navigation(request)["navigation"] if entry["active"]]

    assert active == ["/projects/queue/"]


def test_staff_see_projects_and_partnerships_as_dropdowns_and_a_migrant_plain_links(rf, users):
    from hom.accounts.context_processors import navigation

    request = rf.get("/partnerships/conventions/")
    request.user = users["admin"]
    menu = navigation(request)["navigation_menu"]
    groups = {str(item["label"]): item for item in menu if item.get("is_group")}

    # The office admin's registry tools (access log, retention, campaigns) fold into "Bureau".
    assert set(groups) == {"Projets", "Partenariats", "Bureau"}
    assert groups["Partenariats"]["active"] and not groups["Projets"]["active"]
    assert [str(entry["label"]) for entry in groups["Partenariats"]["entries"] if entry["active"]] == ["Conventions"]

    request.user = users["migrant"]
    assert not any(item.get("is_group") for item in navigation(request)["navigation_menu"])
