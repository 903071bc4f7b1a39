"""The funding catalogue's pages. The list and the detail are public: no login, no personal data.

Writing is for office administrators and national admins (the catalogue is national).
Applications (a dossier × a programme) are scoped like their dossier: shortlisted and
moved from the dossier's page (mounted under /projects/), listed for the office's staff.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from projects.funding import selectors
from projects.funding.filters import FundingApplicationFilter, FundingOpportunityFilter
from projects.funding.forms import (
    ApplicationCreateForm,
    ApplicationMoveForm,
    EligibilityCheckForm,
    FundingOpportunityForm,
)
from projects.funding.models import ApplicationStatus
from projects.funding.services import (
    funding_application_create,
    funding_application_move,
    funding_opportunity_create,
    funding_opportunity_update,
)
from projects.selectors import dossier_get

PAGE_SIZE = 20


@require_GET
def opportunity_list(request):
    """Public search. An htmx request gets only the results, so typing updates them live."""
    filterset = FundingOpportunityFilter(request.GET or None, queryset=selectors.opportunities_for_list(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_edit": request.user.is_authenticated and request.user.has_role(Role.ADMIN),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "projects/funding/_results.html", context)
    return render(request, "projects/funding/list.html", context)


@require_GET
def opportunity_detail(request, pk):
    opportunity = selectors.opportunity_for_detail(request.user, pk)
    can_edit = request.user.is_authenticated and request.user.has_role(Role.ADMIN)
    return render(request, "projects/funding/detail.html", {"opportunity": opportunity, "can_edit": can_edit})


@require_GET
def eligibility_check(request):
    """Public: check a project idea against every programme; nothing typed here is stored."""
    form = EligibilityCheckForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        matches = selectors.funding_matches(form.to_facts(today=timezone.localdate()))
    return render(request, "projects/funding/check.html", {"form": form, "matches": matches})


def _fields(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name in form.Meta.fields}


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    form = FundingOpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opportunity = funding_opportunity_create(**_fields(form))
        messages.success(request, _("The programme “%(name)s” was added.") % {"name": opportunity.name})
        return redirect(opportunity)
    return render(request, "projects/funding/form.html", {"form": form, "title": _("New funding programme")})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def opportunity_update(request, pk):
    opportunity = selectors.opportunity_for_detail(request.user, pk)
    form = FundingOpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        opportunity = funding_opportunity_update(opportunity=opportunity, **_fields(form))
        messages.success(request, _("The programme “%(name)s” was saved.") % {"name": opportunity.name})
        return redirect(opportunity)
    return render(
        request, "projects/funding/form.html", {"form": form, "title": _("Edit %(name)s") % {"name": opportunity.name}}
    )


# --- Applications (a dossier × a programme) -----------------------------------------------

DOSSIER_ROLES = (Role.MIGRANT, Role.ADVISOR, Role.ADMIN)


def _error_text(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@require_POST
@role_required(*DOSSIER_ROLES)
def application_create(request, pk):
    """Shortlist a programme for the dossier, from its page."""
    dossier = dossier_get(user=request.user, pk=pk)
    form = ApplicationCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a programme of the catalogue."))
        return redirect(f"{dossier.get_absolute_url()}#funding")
    opportunity = form.cleaned_data["opportunity"]
    try:
        funding_application_create(dossier=dossier, opportunity=opportunity, actor=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("“%(name)s” is on the dossier's list of applications.") % {"name": opportunity.name}
        )
    return redirect(f"{dossier.get_absolute_url()}#applications")


@require_POST
@role_required(*DOSSIER_ROLES)
def application_move(request, pk):
    """Record the next step of an application; the service checks who may record what."""
    application = selectors.application_get(request.user, pk)
    form = ApplicationMoveForm(request.POST, choices=ApplicationStatus.choices)
    if not form.is_valid():
        errors = " ".join(" ".join(messages_) for messages_ in form.errors.values())
        messages.error(request, errors)
        return redirect(application)
    try:
        application = funding_application_move(application=application, actor=request.user, **form.cleaned_data)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The application to “%(name)s” is now: %(status)s.")
            % {"name": application.opportunity.name, "status": application.get_status_display()},
        )
    return redirect(application)


@require_GET
@role_required(*STAFF_ROLES)
def application_list(request):
    """The office's applications, with the amounts granted and disbursed over the filtered rows."""
    filterset = FundingApplicationFilter(request.GET or None, queryset=selectors.applications_for_list(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/funding/applications.html",
        {"filter": filterset, "page": page, "totals": selectors.application_totals(filterset.qs)},
    )
