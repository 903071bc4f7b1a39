"""The access layer itself: visible_to scoping and get_visible_or_404."""
import pytest
from django.http import Http404

from hom.accounts.access import OfficeScopedQuerySet, get_visible_or_404
from hom.accounts.models import Office, User


class UserByOfficeQuerySet(OfficeScopedQuerySet):
    """Users seen as office-scoped rows: enough to exercise the shared scoping."""


def _users():
    return UserByOfficeQuerySet(model=User)


def test_staff_see_the_rows_of_their_office_only(users):
    seen = set(_users().visible_to(users["advisor"]).values_list("email", flat=True))

    assert seen == {"admin@example.sn", "advisor@example.sn"}


def test_the_national_admin_sees_every_office(users):
    assert _users().visible_to(users["superuser"]).count() == User.objects.count()


@pytest.mark.parametrize("role", ["migrant", "authority", "partner"])
def test_other_roles_see_no_office_rows(users, role):
    assert not _users().visible_to(users[role]).exists()


def test_a_row_of_another_office_answers_404(users):
    kolda_advisor = users["other_office_advisor"]

    with pytest.raises(Http404):
        get_visible_or_404(_users(), users["advisor"], pk=kolda_advisor.pk)
    assert get_visible_or_404(_users(), users["superuser"], pk=kolda_advisor.pk) == kolda_advisor


def test_offices_are_one_per_region(office):
    assert Office.objects.filter(region=office.region).count() == 1
