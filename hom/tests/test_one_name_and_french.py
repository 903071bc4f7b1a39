"""One name and French that reads right (issue 19, point 6): the office's name in the bar, the
titles and the emails; no "BAM"; a non-breaking space before a French colon; counts agree."""
import html
import re
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

NAME = "HOM — Bureau d'appui aux migrants"
BASE = Path(settings.BASE_DIR)
FRENCH = sorted(path for path in BASE.glob("**/locale/fr/LC_MESSAGES/django.po") if ".venv" not in path.parts)
# Catalogues other work in progress is rewriting (consent, the API, reports): their colons are
# fixed with that work. Every other French catalogue is checked.
COLONS_PENDING = {BASE / "migrants", BASE / "hom/api", BASE / "hom/reports"}
# A colon with no space, or an ordinary one, before it (not in a time, a URL or "::").
BAD_COLON = re.compile(r"(?<=[^\s\d:/\u00a0]) ?:(?=\s|$)")


def _french_texts(path):
    for entry in polib.pofile(path):
        yield from (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_bar_and_the_title_carry_the_one_name(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = html.unescape(client.get(reverse("login")).content.decode())

    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.endswith(f"· {NAME}")
    brand = re.search(r'<a class="navbar-brand[^"]*"[^>]*data-testid="brand">(.*?)</a>', page, re.S).group(1)
    assert NAME in brand and ">HOM<" in brand  # the short name on a phone, the whole one from 576 px
    assert "BAM" not in page


def test_the_password_reset_email_says_hom(client, users):
    client.post(reverse("password_reset"), {"email": "advisor@example.sn"})

    assert mail.outbox[0].subject == "HOM\u00a0: choisissez un nouveau mot de passe"
    assert "BAM" not in mail.outbox[0].body and "compte HOM" in mail.outbox[0].body


@pytest.mark.parametrize("po_path", FRENCH, ids=lambda path: str(path.relative_to(BASE)))
def test_no_french_text_calls_the_office_bam(po_path):
    assert [text for text in _french_texts(po_path) if "BAM" in text] == []


@pytest.mark.parametrize(
    "po_path", [path for path in FRENCH if not any(path.is_relative_to(pending) for pending in COLONS_PENDING)],
    ids=lambda path: str(path.relative_to(BASE)),
)
def test_a_french_colon_has_a_non_breaking_space_before_it(po_path):
    assert [text for text in _french_texts(po_path) if BAD_COLON.search(text)] == []


def test_the_office_dashboard_title_reads_right():
    with translation.override("fr"):
        title = Template("{% load i18n %}{% blocktranslate %}Dashboard of {{ office }}{% endblocktranslate %}").render(
            Context({"office": "Bureau de Sédhiou"})
        )
    assert title == "Tableau de bord — Bureau de Sédhiou"


@pytest.mark.parametrize(
    ("women", "men", "youth", "expected"),
    [
        (1, 1, 1, "Emplois\u00a0: 1 femme, 1 homme, dont 1 jeune de moins de 35 ans."),
        (0, 2, 3, "Emplois\u00a0: 0 femme, 2 hommes, dont 3 jeunes de moins de 35 ans."),
    ],
)
def test_the_jobs_of_a_dossier_agree_with_their_count(women, men, youth, expected):
    dossier = SimpleNamespace(team="", jobs_women=women, jobs_men=men, jobs_youth=youth)

    with translation.override("fr"):
        html = render_to_string("projects/_section_body.html", {"value": "team", "dossier": dossier})

    assert expected in html


def test_one_place_is_one_place():
    template = Template(
        "{% load i18n %}{% blocktranslate count capacity=n %}{{ capacity }} place{% plural %}{{ capacity }} places"
        "{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert [template.render(Context({"n": n})) for n in (1, 2)] == ["1 place", "2 places"]
    with translation.override("fr"):
        assert [template.render(Context({"n": n})) for n in (1, 2)] == ["1 place", "2 places"]
