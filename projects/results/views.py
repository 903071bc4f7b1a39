"""Pages of the results after funding: a dossier's schedule, and recording one check (thin views)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hom.accounts.access import role_required
from hom.accounts.models import Role
from hom.forms import add_service_error
from migrants.access_log import access_record
from migrants.models import AccessAction, AccessTarget
from projects import workflows
from projects.selectors import dossier_get, dossier_role_of

from . import services
from .forms import ResultCheckForm
from .selectors import result_check_get, result_checks_of

SCHEDULE_ROLES = (Role.MIGRANT, Role.ADVISOR, Role.ADMIN)


def _log_dossier_read(request, dossier):
    """The follow-up of a dossier is its promoter's data: who opened it goes to the access log."""
    access_record(
        user=request.user, action=AccessAction.VIEW, target=AccessTarget.DOSSIER,
        migrant_id=dossier.promoter_id, object_id=dossier.pk,
    )


@require_GET
@role_required(*SCHEDULE_ROLES)
def schedule_view(request, pk):
    """The dossier's follow-up checks: the promoter reads them, the office's staff record them."""
    dossier = dossier_get(user=request.user, pk=pk)
    _log_dossier_read(request, dossier)
    role = dossier_role_of(dossier, request.user, visible=True)
    context = {
        "dossier": dossier,
        "checks": list(result_checks_of(dossier)),
        "can_record": role in workflows.STAFF and not dossier.promoter.is_erased,
        "today": timezone.localdate(),
    }
    return render(request, "projects/results/schedule.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADVISOR, Role.ADMIN)
def record_view(request, pk, check_pk):
    check = result_check_get(user=request.user, dossier_pk=pk, pk=check_pk)
    _log_dossier_read(request, check.dossier)
    form = ResultCheckForm(request.POST or None, instance=check)
    if request.method == "POST" and form.is_valid():
        try:
            services.result_check_record(check=check, actor=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("projects:results", pk=pk)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The check at %(months)s months is recorded.") % {"months": check.months})
            return redirect("projects:results", pk=pk)
    return render(request, "projects/results/record.html", {"dossier": check.dossier, "check": check, "form": form})
