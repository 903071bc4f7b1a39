"""Pages of offline capture: the visit of a person registered on the device, and the registrations to review."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES

from .. import selectors as registry
from . import selectors, services
from .forms import OfflineVisitForm, ReviewDecisionForm


@role_required(*STAFF_ROLES)
@require_GET
def offline_visit(request):
    """Kept by the device for use without a network: its persons and the saving are in the browser."""
    return render(request, "migrants/offline/visit.html", {"form": OfflineVisitForm(office=request.user.office)})


@role_required(*STAFF_ROLES)
@require_GET
def reviews(request):
    page_obj, pending = selectors.reviews_pending(request.user, page=request.GET.get("page", 1))
    return render(request, "migrants/offline/reviews.html", {"page_obj": page_obj, "reviews": pending})


@role_required(*STAFF_ROLES)
@require_POST
def review_decide(request, pk):
    item = selectors.review_for(request.user, pk)
    form = ReviewDecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose to merge or to keep both."))
        if form.cleaned_data["action"] == "keep":
            services.review_keep(item=item, user=request.user)
            messages.success(request, _("%(name)s is kept as a different person.") % {"name": item.migrant.full_name})
        else:
            into = registry.migrant_for_page(request.user, form.cleaned_data["into"] or 0)
            services.review_merge(item=item, into=into, user=request.user)
            messages.success(request, _("The registration is merged into %(name)s (%(number)s).") % {
                "name": into.full_name, "number": into.file_number})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("migrants:reviews")
