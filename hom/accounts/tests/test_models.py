import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from hom.accounts.models import Role, User
from hom.accounts.services import user_create


def test_user_create_lowercases_the_email_and_gives_office_admins_the_admin_site(office):
    user = user_create(email="Awa.Diatta@Example.SN", password="long-enough-pass", role=Role.ADMIN, office=office)

    assert user.email == "awa.diatta@example.sn"
    assert user.is_staff
    assert user.check_password("long-enough-pass")


def test_an_advisor_without_an_office_is_refused_by_the_service(db):
    with pytest.raises(ValidationError):
        user_create(email="lost@example.sn", password="long-enough-pass", role=Role.ADVISOR)


def test_an_advisor_without_an_office_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        User.objects.create(email="lost@example.sn", role=Role.ADVISOR)


def test_a_superuser_is_a_national_admin_without_office(db):
    user = User.objects.create_superuser(email="root@example.sn", password="long-enough-pass")

    assert user.is_national_admin
    assert user.office is None
    assert user.has_role(Role.ADVISOR)
    assert not user.has_role(Role.MIGRANT)
