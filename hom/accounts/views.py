"""The home page (a public welcome for visitors, a dashboard per role once logged in), password reset,
staff management, the second factor and the sessions page."""
import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn import views as webauthn_views
from django_ratelimit.decorators import ratelimit

from hom.forms import add_service_error
from hom.http import FailureLimit, email_key, rate_limited, safe_next_url
from hom.links import absolute_url

from . import mfa, services
from .access import get_visible_or_404, role_required
from .forms import CodeForm, LocalisedPasswordResetForm, PasskeyNameForm, StaffInviteForm, StaffRoleForm
from .models import Role
from .selectors import offices_visible_to, passkeys_of, staff_visible_to

DASHBOARD_TEMPLATES = {
    Role.ADMIN: "accounts/dashboard_staff.html",
    Role.ADVISOR: "accounts/dashboard_staff.html",
    Role.MIGRANT: "accounts/dashboard_migrant.html",
    Role.AUTHORITY: "accounts/dashboard_authority.html",
    Role.PARTNER: "accounts/dashboard_partner.html",
}


@require_GET
def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "accounts/welcome.html")
    context = {}
    if user.is_office_staff:
        # A list: the title names the first (the user's own office) without a query of its own.
        context["offices"] = offices_visible_to(user)
    if user.role == Role.AUTHORITY:
        context["communes"] = user.communes.select_related("department__region")
    template = DASHBOARD_TEMPLATES[Role.ADMIN if user.is_superuser else user.role]
    return render(request, template, context)


# --- Password reset, rate-limited -------------------------------------------------------
# Per client address and per email address (hom/http.py); a refused request gets the 429 page.
RESET_CONFIRM_FAILURES = FailureLimit(group="accounts.password-reset-link", rate="10/h")


@method_decorator(ratelimit(group="accounts.password-reset-ip", key="ip", rate="10/h", method="POST"), name="post")
@method_decorator(
    ratelimit(group="accounts.password-reset-email", key=email_key("email"), rate="3/h", method="POST"), name="post"
)
class PasswordResetView(auth_views.PasswordResetView):
    """The emailed link starts with SITE_URL (hom/links.py), not with the host the request came to."""

    form_class = LocalisedPasswordResetForm

    def form_valid(self, form):
        self.extra_email_context = {"site_url": absolute_url("/", self.request).rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, locked for a client address after repeated bad links (guessing tokens)."""

    def dispatch(self, *args, **kwargs):
        if RESET_CONFIRM_FAILURES.blocked(self.request):
            return rate_limited(self.request)
        response = super().dispatch(*args, **kwargs)
        if getattr(response, "context_data", None) and response.context_data.get("validlink") is False:
            RESET_CONFIRM_FAILURES.record(self.request)
        return response


# --- Staff management -----------------------------------------------------------------------


@role_required(Role.ADMIN)
@require_GET
def staff_list(request):
    return render(request, "accounts/staff_list.html", {"staff": staff_visible_to(request.user)})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def staff_invite_view(request):
    form = StaffInviteForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.staff_invite(
                invited_by=request.user, email=data["email"], role=data["role"], office=data.get("office"),
                first_name=data["first_name"], last_name=data["last_name"], request=request,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(email)s is invited: they will choose their password.") % {"email": member.email})
            return redirect("staff_list")
    return render(request, "accounts/staff_invite.html", {"form": form})


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def staff_detail(request, pk):
    member = get_visible_or_404(staff_visible_to(request.user), request.user, pk=pk)
    form = StaffRoleForm(request.POST or None, initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_change_role(changed_by=request.user, member=member, role=form.cleaned_data["role"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The role is changed."))
            return redirect("staff_detail", pk=member.pk)
    history = member.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "accounts/staff_detail.html", {"member": member, "form": form, "history": history})


@role_required(Role.ADMIN)
@require_POST
def staff_active(request, pk):
    member = get_visible_or_404(staff_visible_to(request.user), request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.staff_set_active(changed_by=request.user, member=member, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The account is active again.") if active else _("The account is deactivated."))
    return redirect("staff_detail", pk=member.pk)


@role_required(Role.ADMIN)
@require_POST
def staff_password_reset(request, pk):
    member = get_visible_or_404(staff_visible_to(request.user), request.user, pk=pk)
    try:
        services.staff_send_password_reset(sent_by=request.user, member=member, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A link to choose a new password is sent to %(email)s.") % {"email": member.email})
    return redirect("staff_detail", pk=member.pk)


# --- Second factor --------------------------------------------------------------------------


@login_required
@require_GET
def mfa_settings(request):
    user = request.user
    return render(request, "accounts/mfa_settings.html", {
        "has_device": mfa.has_device(user), "has_totp": mfa.has_totp(user), "has_passkey": mfa.has_passkey(user),
        "has_recovery_codes": mfa.has_recovery_codes(user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def mfa_totp_enrol(request):
    if mfa.has_device(request.user) and not request.user.is_verified():
        return redirect("mfa_verify")
    device = mfa.totp_pending_device(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.totp_confirm(request=request, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            messages.success(request, _("Your authenticator app is your second factor now."))
            return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes})
        if not request.user.is_authenticated:  # locked out and signed out
            return redirect("login")
        form.add_error("code", _("This code is not right. Check the time of your phone and try again."))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/mfa_totp_enrol.html",
        {"form": form, "secret": secret, "qr_svg": mark_safe(qr.svg_inline(scale=4, omitsize=True))},  # noqa: S308 (segno's own SVG)
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    if request.user.is_verified() or not mfa.has_device(request.user):
        return redirect(safe_next_url(request, "home"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.code_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(safe_next_url(request, "home"))
        if not request.user.is_authenticated:
            return redirect("login")
        form.add_error("code", _("This code is not right."))
    user = request.user
    return render(request, "accounts/mfa_verify.html", {
        "form": form, "has_passkey": mfa.has_passkey(user),
        "has_codes": mfa.has_totp(user) or mfa.has_recovery_codes(user),
    })


# --- Passkeys (django-otp-webauthn) ---------------------------------------------------------
# The ceremonies are the library's JSON views (its JS, served from our static files, calls them);
# HOM only counts a failed passkey toward the lockout and remembers a new one in the session.


def _owes_second_factor(request) -> bool:
    return not request.user.is_verified() and mfa.has_device(request.user)


@login_required
@require_GET
def mfa_passkeys(request):
    if _owes_second_factor(request):
        return redirect("mfa_verify")
    return render(request, "accounts/mfa_passkeys.html", {
        "passkeys": passkeys_of(request.user), "has_recovery_codes": mfa.has_recovery_codes(request.user),
    })


@login_required
@require_POST
def mfa_passkey_rename(request, pk):
    if _owes_second_factor(request):
        return redirect("mfa_verify")
    passkey = get_object_or_404(passkeys_of(request.user), pk=pk)
    form = PasskeyNameForm(request.POST)
    if form.is_valid():
        try:
            mfa.passkey_rename(user=request.user, passkey=passkey, name=form.cleaned_data["name"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The passkey is renamed."))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("mfa_passkeys")


@login_required
@require_POST
def mfa_passkey_delete(request, pk):
    if _owes_second_factor(request):
        return redirect("mfa_verify")
    passkey = get_object_or_404(passkeys_of(request.user), pk=pk)
    try:
        mfa.passkey_delete(user=request.user, passkey=passkey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The passkey is removed: it no longer opens your account."))
    return redirect("mfa_passkeys")


class PasskeyRegistrationCompleteView(webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        mfa.passkey_registered(request=self.request)
        return response


class PasskeyAuthenticationCompleteView(webauthn_views.CompleteCredentialAuthenticationView):
    """The library's view; a passkey that fails counts toward the lockout as a wrong code does."""

    def handle_exception(self, exc):
        # The fifth failure locks the account and signs it out; django-axes answers 429 then.
        if isinstance(exc, webauthn_errors.OTPWebAuthnApiError):
            mfa.passkey_failed(request=self.request)
        return super().handle_exception(exc)


@login_required
@require_POST
def mfa_recovery_codes(request):
    if not (request.user.is_verified() and mfa.has_device(request.user)):
        return redirect("mfa_settings")
    codes = mfa.recovery_codes_renew(user=request.user)
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes})


# --- Sessions -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sessions_view(request):
    if request.method == "POST":
        ended = services.user_sessions_end(user=request.user, keep=request.session.session_key)
        messages.success(request, ngettext("%(count)s other session ended.", "%(count)s other sessions ended.", ended) % {"count": ended})
        return redirect("sessions")
    others = len(services.user_session_keys(user=request.user)) - 1
    return render(request, "accounts/sessions.html", {"others": max(others, 0)})
