"""The readable page of a person's data (right of access, issue 15): the registry's export, laid out.

One source: the page shows exactly the dict the JSON download and the staff ZIP carry
(``personal_data.export_person``, every app's ``export``), turned into labelled sections. A key
this module has no label for is still shown (its name, spaced), so a new app's export appears
on the page without anyone touching it.
"""
import re
from datetime import date, datetime

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Migrant

LABELS = {
    "visits": gettext_lazy("Visits"),
    "appointments": gettext_lazy("Appointments"),
    "start": gettext_lazy("Start"),
    "kind": gettext_lazy("Kind"),
    "state": gettext_lazy("State"),
    "date": gettext_lazy("Date"),
    "channel": gettext_lazy("Channel"),
    "place": gettext_lazy("Place"),
    "needs": gettext_lazy("Needs expressed"),
    "services_given": gettext_lazy("Services given"),
    "referral_to": gettext_lazy("Referred to"),
    "outcome": gettext_lazy("Outcome"),
    "follow_up_on": gettext_lazy("Follow-up date"),
    "notes": gettext_lazy("Staff notes"),
    "advisor": gettext_lazy("Advisor"),
    "dossiers": gettext_lazy("Project dossiers"),
    "reference": gettext_lazy("Reference"),
    "title": gettext_lazy("Title"),
    "status": gettext_lazy("Status"),
    "summary": gettext_lazy("Summary"),
    "sector": gettext_lazy("Sector"),
    "commune": gettext_lazy("Commune"),
    "market": gettext_lazy("Market"),
    "team": gettext_lazy("Team"),
    "jobs_women": gettext_lazy("Jobs for women"),
    "jobs_men": gettext_lazy("Jobs for men"),
    "expected_start": gettext_lazy("Expected start"),
    "submitted_at": gettext_lazy("Submitted on"),
    "budget": gettext_lazy("Budget"),
    "category": gettext_lazy("Category"),
    "item": gettext_lazy("Item"),
    "quantity": gettext_lazy("Quantity"),
    "unit_cost": gettext_lazy("Unit cost (FCFA)"),
    "financing": gettext_lazy("Financing"),
    "source": gettext_lazy("Source"),
    "details": gettext_lazy("Details"),
    "amount": gettext_lazy("Amount (FCFA)"),
    "documents": gettext_lazy("Documents"),
    "type": gettext_lazy("Type"),
    "version": gettext_lazy("Version"),
    "file_name": gettext_lazy("File name"),
    "uploaded_at": gettext_lazy("Uploaded on"),
    "current": gettext_lazy("Current version"),
    "zip_path": gettext_lazy("File in the archive"),
    "applications": gettext_lazy("Funding applications"),
    "programme": gettext_lazy("Programme"),
    "amount_requested": gettext_lazy("Amount requested (FCFA)"),
    "amount_granted": gettext_lazy("Amount granted (FCFA)"),
    "submitted_on": gettext_lazy("Submitted on"),
    "decided_on": gettext_lazy("Decided on"),
    "review_comments": gettext_lazy("Review comments"),
    "section": gettext_lazy("Section"),
    "comment": gettext_lazy("Comment"),
    "status_changes": gettext_lazy("Status changes"),
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "introductions": gettext_lazy("Introductions to organisations"),
    "organisation": gettext_lazy("Organisation"),
    "introduced_by": gettext_lazy("Introduced by"),
    "purpose": gettext_lazy("Purpose"),
    "events": gettext_lazy("Event registrations"),
    "event": gettext_lazy("Event"),
    "registered_at": gettext_lazy("Registered on"),
    "attended": gettext_lazy("Attended"),
    "notifications": gettext_lazy("Notifications"),
    "read": gettext_lazy("Read"),
}
# What names one item of a list (a dossier by its reference and title, an event by its title...).
ITEM_TITLE_KEYS = ("reference", "title", "event", "organisation", "programme", "date")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _label(key: str) -> str:
    if key in LABELS:
        return str(LABELS[key])
    try:
        return str(Migrant._meta.get_field(key).verbose_name).capitalize()
    except Exception:  # noqa: BLE001 - any other key is shown by its name
        return key.replace("_", " ").capitalize()


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        if DATE.match(value):
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        if DATETIME.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def _item_title(item: dict, index: int) -> str:
    named = [_text(item[key]) for key in ITEM_TITLE_KEYS if item.get(key) not in (None, "")][:2]
    return " · ".join(named) if named else f"#{index}"


def _node(key: str, value) -> dict:
    label = _label(key)
    if isinstance(value, dict):
        return {"kind": "group", "label": label, "children": [_node(k, v) for k, v in value.items()]}
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        return {"kind": "list", "label": label, "items": [
            {"kind": "group", "label": _item_title(item, index), "children": [_node(k, v) for k, v in item.items()]}
            for index, item in enumerate(value, 1)
        ]}
    if isinstance(value, list):
        return {"kind": "field", "label": label, "value": ", ".join(_text(item) for item in value) or "—"}
    return {"kind": "field", "label": label, "value": _text(value)}


def readable_sections(data: dict) -> list[dict]:
    """The export (``{app label: {key: value}}``) as sections to render, one per app, titled by the app's name."""
    sections = []
    for app_label, content in data.items():
        config = next((config for config in apps.get_app_configs() if config.label == app_label), None)
        node = _node(app_label, content)
        node["label"] = str(config.verbose_name) if config else app_label
        sections.append(node)
    return sections
