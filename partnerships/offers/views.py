"""Pages of partner offers: the public catalogue and an offer's page (no login, no personal data),
the offers' forms (office admins), and the referrals (office staff; the person sees their own
on their page)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from migrants.selectors import migrant_by_file_number, migrant_for_page

from . import selectors, services
from .forms import FindPersonForm, PartnerOfferFilter, PartnerOfferForm, ReferralForm, ReferralMoveForm

PAGE_SIZE = 20


@require_GET
def offer_list(request):
    """Public search; an htmx request gets only the results, so typing updates them live."""
    filterset = PartnerOfferFilter(request.GET or None, queryset=selectors.offers_for_catalogue(request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset, "page": page,
        "can_edit": services.offer_may_edit(user=request.user),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "partnerships/offers/_results.html", context)
    return render(request, "partnerships/offers/list.html", context)


@require_GET
def offer_detail(request, pk):
    offer = selectors.offer_for_page(request.user, pk)
    is_staff = request.user.is_authenticated and request.user.has_role(*STAFF_ROLES)
    return render(request, "partnerships/offers/detail.html", {
        "offer": offer, "is_staff": is_staff, "can_edit": services.offer_may_edit(user=request.user, offer=offer),
        "find_form": FindPersonForm() if is_staff else None,
    })


def _offer_form(request, offer=None):
    form = PartnerOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            if offer is None:
                offer = services.offer_create(office=request.user.office, created_by=request.user,
                                              **form.service_fields())
            else:
                offer = services.offer_update(offer=offer, user=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect(offer)
    return render(request, "partnerships/offers/form.html", {"form": form, "offer": offer})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def offer_create(request):
    """An office admin records an offer for their office (a national admin has no office: they edit only)."""
    if not request.user.office_id:
        raise PermissionDenied
    return _offer_form(request)


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk):
    return _offer_form(request, selectors.offer_for_edit(request.user, pk))  # another office's: 404


# --- Referrals ----------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def offer_find_person(request, pk):
    """From an offer's page: the person's file number opens their referral form, the offer chosen."""
    offer = selectors.offer_for_page(request.user, pk)
    form = FindPersonForm(request.GET)
    migrant = None
    if form.is_valid():
        migrant = migrant_by_file_number(request.user, form.cleaned_data["file_number"])
    if migrant is None:
        messages.error(request, _("No person of your office has this file number."))
        return redirect(offer)
    return redirect(f"{reverse('partnerships:referral_create', args=[migrant.pk])}?offer={offer.pk}")


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def referral_create(request, migrant_pk):
    migrant = migrant_for_page(request.user, migrant_pk)
    if not migrant.shares_with_partners:
        messages.error(request, _("This person has not consented to sharing their data with partners."))
        return redirect(migrant)
    form = ReferralForm(request.POST or None, user=request.user, initial={"offer": request.GET.get("offer")})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(migrant=migrant, referred_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The referral is recorded."))
            return redirect(f"{migrant.get_absolute_url()}#offer-referrals")
    return render(request, "partnerships/offers/referral_form.html", {"form": form, "migrant": migrant})


@role_required(*STAFF_ROLES)
@require_POST
def referral_move(request, pk):
    referral = selectors.referral_for_move(request.user, pk)
    form = ReferralMoveForm(request.POST)
    if form.is_valid():
        try:
            services.referral_move(referral=referral, moved_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The referral is updated."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(f"{reverse('migrants:detail', args=[referral.migrant_id])}#offer-referrals")


@role_required(*STAFF_ROLES)
@require_GET
def referral_list(request):
    page = Paginator(selectors.referrals_open(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/offers/referrals.html", {"page": page})
