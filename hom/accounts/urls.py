from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn_views

from . import views
from .forms import EmailAuthenticationForm

# django-otp-webauthn's JSON ceremonies under the names its JS configuration uses (``otp_webauthn:``);
# the two "complete" steps are HOM's subclasses (views.py).
webauthn_patterns = (
    [
        path("registration/begin/", webauthn_views.BeginCredentialRegistrationView.as_view(),
             name="credential-registration-begin"),
        path("registration/complete/", views.PasskeyRegistrationCompleteView.as_view(),
             name="credential-registration-complete"),
        path("authentication/begin/", webauthn_views.BeginCredentialAuthenticationView.as_view(),
             name="credential-authentication-begin"),
        path("authentication/complete/", views.PasskeyAuthenticationCompleteView.as_view(),
             name="credential-authentication-complete"),
        path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
    ],
    "otp_webauthn",
)

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    # Before Django's own: the same names and paths, rate-limited (views.py).
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/invite/", views.staff_invite_view, name="staff_invite"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/active/", views.staff_active, name="staff_active"),
    path("staff/<int:pk>/password-reset/", views.staff_password_reset, name="staff_password_reset"),
    path("second-factor/", views.mfa_settings, name="mfa_settings"),
    path("second-factor/authenticator/", views.mfa_totp_enrol, name="mfa_totp_enrol"),
    path("second-factor/code/", views.mfa_verify, name="mfa_verify"),
    path("second-factor/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("second-factor/passkeys/", views.mfa_passkeys, name="mfa_passkeys"),
    path("second-factor/passkeys/<int:pk>/rename/", views.mfa_passkey_rename, name="mfa_passkey_rename"),
    path("second-factor/passkeys/<int:pk>/delete/", views.mfa_passkey_delete, name="mfa_passkey_delete"),
    path("second-factor/passkeys/webauthn/", include(webauthn_patterns)),
    path("sessions/", views.sessions_view, name="sessions"),
    path("", include("django.contrib.auth.urls")),
]
