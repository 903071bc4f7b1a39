"""The one access layer of HOM.

Two rules, used by every view of every app:

1. *Who may open this page* is a role check: ``@role_required(Role.ADVISOR, ...)`` on a
   function view or ``RoleRequiredMixin`` on a class. Anonymous users go to the login
   page; a logged-in user of another role gets 403 (the page exists for everyone, so
   saying so leaks nothing).
2. *Which rows they may see* is the model's ``visible_to(user)`` queryset method. Object
   lookups go through :func:`get_visible_or_404`, so a record out of scope answers 404,
   exactly like one that does not exist: ids leak nothing.
"""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from .models import STAFF_ROLES


def role_required(*roles):
    """Decorate a view so that only logged-in users holding one of ``roles`` reach it."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


class RoleRequiredMixin(LoginRequiredMixin):
    """Class-based twin of :func:`role_required`; set ``allowed_roles``."""

    allowed_roles: frozenset = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_role(*self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerySet(models.QuerySet):
    """Base for every queryset that people read: subclasses say what ``user`` may see."""

    def visible_to(self, user):
        raise NotImplementedError(f"{type(self).__name__} must define visible_to(user)")


class OfficeScopedQuerySet(ScopedQuerySet):
    """Rows that belong to an office: staff see their office's, a national admin all, others none.

    Subclasses set ``office_lookup`` when the office is reached through a relation, and
    may widen ``visible_to`` (a migrant seeing their own rows, for instance).
    """

    office_lookup = "office"

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role in STAFF_ROLES and user.office_id:
            return self.filter(**{self.office_lookup: user.office_id})
        return self.none()


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Fetch one object among those ``user`` may see, or raise Http404."""
    queryset = queryset_or_model
    if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, models.Model):
        queryset = queryset_or_model._default_manager.all()
    return get_object_or_404(queryset.visible_to(user), **lookup)
