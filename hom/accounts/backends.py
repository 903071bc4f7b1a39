"""Signing in by email or phone, and permissions that follow from a role.

``LoginNameBackend`` is Django's ``ModelBackend`` reading the login name first through
``hom.http.normalise_login``: "77 123 45 67", "+221771234567" and "00221 77 123 45 67" are one
account (E.164), "X@Demo.hom" and "x@demo.hom" another. django-axes counts failures on the same
spelling (``AXES_USERNAME_CALLABLE``), so no variant escapes the lockout.

``RolePermissionBackend``: permissions that follow from a role, so office admins can edit reference data in the admin.

Office admins maintain the national reference tables (sectors, need categories, and
later the document checklists) without being superusers. Apps declare which of their
models are reference data with ``reference_data_models`` on their AppConfig.
"""
from django.apps import apps
from django.contrib.auth.backends import BaseBackend, ModelBackend

from hom.http import normalise_login

from .models import Role, User


class LoginNameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.pop(User.USERNAME_FIELD, None)
        if username is None:
            return None
        return super().authenticate(request, username=normalise_login(username), password=password, **kwargs)

    def get_user(self, user_id):
        """The signed-in user of each request, with their office and its region in the same query: nearly
        every staff page scopes by the office or names it."""
        user = User._default_manager.select_related("office__region").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def _reference_models() -> dict[str, set[str]]:
    by_app: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        for model_name in getattr(config, "reference_data_models", ()):
            by_app.setdefault(config.label, set()).add(model_name.lower())
    return by_app


class RolePermissionBackend(BaseBackend):
    def _is_office_admin(self, user_obj) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "role", None) == Role.ADMIN and user_obj.is_staff)

    def has_perm(self, user_obj, perm, obj=None):
        if not self._is_office_admin(user_obj) or "." not in perm:
            return False
        app_label, codename = perm.split(".", 1)
        _action, _, model_name = codename.partition("_")
        return model_name in _reference_models().get(app_label, set())

    def has_module_perms(self, user_obj, app_label):
        return self._is_office_admin(user_obj) and app_label in _reference_models()
