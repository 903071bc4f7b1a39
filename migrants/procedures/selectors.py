"""Reads of the guidance sheets."""
from django.http import Http404

from ..models import ProcedureSheet, ProcedureTopic


def sheets_published(*, topic: str = ""):
    """The public library: every office's published sheets, by topic (``topic``: one only)."""
    sheets = ProcedureSheet.objects.published().select_related("office")
    if topic in ProcedureTopic.values:
        sheets = sheets.filter(topic=topic)
    return sheets.order_by("topic", "title_fr", "pk")


def sheets_of_office(user):
    """The office's own sheets, drafts included, for its staff (a national admin: every office's)."""
    return ProcedureSheet.objects.visible_to(user).select_related("office").order_by("topic", "title_fr", "pk")


def sheet_for_reading(user, pk: int) -> ProcedureSheet:
    """A published sheet for anyone; a draft only for the staff of its office (404 otherwise)."""
    sheet = ProcedureSheet.objects.select_related("office").filter(pk=pk).first()
    if sheet is None:
        raise Http404
    if sheet.is_published or sheets_of_office(user).filter(pk=pk).exists():
        return sheet
    raise Http404


def sheet_to_edit(user, pk: int) -> ProcedureSheet:
    """A sheet of the office admin's own office (404 for another office's)."""
    sheet = sheets_of_office(user).filter(pk=pk).first()
    if sheet is None:
        raise Http404
    return sheet
