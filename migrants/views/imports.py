"""Import pages: upload, column mapping and row-by-row preview, start, progress (htmx polling)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import get_visible_or_404, role_required
from hom.accounts.models import STAFF_ROLES
from hom.imports.forms import ImportMappingForm, ImportUploadForm
from hom.imports.pages import is_editable, render_import_detail

from .. import imports, selectors
from ..models import MigrantImport


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if request.user.office is None:
            messages.error(request, _("Only the staff of an office can import persons."))
            return redirect("migrants:import_list")
        migrant_import = imports.import_create(
            office=request.user.office, uploaded_by=request.user, file_name=form.cleaned_data["file"].name,
            headers=form.headers, rows=form.rows,
        )
        return redirect(migrant_import)
    recent = selectors.imports_visible_to(request.user)[:20]
    return render(request, "migrants/import_list.html", {"form": form, "imports": recent})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def import_detail(request, pk):
    migrant_import = get_visible_or_404(MigrantImport, request.user, pk=pk)
    form = ImportMappingForm(
        request.POST or None, headers=migrant_import.headers, targets=imports.TARGETS, initial=migrant_import.mapping
    )
    if request.method == "POST" and is_editable(migrant_import) and form.is_valid():
        imports.import_check(migrant_import=migrant_import, mapping=form.cleaned_data)
        return redirect(migrant_import)
    count = migrant_import.row_count
    return render_import_detail(
        request, migrant_import, form=form,
        start_url=reverse("migrants:import_start", args=[migrant_import.pk]),
        start_label=ngettext("Import %(counter)s person", "Import %(counter)s persons", count) % {"counter": count},
        back_url=reverse("migrants:import_list"), progress_template="migrants/_import_progress.html",
        extra={"migrant_import": migrant_import, "progress": imports.import_progress(migrant_import)},
    )


@role_required(*STAFF_ROLES)
@require_POST
def import_start(request, pk):
    migrant_import = get_visible_or_404(MigrantImport, request.user, pk=pk)
    if not imports.import_start(migrant_import=migrant_import):
        messages.error(request, _("This import is not ready: fix its errors first."))
    return redirect(migrant_import)


@role_required(*STAFF_ROLES)
@require_GET
def import_progress(request, pk):
    migrant_import = get_visible_or_404(MigrantImport, request.user, pk=pk)
    context = {"migrant_import": migrant_import, "progress": imports.import_progress(migrant_import)}
    return render(request, "migrants/_import_progress.html", context)
