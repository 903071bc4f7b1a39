"""Every export writes text that a spreadsheet would run as a formula as plain text; numbers stay numbers."""
import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from hom.reports.exports import report_csv, report_xlsx
from hom.spreadsheets import CsvWriter, csv_value, xlsx_append

DANGEROUS = ['=HYPERLINK("http://x","y")', "+33 6 12", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_starts_like_a_formula_gets_an_apostrophe_in_csv(text):
    assert csv_value(text) == "'" + text


@pytest.mark.parametrize("value", ["Awa", "", "<5", "1 200", -5, -2.5, 0, None])
def test_other_values_are_written_as_they_are(value):
    assert csv_value(value) == value


def test_csv_writer_escapes_every_cell():
    output = io.StringIO()
    CsvWriter(output, delimiter=";").writerows([["=1+1", -3, "ok"]])

    assert output.getvalue().strip() == "'=1+1;-3;ok"


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_text_is_a_string_cell_and_numbers_stay_numbers(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("x") if write_only else workbook.active
    xlsx_append(sheet, [*DANGEROUS, -5, -2.5])
    output = io.BytesIO()
    workbook.save(output)

    cells = next(load_workbook(io.BytesIO(output.getvalue())).worksheets[0].iter_rows())
    assert [(cell.value, cell.data_type) for cell in cells] == [
        # XML reads a carriage return back as a line feed; what matters is the string type.
        *[(text.replace("\r", "\n"), "s") for text in DANGEROUS], (-5, "n"), (-2.5, "n")
    ]


def _report_context():
    table = SimpleNamespace(title="=EVIL()", header=["@head", "Visits"], rows=[("=cmd|' /C calc'!A0", [12, -3, "<5"])])
    return {
        "period": SimpleNamespace(first=date(2026, 1, 1), last=date(2026, 3, 1)),
        "territory": SimpleNamespace(label="+Sédhiou"),
        "sections": [SimpleNamespace(tables=[table])],
    }


def test_the_report_csv_escapes_labels_and_keeps_numbers():
    rows = list(csv.reader(io.StringIO(report_csv(_report_context()).decode("utf-8-sig")), delimiter=";"))

    assert rows[0][1] == "'+Sédhiou"
    assert ["'=EVIL()"] in rows and ["'@head", "Visits"] in rows
    assert ["'=cmd|' /C calc'!A0", "12", "-3", "<5"] in rows


def test_the_report_xlsx_has_no_formula_and_keeps_numbers():
    sheet = load_workbook(io.BytesIO(report_xlsx(_report_context()))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]

    assert not [cell for cell in cells if cell.data_type == "f"]
    values = {cell.value: cell.data_type for cell in cells}
    assert values["=EVIL()"] == "s" and values["+Sédhiou"] == "s" and values["=cmd|' /C calc'!A0"] == "s"
    assert values[-3] == "n" and values[12] == "n"
