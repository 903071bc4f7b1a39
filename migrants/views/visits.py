"""Correcting or removing a visit logged wrong (the visit's advisor or an admin of its office)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES
from hom.forms import add_service_error

from .. import selectors, services
from ..forms import VisitCorrectionForm, VisitRemoveForm

CORRECTED_FIELDS = ["occurred_at", "channel", "place", "services_given", "notes", "referral_to", "outcome"]


def _visit(request, pk):
    visit = selectors.visit_for_correction(request.user, pk)
    if not services.visit_may_correct(request.user, visit):
        raise PermissionDenied
    return visit


def _page(request, visit, *, form=None, remove_form=None, status=200):
    return render(request, "migrants/visit_edit.html", {
        "visit": visit, "migrant": visit.migrant,
        "form": form or VisitCorrectionForm(instance=visit),
        "remove_form": remove_form or VisitRemoveForm(),
        "history": selectors.visit_history(visit),
    }, status=status)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    visit = _visit(request, pk)
    if visit.migrant.is_erased:
        messages.error(request, services.erased_record_refusal(visit.migrant))
        return redirect(visit.migrant)
    if request.method == "GET":
        return _page(request, visit)
    form = VisitCorrectionForm(request.POST, instance=selectors.visit_for_correction(request.user, pk))
    if form.is_valid():
        data = form.cleaned_data
        target = None
        if data["move_to"]:
            target = selectors.migrant_by_file_number(request.user, data["move_to"])
            if target is None:
                form.add_error("move_to", _("No person of your office has this file number."))
        if not form.errors:
            try:
                corrected = services.visit_correct(
                    visit=visit, corrected_by=request.user, reason=data["reason"], migrant=target,
                    needs=data["needs"], **{name: data[name] for name in CORRECTED_FIELDS},
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The visit is corrected."))
                return redirect(corrected.migrant)
    return _page(request, visit, form=form)


@role_required(*STAFF_ROLES)
@require_POST
def visit_remove(request, pk):
    visit = _visit(request, pk)
    form = VisitRemoveForm(request.POST)
    if form.is_valid():
        try:
            services.visit_remove(visit=visit, removed_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The visit is removed; the person's history keeps why."))
            return redirect(visit.migrant)
    return _page(request, visit, remove_form=form)
