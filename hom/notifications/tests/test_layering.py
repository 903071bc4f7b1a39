"""hom.notifications is platform: it imports no domain app; the domain apps bring their providers."""
import ast
from pathlib import Path

from django.apps import apps

from hom.notifications.due import provider_paths

PACKAGE = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ("migrants", "projects", "partnerships")


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_production_module_of_notifications_imports_a_domain_app():
    offending = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for module in _imported_modules(path)
        if module.split(".")[0] in DOMAIN_APPS
    }
    assert offending == set()


def test_the_domain_apps_register_every_provider_on_their_appconfig():
    assert provider_paths() == [
        "migrants.reminders.visit_follow_ups",
        "projects.reminders.funding_deadlines",
        "projects.reminders.dossiers_waiting",
        "projects.reminders.changes_requested_untouched",
        "partnerships.reminders.introductions_due",
        "partnerships.reminders.convention_reports_due",
        "partnerships.reminders.meeting_actions_due",
        "partnerships.reminders.cooperation_due",
    ]
    assert getattr(apps.get_app_config("notifications"), "reminder_providers", ()) == ()
