"""Pages of the person's notices: channel choices (the person, or staff of their office), phone verification (the person)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error

from .. import selectors as registry
from .. import services as registry_services
from . import selectors, services
from .forms import ContactChoiceForm, PhoneCodeForm


def notices_panel(migrant, *, form=None, code_form=None, with_messages: bool = True) -> dict:
    """What the "Notices" panel of the person's page and of their profile shows.

    ``with_messages=False`` (the staff's person page, at most 10 queries): the messages sent are not
    read; the panel links to the channels page, which lists them.
    """
    choice = selectors.contact_choice_of(migrant)
    return {
        "choice": choice,
        "phone_verified": bool(choice and choice.verified_for(migrant.phone)),
        "choice_form": form or ContactChoiceForm.for_choice(choice),
        "code_form": code_form or PhoneCodeForm(),
        "sent_messages": selectors.person_messages(migrant) if with_messages else None,
    }


def _own_record(user):
    """The signed-in migrant's own record (404 before an office linked one to the account)."""
    migrant = registry.own_record(user)
    if migrant is None:
        raise Http404
    return migrant


def _choices(request, migrant, *, own: bool):
    form = ContactChoiceForm(request.POST or None, initial={})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_choice_set(migrant=migrant, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The choice of channels is saved."))
            return redirect("migrants:me" if own else migrant.get_absolute_url())
    elif request.method == "GET":
        form = None
    return render(request, "migrants/notices/choices.html", {
        "migrant": migrant, "own": own, **notices_panel(migrant, form=form),
    })


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def contact_choices(request, pk):
    """Staff of the person's office record the channels the person chose (with them)."""
    migrant = registry.migrant_for_page(request.user, pk)
    if refusal := registry_services.erased_record_refusal(migrant):
        messages.error(request, refusal)
        return redirect(migrant)
    return _choices(request, migrant, own=False)


@role_required(Role.MIGRANT)
@require_http_methods(["GET", "POST"])
def my_contact_choices(request):
    return _choices(request, _own_record(request.user), own=True)


@role_required(Role.MIGRANT)
@require_POST
def my_phone_code_send(request):
    migrant = _own_record(request.user)
    try:
        services.phone_code_send(migrant=migrant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A code was sent by SMS to %(phone)s: type it below.") % {"phone": migrant.phone})
    return redirect("migrants:me")


@role_required(Role.MIGRANT)
@require_POST
def my_phone_verify(request):
    migrant = _own_record(request.user)
    form = PhoneCodeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["code"])
        services.phone_code_check(migrant=migrant, code=form.cleaned_data["code"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your phone number is verified."))
    return redirect("migrants:me")
