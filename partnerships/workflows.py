"""The state machines of ``partnerships``: introductions, conventions and their reports.

One place says which status may follow which and who may make each move; services check
moves against it, views list the moves a user may make, and templates read the flags and
colours below through ``partnership_tags`` (never a raw status string). The status enums
stay in the models (the migrations name them), as do the status sets ``hom.reports`` reads
(``RUNNING_STATUSES``, ``OPEN_INTRODUCTION_STATUSES``).
"""
from hom.accounts.models import Role
from partnerships.conventions.models import ConventionStatus, ReportItemStatus
from partnerships.models import IntroductionStatus

# --- Introductions ----------------------------------------------------------------------

# Which status may follow which; declined and completed are final. Staff record the moves
# (the pages of introductions are theirs).
INTRODUCTION_MOVES: dict[str, frozenset] = {
    IntroductionStatus.PROPOSED: frozenset(
        {IntroductionStatus.CONTACTED, IntroductionStatus.ACCEPTED, IntroductionStatus.DECLINED}
    ),
    IntroductionStatus.CONTACTED: frozenset({IntroductionStatus.ACCEPTED, IntroductionStatus.DECLINED}),
    IntroductionStatus.ACCEPTED: frozenset({IntroductionStatus.COMPLETED, IntroductionStatus.DECLINED}),
    IntroductionStatus.DECLINED: frozenset(),
    IntroductionStatus.COMPLETED: frozenset(),
}


def introduction_may_move(status: str, to_status: str) -> bool:
    return to_status in INTRODUCTION_MOVES.get(status, ())


def introduction_is_final(status: str) -> bool:
    """Declined or completed: no move is left, the follow-up is over."""
    return not INTRODUCTION_MOVES.get(status)


# --- Conventions ------------------------------------------------------------------------

S = ConventionStatus
# The only moves a convention's status may make, in the order the page offers them.
CONVENTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.NEGOTIATION, S.CLOSED),
    S.NEGOTIATION: (S.DRAFT, S.SIGNED, S.CLOSED),
    S.SIGNED: (S.ACTIVE, S.CLOSED),
    S.ACTIVE: (S.SUSPENDED, S.CLOSED),
    S.SUSPENDED: (S.ACTIVE, S.CLOSED),
    S.CLOSED: (),
}
# Who moves a convention's status: the office's admins.
CONVENTION_MOVERS = (Role.ADMIN,)
# Moves the page shows as a danger (they end the convention).
CONVENTION_ENDING_MOVES = frozenset({S.CLOSED})
# The colour of each status's badge (Bootstrap's text-bg-*); "info" for the others.
CONVENTION_STATUS_COLOURS = {S.ACTIVE: "success", S.CLOSED: "secondary", S.SUSPENDED: "warning"}


def convention_moves(status: str) -> tuple[str, ...]:
    return CONVENTION_TRANSITIONS[status]


def convention_may_move(status: str, to_status: str) -> bool:
    return to_status in CONVENTION_TRANSITIONS.get(status, ())


def convention_moves_for(status: str, user) -> list[ConventionStatus]:
    """The statuses ``user`` may move a convention to from ``status`` (none unless they are an admin)."""
    if not user.has_role(*CONVENTION_MOVERS):
        return []
    return [ConventionStatus(to) for to in convention_moves(status)]


def convention_status_colour(status: str) -> str:
    return CONVENTION_STATUS_COLOURS.get(status, "info")


# --- Reports owed under a convention ----------------------------------------------------

# due → submitted (the party sends its file, again while not approved); submitted → accepted
# (an admin approves) or back to due (an admin sends it back, saying why).
R = ReportItemStatus
REPORT_ITEM_MOVES: dict[str, frozenset] = {
    R.DUE: frozenset({R.SUBMITTED}),
    R.SUBMITTED: frozenset({R.SUBMITTED, R.ACCEPTED, R.DUE}),
    R.ACCEPTED: frozenset(),
}
REPORT_ITEM_STATUS_COLOURS = {R.ACCEPTED: "success", R.SUBMITTED: "info"}


def report_item_may_submit(status: str) -> bool:
    return R.SUBMITTED in REPORT_ITEM_MOVES.get(status, ())


def report_item_awaits_review(status: str) -> bool:
    """Submitted: an admin approves it or sends it back."""
    return status == R.SUBMITTED


def report_item_is_due(status: str) -> bool:
    return status == R.DUE


def report_item_status_colour(status: str) -> str:
    return REPORT_ITEM_STATUS_COLOURS.get(status, "secondary")


# --- Referrals to partner offers ----------------------------------------------------------
# The same moves as an introduction's: proposed → contacted → accepted → completed, or declined.

REFERRAL_MOVES: dict[str, frozenset] = dict(INTRODUCTION_MOVES)


def referral_may_move(status: str, to_status: str) -> bool:
    return to_status in REFERRAL_MOVES.get(status, ())


def referral_is_final(status: str) -> bool:
    return not REFERRAL_MOVES.get(status)


# --- Cooperation introductions (a commune and an association or a foreign local authority) ----
# The same moves as an introduction's: proposed → contacted → accepted → completed, or declined.

COOPERATION_MOVES: dict[str, frozenset] = dict(INTRODUCTION_MOVES)


def cooperation_may_move(status: str, to_status: str) -> bool:
    return to_status in COOPERATION_MOVES.get(status, ())


def cooperation_moves(status: str) -> list[str]:
    """The statuses an introduction may go to from ``status``, in the workflow's order."""
    order = list(IntroductionStatus.values)
    return sorted(COOPERATION_MOVES.get(status, ()), key=order.index)
