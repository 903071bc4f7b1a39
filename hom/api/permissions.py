"""Who may call an endpoint: the same roles as the matching pages (``allowed_roles`` on the view)."""
from rest_framework import permissions


class HasRole(permissions.BasePermission):
    """Logged in (401 otherwise) and holding one of the view's ``allowed_roles`` (403 otherwise).

    A view may set ``write_roles`` for unsafe methods (by default the same roles).
    """

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        roles = getattr(view, "allowed_roles", None)
        if request.method not in permissions.SAFE_METHODS:
            roles = getattr(view, "write_roles", roles)
        if roles is None:
            return True
        return user.has_role(*roles)
