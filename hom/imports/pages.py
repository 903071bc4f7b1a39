"""The page of one import, shared: the mapping form, the errors, the rows a page at a time."""
from django.core.paginator import Paginator
from django.shortcuts import render

from . import status

PREVIEW_PAGE_SIZE = 50


def is_editable(spreadsheet_import) -> bool:
    return status.is_editable(spreadsheet_import.status)


def render_import_detail(request, spreadsheet_import, *, form, start_url: str, start_label: str, back_url: str,
                         progress_template: str | None = None, extra: dict | None = None):
    page = Paginator(spreadsheet_import.rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "spreadsheet_import": spreadsheet_import, "form": form, "editable": is_editable(spreadsheet_import),
        "ready": status.is_ready(spreadsheet_import.status),
        "page": page, "start_url": start_url, "start_label": start_label, "back_url": back_url,
        "progress_template": progress_template, **(extra or {}),
    }
    return render(request, "imports/import_detail.html", context)
