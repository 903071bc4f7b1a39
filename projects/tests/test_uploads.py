"""Uploads are recognised by content, at most 10 MB, never empty; refused files leave nothing behind."""
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hom.uploads import check_upload
from projects.tests.factories import PDF_BYTES

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXECUTABLE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def office_file(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("cni.pdf", PDF_BYTES, "pdf"),
        ("photo.jpeg", JPEG_BYTES, "jpg"),
        ("scan.png", PNG_BYTES, "png"),
        ("plan.docx", office_file("word"), "docx"),
        ("budget.xlsx", office_file("xl"), "xlsx"),
        ("no-extension", PDF_BYTES, "pdf"),
    ],
)
def test_accepted_types_are_recognised_by_their_content(name, content, extension):
    assert check_upload(SimpleUploadedFile(name, content)).extension == extension


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cni.pdf", EXECUTABLE_BYTES, "n’est pas un PDF"),
        ("archive.docx", office_file("other"), "n’est pas un PDF"),
        ("notes.pdf", b"just some text", "n’est pas un PDF"),
        ("empty.pdf", b"", "Le fichier est vide"),
        ("big.pdf", PDF_BYTES + b"0" * (25 * 1024 * 1024), "trop volumineux"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content))

    assert message in " ".join(error.value.messages)
