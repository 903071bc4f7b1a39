"""Small-cell suppression: no count from 1 to 4 is ever shown, nor can one be worked out.

A table is a grid of counts (``None`` where a figure does not apply) with, optionally, a
total for each row and a total for each column. Every total line is an equation that a
reader can solve, so hiding the small cells is not enough:

1. *Primary suppression*: every cell (totals included) from 1 to ``THRESHOLD - 1``.
2. *Secondary suppression*, repeated until nothing changes:
   - a line (row or column with its total) holding exactly one hidden figure gets a second
     one: its smallest non-zero cell (a total only when no cell is left, a zero last);
   - a hidden figure that the equations still pin down gets company. Each figure is an
     edge between its row line and its column line (a dimension without totals is no
     equation: its lines merge into one free node); a hidden figure can be recovered
     exactly when it is a bridge of the graph of hidden figures, that is, when it lies on
     no cycle. Hiding the cheapest figure that joins the two sides closes a cycle.

A count hidden because it is small reads "<5"; a figure hidden only to protect another
reads "×" (``SECONDARY_MARK``, explained in the legend): never "<5" for a figure of five
or more. Zero is not a small count (nobody can be recognised in it) and stays visible
unless it has to be hidden.

Suppression alone does not survive *differencing*: a reader who may choose the period
(or compare two tables, or the public profile with a report) subtracts published
figures and finds the hidden ones. Figures published outside the office's own staff are
therefore first *perturbed* by the cell-key method (Australian Bureau of Statistics,
UK ONS): every counted record carries a random key drawn once (``record_key``, 0–255);
a cell's key is the sum of the keys of the records it counts, modulo 256 (computed by
the database with the count); the published figure is the count plus the noise that the
perturbation table below gives for (count, cell key). The same records always give the
same figure, in every report, period, export and on the public profile, so overlapping
queries no longer subtract to the truth. Totals are cells of their own: they need not
add up. After perturbation a figure from 1 to 4 reads "<5"; no secondary suppression is
needed, since no total is exact.
"""
import hashlib
from dataclasses import dataclass, field

THRESHOLD = 5
HIDDEN_MARK = "<5"
# A figure hidden to protect another one (secondary suppression): it may be five or more.
SECONDARY_MARK = "×"

# The perturbation table (public: the protection lies in the keys, which nobody outside sees).
# Cell keys run over KEY_RANGE values; for each count the keys are split between noise values
# in proportion to the weights below (they add up to KEY_RANGE). Zero stays zero; the noise is
# at most MAX_DEVIATION either way, its mean is zero, and it never takes a count below zero.
KEY_RANGE = 256
MAX_DEVIATION = 2
NOISE_WEIGHTS = {
    1: ((-1, 64), (0, 128), (1, 64)),
    # Counts of two and more: variance 1.19, and a published figure equals the count for
    # 96 keys out of 256 (ZERO_NOISE_RATE).
    2: ((-2, 24), (-1, 56), (0, 96), (1, 56), (2, 24)),
}
ZERO_NOISE_RATE = 96 / KEY_RANGE
# Amounts (FCFA) published outside the office are rounded to this step.
AMOUNT_STEP = 100_000


# The keys of each noise value are scattered over 0–255 in a fixed, public order (each key's
# SHA-256 rank), not taken as one run of neighbouring keys: two cells whose keys differ by a
# fixed amount (a period with or without one month, whose records add that amount to the key)
# would otherwise fall in the same run, get the same noise, and differ by the exact count
# (tests/test_attacks.py). The weights, hence every rate below, are unchanged.
_SCATTER = sorted(range(KEY_RANGE), key=lambda key: hashlib.sha256(f"hom-ptable:{key}".encode()).digest())


def _noise_row(weights) -> tuple[int, ...]:
    runs = []
    for noise, weight in weights:
        runs.extend([noise] * weight)
    assert len(runs) == KEY_RANGE
    row = [0] * KEY_RANGE
    for position, key in enumerate(_SCATTER):
        row[key] = runs[position]
    return tuple(row)


_NOISE = {smallest: _noise_row(weights) for smallest, weights in NOISE_WEIGHTS.items()}


def noise(count: int, cell_key: int) -> int:
    """The perturbation table: the noise added to ``count`` for the cell key ``cell_key`` (0–255)."""
    if count <= 0:
        return 0
    row = _NOISE[1 if count == 1 else 2]
    return row[int(cell_key) % KEY_RANGE]  # PostgreSQL sums big integers as numeric


def perturb(count: int | None, key_sum: int | None) -> int | None:
    """The published figure of a cell: its count plus the noise its records' keys give."""
    if count is None:
        return None
    return count + noise(count, key_sum or 0)


def round_amount(amount: int | None) -> int | None:
    if amount is None:
        return None
    return int((amount + AMOUNT_STEP // 2) // AMOUNT_STEP * AMOUNT_STEP)

GROUND = ("free", 0)


@dataclass(frozen=True)
class SuppressedTable:
    """The figures with their totals and which of them are hidden.

    ``values`` has one more row when there are column totals (the last one) and one more
    column when there are row totals (the last one).
    """

    values: list[list[int | None]]
    hidden: frozenset[tuple[int, int]]
    # The hidden figures that are small themselves (primary); the others protect them.
    primary: frozenset[tuple[int, int]] | None = field(default=None)

    def shown(self, row: int, column: int) -> int | str | None:
        """The figure as it may be published: the count, a mark when hidden, or None (not applicable)."""
        value = self.values[row][column]
        if value is None:
            return None
        if (row, column) not in self.hidden:
            return value
        if self.primary is None or (row, column) in self.primary:
            return HIDDEN_MARK
        return SECONDARY_MARK

    def is_hidden(self, row: int, column: int) -> bool:
        return (row, column) in self.hidden


def is_small(value: int | None) -> bool:
    return value is not None and 0 < value < THRESHOLD


def _with_totals(body, row_totals: bool, column_totals: bool, width: int) -> list[list[int | None]]:
    grid = [list(row) for row in body]
    if row_totals:
        for row in grid:
            present = [value for value in row if value is not None]
            row.append(sum(present) if present else None)
    if column_totals:
        total_row = []
        for column in range(width + (1 if row_totals else 0)):
            present = [row[column] for row in grid if row[column] is not None]
            total_row.append(sum(present) if present or not body else None)
        grid.append(total_row)
    return grid


class _Graph:
    """Figures as edges between the equations (lines) they appear in."""

    def __init__(self, grid, row_totals: bool, column_totals: bool):
        self.grid = grid
        height = len(grid)
        width = len(grid[0]) if grid else 0
        self.total_row_index = height - 1 if column_totals else None
        self.total_column_index = width - 1 if row_totals else None
        self.edges = {}
        for row in range(height):
            for column in range(width):
                if grid[row][column] is not None:
                    # Row lines are equations when rows have totals; column lines when columns have.
                    row_node = ("row", row) if row_totals else GROUND
                    column_node = ("column", column) if column_totals else GROUND
                    self.edges[(row, column)] = (row_node, column_node)

    def is_total(self, position) -> bool:
        row, column = position
        return row == self.total_row_index or column == self.total_column_index

    def cost(self, position):
        value = self.grid[position[0]][position[1]]
        return (value == 0, self.is_total(position), value, position)

    def line(self, node):
        return [position for position, ends in self.edges.items() if node in ends]

    def nodes(self):
        return sorted({node for ends in self.edges.values() for node in ends if node != GROUND})

    def reachable(self, start, hidden, without):
        seen, frontier = {start}, [start]
        while frontier:
            node = frontier.pop()
            for position in hidden:
                if position == without:
                    continue
                first, second = self.edges[position]
                for here, there in ((first, second), (second, first)):
                    if here == node and there not in seen:
                        seen.add(there)
                        frontier.append(there)
        return seen


def _lone_hidden_line(graph: _Graph, hidden: set) -> tuple | None:
    """A cheapest figure to hide in a line that holds exactly one hidden figure."""
    for node in graph.nodes():
        line = graph.line(node)
        hidden_in_line = [position for position in line if position in hidden]
        candidates = [position for position in line if position not in hidden]
        if len(hidden_in_line) == 1 and candidates:
            return min(candidates, key=graph.cost)
    return None


def _bridge_companion(graph: _Graph, hidden: set) -> tuple | None:
    """A cheapest figure that puts a recoverable hidden figure (a bridge) on a cycle."""
    for position in sorted(hidden):
        first, second = graph.edges[position]
        if first == second:
            continue  # both ends free: no equation holds this figure
        side = graph.reachable(first, hidden, without=position)
        if second in side:
            continue
        candidates = [
            other
            for other, (one, two) in graph.edges.items()
            if other not in hidden and ((one in side) != (two in side))
        ]
        if candidates:
            return min(candidates, key=graph.cost)
    return None


def suppress(
    body: list[list[int | None]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    width: int | None = None,
    force_hidden: frozenset[tuple[int, int]] = frozenset(),
    counts: bool = True,
) -> SuppressedTable:
    """Add the requested totals to ``body`` (``width`` columns, for an empty body) and hide what must be hidden.

    ``force_hidden`` are positions hidden whatever their value (an amount whose count is
    hidden); ``counts=False`` for amounts, where a value from 1 to 4 is no small count.
    """
    grid = _with_totals(body, row_totals, column_totals, width if width is not None else len(body[0]) if body else 0)
    graph = _Graph(grid, row_totals, column_totals)
    hidden = {
        position
        for position in graph.edges
        if (counts and is_small(grid[position[0]][position[1]])) or position in force_hidden
    }
    primary = frozenset(hidden)
    while True:
        extra = _lone_hidden_line(graph, hidden) or _bridge_companion(graph, hidden)
        if extra is None:
            break
        hidden.add(extra)
    return SuppressedTable(values=grid, hidden=frozenset(hidden), primary=primary)


def with_totals(body, *, row_totals: bool, column_totals: bool, width: int) -> list[list[int | None]]:
    """``body`` with the requested totals (sums of the present figures): counts, or key sums alike."""
    return _with_totals(body, row_totals, column_totals, width)


def perturb_grid(counts, key_sums) -> SuppressedTable:
    """Each figure perturbed by its own cell key (totals included), then those from 1 to 4 hidden ("<5")."""
    values = [
        [perturb(count, key_sums[row][column]) for column, count in enumerate(line)]
        for row, line in enumerate(counts)
    ]
    hidden = frozenset(
        (row, column) for row, line in enumerate(values) for column, value in enumerate(line) if is_small(value)
    )
    return SuppressedTable(values=values, hidden=hidden, primary=hidden)
