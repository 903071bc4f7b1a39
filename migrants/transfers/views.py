"""Pages of transfers between offices (docs/migrants.md, "Transfers between offices").

The holding office's admin transfers a person; any office's staff may request a person it met at
registration (from the duplicate notice, naming nobody); the holding office's admin accepts or refuses.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error

from .. import selectors as registry_selectors
from . import selectors, services
from .forms import TransferForm


@role_required(Role.ADMIN)
@require_GET
def transfer_list(request):
    return render(request, "migrants/transfers/list.html", {
        "sent": selectors.transfers_sent(request.user),
        "received": selectors.transfers_received(request.user),
    })


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def transfer_create(request, pk):
    migrant = registry_selectors.migrant_for_page(request.user, pk)
    form = TransferForm(request.POST or None, office=migrant.office)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_make(migrant=migrant, to_office=form.cleaned_data["to_office"], made_by=request.user,
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(number)s is transferred to %(office)s.") % {
                "number": migrant.file_number, "office": form.cleaned_data["to_office"].name})
            return redirect("migrants:transfer_list")
    return render(request, "migrants/transfers/create.html", {"migrant": migrant, "form": form})


@role_required(*STAFF_ROLES)
@require_POST
def transfer_request(request):
    if request.user.office_id is None:
        messages.error(request, _("Only the staff of an office can request a transfer."))
        return redirect("migrants:list")
    try:
        services.transfer_request(token=request.POST.get("token", ""), requested_by=request.user,
                                  reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("migrants:create")
    messages.success(request, _("Your request is sent to the other office: its admin will accept or refuse it."))
    return redirect("migrants:create")


@role_required(Role.ADMIN)
@require_POST
def transfer_decide(request, pk):
    transfer = selectors.transfer_to_decide(request.user, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        transfer, decided = services.transfer_decide(transfer=transfer, decided_by=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if not decided:
            messages.info(request, _("This request was already decided."))
        elif accept:
            messages.success(request, _("The person is transferred to %(office)s.") % {"office": transfer.to_office.name})
        else:
            messages.success(request, _("The request is refused."))
    return redirect("migrants:transfer_list")
