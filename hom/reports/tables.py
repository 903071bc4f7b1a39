"""A report table: labelled rows of counts, its totals, and what may be published of it."""
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from .privacy import HIDDEN_MARK, SuppressedTable, suppress


@dataclass
class Table:
    """Counts computed by the database, ready to be suppressed and shown, charted or exported.

    ``row_totals`` adds a total column (sum across a row), ``column_totals`` a total row;
    ask for them only when the figures add up (one visit has several needs: not those).
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

    @cached_property
    def suppressed(self) -> SuppressedTable:
        return suppress(
            self.body, row_totals=self.row_totals, column_totals=self.column_totals, width=len(self.columns)
        )

    @property
    def header(self) -> list[str]:
        return [self.row_heading, *self.columns, *([_("Total")] if self.row_totals else [])]

    @property
    def rows(self) -> list[tuple[str, list]]:
        """Each row's label and its published figures ("<5" for hidden ones, None where nothing applies)."""
        labels = [*self.row_labels, *([_("Total")] if self.column_totals else [])]
        width = len(self.header) - 1
        return [
            (label, [self.suppressed.shown(index, column) for column in range(width)])
            for index, label in enumerate(labels)
        ]

    @property
    def is_empty(self) -> bool:
        return not any(value for row in self.body for value in row if value)

    def chart_data(self) -> dict:
        """What Chart.js draws: the body's published figures, hidden ones as gaps (null)."""
        datasets = []
        for column in self.chart_columns:
            values = [self.suppressed.shown(index, column) for index in range(len(self.row_labels))]
            datasets.append(
                {"label": str(self.columns[column]), "data": [None if value == HIDDEN_MARK else value for value in values]}
            )
        return {"key": self.key, "type": self.chart, "labels": [str(label) for label in self.row_labels], "datasets": datasets}
