"""Writes on accounts and offices. Views, the admin, seed_demo and tests all come here."""
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hom.links import absolute_url, recipient_language
from hom.territories.models import Commune, Region

from .models import Office, Role, User


@transaction.atomic
def office_create_or_update(*, code: str, name: str, region: Region) -> Office:
    office = Office.objects.filter(code=code).first() or Office(code=code)
    office.name, office.region = name, region
    office.full_clean()
    office.save()
    return office


@transaction.atomic
def user_create(
    *,
    email: str | None,
    password: str | None,
    role: str,
    office: Office | None = None,
    first_name: str = "",
    last_name: str = "",
    communes: list[Commune] | tuple = (),
    phone=None,
) -> User:
    """Create an active user. Office admins get the Django admin for reference data.

    ``email`` may be empty for a migrant who signs up with ``phone`` (E.164) only; staff need one
    (the model's constraints).
    """
    user = User(
        email=User.objects.normalize_email(email).lower() if email else None,
        phone=phone or None,
        role=role,
        office=office,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if communes:
        user.communes.set(communes)
    return user


# --- Staff management (/accounts/staff/): office admins run their own team -------------------
# Every write names who made it (``changed_by``): it is the history row's ``history_user``.


def _assignable_roles(manager: User) -> frozenset:
    """The roles ``manager`` may give: office staff roles, never above their own."""
    if manager.is_superuser or manager.role == Role.ADMIN:
        return frozenset({Role.ADMIN, Role.ADVISOR})
    return frozenset()


def _check_may_manage(*, manager: User, member: User) -> None:
    if member.pk == manager.pk:
        raise ValidationError(_("You cannot change your own account here."))
    if member.is_superuser and not manager.is_superuser:
        raise ValidationError(_("Only a national administrator may change a national administrator."))
    if not manager.is_superuser and member.office_id != manager.office_id:
        raise ValidationError(_("This staff member belongs to another office."))


def staff_access_link(*, user: User, request=None) -> str:
    """The signed, expiring link where ``user`` chooses a password (Django's reset token: one use)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return absolute_url(path, request)


def _send_access_link(*, user: User, request, template: str, subject: str) -> None:
    """Sent by an admin: in the member's language (their saved choice, else the office's French)."""
    link = staff_access_link(user=user, request=request)
    with translation.override(recipient_language(user)):
        subject = str(subject)
        body = render_to_string(template, {"user": user, "link": link, "days": settings.PASSWORD_RESET_TIMEOUT // 86400})
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


@transaction.atomic
def staff_invite(
    *, invited_by: User, email: str, role: str, office: Office | None, first_name: str = "", last_name: str = "", request=None
) -> User:
    """Create an active staff account without a password and email its owner a link to choose one."""
    if role not in _assignable_roles(invited_by):
        raise ValidationError({"role": _("You cannot give this role.")})
    if not invited_by.is_superuser:
        office = invited_by.office
    if office is None:
        raise ValidationError({"office": _("Choose the office of the new staff member.")})
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This address already has an account.")})
    user = User(email=email, role=role, office=office, first_name=first_name, last_name=last_name,
                is_staff=role == Role.ADMIN)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user._history_user = invited_by
    user.save()
    _send_access_link(user=user, request=request, template="accounts/staff_invite_email.txt", subject=gettext_lazy("Your HOM account"))
    return user


@transaction.atomic
def staff_change_role(*, changed_by: User, member: User, role: str) -> User:
    _check_may_manage(manager=changed_by, member=member)
    if role not in _assignable_roles(changed_by):
        raise ValidationError({"role": _("You cannot give this role.")})
    member.role = role
    if not member.is_superuser:
        member.is_staff = role == Role.ADMIN
    member.full_clean(exclude=["password"])
    member._history_user = changed_by
    member.save()
    return member


@transaction.atomic
def staff_set_active(*, changed_by: User, member: User, active: bool) -> User:
    """Deactivate (their sessions end at once) or reactivate a staff member."""
    _check_may_manage(manager=changed_by, member=member)
    member.is_active = active
    member._history_user = changed_by
    member.save()
    if not active:
        user_sessions_end(user=member)
    return member


def staff_send_password_reset(*, sent_by: User, member: User, request=None) -> None:
    _check_may_manage(manager=sent_by, member=member)
    _send_access_link(
        user=member, request=request, template="accounts/staff_reset_email.txt", subject=gettext_lazy("Choose a new HOM password")
    )


# --- Sessions ----------------------------------------------------------------------------------


def user_session_keys(*, user: User) -> list[str]:
    """The keys of the open (database) sessions of ``user``.

    Django's session table does not index the user: the open sessions are read and decoded.
    """
    from django.contrib.sessions.models import Session

    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def user_sessions_end(*, user: User, keep: str | None = None) -> int:
    """End every open session of ``user`` but ``keep`` (the current one, when they end their others)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    keys = [key for key in user_session_keys(user=user) if key != keep]
    for key in keys:
        store.delete(key)  # the store's delete: the cached copy goes too, not only the row
    return len(keys)
