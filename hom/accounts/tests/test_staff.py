"""Staff management at /accounts/staff/: an office admin runs the team of their office."""
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse

from hom.accounts.models import Role, User
from hom.accounts.tests.factories import PASSWORD, UserFactory
from hom.testing.access import LOGIN, assert_access_matrix
from hom.testing.queries import assert_constant_queries


def _sign_in(client, email):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def _admin_only(*, admin=200, superuser=200):
    return {
        "anonymous": LOGIN, "superuser": superuser, "admin": admin, "advisor": 403, "other_office_advisor": 403,
        "migrant": 403, "other_migrant": 403, "authority": 403, "partner": 403,
    }


@pytest.mark.parametrize("name", ["staff_list", "staff_invite"])
def test_staff_pages_are_for_admins_only(client, users, name):
    assert_access_matrix(client, reverse(name), _admin_only(), users)


@pytest.mark.parametrize(
    ("name", "method"),
    [("staff_detail", "get"), ("staff_detail", "post"), ("staff_active", "post"), ("staff_password_reset", "post")],
)
def test_a_staff_member_page_is_for_the_admins_of_their_office(client, users, name, method):
    url = reverse(name, args=[users["advisor"].pk])
    ok = 200 if (name, method) == ("staff_detail", "get") else 302
    assert_access_matrix(client, url, _admin_only(admin=ok, superuser=ok), users, method=method,
                         data={"role": Role.ADVISOR, "active": "1"})


@pytest.mark.parametrize("name", ["staff_detail", "staff_active", "staff_password_reset"])
def test_a_kolda_staff_member_answers_404_to_the_sedhiou_admin(client, users, name):
    kolda = users["other_office_advisor"]
    client.force_login(users["admin"])
    method = client.get if name == "staff_detail" else client.post

    assert method(reverse(name, args=[kolda.pk]), {"active": "0", "role": Role.ADMIN}).status_code == 404
    kolda.refresh_from_db()
    assert kolda.is_active and kolda.role == Role.ADVISOR


def test_the_list_shows_the_office_staff_only(client, users):
    client.force_login(users["admin"])

    content = client.get(reverse("staff_list")).content.decode()

    assert "advisor@example.sn" in content and "admin@example.sn" in content
    assert "kolda@example.sn" not in content and "migrant@example.sn" not in content


def test_the_national_admin_sees_every_office(client, users):
    client.force_login(users["superuser"])

    content = client.get(reverse("staff_list")).content.decode()

    assert "advisor@example.sn" in content and "kolda@example.sn" in content


def test_the_list_reads_a_constant_number_of_queries(client, users, office):
    client.force_login(users["admin"])

    def make_rows(count):
        UserFactory.create_batch(count, role=Role.ADVISOR, office=office)

    response = assert_constant_queries(client, reverse("staff_list"), make_rows=make_rows)
    assert response.content.decode().count("/accounts/staff/") >= 22


def test_an_invitee_chooses_their_password_through_the_emailed_link(
    client, users, office, django_capture_on_commit_callbacks
):
    client.force_login(users["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff_invite"), {"email": " New.Advisor@Example.SN ", "first_name": "Awa",
                                                         "last_name": "Diatta", "role": Role.ADVISOR})

    assert response.status_code == 302
    invitee = User.objects.get(email="new.advisor@example.sn")
    assert (invitee.role, invitee.office, invitee.has_usable_password()) == (Role.ADVISOR, office, False)
    assert invitee.history.latest().history_user == users["admin"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.advisor@example.sn"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    client.logout()
    form_url = client.get(link).url
    response = client.post(form_url, {"new_password1": "a-long-new-pass-2026", "new_password2": "a-long-new-pass-2026"})
    assert response.status_code == 302
    assert client.post(reverse("login"), {"username": "new.advisor@example.sn",
                                          "password": "a-long-new-pass-2026"}).status_code == 302
    # The link works once.
    client.logout()
    assert client.get(link, follow=True).context["validlink"] is False


def test_an_office_admin_cannot_invite_into_another_office(client, users, office, other_office):
    client.force_login(users["admin"])

    client.post(reverse("staff_invite"), {"email": "x@example.sn", "role": Role.ADMIN, "office": other_office.pk})

    assert User.objects.get(email="x@example.sn").office == office


def test_inviting_a_known_address_says_so_on_the_field(client, users):
    client.force_login(users["admin"])

    response = client.post(reverse("staff_invite"), {"email": "MIGRANT@example.sn", "first_name": "Awa", "role": Role.ADVISOR})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert response.context["form"]["first_name"].value() == "Awa"


def test_the_admin_changes_a_role_and_the_history_names_them(client, users):
    advisor = users["advisor"]
    client.force_login(users["admin"])

    client.post(reverse("staff_detail", args=[advisor.pk]), {"role": Role.ADMIN})

    advisor.refresh_from_db()
    assert advisor.role == Role.ADMIN and advisor.is_staff
    assert advisor.history.latest().history_user == users["admin"]


def test_nobody_changes_their_own_role_or_gives_a_role_outside_the_office_roles(client, users):
    admin, advisor = users["admin"], users["advisor"]
    client.force_login(admin)

    own = client.post(reverse("staff_detail", args=[admin.pk]), {"role": Role.ADVISOR})
    outside = client.post(reverse("staff_detail", args=[advisor.pk]), {"role": Role.AUTHORITY})

    assert own.status_code == 200 and own.context["form"].errors
    assert outside.status_code == 200 and outside.context["form"].errors["role"]
    admin.refresh_from_db(), advisor.refresh_from_db()
    assert (admin.role, advisor.role) == (Role.ADMIN, Role.ADVISOR)


def test_an_advisor_cannot_promote_themselves(client, users):
    advisor = users["advisor"]
    client.force_login(advisor)

    assert client.post(reverse("staff_detail", args=[advisor.pk]), {"role": Role.ADMIN}).status_code == 403
    advisor.refresh_from_db()
    assert advisor.role == Role.ADVISOR


def test_a_deactivated_member_is_signed_out_at_once_and_cannot_sign_in(client, users):
    from django.test import Client

    advisor = users["advisor"]
    advisor_browser = Client()
    assert _sign_in(advisor_browser, advisor.email).status_code == 302
    assert advisor_browser.get(reverse("migrants:list")).status_code == 200
    client.force_login(users["admin"])

    client.post(reverse("staff_active", args=[advisor.pk]), {"active": "0"})

    advisor.refresh_from_db()
    assert not advisor.is_active
    assert advisor.history.latest().history_user == users["admin"]
    assert advisor_browser.get(reverse("migrants:list")).status_code == 302
    assert _sign_in(Client(), advisor.email).status_code == 200
    client.post(reverse("staff_active", args=[advisor.pk]), {"active": "1"})
    assert _sign_in(Client(), advisor.email).status_code == 302


def test_the_admin_sends_a_password_reset_link(client, users, django_capture_on_commit_callbacks):
    client.force_login(users["admin"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff_password_reset", args=[users["advisor"].pk]))

    assert mail.outbox[-1].to == ["advisor@example.sn"]
    token = mail.outbox[-1].body.split("/accounts/reset/")[1].split("/")[1]
    assert default_token_generator.check_token(users["advisor"], token)
