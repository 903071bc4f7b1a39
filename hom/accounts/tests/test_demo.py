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


def test_the_demo_admin_manages_sedhiou_staff_and_the_demo_staff_have_no_second_factor(client, db):
    from hom.accounts.models import Role
    from hom.accounts.selectors import has_second_factor

    call_command("seed_demo")
    client.post(reverse("login"), {"username": "admin@demo.hom", "password": DEMO_PASSWORD})
    page = client.get(reverse("staff_list")).content.decode()
    kolda = User.objects.get(email="conseiller.kolda@demo.hom")

    assert "conseiller@demo.hom" in page and "conseiller.kolda@demo.hom" not in page
    assert client.get(reverse("staff_detail", args=[kolda.pk])).status_code == 404
    staff = User.objects.filter(email__endswith="@demo.hom", role__in=[Role.ADMIN, Role.ADVISOR])
    assert staff.count() == 3 and not any(has_second_factor(member) for member in staff)


def test_with_mfa_required_a_demo_advisor_is_taken_to_enrolment_as_the_readme_says(client, db, settings):
    call_command("seed_demo")
    settings.MFA_REQUIRED = True

    client.post(reverse("login"), {"username": "conseiller@demo.hom", "password": DEMO_PASSWORD})
    enrol = client.get(reverse("home"), follow=True)

    assert enrol.redirect_chain[-1][0] == reverse("mfa_totp_enrol")
    assert reverse("mfa_passkeys") in enrol.content.decode()  # "Use a passkey"
