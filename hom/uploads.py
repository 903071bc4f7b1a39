"""What HOM accepts as an uploaded document: PDF, JPEG, PNG, DOCX or XLSX, recognised by content.

The name a file arrives with proves nothing (an executable renamed ``.pdf`` is still an
executable), so the first bytes decide, and Office files, which are zip containers,
are opened to check that they hold a Word or Excel document.
"""
import zipfile
from dataclasses import dataclass

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The most a document may weigh, wherever it is attached (dossiers, conventions, reports).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024

SIMPLE_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str


def _office_document(uploaded) -> CheckedUpload | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return CheckedUpload("docx", DOCX)
    if any(name.startswith("xl/") for name in names):
        return CheckedUpload("xlsx", XLSX)
    return None


def check_upload(uploaded) -> CheckedUpload:
    """Return the real type of ``uploaded``, or raise ValidationError with a message for the user."""
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty. Choose the file again."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too big (%(size)s). The limit is %(limit)s: scan it at a lower resolution."),
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    checked = None
    if kind is not None and kind.extension in SIMPLE_TYPES:
        checked = CheckedUpload(kind.extension, SIMPLE_TYPES[kind.extension])
    elif head.startswith(b"PK\x03\x04"):
        checked = _office_document(uploaded)
        uploaded.seek(0)
    if checked is None:
        raise ValidationError(
            _("This file is not a PDF, a photo (JPEG, PNG), a Word (DOCX) or an Excel (XLSX) document."),
            code="bad_type",
        )
    return checked


class UploadInput(forms.ClearableFileInput):
    """A document's file input that the browser checks before sending (``static/js/uploads.js``).

    It carries the limits of :func:`check_upload` — ``accept``, ``data-max-bytes`` — and the
    messages the script shows, in the page's language, so that a file over the limit on a slow
    link is refused at once instead of after the whole upload. The server still checks.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "accept": ACCEPT,
                "data-max-bytes": str(MAX_UPLOAD_BYTES),
                "data-too-big": gettext("This file is too big: the limit is %(limit)s. Scan it at a lower resolution.")
                % {"limit": filesizeformat(MAX_UPLOAD_BYTES)},
                "data-wrong-type": gettext(
                    "This file is not a PDF, a photo (JPEG, PNG), a Word (DOCX) or an Excel (XLSX) document."
                ),
                "data-progress-label": gettext("Sending the file"),
            }
        )
        return context
