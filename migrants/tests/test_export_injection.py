"""Attack: a self-registered name that is a formula stays inert text in the registry's exports."""
import csv
import io
import re

from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from migrants.models import Migrant
from migrants.tests.factories import MigrantFactory
from migrants.tests.test_rights import sign_up_data

FORMULA = '=HYPERLINK("http://x","y")'


def _self_registered(client, office, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("migrants:sign_up"), sign_up_data(office, **fields))
    client.get(re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1))  # the email is confirmed
    return Migrant.objects.get(first_name=fields["first_name"])


def test_a_formula_typed_at_sign_up_is_text_in_the_csv_and_xlsx_exports(
    client, users, office, django_capture_on_commit_callbacks
):
    migrant = _self_registered(client, office, django_capture_on_commit_callbacks, first_name=FORMULA,
                               last_name="@SUM(A1)")
    client.force_login(users["admin"])

    csv_text = client.get(reverse("migrants:export_csv")).getvalue().decode("utf-8-sig")
    xlsx = client.get(reverse("migrants:export_xlsx")).getvalue()

    row = next(row for row in csv.reader(io.StringIO(csv_text), delimiter=";") if row[0] == migrant.file_number)
    assert row[2] == "'" + FORMULA and row[1] == "'@SUM(A1)"
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = next(cells for cells in sheet.iter_rows(min_row=2) if cells[0].value == migrant.file_number)
    assert cells[2].value == FORMULA and cells[2].data_type == "s"
    assert cells[1].value == "@SUM(A1)" and cells[1].data_type == "s"


def test_ordinary_names_are_exported_unchanged(client, users, office):
    MigrantFactory(office=office, first_name="Awa", last_name="Sané")
    client.force_login(users["admin"])

    rows = list(csv.reader(io.StringIO(client.get(reverse("migrants:export_csv")).getvalue().decode("utf-8-sig")),
                           delimiter=";"))

    assert [row[1:3] for row in rows[1:]] == [["Sané", "Awa"]]
