"""Pages of the partnerships app: the directory (staff), an organisation's page, matching,
introductions, the census import, and the public directory (no login, no personal data)."""
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import get_visible_or_404, role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error
from hom.imports.forms import ImportMappingForm, ImportUploadForm
from hom.imports.pages import is_editable, render_import_detail
from hom.imports.status import ImportStatus
from hom.submissions.services import run_once
from migrants.selectors import migrant_for_page

from . import imports, selectors, services
from .diaspora import diaspora_by_country, diaspora_totals
from .filters import OrganisationFilter
from .forms import ORGANISATION_FIELDS, IntroductionForm, IntroductionMoveForm, OrganisationForm, PartnerLinkForm
from .models import Introduction, OrganisationImport

PAGE_SIZE = 25


def _grouped(organisations) -> list[tuple[str, list]]:
    """(“Country — city”, organisations) in the list's order (country, city, name)."""
    unknown_country, unknown_city = _("Country unknown"), _("city unknown")
    return [
        (f"{country.name or unknown_country} — {city or unknown_city}", list(rows))
        for (country, city), rows in groupby(organisations, key=lambda organisation: (organisation.country, organisation.city))
    ]


def _directory(request, queryset, template, extra=None):
    filterset = OrganisationFilter(request.GET or None, queryset=queryset)
    page = Paginator(filterset.qs.order_by("country", "city", "name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {
        "filter": filterset, "page": page, "groups": _grouped(page.object_list),
        **(extra or {}),
    })


@role_required(*STAFF_ROLES)
@require_GET
def organisation_list(request):
    return _directory(request, selectors.organisations_for_directory(request.user), "partnerships/list.html")


def _organisation_fields(data: dict) -> dict:
    return {name: data[name] for name in ORGANISATION_FIELDS if name in data}


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(**_organisation_fields(form.cleaned_data))
        messages.success(request, _("The organisation is recorded."))
        return redirect(organisation)
    return render(request, "partnerships/form.html", {"form": form})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk):
    organisation = selectors.organisation_for_page(request.user, pk)
    form = OrganisationForm(request.POST or None, instance=selectors.organisation_for_page(request.user, pk),
                            user=request.user)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=organisation, **_organisation_fields(form.cleaned_data))
        messages.success(request, _("The organisation is saved."))
        return redirect(organisation)
    return render(request, "partnerships/form.html", {"form": form, "organisation": organisation})


@role_required(*STAFF_ROLES, Role.PARTNER)
@require_GET
def organisation_detail(request, pk):
    organisation = selectors.organisation_for_page(request.user, pk)
    is_partner = request.user.role == Role.PARTNER and not request.user.has_role(*STAFF_ROLES)
    if is_partner:
        # Consenting persons by name, the others as a number (partnerships.selectors.partner_view_of_people).
        shared = selectors.introductions_for_partner(request.user, organisation)
        introductions, other_introductions = shared["shown"], shared["others"]
    else:
        introductions, other_introductions = list(selectors.introductions_of_organisation(request.user, organisation)), 0
    return render(request, "partnerships/detail.html", {
        "organisation": organisation,
        "introductions": introductions,
        "other_introductions": other_introductions,
        "is_staff": request.user.has_role(*STAFF_ROLES),
        "can_link_partners": services.partner_links_allowed(user=request.user, organisation=organisation),
        "move_form": IntroductionMoveForm(),
    })


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_partners(request, pk):
    """The partner accounts of an organisation: linked and unlinked by an admin who may (see the service)."""
    organisation = selectors.organisation_for_page(request.user, pk)
    if not services.partner_links_allowed(user=request.user, organisation=organisation):
        raise PermissionDenied
    form = PartnerLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner, unlink = form.cleaned_data["partner"], form.cleaned_data["action"] == PartnerLinkForm.UNLINK
        try:
            if unlink:
                services.organisation_partner_unlink(organisation=organisation, partner=partner, unlinked_by=request.user)
            else:
                services.organisation_partner_link(organisation=organisation, partner=partner, linked_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The account is unlinked.") if unlink else _("The account is linked."))
            return redirect("partnerships:partners", pk=organisation.pk)
    return render(request, "partnerships/partners.html", {
        "organisation": organisation,
        "form": form,
        "linked": sorted(organisation.partner_users.all(), key=lambda user: user.email),
    })


@role_required(Role.PARTNER)
@require_GET
def organisation_mine(request):
    organisation = selectors.organisation_of_partner(request.user)
    if organisation is None:
        raise Http404
    return redirect(organisation)


@role_required(*STAFF_ROLES)
@require_GET
def organisation_candidates(request, pk):
    organisation = selectors.organisation_for_page(request.user, pk)
    candidates = selectors.migrants_matching(request.user, organisation)
    return render(request, "partnerships/candidates.html", {"organisation": organisation, "candidates": candidates})


@role_required(*STAFF_ROLES)
@require_GET
def migrant_matches(request, migrant_pk):
    migrant = migrant_for_page(request.user, migrant_pk)
    matches = selectors.organisations_matching(request.user, migrant)
    return render(request, "partnerships/matches.html", {"migrant": migrant, "matches": matches})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def introduction_create(request, migrant_pk, organisation_pk):
    migrant = migrant_for_page(request.user, migrant_pk)
    organisation = selectors.organisation_for_page(request.user, organisation_pk)
    if not migrant.shares_with_partners:
        messages.error(request, _("This person has not consented to sharing their data with partners."))
        return redirect("partnerships:migrant_matches", migrant.pk)
    form = IntroductionForm(request.POST or None, migrant=migrant, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            url, replayed = run_once(
                request,
                lambda: services.introduction_create(
                    migrant=migrant, organisation=organisation, introduced_by=request.user, **form.cleaned_data
                ) and organisation.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not replayed:
                messages.success(request, _("The introduction is recorded."))
            return redirect(url)
    return render(request, "partnerships/introduction_form.html", {
        "form": form, "migrant": migrant, "organisation": organisation,
    })


@role_required(*STAFF_ROLES)
@require_POST
def introduction_move(request, pk):
    introduction = get_visible_or_404(Introduction, request.user, pk=pk)
    form = IntroductionMoveForm(request.POST)
    if form.is_valid():
        try:
            services.introduction_move(introduction=introduction, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The introduction is updated."))
    else:
        messages.error(request, _("Choose a valid status and date."))
    return redirect(introduction.organisation)


@role_required(*STAFF_ROLES)
@require_GET
def introduction_follow_ups(request):
    page = Paginator(selectors.introductions_follow_up_due(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/follow_ups.html", {"page": page})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation_import = imports.organisation_import_create(
            uploaded_by=request.user, file_name=form.cleaned_data["file"].name, headers=form.headers, rows=form.rows
        )
        return redirect(organisation_import)
    recent = selectors.imports_visible_to(request.user)[:20]
    return render(request, "partnerships/import_list.html", {"form": form, "imports": recent})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    organisation_import = get_visible_or_404(OrganisationImport, request.user, pk=pk)
    form = ImportMappingForm(
        request.POST or None, headers=organisation_import.headers, targets=imports.TARGETS,
        initial=organisation_import.mapping,
    )
    if request.method == "POST" and is_editable(organisation_import) and form.is_valid():
        imports.organisation_import_check(organisation_import=organisation_import, mapping=form.cleaned_data)
        return redirect(organisation_import)
    count = organisation_import.row_count
    return render_import_detail(
        request, organisation_import, form=form,
        start_url=reverse("partnerships:import_start", args=[organisation_import.pk]),
        start_label=ngettext("Import %(counter)s organisation", "Import %(counter)s organisations", count)
        % {"counter": count},
        back_url=reverse("partnerships:import_list"),
    )


@role_required(*STAFF_ROLES)
@require_POST
def import_start(request, pk):
    organisation_import = get_visible_or_404(OrganisationImport, request.user, pk=pk)
    if organisation_import.status != ImportStatus.READY:
        messages.error(request, _("This import is not ready: fix its errors first."))
        return redirect(organisation_import)
    organisation_import = imports.organisation_import_run(organisation_import=organisation_import)
    if organisation_import.status == ImportStatus.DONE:
        messages.success(request, ngettext(
            "%(count)s organisation imported.", "%(count)s organisations imported.", organisation_import.imported_count
        ) % {"count": organisation_import.imported_count})
    return redirect(organisation_import)


@require_GET
def public_list(request):
    return _directory(request, selectors.organisations_published(), "partnerships/public_list.html", {
        "diaspora": diaspora_by_country(), "diaspora_totals": diaspora_totals(),
    })


@require_GET
def public_detail(request, pk):
    organisation = get_object_or_404(selectors.organisations_published(), pk=pk)
    return render(request, "partnerships/public_detail.html", {"organisation": organisation})


