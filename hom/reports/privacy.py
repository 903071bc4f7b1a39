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

Every hidden figure is shown the same way ("<5"), so a reader cannot tell a small count
from one hidden to protect it. Zero is not a small count (nobody can be recognised in
it) and stays visible unless it has to be hidden.
"""
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN_MARK = "<5"

GROUND = ("free", 0)


@dataclass(frozen=True)
class SuppressedTable:
    """The figures with their totals and which of them are hidden.

    ``values`` has one more row when there are column totals (the last one) and one more
    column when there are row totals (the last one).
    """

    values: list[list[int | None]]
    hidden: frozenset[tuple[int, int]]

    def shown(self, row: int, column: int) -> int | str | None:
        """The figure as it may be published: the count, ``HIDDEN_MARK``, or None (not applicable)."""
        value = self.values[row][column]
        if value is None:
            return None
        return HIDDEN_MARK if (row, column) in self.hidden else value


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
    while True:
        extra = _lone_hidden_line(graph, hidden) or _bridge_companion(graph, hidden)
        if extra is None:
            break
        hidden.add(extra)
    return SuppressedTable(values=grid, hidden=frozenset(hidden))
