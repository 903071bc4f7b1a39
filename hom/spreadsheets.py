"""Cells written to a CSV or an XLSX that a spreadsheet will never run as a formula.

Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel
and LibreOffice as a formula (``=HYPERLINK(…)`` in a self-registered name becomes a live
link). Every export of HOM writes its cells through this module:

- CSV: such text gets a leading apostrophe, which spreadsheets show as "text follows";
- XLSX: every text cell is an explicit string cell (data type ``s``), never a formula.

Numbers (``int``, ``float``, ``Decimal``) stay numbers, negative ones included.
"""
import csv
import io
import tempfile

from django.db import router, transaction
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell

from hom.replica import reading_from_replica, streamed_from_replica

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value):
    """The value as a CSV should hold it: dangerous text escaped with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` whose every cell goes through ``csv_value``."""

    def __init__(self, output, **options):
        self._writer = csv.writer(output, **options)

    def writerow(self, row):
        return self._writer.writerow([csv_value(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def xlsx_cell(sheet, value) -> Cell:
    """A cell for ``sheet.append``: text is a string cell whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def xlsx_append(sheet, row) -> None:
    """Append ``row`` to ``sheet`` (ordinary or write-only) with every text as a string cell."""
    sheet.append([xlsx_cell(sheet, value) for value in row])


# --- Responses that stream: memory flat whatever the number of rows -------------------------

CSV_CHUNK_ROWS = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def queryset_rows(queryset, *, chunk_size: int):
    """The rows of ``queryset``, read ``chunk_size`` at a time: never the whole list in memory.

    On PostgreSQL ``iterator()`` reads through a server-side cursor. Outside a transaction that
    cursor is declared ``WITH HOLD``, and PostgreSQL computes the whole result before handing
    over the first row (2 s for 160,000 persons, bench/exports.py); inside one it hands rows
    over as the query yields them, so the first bytes of an export leave at once. A transaction
    is also what server-side cursors need behind PgBouncer's transaction pooling
    (docs/deployment.md). It only reads, on the alias the queryset reads (the replica when set).
    """
    with transaction.atomic(using=router.db_for_read(queryset.model)):
        yield from queryset.iterator(chunk_size=chunk_size)


def _csv_chunks(header, rows, chunk_rows):
    buffer = io.StringIO()
    writer = CsvWriter(buffer, delimiter=";")
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a byte-order mark.
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % chunk_rows == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def csv_response(*, filename: str, header, rows, chunk_rows: int | None = None) -> StreamingHttpResponse:
    """A CSV (``;``-separated, UTF-8 with BOM, formula-safe cells) streamed ``chunk_rows`` rows at a time:
    the first bytes leave before the last row is read, and memory does not grow with the rows.
    ``rows`` should be lazy (a generator over :func:`queryset_rows`)."""
    chunks = _csv_chunks(header, rows, chunk_rows or CSV_CHUNK_ROWS)
    if reading_from_replica():  # the rows are read after the view has returned: still from the replica
        chunks = streamed_from_replica(chunks)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(*, filename: str, sheet_title: str, header, rows) -> FileResponse:
    """An XLSX built by openpyxl's write-only mode (rows go to disk as they come) into a temporary
    file, then streamed from it: memory does not grow with the rows. The file is deleted when the
    response is closed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    xlsx_append(sheet, header)
    for row in rows:
        xlsx_append(sheet, row)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
