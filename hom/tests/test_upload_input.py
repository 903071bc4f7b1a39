"""The file input a browser checks before sending (hom.uploads.UploadInput): it carries the server's limits."""
import html

from django import forms
from django.utils import translation

from hom.uploads import ACCEPT, MAX_UPLOAD_BYTES, UploadInput


class DocumentForm(forms.Form):
    file = forms.FileField(widget=UploadInput())


def test_the_input_carries_the_limits_and_the_messages_in_the_page_language():
    with translation.override("fr"):
        french = html.unescape(str(DocumentForm()["file"]))
    with translation.override("en"):
        english = html.unescape(str(DocumentForm()["file"]))

    assert f'data-max-bytes="{MAX_UPLOAD_BYTES}"' in french and f'accept="{ACCEPT}"' in french
    assert 'data-too-big="Ce fichier est trop gros\u00a0: la limite est de 10,0\u00a0Mio.' in french
    assert 'data-wrong-type="Ce fichier n’est pas un PDF' in french
    assert 'data-too-big="This file is too big: the limit is 10.0\u00a0MB.' in english
