"""The registry's exports stream: the CSV leaves in chunks as the rows are read from the database,
the XLSX is written row by row to a temporary file; the queries do not grow with the rows."""
import csv
import io

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hom import spreadsheets
from migrants.tests.factories import MigrantFactory, VisitFactory


def _export(client, name):
    """(queries, response, body): the queries counted until the last byte is read."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(f"migrants:{name}"))
        body = response.getvalue()
    return len(context.captured_queries), response, body


def test_the_csv_export_streams_in_chunks_of_rows(client, users, office, monkeypatch):
    monkeypatch.setattr(spreadsheets, "CSV_CHUNK_ROWS", 5)
    for index in range(12):
        MigrantFactory(office=office, last_name=f"Sané{index:02d}")
    client.force_login(users["admin"])

    response = client.get(reverse("migrants:export_csv"))

    assert isinstance(response, StreamingHttpResponse) and response["Content-Type"] == "text/csv; charset=utf-8"
    chunks = list(response.streaming_content)
    # The header with the first five rows, five more, the last two: the first bytes leave early.
    assert len(chunks) == 3
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig")), delimiter=";"))
    assert sorted(row[1] for row in rows[1:]) == [f"Sané{index:02d}" for index in range(12)]


def test_the_exports_keep_their_query_count_from_2_to_20_persons(client, users, office):
    client.force_login(users["admin"])
    for name in ("export_csv", "export_xlsx"):
        for _ in range(2):
            VisitFactory(migrant=MigrantFactory(office=office))
        with_two, _response, _body = _export(client, name)
        for _ in range(18):
            VisitFactory(migrant=MigrantFactory(office=office))
        with_twenty, _response, _body = _export(client, name)
        assert with_two == with_twenty, f"{name}: {with_two} queries for 2 persons, {with_twenty} for 20"


def test_the_xlsx_export_is_a_file_streamed_from_disk_with_every_row(client, users, office):
    for index in range(3):
        MigrantFactory(office=office, last_name=f"Badji{index}")
    client.force_login(users["admin"])

    _queries, response, body = _export(client, "export_xlsx")

    assert isinstance(response, FileResponse)
    sheet = load_workbook(io.BytesIO(body)).active
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["Badji0", "Badji1", "Badji2"]


@pytest.mark.django_db(transaction=True)
def test_the_csv_rows_come_from_a_cursor_read_as_it_goes_not_one_computed_whole_first(
    reference_data, client, users, office, monkeypatch
):
    """Outside a transaction PostgreSQL declares Django's server-side cursor WITH HOLD and computes
    the whole result before the first row: the first byte of a 160,000-person export took 2 s
    (bench/exports.py). The export reads inside a transaction, through a cursor that is not holdable.
    (``reference_data`` first: a transactional test before this one may have emptied the regions.)"""
    if connection.vendor != "postgresql":
        pytest.skip("server-side cursors (DECLARE ... CURSOR) are PostgreSQL's; SQLite reads rows as they go anyway")
    monkeypatch.setattr(spreadsheets, "CSV_CHUNK_ROWS", 5)
    for index in range(12):
        MigrantFactory(office=office, last_name=f"Goudiaby{index:02d}")
    client.force_login(users["admin"])

    response = client.get(reverse("migrants:export_csv"))
    chunks = iter(response.streaming_content)
    first = next(chunks)  # the header and five rows: the cursor is open, the rest not yet read
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_holdable FROM pg_cursors WHERE statement ILIKE %s", ["%migrants_migrant%"])
        cursors = cursor.fetchall()
    rest = b"".join(chunks)

    assert cursors == [(False,)]
    rows = list(csv.reader(io.StringIO((first + rest).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 13
