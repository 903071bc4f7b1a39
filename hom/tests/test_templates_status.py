"""Templates never compare a status with a raw string: a renamed status must not silently break a page.

They read what ``workflows.py`` of each app provides (template filters, model properties,
context flags) instead.
"""
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# ``status == "draft"``, ``item.status != 'due'``, ``"ready" == x.status`` (any variable ending in "status").
LITERAL = r"""(?:"[^"{}%]*"|'[^'{}%]*')"""
STATUS = r"[\w.]*status"
COMPARISON = re.compile(rf"{STATUS}\s*(?:==|!=)\s*{LITERAL}|{LITERAL}\s*(?:==|!=)\s*{STATUS}\b")


def _templates():
    for path in ROOT.rglob("*"):
        if path.suffix not in {".html", ".txt"} or "templates" not in path.parts:
            continue
        if {".venv", "node_modules", "staticfiles"} & set(path.parts) or path.is_relative_to(ROOT / "static"):
            continue
        yield path


def test_the_pattern_catches_the_comparisons_it_forbids():
    for bad in ('{% if dossier.status != "draft" %}', "{% elif item.status == 'due' %}", '{% if "ready" == x.status %}'):
        assert COMPARISON.search(bad), bad
    for fine in ("{% if item.status|report_is_due %}", '{% if step == "idea" %}', "{{ dossier.get_status_display }}"):
        assert not COMPARISON.search(fine), fine


def test_no_template_compares_a_status_with_a_raw_string():
    templates = list(_templates())
    assert len(templates) > 50  # the walk found the apps' templates
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in templates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if COMPARISON.search(line)
    ]
    assert offenders == []
