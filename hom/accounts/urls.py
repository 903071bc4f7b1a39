from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import EmailAuthenticationForm

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
    path("sessions/", views.sessions_view, name="sessions"),
    path("", include("django.contrib.auth.urls")),
]
