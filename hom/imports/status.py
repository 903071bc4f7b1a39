"""Where a spreadsheet import stands."""
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


def is_editable(status: str) -> bool:
    return status in EDITABLE


def is_ready(status: str) -> bool:
    return status == ImportStatus.READY
