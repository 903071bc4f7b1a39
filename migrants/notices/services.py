"""Writes of the person's notices: channel choices, phone verification, and sending a notice (docs/notices.md)."""
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber, to_python

from hom.links import absolute_url, recipient_language
from hom.messaging import services as messaging
from hom.messaging.models import Channel
from hom.messaging.text import fit_sms, sms_segments
from hom.notifications import services as notification_services

from .models import ContactChoice, NoticeChannel, NoticeSent, PhoneCode

logger = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=10)
CODE_TRIES = 5
# Codes a person may ask for in an hour (each one is an SMS paid by the office).
CODES_PER_HOUR = 3
SMS_SEGMENTS = 2


def person_key(migrant) -> str:
    """The person's key in ``hom.messaging`` (``Message.person_key``)."""
    return f"migrants.migrant:{migrant.pk}"


def notice_language(migrant) -> str:
    """The language of the person's notices: their account's, else the office's French."""
    return recipient_language(migrant.user) if migrant.user_id else settings.LANGUAGE_CODE


def e164(phone) -> str:
    """A phone number (a ``PhoneNumber`` or a string) as E.164, "" when empty or not a valid number."""
    if not phone:
        return ""
    number = phone if isinstance(phone, PhoneNumber) else to_python(str(phone))
    return number.as_e164 if isinstance(number, PhoneNumber) and number.is_valid() else ""


def _phone(migrant) -> str:
    return e164(migrant.phone)


def _choice_for_update(migrant) -> ContactChoice:
    """The person's choice, locked; a new (unsaved) one when none is recorded yet (one history entry per change)."""
    return ContactChoice.objects.select_for_update().filter(migrant=migrant).first() or ContactChoice(migrant=migrant)


# --- Choices --------------------------------------------------------------------------------


@transaction.atomic
def contact_choice_set(*, migrant, by, email: bool, sms: bool, whatsapp: bool) -> ContactChoice:
    """Record the channels the person chose. SMS and WhatsApp need a phone, email an address.

    The consent date is set when a channel is first chosen, and cleared when none is left
    (choosing again is a new consent). In-app notices are always on for an account holder.
    """
    errors = {}
    if (sms or whatsapp) and not migrant.phone:
        errors["sms" if sms else "whatsapp"] = _("Add a phone number to the profile before choosing SMS or WhatsApp.")
    if email and not notice_email_address(migrant):
        errors["email"] = _("Add an email address to the profile before choosing email.")
    if errors:
        raise ValidationError(errors)
    choice = _choice_for_update(migrant)
    choice.email, choice.sms, choice.whatsapp = bool(email), bool(sms), bool(whatsapp)
    chosen = choice.email or choice.sms or choice.whatsapp
    if chosen and choice.consent_on is None:
        choice.consent_on = timezone.localdate()
    elif not chosen:
        choice.consent_on = None
    choice.recorded_by = by
    choice._history_user = by
    choice.full_clean()
    choice.save()
    return choice


@transaction.atomic
def phone_mark_verified(*, migrant, phone, by=None, choose_sms: bool | None = None) -> ContactChoice:
    """``phone`` is now the person's verified number (E.164).

    ``choose_sms``: also choose SMS (with today's consent). ``None`` (the default) chooses it
    when the person had no choice recorded yet — the phone sign-up, where the person asked to be
    reached by SMS; a person who already chose keeps their choice.
    """
    existed = ContactChoice.objects.filter(migrant=migrant).exists()
    choice = _choice_for_update(migrant)
    choice.phone_verified = e164(phone) or str(phone)
    choice.phone_verified_at = timezone.now()
    if choose_sms or (choose_sms is None and not existed):
        choice.sms = True
        if choice.consent_on is None:
            choice.consent_on = timezone.localdate()
        choice.recorded_by = by or migrant.user
    choice._history_user = by
    choice.full_clean()
    choice.save()
    return choice


def phone_changed(*, migrant, by=None) -> None:
    """The record's phone changed: the number verified before is no longer (called by ``migrant_update``)."""
    choice = ContactChoice.objects.filter(migrant=migrant).exclude(phone_verified="").first()
    if choice is not None and choice.phone_verified != _phone(migrant):
        choice.phone_verified = ""
        choice.phone_verified_at = None
        choice._history_user = by
        choice.save(update_fields=["phone_verified", "phone_verified_at", "updated_at"])


# --- Phone verification -----------------------------------------------------------------------


def _code_hash(code_row_id: int, code: str) -> str:
    # Keyed with SECRET_KEY: a database read alone does not give the 10^6 codes' hashes away.
    return salted_hmac("migrants.notices.phone-code", f"{code_row_id}:{code}").hexdigest()


@transaction.atomic
def phone_code_send(*, migrant) -> PhoneCode:
    """Send the person a 6-digit code by SMS to their record's phone. At most ``CODES_PER_HOUR`` an hour."""
    phone = _phone(migrant)
    if not phone:
        raise ValidationError(_("Add a phone number to your profile first."))
    since = timezone.now() - timedelta(hours=1)
    if PhoneCode.objects.filter(migrant=migrant, created_at__gte=since).count() >= CODES_PER_HOUR:
        raise ValidationError(_("You asked for too many codes: try again in an hour."))
    # Asking again ends the codes sent before.
    PhoneCode.objects.filter(migrant=migrant, used_at__isnull=True).update(expires_at=timezone.now())
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneCode.objects.create(migrant=migrant, phone=phone, code_hash="-", expires_at=timezone.now() + CODE_LIFETIME)
    row.code_hash = _code_hash(row.pk, code)
    row.save(update_fields=["code_hash"])
    with translation.override(notice_language(migrant)):
        body = sms_plain(gettext("HOM: your code is %(code)s. It expires in 10 minutes. Give it to no one.") % {"code": code})
    try:
        messaging.message_enqueue(
            key=f"migrants.phone-code:{row.pk}", channel=Channel.SMS, to=phone, body=body, office=migrant.office,
            source="migrants.phone-code", person_key=person_key(migrant), language=notice_language(migrant),
        )
    except ValueError as error:
        raise ValidationError(_("This phone number cannot receive an SMS: check it on your profile.")) from error
    return row


def phone_code_check(*, migrant, code: str) -> ContactChoice:
    """Check the code the person typed; the right one verifies the number it was sent to.

    A wrong code counts a try (kept even though the check fails: it is committed before the
    error is raised); after ``CODE_TRIES`` the code is locked and a new one must be asked for.
    """
    error = None
    with transaction.atomic():
        row = PhoneCode.objects.select_for_update().filter(migrant=migrant, used_at__isnull=True).first()
        code = (code or "").strip().replace(" ", "")
        if row is None:
            error = _("Ask for a code first.")
        elif row.tries >= CODE_TRIES:
            error = _("Too many wrong codes: ask for a new code.")
        elif row.expires_at <= timezone.now():
            error = _("This code has expired: ask for a new code.")
        elif row.phone != _phone(migrant):
            error = _("Your phone number changed since the code was sent: ask for a new code.")
        elif not constant_time_compare(_code_hash(row.pk, code), row.code_hash):
            row.tries += 1
            row.save(update_fields=["tries"])
            left = CODE_TRIES - row.tries
            error = (
                _("This code is not the right one: %(left)s tries left.") % {"left": left}
                if left else _("Too many wrong codes: ask for a new code.")
            )
        else:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return phone_mark_verified(migrant=migrant, phone=row.phone, by=migrant.user, choose_sms=False)
    raise ValidationError({"code": error})


# --- Sending a notice ---------------------------------------------------------------------------


def notice_email_address(migrant) -> str:
    if migrant.user_id and migrant.user.email and not migrant.user.email.endswith("@invalid.hom"):
        return migrant.user.email
    return migrant.email or ""


def notice_channels(migrant, choice: ContactChoice | None = None) -> set[str]:
    """The channels a notice to ``migrant`` goes to now (consented, with an address, a verified phone)."""
    if choice is None:
        choice = ContactChoice.objects.filter(migrant=migrant).first()
    has_account = bool(migrant.user_id) and migrant.user.is_active
    if choice is None:
        # Nothing chosen yet: what an account holder always had, the bell and an email.
        return {NoticeChannel.IN_APP, NoticeChannel.EMAIL} if has_account and notice_email_address(migrant) else (
            {NoticeChannel.IN_APP} if has_account else set())
    channels = {NoticeChannel.IN_APP} if has_account else set()
    if choice.consent_on is None:
        return channels
    if choice.email and notice_email_address(migrant):
        channels.add(NoticeChannel.EMAIL)
    verified = choice.verified_for(migrant.phone)
    if choice.sms and verified:
        channels.add(NoticeChannel.SMS)
    if choice.whatsapp and verified:
        channels.add(NoticeChannel.WHATSAPP)
    return channels


# Characters outside the GSM-7 alphabet that French text uses, replaced in SMS by their plain form: one
# of them would make the whole message UCS-2 (70 characters a segment instead of 160). GSM-7 has é è à
# ù ì ò É Ç; ê, â, î, ô, û, ë, ï and ç lose their accent, as SMS writers do.
SMS_PLAIN = str.maketrans({
    "\u00a0": " ", "\u202f": " ", "«": '"', "»": '"', "“": '"', "”": '"', "’": "'", "‘": "'", "…": "...",
    "–": "-", "—": "-", "ê": "e", "â": "a", "î": "i", "ô": "o", "û": "u", "ë": "e", "ï": "i", "ç": "c",
    "Ê": "E", "Â": "A", "Î": "I", "Ô": "O", "Û": "U", "À": "A", "È": "E",
})


def sms_plain(text: str) -> str:
    for space in ("\u00a0", "\u202f", " "):  # French quotes hold their text between (thin) spaces
        text = text.replace("«" + space, "«").replace(space + "»", "»")
    return text.translate(SMS_PLAIN)


def sms_text(text: str, link: str = "", max_segments: int = SMS_SEGMENTS) -> str:
    """``text`` and the link, within ``max_segments`` SMS: the text is shortened, never the link.

    Typographic characters become their GSM-7 plain form first (``SMS_PLAIN``).
    """
    text = sms_plain(text)
    if not link:
        return fit_sms(text, max_segments=max_segments)
    whole = f"{text} {link}"
    if sms_segments(whole).count <= max_segments:
        return whole
    low, high = 0, len(text)
    while low < high:  # the longest start of the text that fits with the link
        middle = (low + high + 1) // 2
        if sms_segments(f"{text[:middle].rstrip()}... {link}").count <= max_segments:
            low = middle
        else:
            high = middle - 1
    return f"{text[:low].rstrip()}... {link}" if low else fit_sms(link, max_segments=max_segments)


def _in_language(text) -> str:
    """A notice's text given as a string, a lazy translation or a callable (called in the active language)."""
    if text is None:
        return ""
    return str(text() if callable(text) else text)


def _claim(*, migrant, kind: str, key: str, channel: str) -> bool:
    try:
        with transaction.atomic():
            NoticeSent.objects.create(migrant=migrant, kind=kind, key=key, channel=channel)
            return True
    except IntegrityError:
        return False


@transaction.atomic
def notice_send(*, migrant, kind: str, key: str, text, path: str = "", template_params: list | None = None,
                subject=None, details=None, link_line=None) -> list:
    """Tell ``migrant`` of an event on every channel they chose: exactly once per (key, channel).

    ``text`` (a string, or a callable returning it, called in the person's language) is the
    notice; ``subject`` and ``details`` (the same) the email's subject and more lines for the
    email only (a comment); ``link_line(link)`` the email's line with the link; ``path`` the
    page it is about (an absolute link in email and SMS, the path in the app).
    In-app: a notification under the bell (``hom.notifications``) for an account holder.
    Email: to their address when chosen. SMS and WhatsApp: to their verified phone when chosen
    (WhatsApp with the template ``WHATSAPP_TEMPLATES[kind]``, skipped when there is none),
    queued with ``hom.messaging`` (quiet hours, daily cap, retries are its own).

    Returns what it made or found, one item per channel: the ``Notification``, the email's
    ``NoticeSent``, the ``Message``\\s. An SMTP error raises and rolls everything back (the task retries).
    """
    channels = notice_channels(migrant)
    made = []
    with translation.override(notice_language(migrant)):
        body = _in_language(text)
        link = absolute_url(path) if path else ""
        notification = None
        if NoticeChannel.IN_APP in channels:
            notification, _created = notification_services.notification_record(
                recipient=migrant.user, kind=kind, object_key=key, title=body, url=path
            )
            made.append(notification)
        phone = _phone(migrant)
        common = {
            "office": migrant.office, "source": f"migrants.notice:{kind}", "person_key": person_key(migrant),
            "language": translation.get_language(),
        }
        try:
            if NoticeChannel.SMS in channels:
                made.append(messaging.message_enqueue(
                    key=key, channel=Channel.SMS, to=phone, body=sms_text(body, link), **common))
            template = getattr(settings, "WHATSAPP_TEMPLATES", {}).get(kind, "")
            if NoticeChannel.WHATSAPP in channels and template:
                made.append(messaging.message_enqueue(
                    key=key, channel=Channel.WHATSAPP, to=phone, body=body, template=template,
                    params=template_params if template_params is not None else [body, link], **common))
        except ValueError:
            logger.warning("notice %s: the phone of person %s is not a valid number", key, migrant.pk)
        # Last: an SMTP error rolls back the messages queued above too, and the whole notice is retried.
        if NoticeChannel.EMAIL in channels and _claim(migrant=migrant, kind=kind, key=key, channel=NoticeChannel.EMAIL):
            message = body
            if more := _in_language(details):
                message += "\n\n" + more
            if link:
                line = link_line(link) if link_line else gettext("See it on HOM: %(link)s") % {"link": link}
                message += "\n\n" + line
            send_mail(_in_language(subject) or gettext("HOM: news for you"), message, None, [notice_email_address(migrant)])
            made.append(NoticeSent.objects.get(key=key, channel=NoticeChannel.EMAIL))
            if notification is not None:
                notification_services.notification_mark_emailed(notification=notification)
    return made
