"""Pages of cooperation introductions: the list (office staff, or the commune's authority), an
introduction's page with its history, the authority's request form, and the staff's forms."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from partnerships.workflows import cooperation_moves

from . import selectors, services
from .forms import CooperationForm, CooperationMoveForm, CooperationRequestForm, RequestCloseForm
from .models import CooperationStatus

PAGE_SIZE = 20
READERS = (*STAFF_ROLES, Role.AUTHORITY)


@role_required(*READERS)
@require_GET
def cooperation_list(request):
    page = Paginator(selectors.cooperation_introductions(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    is_staff = request.user.is_office_staff
    return render(request, "partnerships/cooperation/list.html", {
        "page": page, "is_staff": is_staff,
        "requests": selectors.cooperation_requests_open(request.user),
        "answered": None if is_staff else selectors.cooperation_requests_answered(request.user),
    })


@role_required(*READERS)
@require_GET
def cooperation_detail(request, pk):
    introduction = selectors.cooperation_for_page(request.user, pk)
    is_staff = request.user.is_office_staff
    moves = [CooperationStatus(status) for status in cooperation_moves(introduction.status)] if is_staff else []
    return render(request, "partnerships/cooperation/detail.html", {
        "introduction": introduction, "is_staff": is_staff, "moves": moves,
        "changes": selectors.cooperation_history(introduction),
        "move_form": CooperationMoveForm() if moves else None,
    })


@role_required(Role.AUTHORITY)
@require_http_methods(["GET", "POST"])
def cooperation_request(request):
    """The commune's authority asks its office for an introduction."""
    form = CooperationRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperation_request_create(requested_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request is sent to the office."))
            return redirect("partnerships:cooperation_list")
    return render(request, "partnerships/cooperation/form.html", {
        "form": form, "title": _("Request a cooperation"), "testid": "cooperation-request-form",
    })


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def cooperation_create(request):
    """Staff introduce a commune; ``?request=<pk>`` answers the commune's request (another office's: 404)."""
    answered = None
    initial = {}
    if request.GET.get("request"):
        try:
            answered = selectors.request_for_staff(request.user, int(request.GET["request"]))
        except ValueError as error:
            raise Http404 from error
        initial = {"commune": answered.commune_id, "purpose": answered.purpose,
                   "organisation": answered.organisation_id, "description": answered.looking_for}
    form = CooperationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            introduction = services.cooperation_create(introduced_by=request.user, request=answered, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The introduction is recorded."))
            return redirect(introduction)
    return render(request, "partnerships/cooperation/form.html", {
        "form": form, "title": _("Introduce a commune"), "answered": answered, "testid": "cooperation-form",
    })


@role_required(*STAFF_ROLES)
@require_POST
def cooperation_move(request, pk):
    introduction = selectors.cooperation_for_move(request.user, pk)
    form = CooperationMoveForm(request.POST)
    if form.is_valid():
        try:
            services.cooperation_move(introduction=introduction, moved_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The introduction is updated."))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(introduction)


@role_required(*STAFF_ROLES)
@require_POST
def cooperation_request_close(request, pk):
    answered = selectors.request_for_staff(request.user, pk)
    form = RequestCloseForm(request.POST)
    if form.is_valid():
        try:
            services.cooperation_request_close(request=answered, closed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The request is closed."))
    else:
        messages.error(request, _("Say why the request is closed: the commune reads it."))
    return redirect("partnerships:cooperation_list")
