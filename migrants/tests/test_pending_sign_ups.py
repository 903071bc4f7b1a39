"""Online sign-ups wait for their email confirmation outside the registry; sign-up is rate-limited (issue 14)."""
import io
import re

from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from hom.accounts.models import User
from hom.reports.selectors.public import migrants_by_country
from migrants.models import Migrant, PendingSignUp
from migrants.tests.test_rights import sign_up_data
from migrants.views import sign_up_token


def _registry_views(client, users):
    """What staff of the office see of “Coly”: the list, a search, both exports."""
    client.force_login(users["admin"])
    return {
        "list": client.get(reverse("migrants:list")).content.decode(),
        "search": client.get(reverse("migrants:list"), {"q": "Coly"}).content.decode(),
        "csv": client.get(reverse("migrants:export_csv")).getvalue().decode(),
        "xlsx": " ".join(
            str(cell) for row in load_workbook(io.BytesIO(client.get(reverse("migrants:export_xlsx")).getvalue())).active
            .iter_rows(values_only=True) for cell in row
        ),
    }


def _report_count(sedhiou):
    table = migrants_by_country(sedhiou)
    return dict(zip([str(label) for label in table.row_labels], table.body, strict=True))


def test_an_unconfirmed_sign_up_is_outside_the_registry_until_confirmed(client, users, office, sedhiou,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("migrants:sign_up"), sign_up_data(office, commune_of_origin=sedhiou.pk))
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)

    before = _registry_views(client, users)
    report_before = _report_count(sedhiou)
    assert not Migrant.objects.exists() and PendingSignUp.objects.count() == 1
    for name in ("list", "search", "csv", "xlsx"):
        assert "Lamine" not in before[name], name
    assert "France" not in report_before

    client.logout()
    client.get(link)
    after = _registry_views(client, users)

    migrant = Migrant.objects.get(user__email="lamine.coly@example.sn")
    assert migrant.file_number.startswith("SED-") and migrant.commune_of_origin == sedhiou
    assert not PendingSignUp.objects.exists()
    for name in ("list", "search", "csv", "xlsx"):
        assert "Lamine" in after[name], name
    assert _report_count(sedhiou)["France"] == [1]


def test_an_unconfirmed_sign_up_takes_no_file_number(client, users, office):
    client.post(reverse("migrants:sign_up"), sign_up_data(office))
    client.post(reverse("migrants:sign_up"), sign_up_data(office, email="awa@example.sn", last_name="Sané"))
    client.get(reverse("migrants:sign_up_confirm", args=[sign_up_token(User.objects.get(email="awa@example.sn"))]))

    assert list(Migrant.objects.values_list("file_number", flat=True)) == [f"SED-{Migrant.objects.get().created_at.year}-00001"]


def test_sign_up_is_rate_limited_per_email_address(client, office):
    answers = [
        client.post(reverse("migrants:sign_up"), sign_up_data(office, email=email, password2="differs")).status_code
        for email in ["lamine@example.sn", "LAMINE@example.sn", " Lamine@Example.sn", "lamine@EXAMPLE.sn",
                      "lamine@example.SN", "lamine@example.sn"]
    ]

    assert answers == [200] * 5 + [429]


def test_sign_up_is_rate_limited_per_client_address(client, office):
    answers = [
        client.post(reverse("migrants:sign_up"), sign_up_data(office, email=f"p{n}@example.sn")).status_code
        for n in range(21)
    ]
    refused = client.post(reverse("migrants:sign_up"), sign_up_data(office, email="late@example.sn"))

    assert answers == [200] * 20 + [429]
    assert refused.status_code == 429 and "Trop de tentatives" in refused.content.decode()
    assert not User.objects.filter(email="late@example.sn").exists()


def test_guessing_confirmation_links_locks_the_client_address(client, office):
    client.post(reverse("migrants:sign_up"), sign_up_data(office))
    good = reverse("migrants:sign_up_confirm", args=[sign_up_token(User.objects.get(email="lamine.coly@example.sn"))])

    guesses = [client.get(reverse("migrants:sign_up_confirm", args=[f"guess{n}"])).status_code for n in range(10)]
    locked = client.get(good)
    elsewhere = client.get(good, REMOTE_ADDR="10.9.8.7")

    assert guesses == [400] * 10
    assert locked.status_code == 429
    assert elsewhere.status_code == 302 and User.objects.get(email="lamine.coly@example.sn").is_active
