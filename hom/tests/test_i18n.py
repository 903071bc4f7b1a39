"""French first, English complete."""
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIRS = [Path(settings.BASE_DIR) / "locale"] + [
    path for path in Path(settings.BASE_DIR).glob("*/locale") if ".venv" not in path.parts
] + [path for path in Path(settings.BASE_DIR).glob("hom/*/locale")]


def _po_files(language):
    return sorted(path for directory in LOCALE_DIRS for path in directory.glob(f"{language}/LC_MESSAGES/django.po"))


def _untranslated(po_path):
    catalogue = polib.pofile(po_path)
    return [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]


def test_there_are_french_and_english_catalogues_with_compiled_files():
    for language in ("fr", "en"):
        po_files = _po_files(language)
        assert po_files, f"no {language} catalogue"
        for po_path in po_files:
            assert po_path.with_suffix(".mo").exists(), f"{po_path} is not compiled"
            assert po_path.with_suffix(".mo").stat().st_mtime >= po_path.stat().st_mtime - 5, f"{po_path} changed after compilation"


@pytest.mark.parametrize("po_path", _po_files("fr") + _po_files("en"), ids=str)
def test_every_string_is_translated(po_path):
    assert _untranslated(po_path) == []


def test_french_is_the_default_and_english_a_click_away(client, db):
    french = client.get(reverse("login"))
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    english = client.get(reverse("login"))

    assert '<html lang="fr">' in french.content.decode() and "Se connecter" in french.content.decode()
    assert '<html lang="en">' in english.content.decode() and "Log in" in english.content.decode()
