"""No form of any app may change who sees what, except the admin-only forms listed here (issue 14).

Walks every ModelForm of the project (each app's ``forms`` modules and the admin's) and
fails on a field that changes a user's access: a relation to the user model (partner
accounts of an organisation, for instance) or, on a form of the user model, the role, the
office, the staff and superuser flags, groups, permissions and ``is_active``.
"""
import importlib
import pkgutil

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model

PROJECT_PACKAGES = {"hom", "migrants", "projects", "partnerships"}
USER_ACCESS_FIELDS = {"role", "office", "is_staff", "is_superuser", "groups", "user_permissions", "is_active", "communes"}

# (form, field) -> why it may stay. Every entry is a decision: keep it short and true.
ALLOWED = {
    ("hom.accounts.admin.UserChangeAdminForm", "*"): "Django admin's user form: only superusers reach the user admin.",
    ("hom.accounts.admin.UserCreationAdminForm", "*"): "Django admin's user form: only superusers reach the user admin.",
    ("migrants.forms.MigrantForm", "advisor"): "the advisor following a person: office staff only; access is by office.",
    ("migrants.forms.VisitForm", "follow_up_advisor"): "who does the follow-up: office staff only; access is by office.",
    ("partnerships.conventions.forms.ConventionForm", "advisor"): "who follows a convention; access is by office.",
}


def _import_forms_modules():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in PROJECT_PACKAGES:
            continue
        package = importlib.import_module(config.name)
        for module in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if module.name.rsplit(".", 1)[-1] in {"forms", "admin"}:
                importlib.import_module(module.name)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def project_model_forms():
    _import_forms_modules()
    return sorted(
        {
            form for form in _subclasses(forms.ModelForm)
            if form.__module__.split(".")[0] in PROJECT_PACKAGES and ".tests." not in f"{form.__module__}."
        },
        key=lambda form: f"{form.__module__}.{form.__qualname__}",
    )


def access_fields(form) -> list[str]:
    user_model = get_user_model()
    found = []
    for name, field in form.base_fields.items():
        queryset = getattr(field, "queryset", None)
        relates_to_users = queryset is not None and queryset.model is user_model
        if relates_to_users or (form._meta.model is user_model and name in USER_ACCESS_FIELDS):
            found.append(name)
    return found


def test_no_form_exposes_a_field_that_changes_access_unless_allowed():
    offending = []
    for form in project_model_forms():
        path = f"{form.__module__}.{form.__qualname__}"
        for name in access_fields(form):
            if (path, name) not in ALLOWED and (path, "*") not in ALLOWED:
                offending.append(f"{path}.{name}")

    assert offending == []


def test_the_walk_finds_the_forms_it_must_judge():
    paths = {f"{form.__module__}.{form.__qualname__}" for form in project_model_forms()}

    # The organisation form (partner accounts were once one of its fields) and the admin's user form.
    assert {"partnerships.forms.OrganisationForm", "hom.accounts.admin.UserChangeAdminForm"} <= paths
    assert len(paths) > 15


def test_the_walk_would_catch_partner_accounts_on_the_organisation_form():
    from partnerships.forms import ORGANISATION_FIELDS, OrganisationForm

    class Exposed(OrganisationForm):
        class Meta(OrganisationForm.Meta):
            fields = [*ORGANISATION_FIELDS, "partner_users"]

    # (Forms of test modules are left out of the walk.)
    assert access_fields(Exposed) == ["partner_users"]
    assert access_fields(OrganisationForm) == []


def test_every_allowed_entry_still_exists():
    forms_by_path = {f"{form.__module__}.{form.__qualname__}": form for form in project_model_forms()}
    for path, name in ALLOWED:
        assert path in forms_by_path, path
        assert name == "*" or name in access_fields(forms_by_path[path]), (path, name)
