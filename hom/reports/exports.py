"""CSV and XLSX of a report: exactly the published tables, hidden figures as "<5".

Cells are written through ``hom.spreadsheets``: no text becomes a formula."""
import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from hom.spreadsheets import CsvWriter, xlsx_append


def report_lines(context: dict) -> list[list]:
    """The report as lines of cells: a heading, then each table with its header and rows."""
    period = context["period"]
    lines = [
        [_("Needs report"), context["territory"].label],
        [_("Period"), f"{formats.date_format(period.first, 'YEAR_MONTH_FORMAT')} – "
                      f"{formats.date_format(period.last, 'YEAR_MONTH_FORMAT')}"],
        [_("Produced on"), formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")],
        [_legend(context)],
    ]
    for section in context["sections"]:
        for table in section.tables:
            lines.append([])
            lines.append([str(table.title)])
            lines.append([str(heading) for heading in table.header])
            for label, values in table.rows:
                lines.append([str(label), *[_cell(value) for value in values]])
    return lines


def _legend(context: dict) -> str:
    if context.get("perturbed"):
        return _(
            "Each figure is changed a little, always the same way for the same people, so that comparing reports "
            "reveals no one; figures below five are shown as <5; totals need not equal the sum of their lines."
        )
    return _("Counts below five are shown as <5; figures hidden to protect them are shown as ×.")


def _cell(value):
    if value is None:
        return ""
    return value if isinstance(value, int) else str(value)


def report_csv(context: dict) -> bytes:
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=";")
    writer.writerows(report_lines(context))
    # A byte-order mark, so that Excel opens the accents correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(context: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Report")[:31]
    for line in report_lines(context):
        xlsx_append(sheet, line)
        if len(line) == 1:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
