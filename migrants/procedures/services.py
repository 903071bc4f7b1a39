"""Writes of the guidance sheets: the office admin keeps the office's library."""
from django.db import transaction

from ..models import ProcedureSheet

FIELDS = ("topic", "title_fr", "title_en", "body_fr", "body_en", "source_url", "is_published")


@transaction.atomic
def sheet_save(*, sheet: ProcedureSheet | None = None, office, actor, **fields) -> ProcedureSheet:
    """Create a sheet of ``office`` (``sheet`` None) or change one; the history says who."""
    sheet = sheet or ProcedureSheet(office=office)
    for name in FIELDS:
        if name in fields:
            setattr(sheet, name, fields[name])
    sheet.updated_by = actor
    sheet._history_user = actor
    sheet.full_clean()
    sheet.save()
    return sheet
