"""A CSV or XLSX upload into a header and rows of text, within limits checked as it streams.

The size is checked before anything is read (``IMPORT_MAX_BYTES``). An XLSX is opened in
read-only mode with its declared dimensions ignored (a sheet may declare ``A1:XFD1048576``
in a few bytes), a CSV is decoded line by line, and both stop at the first row or column
beyond the limits, so that memory stays small whatever the file claims. openpyxl parses
with defusedxml (a requirement): a workbook declaring XML entities is refused.
"""
import contextlib
import csv
import io
import itertools

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

try:  # defusedxml is a requirement; the import only names the error it raises.
    from defusedxml import DefusedXmlException
except ImportError:  # pragma: no cover
    DefusedXmlException = ()

MAX_ROWS = 5000
MAX_COLUMNS = 100
# Empty rows are skipped (and not kept), but not without end: more than this is refused.
MAX_BLANK_ROWS = 50_000


class ImportFileError(Exception):
    """The file cannot be imported; the message says why, translated."""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _trimmed(row) -> list[str]:
    values = [_cell(value) for value in row]
    while values and not values[-1]:
        values.pop()
    return values


def check_size(size: int | None) -> None:
    """Refuse a file over ``IMPORT_MAX_BYTES`` from its announced size, before reading it."""
    if (size or 0) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too big (%(size)s). The limit is %(limit)s: split it.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )


def _csv_lines(file):
    """Text lines of a binary CSV, each decoded as UTF-8 or, failing that, Latin-1."""
    for number, raw in enumerate(file):
        if number == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("latin-1")


def _csv_rows(file):
    lines = _csv_lines(file)
    first = next(lines, "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from csv.reader(itertools.chain([first], lines), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(_("This CSV file cannot be read.")) from error


def _xlsx_error(error: Exception) -> ImportFileError:
    """What to tell the user about a workbook openpyxl could not read (it wraps some errors)."""
    cause = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return ImportFileError(_("This XLSX file declares XML entities: save it again as a plain workbook."))
        cause = cause.__cause__ or cause.__context__
    return ImportFileError(_("This XLSX file cannot be read."))


def _xlsx_rows(file):
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _xlsx_error(error) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # trust the cells, not the size the file declares
        yield from sheet.iter_rows(values_only=True)
    except Exception as error:
        raise _xlsx_error(error) from error
    finally:
        workbook.close()


def read_spreadsheet(*, name: str, file) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV (comma or semicolon, UTF-8 or Latin-1) or of an XLSX's first sheet.

    ``file`` is a binary file object, read lazily; reading stops at the first row beyond
    ``MAX_ROWS`` and at the first row wider than ``MAX_COLUMNS``.
    """
    source = _xlsx_rows(file) if name.lower().endswith(".xlsx") else _csv_rows(file)
    with contextlib.closing(source):
        return _table(source)


def _table(source) -> tuple[list[str], list[list[str]]]:
    table, blank = [], 0
    for row in source:
        values = _trimmed(row)
        if not values:
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise ImportFileError(_("The file has more than %(max)s empty rows: delete them.") % {"max": MAX_BLANK_ROWS})
            continue
        if len(values) > MAX_COLUMNS:
            raise ImportFileError(
                _("The file has more than %(max)s columns: keep only the columns to import.") % {"max": MAX_COLUMNS}
            )
        table.append(values)
        if len(table) > MAX_ROWS + 1:  # the header and one row too many: stop reading
            raise ImportFileError(_("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS})
    if len(table) < 2:
        raise ImportFileError(_("The file has no row under its header."))
    headers = [header or f"#{index + 1}" for index, header in enumerate(table[0])]
    if len(set(headers)) != len(headers):
        raise ImportFileError(_("Two columns have the same header."))
    rows = [(row + [""] * len(headers))[: len(headers)] for row in table[1:]]
    return headers, rows


def read_upload(uploaded) -> tuple[list[str], list[list[str]]]:
    """Read an uploaded file: its size is checked first, then its rows are streamed."""
    check_size(uploaded.size)
    uploaded.seek(0)
    return read_spreadsheet(name=uploaded.name, file=uploaded)


def read_bytes(*, name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """Read a file held in memory (samples, tests); the same limits apply."""
    check_size(len(content))
    return read_spreadsheet(name=name, file=io.BytesIO(content))
