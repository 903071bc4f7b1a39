"""Codes by SMS for accounts made with a phone number: send, check, confirm a sign-up, reset a password.

The SMS goes through ``hom.messaging`` (one message per code: key ``migrants.account-code:<pk>``),
published after the commit. Checking a code never raises: it returns a :class:`CodeResult`, so
that the count of wrong tries is committed with the answer.
"""
import secrets
from datetime import timedelta
from enum import Enum

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import AccountCode, AccountCodePurpose

PHONE_CODE_LIFETIME = timedelta(minutes=10)
PHONE_CODE_MAX_TRIES = 5
# Asking for codes: one a minute, five an hour per account and purpose (the gateway's daily
# cap per number, ``SMS_DAILY_CAP``, bounds them too).
PHONE_CODE_RESEND_AFTER = timedelta(minutes=1)
PHONE_CODE_PER_HOUR = 5


class CodeResult(Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"
    MISSING = "missing"


def _hash(code: str, salt: str) -> str:
    return salted_hmac("migrants.account-code", f"{salt}:{code}", algorithm="sha256").hexdigest()


def code_result_message(result: CodeResult, *, tries_left: int = 0) -> str:
    """What the page says about a refused code (translated)."""
    if result == CodeResult.WRONG:
        return ngettext(
            "This code is wrong. %(count)s try left.", "This code is wrong. %(count)s tries left.", tries_left
        ) % {"count": tries_left}
    if result == CodeResult.EXPIRED:
        return _("This code has expired: ask for a new one.")
    if result == CodeResult.EXHAUSTED:
        return _("Too many wrong codes: ask for a new one.")
    return _("No code is waiting for this number: ask for a new one.")


def _sms_text(code: str, purpose: str) -> str:
    minutes = int(PHONE_CODE_LIFETIME.total_seconds() // 60)
    if purpose == AccountCodePurpose.RESET:
        return _("HOM: your code to choose a new password is %(code)s. Valid %(minutes)s minutes. Never give it to anyone.") % {
            "code": code, "minutes": minutes,
        }
    return _("HOM: your code to confirm your account is %(code)s. Valid %(minutes)s minutes. Never give it to anyone.") % {
        "code": code, "minutes": minutes,
    }


@transaction.atomic
def account_code_send(*, user, purpose: str, language: str | None = None, now=None) -> AccountCode:
    """Send a new 6-digit code by SMS to ``user.phone``; the previous open codes of ``purpose`` close.

    Refused (``ValidationError``) when a code was sent less than a minute ago or five in the last hour.
    """
    from hom.messaging.models import Channel, MessageStatus
    from hom.messaging.services import message_enqueue

    now = now or timezone.now()
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one sender at a time per account
    recent = AccountCode.objects.filter(user=user, purpose=purpose, created_at__gt=now - timedelta(hours=1))
    if recent.filter(created_at__gt=now - PHONE_CODE_RESEND_AFTER).exists():
        raise ValidationError(_("A code was sent less than a minute ago: wait a moment before asking for another."))
    if recent.count() >= PHONE_CODE_PER_HOUR:
        raise ValidationError(_("Too many codes were asked for this number: try again in an hour."))
    AccountCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    account_code = AccountCode.objects.create(
        user=user, purpose=purpose, salt=salt, code_hash=_hash(code, salt), expires_at=now + PHONE_CODE_LIFETIME
    )
    with translation.override(language or translation.get_language()):
        body = _sms_text(code, purpose)
    message = message_enqueue(
        key=f"migrants.account-code:{account_code.pk}",
        channel=Channel.SMS,
        to=user.phone,
        body=body,
        source="migrants.account-code",
        person_key=_person_key(user),
        one_time_code=True,  # at once, even at night; its text blanked once sent (docs/messaging.md)
    )
    if message.status == MessageStatus.FAILED:
        # Refused before any gateway (the number answered STOP): say so rather than wait for a code
        # that will not come. The caller's transaction rolls back.
        raise ValidationError(
            _("This number asked us to send it no more SMS (STOP). Use an email address, or ask the office.")
        )
    return account_code


def _person_key(user) -> str:
    """The ledger's name of the person: their record once there is one (so that the person's page,
    export and erasure include the SMS), else the account."""
    from migrants.models import Migrant

    migrant_id = Migrant.objects.filter(user=user).values_list("pk", flat=True).first()
    return f"migrants.migrant:{migrant_id}" if migrant_id else f"accounts.user:{user.pk}"


@transaction.atomic
def account_code_check(*, user, purpose: str, code: str, now=None) -> tuple[CodeResult, int]:
    """Check ``code`` against the newest code of ``user`` for ``purpose``: the result and the tries left.

    A right code is used up; a wrong one counts a try (the fifth closes the code).
    """
    now = now or timezone.now()
    account_code = AccountCode.objects.select_for_update().filter(user=user, purpose=purpose).order_by("-created_at", "-pk").first()
    if account_code is None or account_code.used_at is not None:
        return CodeResult.MISSING, 0
    if account_code.attempts >= PHONE_CODE_MAX_TRIES:
        return CodeResult.EXHAUSTED, 0
    if account_code.expires_at <= now:
        return CodeResult.EXPIRED, 0
    if constant_time_compare(_hash(str(code or "").strip(), account_code.salt), account_code.code_hash):
        account_code.used_at = now
        account_code.save(update_fields=["used_at"])
        return CodeResult.OK, PHONE_CODE_MAX_TRIES - account_code.attempts
    account_code.attempts += 1
    account_code.save(update_fields=["attempts"])
    left = PHONE_CODE_MAX_TRIES - account_code.attempts
    return (CodeResult.WRONG if left else CodeResult.EXHAUSTED), left


def phone_sign_up_refusal(*, phone) -> str | None:
    """Why ``phone`` cannot make a new account (None when it can). Says nothing of whose it is."""
    from migrants.models import PendingSignUp

    holder = get_user_model().objects.filter(phone=phone).first()
    if holder is None:
        return None
    if not holder.is_active and holder.last_login is None and PendingSignUp.objects.filter(user=holder).exists():
        return None  # an unconfirmed sign-up: nobody proved the number is theirs; a new sign-up replaces it
    return _("This phone number cannot be used for a new account. If you already have an account, log in.")


@transaction.atomic
def phone_sign_up_confirm(*, user, code: str, now=None) -> tuple[CodeResult, int]:
    """Confirm a phone sign-up with its code: the account is activated and enters the registry exactly
    as an email confirmation does, and the number is recorded as verified with SMS chosen."""
    from migrants.models import Migrant
    from migrants.services import sign_up_confirm_email

    result, left = account_code_check(user=user, purpose=AccountCodePurpose.SIGN_UP, code=code, now=now)
    if result != CodeResult.OK:
        return result, left
    sign_up_confirm_email(user=user)
    migrant = Migrant.objects.filter(user=user).first()
    if migrant is not None:  # None when the sign-up became a link request to a desk record
        from hom.messaging.models import Message

        # The sign-up's SMS now belong to the person's record: shown, exported and erased with it.
        Message.objects.filter(person_key=f"accounts.user:{user.pk}").update(person_key=_person_key(user))
        from migrants.notices.services import phone_mark_verified

        # The person asked to be reached by SMS at this number: it is verified and SMS is chosen.
        phone_mark_verified(migrant=migrant, phone=user.phone.as_e164, by=user, choose_sms=True)
    return result, left


@transaction.atomic
def phone_password_reset(*, phone, code: str, password: str, now=None) -> tuple[CodeResult, int]:
    """Set a new password for the active account of ``phone`` when ``code`` is its reset code.

    An unknown number answers as a wrong code (nothing tells a stranger which numbers have an account).
    """
    user = get_user_model().objects.filter(phone=phone, is_active=True).first()
    if user is None:
        return CodeResult.MISSING, 0
    result, left = account_code_check(user=user, purpose=AccountCodePurpose.RESET, code=code, now=now)
    if result == CodeResult.OK:
        user.set_password(password)
        user.save(update_fields=["password", "updated_at"])
    return result, left


def phone_reset_request(*, phone, language: str | None = None) -> None:
    """Send a reset code to the active account of ``phone``, if there is one; silent otherwise, and
    silent when the resend limit refuses (the page answers the same in every case)."""
    user = get_user_model().objects.filter(phone=phone, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    try:
        account_code_send(user=user, purpose=AccountCodePurpose.RESET, language=language)
    except ValidationError:
        return
