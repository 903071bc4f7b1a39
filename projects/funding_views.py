"""The funding catalogue's pages. The list and the detail are public: no login, no personal data.

Writing is for office administrators and national admins (the catalogue is national).
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hom.accounts.access import role_required
from hom.accounts.models import Role

from . import funding_selectors as selectors
from .funding_filters import FundingOpportunityFilter
from .funding_forms import EligibilityCheckForm, FundingOpportunityForm
from .funding_services import funding_opportunity_create, funding_opportunity_update

PAGE_SIZE = 20


@require_GET
def opportunity_list(request):
    """Public search. An htmx request gets only the results, so typing updates them live."""
    filterset = FundingOpportunityFilter(request.GET or None, queryset=selectors.opportunities_for_list(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query_string": query.urlencode(),
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



