"""The state machines of ``projects``: dossiers and funding applications.

One place says which status may follow which and who may make each move; services check
moves against it, selectors list the moves a user may make, templates read the flags and
colours below (never a raw status string). The status enums stay in the models (the
migrations name them).

"Who" is a *part on the dossier* (``selectors.dossier_role_of``): its promoter, an advisor
or an admin of its office.
"""
from django.utils.translation import gettext_lazy as _

from projects.funding.models import ApplicationStatus, FundingStatus
from projects.models import DossierStatus

# The parts a user may play on a dossier. "migrant" is the promoter of the dossier itself.
MIGRANT, ADVISOR, ADMIN = "migrant", "advisor", "admin"
STAFF = frozenset({ADVISOR, ADMIN})

# --- Dossiers ---------------------------------------------------------------------------

DOSSIER_MOVES: dict[tuple[str, str], frozenset] = {
    (DossierStatus.DRAFT, DossierStatus.SUBMITTED): frozenset({MIGRANT}),
    (DossierStatus.CHANGES_REQUESTED, DossierStatus.SUBMITTED): frozenset({MIGRANT}),
    (DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW): STAFF,
    (DossierStatus.SUBMITTED, DossierStatus.CHANGES_REQUESTED): STAFF,
    (DossierStatus.IN_REVIEW, DossierStatus.CHANGES_REQUESTED): STAFF,
    (DossierStatus.SUBMITTED, DossierStatus.READY): STAFF,
    (DossierStatus.IN_REVIEW, DossierStatus.READY): STAFF,
    (DossierStatus.READY, DossierStatus.CHANGES_REQUESTED): STAFF,
    (DossierStatus.READY, DossierStatus.SENT_TO_FUNDER): STAFF,
    (DossierStatus.SENT_TO_FUNDER, DossierStatus.FUNDED): frozenset({ADMIN}),
    (DossierStatus.SENT_TO_FUNDER, DossierStatus.NOT_FUNDED): frozenset({ADMIN}),
    (DossierStatus.FUNDED, DossierStatus.IN_IMPLEMENTATION): frozenset({ADMIN}),
    (DossierStatus.IN_IMPLEMENTATION, DossierStatus.CLOSED): frozenset({ADMIN}),
    (DossierStatus.NOT_FUNDED, DossierStatus.CLOSED): frozenset({ADMIN}),
    **{
        (status, DossierStatus.WITHDRAWN): frozenset({MIGRANT})
        for status in (
            DossierStatus.DRAFT,
            DossierStatus.SUBMITTED,
            DossierStatus.IN_REVIEW,
            DossierStatus.CHANGES_REQUESTED,
            DossierStatus.READY,
        )
    },
}
# What the button says for each move (the status names describe, these act).
DOSSIER_ACTION_LABELS = {
    DossierStatus.SUBMITTED: _("Submit the dossier to the office"),
    DossierStatus.IN_REVIEW: _("Start the review"),
    DossierStatus.CHANGES_REQUESTED: _("Ask the promoter for changes"),
    DossierStatus.READY: _("Mark ready for a funder"),
    DossierStatus.SENT_TO_FUNDER: _("Record: sent to a funder"),
    DossierStatus.FUNDED: _("Record the funder's decision: funded"),
    DossierStatus.NOT_FUNDED: _("Record the funder's decision: not funded"),
    DossierStatus.IN_IMPLEMENTATION: _("Record: implementation started"),
    DossierStatus.CLOSED: _("Close the dossier"),
    DossierStatus.WITHDRAWN: _("Withdraw my dossier"),
}
# Moves that need a balanced financing plan, and moves that need a comment.
NEEDS_BALANCED_PLAN = frozenset({DossierStatus.SUBMITTED, DossierStatus.READY})
NEEDS_COMMENT = frozenset({DossierStatus.CHANGES_REQUESTED})
# Moves that need every required document of the checklist: a funder receives the dossier complete.
NEEDS_REQUIRED_DOCUMENTS = frozenset({DossierStatus.READY})

# Who may change the dossier's content in which status.
MIGRANT_EDITABLE = frozenset({DossierStatus.DRAFT, DossierStatus.CHANGES_REQUESTED})
STAFF_EDITABLE = frozenset(
    {
        DossierStatus.DRAFT,
        DossierStatus.SUBMITTED,
        DossierStatus.IN_REVIEW,
        DossierStatus.CHANGES_REQUESTED,
        DossierStatus.READY,
    }
)
# The advisors' review queue.
IN_REVIEW_QUEUE = (DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW)
# Dossiers whose readiness no longer matters: the checklist may change under them.
SETTLED_STATUSES = frozenset(
    {
        DossierStatus.FUNDED,
        DossierStatus.NOT_FUNDED,
        DossierStatus.IN_IMPLEMENTATION,
        DossierStatus.CLOSED,
        DossierStatus.WITHDRAWN,
    }
)
# The colour of each status's badge (Bootstrap's text-bg-*).
DOSSIER_STATUS_COLOURS = {
    DossierStatus.DRAFT: "secondary",
    DossierStatus.SUBMITTED: "primary",
    DossierStatus.IN_REVIEW: "info",
    DossierStatus.CHANGES_REQUESTED: "warning",
    DossierStatus.READY: "success",
    DossierStatus.SENT_TO_FUNDER: "primary",
    DossierStatus.FUNDED: "success",
    DossierStatus.NOT_FUNDED: "danger",
    DossierStatus.IN_IMPLEMENTATION: "success",
    DossierStatus.CLOSED: "dark",
    DossierStatus.WITHDRAWN: "light",
}


def dossier_moves(status: str, part: str | None) -> list[str]:
    """The statuses ``part`` may move a dossier to from ``status``, in the table's order."""
    return [to for (source, to), parts in DOSSIER_MOVES.items() if source == status and part in parts]


def dossier_may_move(status: str, to_status: str, part: str | None) -> bool:
    return part is not None and part in DOSSIER_MOVES.get((status, to_status), ())


def dossier_editable(status: str, part: str | None) -> bool:
    """A promoter edits a draft or a dossier sent back to them; staff until it goes to a funder."""
    if part == MIGRANT:
        return status in MIGRANT_EDITABLE
    return part in STAFF and status in STAFF_EDITABLE


def dossier_is_draft(status: str) -> bool:
    return status == DossierStatus.DRAFT


def dossier_status_colour(status: str) -> str:
    return DOSSIER_STATUS_COLOURS.get(status, "secondary")


# --- Funding applications ---------------------------------------------------------------

# The promoter may say they sent the application; only the office records the funder's answers.
APPLICATION_MOVES: dict[tuple[str, str], frozenset] = {
    (ApplicationStatus.PLANNED, ApplicationStatus.SUBMITTED): frozenset({MIGRANT, ADVISOR, ADMIN}),
    (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED): STAFF,
    (ApplicationStatus.SUBMITTED, ApplicationStatus.REFUSED): STAFF,
    (ApplicationStatus.ACCEPTED, ApplicationStatus.DISBURSED): STAFF,
}
# Moves that record an amount (which field it goes to), the date of each move, and the
# moves whose amount is required.
MOVE_AMOUNT_FIELD = {
    ApplicationStatus.SUBMITTED: "amount_requested",
    ApplicationStatus.ACCEPTED: "amount_granted",
    ApplicationStatus.DISBURSED: "amount_disbursed",
}
MOVE_DATE_FIELD = {
    ApplicationStatus.SUBMITTED: "submitted_on",
    ApplicationStatus.ACCEPTED: "decided_on",
    ApplicationStatus.REFUSED: "decided_on",
    ApplicationStatus.DISBURSED: "disbursed_on",
}
AMOUNT_REQUIRED = frozenset({ApplicationStatus.ACCEPTED, ApplicationStatus.DISBURSED})


def application_moves(status: str, part: str | None) -> list[str]:
    """The statuses ``part`` may record next on an application in ``status``."""
    return [to for (source, to), parts in APPLICATION_MOVES.items() if source == status and part in parts]


def application_may_move(status: str, to_status: str, part: str | None) -> bool:
    return part is not None and part in APPLICATION_MOVES.get((status, to_status), ())


# --- Funding programmes (a status set by admins, no moves) ------------------------------

FUNDING_STATUS_COLOURS = {
    FundingStatus.OPEN: "success",
    FundingStatus.UPCOMING: "warning",
    FundingStatus.CLOSED: "secondary",
}


def funding_status_colour(status: str) -> str:
    return FUNDING_STATUS_COLOURS.get(status, "secondary")
