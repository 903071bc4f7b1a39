"""Pages of the guidance sheets: the public library, a sheet, and the office admin's editing."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hom.accounts.access import role_required
from hom.accounts.models import Role
from hom.forms import add_service_error

from . import selectors, services
from .forms import ProcedureSheetForm, TopicFilterForm

PAGE_SIZE = 30


@require_GET
def procedure_list(request):
    """Public: the published sheets; the office's staff also see their office's drafts below."""
    form = TopicFilterForm(request.GET or None)
    topic = form.cleaned_data["topic"] if form.is_valid() else ""
    page = Paginator(selectors.sheets_published(topic=topic), PAGE_SIZE).get_page(request.GET.get("page"))
    drafts = []
    if request.user.is_authenticated and request.user.is_office_staff:
        drafts = list(selectors.sheets_of_office(request.user).filter(is_published=False))
    return render(request, "migrants/procedures/list.html", {
        "form": form, "page": page, "drafts": drafts,
        "may_edit": request.user.is_authenticated and request.user.role == Role.ADMIN,
    })


@require_GET
def procedure_detail(request, pk):
    sheet = selectors.sheet_for_reading(request.user, pk)
    may_edit = request.user.is_authenticated and request.user.role == Role.ADMIN and (
        request.user.is_superuser or request.user.office_id == sheet.office_id
    )
    return render(request, "migrants/procedures/detail.html", {"sheet": sheet, "may_edit": may_edit})


def _edit(request, sheet=None):
    form = ProcedureSheetForm(request.POST or None, instance=sheet)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.FIELDS}
        office = sheet.office if sheet else request.user.office
        try:
            saved = services.sheet_save(sheet=sheet, office=office, actor=request.user, **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The sheet is saved."))
            return redirect(saved)
    return render(request, "migrants/procedures/form.html", {"form": form, "sheet": sheet})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def procedure_create(request):
    if request.user.office_id is None:  # a national admin writes for an office: from that office's account
        return redirect("procedures:list")
    return _edit(request)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def procedure_edit(request, pk):
    return _edit(request, selectors.sheet_to_edit(request.user, pk))
