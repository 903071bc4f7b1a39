"""Cells written to a CSV or an XLSX that a spreadsheet will never run as a formula.

Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel
and LibreOffice as a formula (``=HYPERLINK(…)`` in a self-registered name becomes a live
link). Every export of HOM writes its cells through this module:

- CSV: such text gets a leading apostrophe, which spreadsheets show as "text follows";
- XLSX: every text cell is an explicit string cell (data type ``s``), never a formula.

Numbers (``int``, ``float``, ``Decimal``) stay numbers, negative ones included.
"""
import csv

from openpyxl.cell.cell import Cell, WriteOnlyCell

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
