"""Imports under attack: size cap before reading, streamed rows, declared dimensions ignored,
a column limit, XML entities refused, the preview a page at a time. No 500, a clear message."""
import io
import os
import re
import tracemalloc
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from hom.imports import reading
from hom.imports.forms import ImportUploadForm
from hom.imports.reading import MAX_COLUMNS, MAX_ROWS, ImportFileError, read_bytes, read_spreadsheet
from migrants import imports
from migrants.models import MigrantImport
from partnerships.models import OrganisationImport

HEADERS = ["Prénom", "Nom", "Commune"]


def _xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _rewrite(content: bytes, replace) -> bytes:
    """The same XLSX, each part passed through ``replace(name, xml) -> xml``."""
    source, output = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace(item.filename, source.read(item.filename).decode()).encode())
    return output.getvalue()


def dimension_bomb() -> bytes:
    content = _xlsx_bytes([["Awa", "Sané", "Sédhiou"], ["Moussa", "Badji", "Bounkiling"]])
    bomb = _rewrite(content, lambda name, xml: re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', xml))
    assert b"A1:XFD1048576" in zipfile.ZipFile(io.BytesIO(bomb)).read("xl/worksheets/sheet1.xml")
    return bomb


def entity_bomb() -> bytes:
    content = _xlsx_bytes([["Awa", "Sané", "Sédhiou"]])
    doctype = (
        '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )

    def replace(name, xml):
        if name != "xl/worksheets/sheet1.xml":
            return xml
        assert "<t>Awa</t>" in xml
        return doctype.replace("sst", "worksheet") + xml.replace("<t>Awa</t>", "<t>&d;</t>")

    return _rewrite(content, replace)


def test_a_dimension_bomb_is_read_as_the_cells_it_holds_in_little_memory():
    content = dimension_bomb()
    assert len(content) < 8000

    tracemalloc.start()
    try:
        headers, rows = read_bytes(name="bomb.xlsx", content=content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert headers == HEADERS and rows == [["Awa", "Sané", "Sédhiou"], ["Moussa", "Badji", "Bounkiling"]]
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_an_xml_entity_bomb_is_refused_with_a_message():
    with pytest.raises(ImportFileError, match="entités XML"):
        read_bytes(name="bomb.xlsx", content=entity_bomb())


def test_an_entity_bomb_uploaded_to_the_import_page_gets_a_message_not_a_500(client, users):
    client.force_login(users["advisor"])

    response = client.post(reverse("migrants:import_list"), {"file": SimpleUploadedFile("b.xlsx", entity_bomb())})

    assert response.status_code == 200 and "entités XML" in response.content.decode()
    assert not MigrantImport.objects.exists()


def _sparse_upload(size: int, name="big.csv") -> TemporaryUploadedFile:
    uploaded = TemporaryUploadedFile(name, "text/csv", size, "utf-8")
    uploaded.write(b"Pr\xc3\xa9nom;Nom\nAwa;San\xc3\xa9\n")
    uploaded.flush()
    os.truncate(uploaded.temporary_file_path(), size)  # a hole: the disk holds a few bytes only
    uploaded.seek(0)
    return uploaded


def test_a_144_mb_csv_is_refused_before_a_byte_is_parsed():
    uploaded = _sparse_upload(144 * 1024 * 1024)
    assert os.path.getsize(uploaded.temporary_file_path()) == 144 * 1024 * 1024

    with mock.patch.object(reading, "read_spreadsheet", wraps=reading.read_spreadsheet) as parse:
        form = ImportUploadForm(data={}, files={"file": uploaded})
        valid = form.is_valid()

    assert not valid and "trop volumineux" in form.errors["file"][0] and "144" in form.errors["file"][0]
    assert parse.call_count == 0 and uploaded.tell() == 0
    uploaded.close()


def test_the_cap_comes_from_the_settings_and_the_page_says_it(client, users, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(users["advisor"])
    content = ("Nom;Sigle\n" + "Association des ressortissants;ARS\n" * 100).encode()

    response = client.post(reverse("partnerships:import_list"), {"file": SimpleUploadedFile("o.csv", content)})

    assert response.status_code == 200 and "trop volumineux" in response.content.decode()
    assert not OrganisationImport.objects.exists()


def test_a_file_of_16384_columns_is_refused_with_the_message(client, users):
    client.force_login(users["advisor"])
    header = ";".join(f"C{index}" for index in range(16384))
    content = (header + "\n" + ";".join("x" for _ in range(16384)) + "\n").encode()

    response = client.post(reverse("migrants:import_list"), {"file": SimpleUploadedFile("wide.csv", content)})

    text = response.content.decode()
    assert response.status_code == 200 and f"plus de {MAX_COLUMNS} colonnes" in text
    assert len(text) < 100_000 and not MigrantImport.objects.exists()


def test_a_wide_xlsx_is_refused_too():
    content = _xlsx_bytes([["x"] * (MAX_COLUMNS + 1)], headers=[f"C{index}" for index in range(MAX_COLUMNS + 1)])

    with pytest.raises(ImportFileError, match="colonnes"):
        read_bytes(name="wide.xlsx", content=content)


class _CountingLines:
    """A CSV of a million rows that counts how many lines the reader took."""

    def __init__(self, rows: int):
        self.rows, self.taken = rows, 0

    def __iter__(self):
        yield b"Nom;Sigle\n"
        for index in range(self.rows):
            self.taken += 1
            yield f"Association {index};A{index}\n".encode()


def test_reading_stops_at_the_row_limit_instead_of_reading_the_whole_file():
    lines = _CountingLines(1_000_000)

    with pytest.raises(ImportFileError, match=f"plus de {MAX_ROWS} lignes"):
        read_spreadsheet(name="many.csv", file=lines)

    assert lines.taken <= MAX_ROWS + 2


def test_a_file_at_the_row_limit_is_read_whole():
    lines = _CountingLines(MAX_ROWS)

    headers, rows = read_spreadsheet(name="limit.csv", file=lines)

    assert headers == ["Nom", "Sigle"] and len(rows) == MAX_ROWS


def test_the_preview_of_5000_rows_shows_one_page_with_navigation(client, users, office):
    rows = [[f"Awa{index:04d}", "Sané", "Sédhiou"] for index in range(MAX_ROWS)]
    migrant_import = imports.import_create(office=office, uploaded_by=users["advisor"], file_name="x.csv",
                                           headers=HEADERS, rows=rows)
    client.force_login(users["advisor"])

    first = client.get(migrant_import.get_absolute_url()).content.decode()
    second = client.get(migrant_import.get_absolute_url(), {"page": "2"}).content.decode()

    assert first.count("<td>Awa") == 50 and "<td>Awa0049</td>" in first and "Awa0050" not in first
    assert 'data-testid="import-pages"' in first and "Page 1 sur 100" in first and "?page=2" in first
    assert "<td>Awa0050</td>" in second and "Page 2 sur 100" in second and "Awa0049" not in second
    assert len(first) < 200_000
