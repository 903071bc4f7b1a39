"""Pages of the accounts made with a phone number: the sign-up's SMS code, and the password reset by SMS.

A signed token in the address names the pending account (sign-up) or the number (reset); it is
not a secret. The secret is the code sent by SMS, which only the number's holder reads.
"""
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from hom.accounts.models import Role, User
from hom.forms import add_service_error
from hom.http import FailureLimit, login_key, rate_limited

from .. import consent, services
from .forms import PhoneCodeForm, PhoneResetForm, PhoneResetRequestForm
from .models import AccountCodePurpose
from .services import (
    CodeResult,
    account_code_send,
    code_result_message,
    phone_password_reset,
    phone_reset_request,
    phone_sign_up_confirm,
)

SIGN_UP_PHONE_SALT = "migrants.sign-up-phone"
RESET_PHONE_SALT = "migrants.reset-phone"
RESET_PHONE_MAX_AGE = 60 * 60
# A client address that opens too many bad code pages is locked out for a while.
PHONE_TOKEN_FAILURES = FailureLimit(group="migrants.phone-token", rate="10/h")


def sign_up_phone_token(user) -> str:
    return signing.dumps({"user": user.pk, "phone": user.phone.as_e164}, salt=SIGN_UP_PHONE_SALT)


def _pending_user(token):
    try:
        payload = signing.loads(token, salt=SIGN_UP_PHONE_SALT, max_age=services.SIGN_UP_LINK_LIFETIME)
        return User.objects.filter(
            pk=payload["user"], phone=payload["phone"], role=Role.MIGRANT, is_active=False, last_login__isnull=True
        ).first()
    except (signing.BadSignature, TypeError, KeyError):
        return None


def phone_sign_up(request, form):
    """The sign-up view's branch for a form with a phone number and no email: account, pending
    sign-up and SMS code in one transaction, then the page that asks for the code."""
    try:
        with transaction.atomic():
            user = services.migrant_sign_up(email=None, **form.sign_up_fields())
            account_code_send(user=user, purpose=AccountCodePurpose.SIGN_UP, language=translation.get_language())
    except ValidationError as error:
        add_service_error(form, error)
        return render(request, "migrants/sign_up.html", {"form": form, "consent": consent.CURRENT})
    return redirect("migrants:sign_up_phone", token=sign_up_phone_token(user))


def _invalid(request):
    PHONE_TOKEN_FAILURES.record(request)
    return render(request, "migrants/sign_up_invalid.html", status=400)


@require_http_methods(["GET", "POST"])
@ratelimit(group="migrants.sign-up-phone-ip", key="ip", rate="30/h", method="POST")
def sign_up_phone(request, token):
    if PHONE_TOKEN_FAILURES.blocked(request):
        return rate_limited(request)
    user = _pending_user(token)
    if user is None:
        return _invalid(request)
    form = PhoneCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, left = phone_sign_up_confirm(user=user, code=form.cleaned_data["code"])
        if result == CodeResult.OK:
            messages.success(request, _("Your phone number is confirmed: you can log in with it."))
            return redirect("login")
        form.add_error("code", code_result_message(result, tries_left=left))
    return render(request, "migrants/phone/sign_up_code.html", {"form": form, "phone": user.phone, "token": token})


@require_POST
@ratelimit(group="migrants.sign-up-phone-ip", key="ip", rate="30/h", method="POST")
def sign_up_phone_resend(request, token):
    if PHONE_TOKEN_FAILURES.blocked(request):
        return rate_limited(request)
    user = _pending_user(token)
    if user is None:
        return _invalid(request)
    try:
        account_code_send(user=user, purpose=AccountCodePurpose.SIGN_UP, language=translation.get_language())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new code is sent by SMS."))
    return redirect("migrants:sign_up_phone", token=token)


@require_http_methods(["GET", "POST"])
@ratelimit(group="migrants.reset-phone-ip", key="ip", rate="20/h", method="POST")
@ratelimit(group="migrants.reset-phone", key=login_key("phone"), rate="5/h", method="POST")
def password_reset_phone(request):
    """Ask for a reset code by SMS. Answers the same for a known and an unknown number."""
    form = PhoneResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"].as_e164
        phone_reset_request(phone=phone, language=translation.get_language())
        return redirect("migrants:password_reset_phone_confirm", token=signing.dumps({"phone": phone}, salt=RESET_PHONE_SALT))
    return render(request, "migrants/phone/password_reset_request.html", {"form": form})


@require_http_methods(["GET", "POST"])
@ratelimit(group="migrants.reset-phone-ip", key="ip", rate="30/h", method="POST")
def password_reset_phone_confirm(request, token):
    if PHONE_TOKEN_FAILURES.blocked(request):
        return rate_limited(request)
    try:
        phone = signing.loads(token, salt=RESET_PHONE_SALT, max_age=RESET_PHONE_MAX_AGE)["phone"]
    except (signing.BadSignature, TypeError, KeyError):
        PHONE_TOKEN_FAILURES.record(request)
        return render(request, "migrants/phone/password_reset_invalid.html", status=400)
    form = PhoneResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, left = phone_password_reset(phone=phone, code=form.cleaned_data["code"], password=form.cleaned_data["password1"])
        if result == CodeResult.OK:
            messages.success(request, _("Your password is changed: log in with your phone number and the new password."))
            return redirect("login")
        form.add_error("code", code_result_message(result, tries_left=left))
    return render(request, "migrants/phone/password_reset_confirm.html", {"form": form, "phone": phone})
