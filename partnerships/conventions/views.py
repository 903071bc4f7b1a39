"""Pages of conventions: the register, a convention's page, its parties, budget and reports, the dashboard.

Thin views: the role decorator says who may open a page, the selectors scope the rows
(out of scope answers 404), the services write. Admins and advisors of the office create
and edit; status moves, payments and accepting reports are the admins'; a partner reads
their organisations' conventions and uploads the reports their organisation owes.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import get_visible_or_404, role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error
from partnerships.conventions import selectors, services
from partnerships.conventions.forms import (
    CONVENTION_FIELDS,
    BudgetLineForm,
    ContributionForm,
    ConventionFilterForm,
    ConventionForm,
    DocumentForm,
    MoveForm,
    ObligationForm,
    PartyForm,
    PaymentForm,
    ReportUploadForm,
    SendBackForm,
)
from partnerships.conventions.models import ReportItem
from partnerships.events.selectors import convention_meetings_panel
from partnerships.workflows import convention_moves_for

PAGE_SIZE = 25
FORM_TEMPLATE = "partnerships/conventions/form.html"


def _form_page(request, form, save, *, heading: str, success: str, cancel_url: str, convention=None, next_url=None):
    """GET shows ``form``; a valid POST calls ``save(cleaned_data)`` and goes back, errors stay on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url or saved.get_absolute_url())
    return render(request, FORM_TEMPLATE, {
        "form": form, "heading": heading, "cancel_url": cancel_url, "convention": convention,
    })


def _flash_errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _anchor(convention, section: str) -> str:
    return f"{convention.get_absolute_url()}#{section}"


def _remove(request, convention, remove, *, success, section: str):
    """Call a removal service; say what it refused, or that it is done; back to the section."""
    try:
        remove()
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, success)
    return redirect(_anchor(convention, section))


# --- Register, dashboard, page -----------------------------------------------------------


@role_required(*STAFF_ROLES, Role.PARTNER)
@require_GET
def convention_list(request):
    form = ConventionFilterForm(request.GET or None, organisations=selectors.organisations_in_conventions(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    conventions = selectors.conventions_for_register(
        request.user, status=filters.get("status", ""), organisation=filters.get("organisation"),
        search=filters.get("q", ""), sort=filters.get("sort") or selectors.DEFAULT_SORT,
    )
    page = Paginator(conventions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/conventions/list.html", {
        "filter_form": form, "page": page, "is_staff": request.user.has_role(*STAFF_ROLES),
    })


@role_required(Role.ADMIN)
@require_GET
def convention_dashboard(request):
    dashboard = selectors.conventions_dashboard(request.user)
    chart = [{
        "key": "budget", "type": "bar",
        "labels": [row["party__organisation__acronym"] or row["party__organisation__name"]
                   for row in dashboard.budget_by_organisation],
        "datasets": [
            {"label": _("Committed (FCFA)"), "data": [row["committed"] for row in dashboard.budget_by_organisation]},
            {"label": _("Paid (FCFA)"), "data": [row["paid"] for row in dashboard.budget_by_organisation]},
        ],
    }]
    return render(request, "partnerships/conventions/dashboard.html", {"dashboard": dashboard, "charts": chart})


@role_required(*STAFF_ROLES, Role.PARTNER)
@require_GET
def convention_detail(request, pk):
    convention = selectors.convention_for_page(request.user, pk)
    is_staff = request.user.has_role(*STAFF_ROLES)
    is_admin = request.user.has_role(Role.ADMIN)
    return render(request, "partnerships/conventions/detail.html", {
        "convention": convention,
        "parties": selectors.convention_parties(convention),
        "transitions": selectors.convention_transitions(convention),
        "budget": selectors.convention_budget(convention),
        "reports": selectors.convention_reports(convention),
        "uploadable": selectors.uploadable_report_ids(request.user, convention),
        "communes": convention.communes.order_by("name"),
        "dossiers": convention.dossiers.order_by("-pk") if is_staff else (),
        "introductions": convention.introductions.select_related("migrant", "organisation") if is_staff else (),
        "meetings_panel": convention_meetings_panel(convention),
        "is_staff": is_staff,
        "is_admin": is_admin,
        "moves": convention_moves_for(convention.status, request.user),
        "document_form": DocumentForm() if is_staff else None,
        "upload_form": ReportUploadForm(),
        "send_back_form": SendBackForm() if is_admin else None,
        "payment_form": PaymentForm() if is_admin else None,
    })


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def convention_create(request):
    form = ConventionForm(request.POST or None, user=request.user)

    def save(data):
        fields = {name: data[name] for name in CONVENTION_FIELDS}
        return services.convention_create(
            office=data.get("office") or request.user.office, created_by=request.user, **fields
        )

    return _form_page(request, form, save, heading=_("New convention"), success=_("The convention is recorded."),
                      cancel_url=reverse("partnerships:convention_list"))


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def convention_edit(request, pk):
    convention = selectors.convention_for_page(request.user, pk)
    form = ConventionForm(request.POST or None, instance=selectors.convention_for_page(request.user, pk),
                          user=request.user, office=convention.office)

    def save(data):
        return services.convention_update(convention=convention, **{name: data[name] for name in CONVENTION_FIELDS})

    return _form_page(request, form, save, heading=convention.title, success=_("The convention is saved."),
                      cancel_url=convention.get_absolute_url(), convention=convention)


@role_required(Role.ADMIN)
@require_POST
def convention_move(request, pk):
    convention = selectors.convention_for_page(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect(convention)
    try:
        convention = services.convention_move(convention=convention, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The convention is now “%(status)s”.") % {"status": convention.get_status_display()})
    return redirect(convention)


@role_required(*STAFF_ROLES)
@require_POST
def convention_document_upload(request, pk):
    convention = selectors.convention_for_page(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file of the signed convention."))
        return redirect(convention)
    try:
        services.convention_attach_document(convention=convention, uploaded=form.cleaned_data["signed_document"])
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The signed convention is kept."))
    return redirect(convention)


def _file_response(field, name: str, content_type: str):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name or field.name.rsplit("/", 1)[-1],
                        content_type=content_type or "application/octet-stream")


@role_required(*STAFF_ROLES, Role.PARTNER)
@require_GET
def convention_document(request, pk):
    convention = selectors.convention_for_page(request.user, pk)
    return _file_response(convention.signed_document, convention.signed_document_name, convention.signed_document_type)


# --- Parties ---------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def party_add(request, pk):
    convention = selectors.convention_for_page(request.user, pk)
    form = PartyForm(request.POST or None, user=request.user)

    def save(data):
        return services.party_add(convention=convention, **data)

    return _form_page(request, form, save, heading=_("Add a party"), success=_("The party is added."),
                      cancel_url=convention.get_absolute_url(), convention=convention,
                      next_url=_anchor(convention, "parties"))


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def party_edit(request, pk, party_pk):
    convention = selectors.convention_for_page(request.user, pk)
    party = get_object_or_404(convention.parties.select_related("organisation"), pk=party_pk)
    form = PartyForm(request.POST or None, instance=get_object_or_404(convention.parties, pk=party_pk),
                     user=request.user)

    def save(data):
        return services.party_update(party=party, **data)

    return _form_page(request, form, save, heading=str(party.organisation), success=_("The party is saved."),
                      cancel_url=convention.get_absolute_url(), convention=convention,
                      next_url=_anchor(convention, "parties"))


@role_required(*STAFF_ROLES)
@require_POST
def party_remove(request, pk, party_pk):
    convention = selectors.convention_for_page(request.user, pk)
    party = get_object_or_404(convention.parties, pk=party_pk)
    return _remove(request, convention, lambda: services.party_remove(party=party),
                   success=_("The party is removed."), section="parties")


# --- Budget ----------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def budget_line_add(request, pk):
    convention = selectors.convention_for_page(request.user, pk)
    form = BudgetLineForm(request.POST or None)

    def save(data):
        return services.budget_line_add(convention=convention, **data)

    return _form_page(request, form, save, heading=_("Add a budget line"), success=_("The budget line is added."),
                      cancel_url=convention.get_absolute_url(), convention=convention,
                      next_url=_anchor(convention, "budget"))


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def budget_line_edit(request, pk, line_pk):
    convention = selectors.convention_for_page(request.user, pk)
    line = get_object_or_404(convention.budget_lines, pk=line_pk)
    form = BudgetLineForm(request.POST or None, instance=get_object_or_404(convention.budget_lines, pk=line_pk))

    def save(data):
        return services.budget_line_update(line=line, **data)

    return _form_page(request, form, save, heading=line.activity, success=_("The budget line is saved."),
                      cancel_url=convention.get_absolute_url(), convention=convention,
                      next_url=_anchor(convention, "budget"))


@role_required(*STAFF_ROLES)
@require_POST
def budget_line_remove(request, pk, line_pk):
    convention = selectors.convention_for_page(request.user, pk)
    line = get_object_or_404(convention.budget_lines, pk=line_pk)
    return _remove(request, convention, lambda: services.budget_line_remove(line=line),
                   success=_("The budget line is removed."), section="budget")


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def contribution_add(request, pk, line_pk):
    convention = selectors.convention_for_page(request.user, pk)
    line = get_object_or_404(convention.budget_lines, pk=line_pk)
    form = ContributionForm(request.POST or None, convention=convention)

    def save(data):
        return services.contribution_add(budget_line=line, **data)

    return _form_page(request, form, save, heading=_("Contribution to “%(activity)s”") % {"activity": line.activity},
                      success=_("The contribution is recorded."), cancel_url=convention.get_absolute_url(),
                      convention=convention, next_url=_anchor(convention, "budget"))


def _contribution(request, pk, contribution_pk):
    convention = selectors.convention_for_page(request.user, pk)
    contribution = selectors.contribution_of(convention, contribution_pk)
    return convention, contribution


@role_required(*STAFF_ROLES)
@require_POST
def contribution_remove(request, pk, contribution_pk):
    convention, contribution = _contribution(request, pk, contribution_pk)
    return _remove(request, convention, lambda: services.contribution_remove(contribution=contribution),
                   success=_("The contribution is removed."), section="budget")


@role_required(Role.ADMIN)
@require_POST
def contribution_payment(request, pk, contribution_pk):
    convention, contribution = _contribution(request, pk, contribution_pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the amount paid so far, in FCFA."))
        return redirect(_anchor(convention, "budget"))
    try:
        services.contribution_record_payment(contribution=contribution, **form.cleaned_data)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The payment is recorded."))
    return redirect(_anchor(convention, "budget"))


# --- Reporting -------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def obligation_add(request, pk):
    convention = selectors.convention_for_page(request.user, pk)
    form = ObligationForm(request.POST or None, convention=convention)

    def save(data):
        return services.obligation_add(convention=convention, **data)

    return _form_page(request, form, save, heading=_("Add a reporting obligation"),
                      success=_("The reports are scheduled."), cancel_url=convention.get_absolute_url(),
                      convention=convention, next_url=_anchor(convention, "reports"))


@role_required(*STAFF_ROLES, Role.PARTNER)
@require_POST
def report_upload(request, item_pk):
    item = selectors.reports_owed_by(request.user, item_pk)
    form = ReportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the report's file."))
        return redirect(_anchor(item.convention, "reports"))
    try:
        services.report_submit(item=item, uploaded=form.cleaned_data["file"], actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The report is sent. The office will review it."))
    return redirect(_anchor(item.convention, "reports"))


@role_required(*STAFF_ROLES, Role.PARTNER)
@require_GET
def report_file(request, item_pk):
    item = get_visible_or_404(ReportItem, request.user, pk=item_pk)
    return _file_response(item.file, item.original_name, item.content_type)


@role_required(Role.ADMIN)
@require_POST
def report_accept(request, item_pk):
    item = get_visible_or_404(ReportItem.objects.select_related("convention"), request.user, pk=item_pk)
    try:
        services.report_accept(item=item, actor=request.user)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The report is approved."))
    return redirect(_anchor(item.convention, "reports"))


@role_required(Role.ADMIN)
@require_POST
def report_send_back(request, item_pk):
    item = get_visible_or_404(ReportItem.objects.select_related("convention"), request.user, pk=item_pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the party must change."))
        return redirect(_anchor(item.convention, "reports"))
    try:
        services.report_send_back(item=item, actor=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The report is sent back to the party."))
    return redirect(_anchor(item.convention, "reports"))
