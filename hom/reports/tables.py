"""A report table: labelled rows of counts, its totals, and what may be published of it."""
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from hom.formatting import format_fcfa

from .privacy import SuppressedTable, is_small, perturb_grid, round_amount, suppress, with_totals

# How a hidden amount reads: "<5" would say "less than five francs".
HIDDEN_AMOUNT = _("hidden")


def _plain_number(value):
    """A figure as an int: PostgreSQL sums integers as numerics, which arrive as ``Decimal``."""
    if value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return float(value)


def _plain_grid(grid) -> list[list]:
    return [[_plain_number(value) for value in row] for row in grid]


@dataclass
class Table:
    """Counts computed by the database, ready to be suppressed and shown, charted or exported.

    ``row_totals`` adds a total column (sum across a row), ``column_totals`` a total row;
    ask for them only when the figures add up (one visit has several needs: not those).

    ``amount_columns`` maps a column of FCFA amounts to the column of the counts it sums
    over: an amount is hidden whenever its count is (it would tell one person's grant),
    then, column by column, enough other amounts that the total does not give it back.
    Amount columns take no row total (amounts and counts do not add up).

    ``keys`` has the shape of ``body``: for each count, the sum of the record keys of the
    records it counts (computed by the database with the count). A ``perturbed`` table
    (one published outside the office's own staff) shows each count, and each total,
    perturbed by its cell key (``privacy.perturb_grid``), amounts rounded; otherwise the
    exact counts with small-cell suppression.
    """

    key: str
    title: str
    row_heading: str
    columns: list[str]
    row_labels: list[str]
    body: list[list[int | None]]
    row_totals: bool = False
    column_totals: bool = False
    chart: str = "bar"
    chart_columns: list[int] = field(default_factory=lambda: [0])
    amount_columns: dict[int, int] = field(default_factory=dict)
    keys: list[list[int | None]] | None = None
    perturbed: bool = False

    @cached_property
    def suppressed(self) -> SuppressedTable:
        if self.perturbed:
            return self._perturbed()
        if not self.amount_columns:
            return suppress(
                self.body, row_totals=self.row_totals, column_totals=self.column_totals, width=len(self.columns)
            )
        assert not self.row_totals, "amount columns take no row total"
        amounts = self.amount_columns
        counts_only = [[None if column in amounts else value for column, value in enumerate(row)] for row in self.body]
        counted = suppress(counts_only, column_totals=self.column_totals, width=len(self.columns))
        values = [list(row) for row in counted.values]
        hidden = set(counted.hidden)
        for amount_column, count_column in amounts.items():
            forced = {(row, 0) for row in range(len(values)) if (row, count_column) in counted.hidden}
            if self.column_totals:
                # The total amount sums over the counts of the rows where the amount applies.
                under = sum(row[count_column] or 0 for row in self.body if row[amount_column] is not None)
                if is_small(under):
                    forced.add((len(self.body), 0))
            column = suppress(
                [[row[amount_column]] for row in self.body], column_totals=self.column_totals, width=1,
                force_hidden=frozenset(forced), counts=False,
            )
            for row in range(len(values)):
                values[row][amount_column] = column.values[row][0]
            hidden |= {(row, amount_column) for row, _column in column.hidden}
        return SuppressedTable(values=values, hidden=frozenset(hidden))

    def _perturbed(self) -> SuppressedTable:
        assert self.keys is not None, f"table {self.key} has no record keys to perturb with"
        width, amounts = len(self.columns), self.amount_columns

        def counts_of(grid):
            return [[None if column in amounts else value for column, value in enumerate(row)] for row in grid]

        shape = {"row_totals": self.row_totals, "column_totals": self.column_totals, "width": width}
        exact = with_totals(counts_of(self.body), **shape)
        published = perturb_grid(exact, with_totals(counts_of(self.keys), **shape))
        values = [list(row) for row in published.values]
        hidden = set(published.hidden)
        for amount_column, count_column in amounts.items():
            # Hidden when its count is, or when fewer than five records stand behind it.
            forced = {
                (row, 0) for row in range(len(values))
                if (row, count_column) in published.hidden or is_small(exact[row][count_column])
            }
            if self.column_totals:
                under = sum(row[count_column] or 0 for row in self.body if row[amount_column] is not None)
                if is_small(under):
                    forced.add((len(self.body), 0))
            column = suppress(
                [[row[amount_column]] for row in self.body], column_totals=self.column_totals, width=1,
                force_hidden=frozenset(forced), counts=False,
            )
            for row in range(len(values)):
                values[row][amount_column] = round_amount(column.values[row][0])
            hidden |= {(row, amount_column) for row, _column in column.hidden}
        return SuppressedTable(values=values, hidden=frozenset(hidden), primary=published.primary)

    # --- What the report cache keeps (``sections.report_sections``) ------------------------

    def to_plain(self) -> dict:
        """The table as plain data (str, int, bool, None, lists and dicts), its suppression computed.

        Labels are made strings in the current language (the cache key names the language):
        no lazy translation and no class of HOM is pickled, so a cached report loads whatever
        the code's version and costs no translation lookup to unpickle.
        """
        suppressed = self.suppressed
        return {
            "key": str(self.key),
            "title": str(self.title),
            "row_heading": str(self.row_heading),
            "columns": [str(column) for column in self.columns],
            "row_labels": [str(label) for label in self.row_labels],
            "body": _plain_grid(self.body),
            "row_totals": self.row_totals,
            "column_totals": self.column_totals,
            "chart": str(self.chart),
            "chart_columns": list(self.chart_columns),
            "amount_columns": dict(self.amount_columns),
            "keys": None if self.keys is None else _plain_grid(self.keys),
            "perturbed": self.perturbed,
            "suppressed": {
                "values": _plain_grid(suppressed.values),
                "hidden": sorted([row, column] for row, column in suppressed.hidden),
                "primary": None if suppressed.primary is None else sorted(
                    [row, column] for row, column in suppressed.primary
                ),
            },
        }

    @classmethod
    def from_plain(cls, data: dict) -> "Table":
        """The table ``to_plain`` gave, with its suppression as it was computed (not again)."""
        fields = {name: value for name, value in data.items() if name != "suppressed"}
        table = cls(**fields)
        suppressed = data["suppressed"]
        primary = suppressed["primary"]
        table.__dict__["suppressed"] = SuppressedTable(
            values=[list(row) for row in suppressed["values"]],
            hidden=frozenset(tuple(cell) for cell in suppressed["hidden"]),
            primary=None if primary is None else frozenset(tuple(cell) for cell in primary),
        )
        return table

    def is_amount(self, column: int) -> bool:
        return column in self.amount_columns

    @property
    def header(self) -> list[str]:
        return [self.row_heading, *self.columns, *([_("Total")] if self.row_totals else [])]

    @property
    def rows(self) -> list[tuple[str, list]]:
        """Each row's label and its published figures ("<5" for hidden ones, None where nothing applies)."""
        labels = [*self.row_labels, *([_("Total")] if self.column_totals else [])]
        width = len(self.header) - 1
        return [
            (label, [self._shown(index, column) for column in range(width)])
            for index, label in enumerate(labels)
        ]

    def _shown(self, row: int, column: int):
        value = self.suppressed.shown(row, column)
        if column in self.amount_columns and self.suppressed.is_hidden(row, column):
            return HIDDEN_AMOUNT
        return value

    @property
    def cells(self) -> list[tuple[str, list[tuple[object, bool]]]]:
        """Like ``rows``, for display: amounts written the FCFA way, each with whether it is one."""
        def cell(column, value):
            is_amount = column in self.amount_columns
            return (format_fcfa(value, with_unit=False) if is_amount and isinstance(value, int) else value, is_amount)

        return [(label, [cell(column, value) for column, value in enumerate(values)]) for label, values in self.rows]

    def published(self, row: int, column: int) -> int | None:
        """The figure a reader sees, as a number (hidden ones: None): what rankings are made on."""
        suppressed = self.suppressed
        return None if suppressed.is_hidden(row, column) else suppressed.values[row][column]

    @property
    def is_empty(self) -> bool:
        return not any(value for row in self.body for value in row if value)

    def chart_data(self) -> dict:
        """What Chart.js draws: the body's published figures, hidden ones as gaps (null)."""
        datasets = []
        for column in self.chart_columns:
            suppressed = self.suppressed
            values = [
                None if suppressed.is_hidden(index, column) else suppressed.shown(index, column)
                for index in range(len(self.row_labels))
            ]
            datasets.append({"label": str(self.columns[column]), "data": values})
        return {"key": self.key, "type": self.chart, "labels": [str(label) for label in self.row_labels], "datasets": datasets}
