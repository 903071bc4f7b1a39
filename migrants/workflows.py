"""The state machine of ``migrants``: a spreadsheet import (persons' and, through the same
statuses, organisations').

uploaded → (columns mapped, rows checked) invalid or ready → queued → running → done or
failed. Views and templates read the sets and flags below (templates through
``migrant_tags``), never a raw status string. The status enum stays in the models.
"""
from .models import ImportStatus

# While the columns may still be mapped again and the rows checked again.
IMPORT_EDITABLE = frozenset({ImportStatus.UPLOADED, ImportStatus.INVALID, ImportStatus.READY})
# Between the click on "Import" and the end of the run: the page polls for progress.
IMPORT_IN_PROGRESS = frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING})


def import_is_editable(status: str) -> bool:
    return status in IMPORT_EDITABLE


def import_is_ready(status: str) -> bool:
    return status == ImportStatus.READY


def import_in_progress(status: str) -> bool:
    return status in IMPORT_IN_PROGRESS


def import_is_done(status: str) -> bool:
    return status == ImportStatus.DONE


def import_has_failed(status: str) -> bool:
    return status == ImportStatus.FAILED
