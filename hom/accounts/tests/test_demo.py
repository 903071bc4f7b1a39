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


def test_every_demo_account_sees_the_navigation_of_its_role(client, db):
    call_command("seed_demo")
    # (account, entries it must see, entries it must not see)
    expectations = [
        ("admin@demo.hom", {"Migrants", "Dossiers", "Conventions", "Événements", "Administration"}, {"Mon profil"}),
        ("conseiller@demo.hom", {"Migrants", "Dossiers", "File d’examen"}, {"Mon profil", "Administration"}),
        ("migrant@demo.hom", {"Mon profil", "Mes projets", "Financements", "Formations"}, {"Migrants", "Dossiers"}),
        ("commune@demo.hom", {"Financements"}, {"Migrants", "Dossiers", "Mon profil"}),
        ("partenaire@demo.hom", {"Financements", "Mes conventions"}, {"Migrants", "Dossiers", "Mon profil", "Conventions"}),
    ]
    for email, shown, hidden in expectations:
        client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
        page = client.get(reverse("home")).content.decode()
        start = page.index('data-testid="role-navigation"')
        navigation = page[start:page.index("</nav>", start)]
        client.post(reverse("logout"))

        assert all(f">{label}</a>" in navigation for label in shown), (email, navigation)
        assert not any(f">{label}</a>" in navigation for label in hidden), (email, navigation)
