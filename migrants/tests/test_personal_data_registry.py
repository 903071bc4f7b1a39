"""The registry of personal data (migrants.personal_data): no model relating to a person goes undeclared."""
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from migrants import personal_data
from migrants.models import Migrant


def test_every_model_relating_to_a_person_is_declared_by_its_app():
    assert personal_data.undeclared() == []


def test_the_walk_finds_the_models_that_hold_a_persons_data():
    found = set(personal_data.relating_to_a_person())

    # Directly (a Migrant or a user account), and through a personal model (a dossier's documents).
    assert {"migrants.Visit", "projects.ProjectDossier", "projects.DossierDocument", "partnerships.Introduction",
            "partnerships.EventParticipant", "notifications.Notification"} <= found


@isolate_apps("migrants")
def test_a_new_model_relating_to_a_person_and_not_declared_fails_the_registry_test():
    class SupportCall(models.Model):
        migrant = models.ForeignKey(Migrant, on_delete=models.CASCADE, related_name="+")
        notes = models.TextField()

        class Meta:
            app_label = "migrants"

        def __str__(self):
            return self.notes

    candidates = [*apps.get_models(), SupportCall]
    assert personal_data.undeclared(candidates) == ["migrants.SupportCall"]


def test_every_file_field_of_a_declared_model_is_declared_as_a_file():
    declared = personal_data.declared_models()
    file_fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.label in declared
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    }

    assert file_fields == personal_data.file_fields() == {"projects.DossierDocument.file"}


def test_an_unknown_key_in_a_declaration_is_refused(monkeypatch):
    config = apps.get_app_config("migrants")
    monkeypatch.setattr(config, "personal_data", {**config.personal_data, "exports": "x.y"})

    try:
        personal_data.declarations()
    except ValueError as error:
        assert "exports" in str(error)
    else:
        raise AssertionError("an unknown key went through")
