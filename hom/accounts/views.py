"""The home page: a public welcome for visitors, a dashboard per role once logged in."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

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
