"""Logging filters (settings.LOGGING)."""
import logging


class OneLineForbidden(logging.Filter):
    """A refused request (403) is logged on one line, without the traceback of its PermissionDenied.

    Django logs every 403 with the exception that made it; a wrong role or a forged id is an
    everyday event, not a bug, and its traceback drowned the console. Errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
