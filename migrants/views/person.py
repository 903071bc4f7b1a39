"""The person's own pages: online sign-up with email confirmation, profile and consent, data, erasure."""
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from hom.accounts.access import role_required
from hom.accounts.models import Role, User
from hom.forms import add_service_error
from hom.http import FailureLimit, login_key, rate_limited
from hom.links import absolute_url

from .. import consent, selectors, services
from ..forms import PROFILE_FIELDS, ProfileForm, SignUpForm
from ..models import LinkRequest, LinkRequestStatus
from ..notices.views import notices_panel
from ..phone_accounts.views import phone_sign_up
from .registry import _migrant_fields

SIGN_UP_SALT = "migrants.sign-up"
SIGN_UP_MAX_AGE = int(services.SIGN_UP_LINK_LIFETIME.total_seconds())
# A client address that opens too many bad confirmation links is locked out for a while.
SIGN_UP_CONFIRM_FAILURES = FailureLimit(group="migrants.sign-up-confirm", rate="10/h")


def sign_up_token(user) -> str:
    # The email is in the token: once an account is erased (its email replaced), old links die.
    return signing.dumps({"user": user.pk, "email": user.email}, salt=SIGN_UP_SALT)


@require_http_methods(["GET", "POST"])
# Per client address (an office kiosk shares one: generous) and per email address or phone number.
@ratelimit(group="migrants.sign-up-ip", key="ip", rate="20/h", method="POST")
@ratelimit(group="migrants.sign-up-email", key=login_key("email", "phone"), rate="5/h", method="POST")
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def confirmation_link(user):
            return absolute_url(reverse("migrants:sign_up_confirm", args=[sign_up_token(user)]), request)

        if not data["email"]:
            return phone_sign_up(request, form)
        # A known address gets the same page as a new one; its owner is emailed instead (issue 17).
        if services.sign_up_known_address(
            email=data["email"], password=data["password1"], request=request, confirmation_link=confirmation_link
        ):
            return render(request, "migrants/sign_up_sent.html", {"email": data["email"]})
        try:
            user = services.migrant_sign_up(email=data["email"], **form.sign_up_fields())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            body = render_to_string("migrants/sign_up_email.txt", {"user": user, "link": confirmation_link(user)})
            transaction.on_commit(
                lambda: send_mail(_("Confirm your HOM account"), body, None, [user.email], fail_silently=True)
            )
            return render(request, "migrants/sign_up_sent.html", {"email": user.email})
    return render(request, "migrants/sign_up.html", {"form": form, "consent": consent.CURRENT})


@require_GET
def sign_up_confirm(request, token):
    if SIGN_UP_CONFIRM_FAILURES.blocked(request):
        return rate_limited(request)
    try:
        payload = signing.loads(token, salt=SIGN_UP_SALT, max_age=SIGN_UP_MAX_AGE)
        user = User.objects.filter(pk=payload["user"], email=payload["email"], role=Role.MIGRANT).first()
    except (signing.BadSignature, TypeError, KeyError):
        user = None
    if user is None:
        SIGN_UP_CONFIRM_FAILURES.record(request)
        return render(request, "migrants/sign_up_invalid.html", status=400)
    services.sign_up_confirm_email(user=user)
    messages.success(request, _("Your email address is confirmed: you can log in."))
    return redirect("login")


@role_required(Role.MIGRANT)
@require_http_methods(["GET", "POST"])
def my_profile(request):
    migrant = selectors.own_record(request.user)
    if migrant is None:
        pending = LinkRequest.objects.filter(user=request.user, status=LinkRequestStatus.PENDING).exists()
        return render(request, "migrants/me_pending.html", {"pending": pending})
    form = ProfileForm(request.POST or None, instance=selectors.own_record(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.migrant_update(
                migrant=migrant,
                changed_by=request.user,
                sectors_of_interest=form.cleaned_data["sectors_of_interest"],
                **_migrant_fields(form.cleaned_data, PROFILE_FIELDS),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("migrants:me")
    return render(request, "migrants/me.html", {
        "migrant": migrant, "form": form, "consent": consent.CURRENT, **notices_panel(migrant),
    })


@role_required(Role.MIGRANT)
@require_GET
def my_data(request):
    migrant = selectors.own_record(request.user)
    if migrant is None:
        raise Http404
    return json_attachment(selectors.migrant_subject_access(migrant, staff=False), f"{migrant.file_number}.json")


@role_required(Role.MIGRANT)
@require_GET
def my_data_page(request):
    """The person's own data, as the JSON download holds it, on a page that reads and prints well."""
    migrant = selectors.own_record(request.user)
    if migrant is None:
        raise Http404
    return render(request, "migrants/data_page.html", {
        "migrant": migrant, "sections": selectors.migrant_subject_access_page(migrant, staff=False), "staff": False,
        "printed_at": timezone.now(),
    })


@role_required(Role.MIGRANT)
@require_POST
def my_erasure_request(request):
    migrant = selectors.own_record(request.user)
    if migrant is None:
        raise Http404
    services.migrant_request_erasure(migrant=migrant)
    messages.success(request, _("Your request is recorded: the office will erase your data."))
    return redirect("migrants:me")


def json_attachment(data, filename):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
