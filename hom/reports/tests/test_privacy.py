"""Small-cell suppression, on tables built to produce small cells and revealing totals."""
from fractions import Fraction

from hom.reports.privacy import HIDDEN_MARK, SECONDARY_MARK, is_small, suppress


def published(table):
    return [[table.shown(row, column) for column in range(len(table.values[0]))] for row in range(len(table.values))]


def _rank(rows):
    rows = [[Fraction(value) for value in row] for row in rows]
    rank = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = next((index for index in range(rank, len(rows)) if rows[index][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for index in range(len(rows)):
            if index != rank and rows[index][column] != 0:
                factor = rows[index][column] / rows[rank][column]
                rows[index] = [a - factor * b for a, b in zip(rows[index], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(table, *, row_totals, column_totals):
    """Hidden figures that the published totals determine exactly (linear algebra over the lines)."""
    hidden = sorted(table.hidden)
    height, width = len(table.values), len(table.values[0])
    body_height = height - 1 if column_totals else height
    body_width = width - 1 if row_totals else width
    lines = []
    if row_totals:
        lines += [[(row, column) for column in range(body_width)] + [("total", row, body_width)] for row in range(height)]
    if column_totals:
        lines += [[(row, column) for row in range(body_height)] + [("total", body_height, column)] for column in range(width)]
    equations = []
    for line in lines:
        coefficients = [0] * len(hidden)
        for member in line:
            position, sign = (member[1:], -1) if member[0] == "total" else (member, 1)
            if table.values[position[0]][position[1]] is not None and position in table.hidden:
                coefficients[hidden.index(position)] += sign
        if any(coefficients):
            equations.append(coefficients)
    base = _rank(equations)
    return [
        position
        for index, position in enumerate(hidden)
        if _rank(equations + [[1 if other == index else 0 for other in range(len(hidden))]]) == base
    ]


def test_counts_from_one_to_four_are_hidden_and_zero_and_five_are_shown():
    table = suppress([[0], [1], [4], [5], [12]])

    assert [row[0] for row in published(table)] == [0, HIDDEN_MARK, HIDDEN_MARK, 5, 12]


def test_a_column_total_would_reveal_a_lone_small_cell_so_the_next_smallest_is_hidden():
    # Given a column 3, 9, 20 with its total 32: hiding 3 alone leaves 32 - 9 - 20.
    table = suppress([[3], [9], [20]], column_totals=True)

    # 9 is hidden only to protect the 3: it reads "×", never "<5".
    assert published(table) == [[HIDDEN_MARK], [SECONDARY_MARK], [20], [32]]
    assert recoverable(table, row_totals=False, column_totals=True) == []


def test_a_small_total_is_hidden_with_the_cells_that_would_give_it_back():
    # Given 1 + 2 = 3: every figure of the column is small.
    table = suppress([[1], [2], [0]], column_totals=True)

    assert published(table) == [[HIDDEN_MARK], [HIDDEN_MARK], [0], [HIDDEN_MARK]]


def test_a_cross_table_with_margins_hides_enough_that_nothing_can_be_recovered():
    # Given a sector x status table with one small cell and row and column totals.
    body = [[2, 10, 7], [8, 6, 9], [11, 15, 5]]

    table = suppress(body, row_totals=True, column_totals=True)

    shown = published(table)
    assert shown[0][0] == HIDDEN_MARK
    assert len(table.hidden) >= 4
    assert all(sum(1 for position in table.hidden if position[0] == row) != 1 for row in range(4))
    assert all(sum(1 for position in table.hidden if position[1] == column) != 1 for column in range(4))
    assert recoverable(table, row_totals=True, column_totals=True) == []


def test_the_margin_is_hidden_when_a_row_has_no_other_cell_to_hide():
    # Given a row whose only other cell is zero: the row total (= the small cell) goes too.
    table = suppress([[3, 0], [10, 12]], row_totals=True, column_totals=True)

    assert table.shown(0, 0) == HIDDEN_MARK
    assert recoverable(table, row_totals=True, column_totals=True) == []
    assert all(
        table.shown(*position) == (HIDDEN_MARK if is_small(table.values[position[0]][position[1]]) else SECONDARY_MARK)
        for position in table.hidden
    )


def test_a_hidden_figure_linking_two_hidden_blocks_is_not_left_recoverable():
    # Given two blocks of small cells that share only a bridge, the bridge gets a cycle.
    body = [[1, 2, 30, 30], [2, 1, 30, 30], [30, 30, 3, 4], [30, 30, 4, 3]]

    table = suppress(body, row_totals=True, column_totals=True)

    assert recoverable(table, row_totals=True, column_totals=True) == []
    assert len(table.hidden) >= 8


def test_figures_that_do_not_apply_stay_empty_and_count_in_no_total():
    table = suppress([[12, None], [3, 9], [6, 7]], column_totals=True)

    assert table.shown(0, 1) is None
    assert table.values[3] == [21, 16]
    assert table.shown(1, 0) == HIDDEN_MARK
    assert recoverable(table, row_totals=False, column_totals=True) == []


def test_a_table_without_totals_hides_only_the_small_cells():
    table = suppress([[3, 9], [6, 7]])

    assert published(table) == [[HIDDEN_MARK, 9], [6, 7]]
