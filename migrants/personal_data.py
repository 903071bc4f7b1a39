"""The registry of personal data: what every app holds about a person, and how to export, erase and merge it.

An app declares, on its AppConfig (dotted paths, as the other declarations: models cannot be
imported while app configs load)::

    personal_data = {
        "models": ("projects.ProjectDossier", "projects.DossierDocument", ...),
        "files": ("projects.DossierDocument.file",),
        "export": "projects.personal_data.export_person",   # fn(*, migrant, staff) -> dict
        "erase": "projects.personal_data.erase_person",      # fn(*, migrant, account)
        "merge": "projects.personal_data.merge_persons",     # fn(*, survivor, duplicate)
        "documents": "projects.personal_data.person_documents",  # fn(*, migrant) -> [(zip path, file)]
        "not_personal": {"projects.DocumentType": "reference data"},
        "retention_hold": "projects.personal_data.retention_hold",  # fn(queryset) -> queryset
    }

``models`` are the models that hold or describe a person (their history tables go with them);
``not_personal`` names, with the reason, the models that relate to a user account or to a
personal model without describing a person (a convention's advisor is a staff member). The
test ``migrants/tests/test_personal_data_registry.py`` walks every model and fails when one that
relates to a person is in neither list.

- ``export`` returns a JSON-ready dict for the person's download and the staff export
  (``staff=True`` adds what staff wrote about them);
- ``erase`` runs inside ``migrants.services.migrant_erase``'s transaction, before the person's
  own record is blanked (``account`` is their online account or None);
- ``retention_hold`` takes a queryset of persons the retention rule would erase and returns it
  without those the app still needs (an open dossier): see ``migrants.selectors.retention_due``;
- ``merge`` runs inside ``migrants.services.migrant_merge`` before the generic re-pointing of
  every relation, and resolves what would break a uniqueness rule.

This module imports no other app: they register into it.
"""
from django.apps import apps
from django.utils.module_loading import import_string

KEYS = frozenset({"models", "files", "documents", "export", "erase", "merge", "not_personal", "retention_hold"})


def declarations() -> list[tuple[str, dict]]:
    """(app label, declaration) of every app that declares personal data, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        declared = getattr(config, "personal_data", None)
        if declared is None:
            continue
        unknown = set(declared) - KEYS
        if unknown:
            raise ValueError(f"{config.label}.personal_data: unknown keys {sorted(unknown)}")
        found.append((config.label, declared))
    return found


def _functions(kind: str) -> list[tuple[str, object]]:
    return [(label, import_string(declared[kind])) for label, declared in declarations() if declared.get(kind)]


def declared_models() -> set[str]:
    return {label for _app, declared in declarations() for label in declared.get("models", ())}


def not_personal_models() -> set[str]:
    return {label for _app, declared in declarations() for label in declared.get("not_personal", {})}


def export_person(*, migrant, staff: bool) -> dict:
    """Everything every app holds about the person, by app label."""
    return {label: function(migrant=migrant, staff=staff) for label, function in _functions("export")}


def person_documents(*, migrant) -> list[tuple[str, object]]:
    """(path in the ZIP, open-able file) of every uploaded file of the person, for the staff export."""
    return [entry for _label, function in _functions("documents") for entry in function(migrant=migrant)]


def erase_person(*, migrant, account) -> None:
    # Later apps first: their rows may point at the earlier apps' rows.
    for _label, function in reversed(_functions("erase")):
        function(migrant=migrant, account=account)


def retention_hold(queryset):
    """``queryset`` without the persons some app still needs (each app's ``retention_hold``)."""
    for _label, function in _functions("retention_hold"):
        queryset = function(queryset)
    return queryset


def merge_persons(*, survivor, duplicate) -> None:
    for _label, function in reversed(_functions("merge")):
        function(survivor=survivor, duplicate=duplicate)


# --- The walk: which models relate to a person ------------------------------------------------


def _project_models(candidates=None):
    from django.conf import settings

    base = str(settings.BASE_DIR)
    for model in candidates if candidates is not None else apps.get_models():
        if getattr(model, "instance_type", None) is not None:  # a history table goes with its model
            continue
        config = apps.get_containing_app_config(model.__module__) or model._meta.app_config
        if config is None or not str(config.path).startswith(base) or "/.venv/" in str(config.path):
            continue
        yield model


def relating_to_a_person(candidates=None) -> list[str]:
    """Labels of the project's models with a relation to a person, directly or through a personal model.

    A relation to ``migrants.Migrant`` or to the user model (a migrant's account) makes a model
    relate to a person; so does a relation to a model declared as personal (a dossier's documents).
    """
    from django.contrib.auth import get_user_model

    from .models import Migrant

    declared = declared_models()
    roots = {Migrant, get_user_model()}
    found = []
    for model in _project_models(candidates):
        if model in roots and model is not Migrant:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete) or field.related_model is None:
                continue
            target = field.related_model
            if target in roots or target._meta.label in declared:
                found.append(model._meta.label)
                break
    if Migrant._meta.label not in found:
        found.append(Migrant._meta.label)
    return found


def undeclared(candidates=None) -> list[str]:
    """Models relating to a person that no app declares, neither as personal nor as not personal."""
    known = declared_models() | not_personal_models()
    return sorted(label for label in relating_to_a_person(candidates) if label not in known)


def file_fields() -> set[str]:
    """``app.Model.field`` of every declared file field."""
    return {path for _app, declared in declarations() for path in declared.get("files", ())}
