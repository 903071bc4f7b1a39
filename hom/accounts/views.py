"""The home page (a public welcome for visitors, a dashboard per role once logged in) and password reset."""
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from hom.http import FailureLimit, email_key, rate_limited

from .models import Role
from .selectors import offices_visible_to

DASHBOARD_TEMPLATES = {
    Role.ADMIN: "accounts/dashboard_staff.html",
    Role.ADVISOR: "accounts/dashboard_staff.html",
    Role.MIGRANT: "accounts/dashboard_migrant.html",
    Role.AUTHORITY: "accounts/dashboard_authority.html",
    Role.PARTNER: "accounts/dashboard_partner.html",
}


@require_GET
def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "accounts/welcome.html")
    context = {}
    if user.is_office_staff:
        context["offices"] = offices_visible_to(user)
    if user.role == Role.AUTHORITY:
        context["communes"] = user.communes.select_related("department__region")
    template = DASHBOARD_TEMPLATES[Role.ADMIN if user.is_superuser else user.role]
    return render(request, template, context)


# --- Password reset, rate-limited -------------------------------------------------------
# Per client address and per email address (hom/http.py); a refused request gets the 429 page.
RESET_CONFIRM_FAILURES = FailureLimit(group="accounts.password-reset-link", rate="10/h")


@method_decorator(ratelimit(group="accounts.password-reset-ip", key="ip", rate="10/h", method="POST"), name="post")
@method_decorator(
    ratelimit(group="accounts.password-reset-email", key=email_key("email"), rate="3/h", method="POST"), name="post"
)
class PasswordResetView(auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, locked for a client address after repeated bad links (guessing tokens)."""

    def dispatch(self, *args, **kwargs):
        if RESET_CONFIRM_FAILURES.blocked(self.request):
            return rate_limited(self.request)
        response = super().dispatch(*args, **kwargs)
        if getattr(response, "context_data", None) and response.context_data.get("validlink") is False:
            RESET_CONFIRM_FAILURES.record(self.request)
        return response
