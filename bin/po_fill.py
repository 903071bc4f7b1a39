#!/usr/bin/env python
"""Fill gettext catalogues: English with its own msgids, French from a JSON of msgid -> msgstr.

Usage (from the repository root, after `make messages`):
    .venv/bin/python bin/po_fill.py LOCALE_DIR [fr_translations.json]

LOCALE_DIR is `locale` or an app's `<app>/locale`. The English catalogue is complete
by construction (source strings are English); French entries found in the JSON are
written, the others are listed so that nothing untranslated goes unnoticed. Then the
catalogues are compiled with `manage.py compilemessages`.
"""
import json
import sys
from pathlib import Path

import polib


def main(locale_dir: str, translations_path: str | None = None) -> int:
    root = Path(locale_dir)
    english = polib.pofile(root / "en/LC_MESSAGES/django.po")
    for entry in english:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    english.save()

    french = polib.pofile(root / "fr/LC_MESSAGES/django.po")
    translations = json.loads(Path(translations_path).read_text(encoding="utf-8")) if translations_path else {}
    missing = []
    for entry in french:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]} if isinstance(value, list) else {0: value, 1: value}
            else:
                entry.msgstr = value
        if "fuzzy" in entry.flags or (not entry.msgstr and not any(entry.msgstr_plural.values())):
            missing.append(entry.msgid)
    french.save()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
