"""Where a spreadsheet import stands: the one state machine of every app's imports.

uploaded → (columns mapped, rows checked) invalid or ready → queued → running → done or
failed. Views and templates read the sets and flags below (the shared page through context
flags, the progress fragment through the ``migrant_tags`` filters), never a raw status string.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, columns to map")
    INVALID = "invalid", _("Errors to fix")
    READY = "ready", _("Ready to import")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


# The statuses in which the columns may still be mapped again and the rows checked again.
EDITABLE = frozenset({ImportStatus.UPLOADED, ImportStatus.INVALID, ImportStatus.READY})
# Between the click on "Import" and the end of the run: the page polls for progress.
IN_PROGRESS = frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING})


def is_editable(status: str) -> bool:
    return status in EDITABLE


def is_ready(status: str) -> bool:
    return status == ImportStatus.READY


def in_progress(status: str) -> bool:
    return status in IN_PROGRESS


def is_done(status: str) -> bool:
    return status == ImportStatus.DONE


def has_failed(status: str) -> bool:
    return status == ImportStatus.FAILED
