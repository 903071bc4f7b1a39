from django.core.management import call_command
from django.urls import reverse

from hom.accounts.demo import ACCOUNTS, DEMO_PASSWORD
from hom.accounts.models import Office, User


def test_seed_demo_is_idempotent_and_every_account_logs_in(client, db):
    call_command("seed_demo")
    call_command("seed_demo")

    assert set(Office.objects.values_list("code", flat=True)) == {"SED", "KOL"}
    assert User.objects.filter(email__endswith="@demo.hom").count() == len(ACCOUNTS)
    for email, *_ in ACCOUNTS:
        response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.post(reverse("logout"))


def test_the_demo_authority_reads_the_commune_of_sedhiou(db):
    call_command("seed_demo")

    authority = User.objects.get(email="commune@demo.hom")

    assert list(authority.communes.values_list("name", flat=True)) == ["Sédhiou"]
