"""Writes on persons and visits. Views, forms, imports, the demo and tests all come here.

A file number is ``<OFFICE CODE>-<YEAR>-<5-digit sequence>``; the sequence of an office
and year lives in one ``FileNumberCounter`` row, locked with ``select_for_update`` while
a number is taken, so two advisors registering at once never get the same number; an
import takes the numbers of its whole file in one upsert that holds the same row locked
(``file_numbers_allocate``).
"""
import logging
import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hom.accounts.models import Office, Role, User
from hom.imports.bulk import history_created, insert_rows
from hom.messaging.models import Message
from hom.text import search_name_for

from . import consent
from .models import (
    AccountCode,
    AgeGroup,
    FileNumberCounter,
    LinkRequest,
    LinkRequestStatus,
    Migrant,
    PendingSignUp,
    Transfer,
    Visit,
    VisitChannel,
)
from .notices import personal_data as notices_personal_data
from .notices import services as notice_services
from .personal_data import erase_person, merge_persons

logger = logging.getLogger(__name__)

# Fields a registration or an edit may set; the rest is kept by the services themselves.
EDITABLE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "sex",
        "birth_date",
        "birth_year",
        "phone",
        "phone_is_whatsapp",
        "phone_secondary",
        "email",
        "preferred_channel",
        "commune_of_origin",
        "situation",
        "country_of_residence",
        "city_of_residence",
        "departure_year",
        "return_year",
        "education_level",
        "occupation",
        "skills",
        "languages",
        "advisor",
        "consent_processing",
        "consent_sharing",
        "consent_contact",
    }
)
CONSENT_FIELDS = ("consent_processing", "consent_sharing", "consent_contact")
# A phone number as the phone fields store it (E.164): written as it is by a batch.
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# Cleared on erasure; sex, year of birth, commune and situation stay for anonymous statistics.
PERSONAL_FIELDS = {
    "first_name": "—",
    "last_name": "—",
    "birth_date": None,
    "phone": "",
    "phone_secondary": "",
    "email": "",
    "city_of_residence": "",
    "occupation": "",
    "skills": "",
    "languages": "",
    "search_name": "",
}


def file_number_allocate(*, office: Office, year: int) -> str:
    """Take the next number of ``office`` in ``year``; call inside the registering transaction."""
    counter, _created = FileNumberCounter.objects.get_or_create(office=office, year=year)
    counter = FileNumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_value += 1
    counter.save(update_fields=["last_value", "updated_at"])
    return f"{office.code}-{year}-{counter.last_value:05d}"


def file_numbers_allocate(*, office: Office, year: int, count: int) -> list[str]:
    """Take ``count`` consecutive numbers of ``office`` in ``year`` in ONE statement (an import's batch).

    The counter row is created or moved on by ``count`` by an upsert that keeps it locked until the
    transaction ends, like ``file_number_allocate``'s ``select_for_update``: call inside the batch's
    transaction."""
    if count < 1:
        return []
    quote = connection.ops.quote_name
    table = quote(FileNumberCounter._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (office_id, year, last_value, created_at, updated_at) VALUES (%s, %s, %s, %s, %s) "
            f"ON CONFLICT (office_id, year) DO UPDATE SET last_value = {table}.last_value + EXCLUDED.last_value, "
            "updated_at = EXCLUDED.updated_at RETURNING last_value",
            [office.pk, year, count, now, now],
        )
        last = cursor.fetchone()[0]
    return [f"{office.code}-{year}-{value:05d}" for value in range(last - count + 1, last + 1)]


def _apply_fields(migrant: Migrant, fields: dict) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"fields a migrant service cannot set: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(migrant, name, "" if value is None and name in {"phone", "phone_secondary", "email"} else value)
    if migrant.birth_date:
        migrant.birth_year = migrant.birth_date.year
    migrant.email = (migrant.email or "").strip().lower()


def _consent_version(version: str | None, on: date) -> str:
    """The consent text's version to record: the one named (it must exist), else the one in force on ``on``."""
    if version is None:
        return consent.version_in_force(on)
    if consent.consent_text(version) is None:
        raise ValidationError(_("This consent text version is unknown: %(version)s.") % {"version": version})
    return version


def _record_consent(migrant: Migrant, previous: dict, recorded_by: User | None, version: str | None = None,
                    on: date | None = None) -> None:
    """Date, author and text version of a consent given or changed; the date of its withdrawal."""
    current = {name: getattr(migrant, name) for name in CONSENT_FIELDS}
    if current == previous:
        return
    today = on or timezone.localdate()
    if any(current.values()):
        migrant.consent_given_on = today
        migrant.consent_recorded_by = recorded_by
        migrant.consent_withdrawn_on = None
        migrant.consent_version = _consent_version(version, today)
    else:
        migrant.consent_withdrawn_on = today


@transaction.atomic
def migrant_register(
    *,
    office: Office,
    recorded_by: User | None,
    user: User | None = None,
    sectors_of_interest=(),
    registered_at=None,
    consent_version: str | None = None,
    **fields,
) -> Migrant:
    """Register a person (at the desk, online or by import) and give them a file number of the registration year.

    The consent is recorded with the version of its text (``migrants.consent``): ``consent_version``
    when the caller knows which text the person saw (an online sign-up), else the one in force on
    the day of registration.
    """
    registered_at = registered_at or timezone.now()
    migrant = Migrant(office=office, user=user, created_at=registered_at)
    _apply_fields(migrant, fields)
    _record_consent(
        migrant, {name: False for name in CONSENT_FIELDS}, recorded_by, consent_version,
        on=timezone.localdate(registered_at),
    )
    migrant.file_number = file_number_allocate(office=office, year=timezone.localtime(registered_at).year)
    migrant._history_user = recorded_by
    migrant.full_clean()
    migrant.save()
    if sectors_of_interest:
        migrant.sectors_of_interest.set(sectors_of_interest)
    return migrant


@transaction.atomic
def migrant_register_batch(*, office: Office, recorded_by: User | None, rows: list[dict], registered_at=None) -> list[int]:
    """Register many persons at once (a spreadsheet import): what ``migrant_register`` does for each,
    in a few statements whatever the number of rows. Returns the new persons' ids, in order.

    Each row's fields are applied and its consent recorded as ``migrant_register`` does; the file
    numbers of the whole batch are taken in one statement; the persons (``COPY`` on PostgreSQL),
    their sectors of interest and their history rows (author ``recorded_by``) are written in bulk.
    The rows must have been validated before, without the database (the import's check step runs
    the model's validation on each row): no per-row ``full_clean()`` here, its unique checks would
    cost a query per row; the database's constraints still refuse a bad row, and the transaction
    rolls back all of them.
    """
    if not rows:
        return []
    unknown = set().union(*rows) - EDITABLE_FIELDS - {"sectors_of_interest"}
    if unknown:
        raise TypeError(f"fields a migrant service cannot set: {sorted(unknown)}")
    registered_at = registered_at or timezone.now()
    on = timezone.localdate(registered_at)
    numbers = file_numbers_allocate(office=office, year=timezone.localtime(registered_at).year, count=len(rows))
    fields = {name: Migrant._meta.get_field(name) for name in EDITABLE_FIELDS}
    version = None
    records, sectors = [], []
    for values, number in zip(rows, numbers, strict=True):
        values = dict(values)
        sectors.append(values.pop("sectors_of_interest", ()))
        record = {}
        # As _apply_fields: empty contacts are "", the date of birth gives the year, the email is lower case.
        for name, value in values.items():
            if value is None and name in {"phone", "phone_secondary", "email"}:
                value = ""
            field = fields[name]
            record[field.attname] = getattr(value, "pk", value) if field.is_relation else value
        if record.get("birth_date"):
            record["birth_year"] = record["birth_date"].year
        record["email"] = (record.get("email") or "").strip().lower()
        for name in ("phone", "phone_secondary"):
            value = record.get(name)
            if value and not (isinstance(value, str) and E164.fullmatch(value)):
                record[name] = fields[name].get_db_prep_save(value, connection)
        if "country_of_residence" in record:  # a code or a Country: the code is stored
            record["country_of_residence"] = str(getattr(record["country_of_residence"], "code", None)
                                                 or record["country_of_residence"] or "")
        # As _record_consent from "no consent": a consent given is dated, signed and versioned.
        if any(record.get(name) for name in CONSENT_FIELDS):
            version = version or _consent_version(None, on)
            record.update(consent_given_on=on, consent_recorded_by_id=getattr(recorded_by, "pk", None),
                          consent_withdrawn_on=None, consent_version=version)
        record["file_number"] = number
        record["search_name"] = search_name_for(record.get("first_name", ""), record.get("last_name", ""))
        records.append(record)
    names = set().union(*records)
    by_column = {field.attname: field for field in Migrant._meta.concrete_fields}
    for record in records:  # the same columns in every row: a missing one takes its default
        for name in names - record.keys():
            record[name] = by_column[name].get_default()
    pks = insert_rows(Migrant, records, constants={"office_id": office.pk, "created_at": registered_at},
                      prepared=frozenset({"phone", "phone_secondary", "country_of_residence"}))
    through = Migrant.sectors_of_interest.through
    through.objects.bulk_create(
        [through(migrant_id=pk, sector_id=getattr(sector, "pk", sector))
         for pk, chosen in zip(pks, sectors, strict=True) for sector in chosen]
    )
    history_created(model=Migrant, pks=pks, user=recorded_by, date=registered_at)
    return pks


@transaction.atomic
def migrant_update(
    *, migrant: Migrant, changed_by: User | None, sectors_of_interest=None, consent_version: str | None = None,
    **fields,
) -> Migrant:
    """Change a person's record; a changed consent is dated and given the current text's version.

    An erased record is read-only: refused here, whoever calls.
    """
    if refusal := erased_record_refusal(migrant):
        raise ValidationError(refusal)
    previous = {name: getattr(migrant, name) for name in CONSENT_FIELDS}
    previous_phone = migrant.phone
    _apply_fields(migrant, fields)
    _record_consent(migrant, previous, changed_by, consent_version)
    migrant._history_user = changed_by
    migrant.full_clean()
    migrant.save()
    if migrant.phone != previous_phone:
        notice_services.phone_changed(migrant=migrant, by=changed_by)
    if sectors_of_interest is not None:
        migrant.sectors_of_interest.set(sectors_of_interest)
    return migrant


# --- Visits -------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    migrant: Migrant,
    advisor: User | None,
    channel: str = VisitChannel.OFFICE,
    occurred_at=None,
    place: str = "",
    needs=(),
    services_given: str = "",
    notes: str = "",
    referral_to: str = "",
    referral_organisation=None,
    outcome: str = "",
    follow_up_on: date | None = None,
    follow_up_advisor: User | None = None,
    procedures=(),
) -> Visit:
    """Log one contact with a person. A follow-up without a named advisor falls to the visit's advisor.

    An erased record gets no more visits.
    """
    if refusal := erased_record_refusal(migrant):
        raise ValidationError(refusal)
    visit = Visit(
        office=migrant.office,
        migrant=migrant,
        advisor=advisor,
        channel=channel,
        occurred_at=occurred_at or timezone.now(),
        place=place,
        services_given=services_given,
        notes=notes,
        referral_to=referral_to,
        referral_organisation=referral_organisation,
        outcome=outcome,
        follow_up_on=follow_up_on,
        follow_up_advisor=(follow_up_advisor or advisor) if follow_up_on else None,
    )
    visit._history_user = advisor
    visit.full_clean()
    visit.save()
    visit.needs.set(needs)
    if procedures:
        visit.procedures.set(procedures)
    return visit


@transaction.atomic
def walk_in_record(
    *,
    office: Office,
    advisor: User | None,
    commune=None,
    sex: str = "",
    age_group: str = "",
    needs=(),
    channel: str = VisitChannel.OFFICE,
    occurred_at=None,
) -> Visit:
    """Count an anonymous walk-in for the statistics: no person, only commune, sex, age group, needs.

    A walk-in with none of them says nothing the statistics could use (usually a form sent
    by mistake): it is refused rather than counted.
    """
    needs = list(needs)
    if commune is None and not sex and not age_group and not needs:
        raise ValidationError(
            _("Fill in at least the commune, the sex, the age group or a need: an empty walk-in is not counted.")
        )
    visit = Visit(
        office=office,
        advisor=advisor,
        channel=channel,
        occurred_at=occurred_at or timezone.now(),
        commune=commune,
        sex=sex,
        age_group=age_group,
    )
    visit._history_user = advisor
    visit.full_clean()
    visit.save()
    visit.needs.set(needs)
    return visit


@transaction.atomic
def visit_follow_up_done(*, visit: Visit, done_by: User) -> Visit:
    """Marks the follow-up done; a second time (a form sent twice) changes nothing, in the history neither."""
    if visit.follow_up_done:
        return visit
    visit.follow_up_done = True
    visit._history_user = done_by
    visit.full_clean()
    visit.save(update_fields=["follow_up_done", "updated_at"])
    return visit


def age_group_for(birth_year: int | None, today: date | None = None) -> str:
    if not birth_year:
        return ""
    age = (today or timezone.localdate()).year - birth_year
    if age < 18:
        return AgeGroup.UNDER_18
    if age < 25:
        return AgeGroup.FROM_18_TO_24
    if age < 35:
        return AgeGroup.FROM_25_TO_34
    if age < 50:
        return AgeGroup.FROM_35_TO_49
    return AgeGroup.FROM_50


# --- Merge --------------------------------------------------------------------------------


def _repoint_relations(duplicate: Migrant, survivor: Migrant) -> None:
    """Move every row that points at ``duplicate`` to ``survivor``, whatever app defines it.

    Walks Migrant's reverse relations (hidden ones too, so history tables of other
    models follow), which is how dossiers, introductions or event participants added by
    later apps are carried over without this function knowing them.
    """
    for relation in Migrant._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        if relation.many_to_many:
            through = relation.through
            source = next(
                field for field in through._meta.get_fields()
                if getattr(field, "related_model", None) is Migrant and field.concrete
            )
            other = next(
                field for field in through._meta.get_fields()
                if field.concrete and getattr(field, "related_model", None) not in (None, Migrant)
            )
            kept = through._base_manager.filter(**{source.name: survivor}).values_list(other.attname, flat=True)
            through._base_manager.filter(**{source.name: duplicate, f"{other.attname}__in": list(kept)}).delete()
            through._base_manager.filter(**{source.name: duplicate}).update(**{source.name: survivor})
        elif relation.one_to_one:
            if relation.related_model._base_manager.filter(**{relation.field.name: survivor}).exists():
                relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).delete()
            else:
                relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).update(
                    **{relation.field.name: survivor}
                )
        elif relation.one_to_many:
            relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).update(
                **{relation.field.name: survivor}
            )


@transaction.atomic
def migrant_merge(*, survivor: Migrant, duplicate: Migrant, merged_by: User) -> Migrant:
    """Fold ``duplicate`` into ``survivor``: visits, history, later apps' rows; blanks filled; duplicate deleted."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if survivor.office_id != duplicate.office_id:
        raise ValidationError(_("Only records of the same office can be merged."))
    if survivor.user_id and duplicate.user_id:
        raise ValidationError(_("Both records have an online account: they cannot be merged."))
    survivor = Migrant.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Migrant.objects.select_for_update().get(pk=duplicate.pk)
    if survivor.is_erased or duplicate.is_erased:
        raise ValidationError(erased_record_refusal(survivor) or erased_record_refusal(duplicate))

    filled = {}
    for name in EDITABLE_FIELDS - set(CONSENT_FIELDS):
        if getattr(survivor, name) in ("", None) and getattr(duplicate, name) not in ("", None):
            filled[name] = getattr(duplicate, name)
    account = duplicate.user
    if account:
        duplicate.user = None
        duplicate.save(update_fields=["user"])

    # The apps resolve what a plain re-pointing would break (one open introduction per organisation,
    # one registration per event), then every relation moves.
    merge_persons(survivor=survivor, duplicate=duplicate)
    _repoint_relations(duplicate, survivor)
    survivor.sectors_of_interest.add(*duplicate.sectors_of_interest.all())
    # The duplicate's history becomes the survivor's: every entry is kept, under one id.
    Migrant.history.model.objects.filter(id=duplicate.pk).update(id=survivor.pk)
    # Its visits' history rows point at the survivor too, so a timeline rebuilt from history agrees.
    Visit.history.model.objects.filter(migrant_id=duplicate.pk).update(migrant_id=survivor.pk)

    for name, value in filled.items():
        setattr(survivor, name, value)
    if account:
        survivor.user = account
    survivor._history_user = merged_by
    survivor._change_reason = f"merged {duplicate.file_number}"
    survivor.full_clean()
    survivor.save()
    duplicate._history_user = merged_by
    duplicate._change_reason = f"merged into {survivor.file_number}"
    duplicate.delete()
    return survivor


# --- The person's rights ---------------------------------------------------------------------


@transaction.atomic
def migrant_request_erasure(*, migrant: Migrant) -> Migrant:
    if migrant.erasure_requested_at is None:
        migrant.erasure_requested_at = timezone.now()
        migrant._history_user = migrant.user
        migrant.save(update_fields=["erasure_requested_at", "updated_at"])
    return migrant


@transaction.atomic
def migrant_erase(*, migrant: Migrant, erased_by: User) -> Migrant:
    """Blank every personal field, in the record and its history, and what every app holds about the person.

    The apps' declarations (``migrants.personal_data``) blank their free text and delete their
    files (after the commit); then the record and the visits: the visits' free text (notes,
    services, outcome, place) may name the person, so it goes too; date, channel and needs
    remain, and the visit gets the commune, sex and age group that anonymous walk-ins carry.
    """
    migrant = Migrant.objects.select_for_update().get(pk=migrant.pk)
    if migrant.is_erased:
        return migrant
    account = migrant.user
    erase_person(migrant=migrant, account=account)
    for name, value in PERSONAL_FIELDS.items():
        setattr(migrant, name, value)
    for name in ("phone_is_whatsapp", *CONSENT_FIELDS):
        setattr(migrant, name, False)
    migrant.advisor = None
    migrant.consent_withdrawn_on = timezone.localdate()
    migrant.erased_at = timezone.now()
    migrant.user = None
    migrant._history_user = erased_by
    migrant.full_clean()
    migrant.save()
    Migrant.history.model.objects.filter(id=migrant.pk).update(**PERSONAL_FIELDS, user=None)
    Visit.objects.filter(migrant=migrant).update(
        notes="",
        services_given="",
        outcome="",
        place="",
        referral_to="",
        commune=migrant.commune_of_origin,
        sex=migrant.sex,
        age_group=age_group_for(migrant.birth_year),
    )
    Visit.history.model.objects.filter(migrant_id=migrant.pk).update(
        notes="", services_given="", outcome="", place="", referral_to=""
    )
    if account:
        account.is_active = False
        account.first_name = account.last_name = ""
        account.email = f"erased-{account.pk}@invalid.hom"
        account.phone = None
        account.set_unusable_password()
        account.save()
    return migrant


def migrant_erase_related(*, migrant: Migrant, account: User | None) -> None:
    """This app's part of the registry's erasure: link requests and the notifications about the visits."""
    from hom.notifications.personal_data import notifications_forget

    LinkRequest.objects.filter(migrant=migrant).delete()
    # A transfer stays (which office moved whom), its free text goes.
    Transfer.objects.filter(migrant=migrant).update(reason="")
    notices_personal_data.erase_person(migrant=migrant)
    if account is not None:
        LinkRequest.objects.filter(user=account).delete()
        AccountCode.objects.filter(user=account).delete()
    notifications_forget(
        key_prefixes=[f"migrants.visit:{pk}" for pk in Visit.objects.filter(migrant=migrant).values_list("pk", flat=True)]
    )
    appointments_erase_person(migrant=migrant)


def appointments_erase_person(*, migrant: Migrant) -> None:
    """The person's appointments go, with their history and the notices about them (the slots stay: the advisor's)."""
    from hom.notifications.personal_data import notifications_forget

    from .appointments.models import Booking

    pks = list(Booking.objects.filter(migrant=migrant).values_list("pk", flat=True))
    notifications_forget(key_prefixes=[f"migrants.appointment{suffix}:{pk}" for pk in pks
                                       for suffix in ("", "-reminder", "-cancelled")])
    Booking.objects.filter(migrant=migrant).delete()
    Booking.history.model.objects.filter(migrant_id=migrant.pk).delete()


def erased_record_refusal(migrant: Migrant) -> str | None:
    """The message pages show when asked to change an erased record (None when it is not erased)."""
    if migrant.is_erased:
        return _("This record is erased: it can no longer be edited, merged or given visits or dossiers.")
    return None


# --- Online sign-up and linking to a desk record ---------------------------------------------


@transaction.atomic
def migrant_sign_up(
    *,
    office: Office,
    email: str | None,
    password: str,
    first_name: str,
    last_name: str,
    phone="",
    birth_year: int | None = None,
    commune_of_origin=None,
    situation: str,
    country_of_residence: str = "",
    consent_processing: bool,
    consent_sharing: bool = False,
    consent_contact: bool = False,
) -> User:
    """Create an inactive migrant account and hold its profile as a pending sign-up.

    Nothing enters the registry before the email is confirmed (:func:`sign_up_confirm_email`):
    no file number, no row in lists, exports or reports.

    Without ``email``, the account logs in with ``phone`` (E.164) and is confirmed by an SMS code
    (``migrants.phone_accounts``): a number that already has an account is refused, an earlier
    unconfirmed sign-up with it is replaced.
    """
    from hom.accounts.services import user_create

    from .phone_accounts.services import phone_sign_up_refusal

    if not consent_processing:
        raise ValidationError({"consent_processing": _("Your consent is needed to register.")})
    login_phone = None
    if not email:
        if not phone:
            raise ValidationError({"email": _("Give an email address or a phone number.")})
        login_phone = phone.as_e164 if hasattr(phone, "as_e164") else str(phone)
        refusal = phone_sign_up_refusal(phone=login_phone)
        if refusal:
            raise ValidationError({"phone": refusal})
        User.objects.filter(
            phone=login_phone, is_active=False, last_login__isnull=True, pending_sign_up__isnull=False
        ).delete()
    user = user_create(
        email=email or None, phone=login_phone, password=password, role=Role.MIGRANT,
        first_name=first_name, last_name=last_name,
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    pending = PendingSignUp(user=user, office=office, details={
        "phone": phone.as_e164 if hasattr(phone, "as_e164") else str(phone or ""),
        "birth_year": birth_year,
        "commune_of_origin": commune_of_origin.pk if commune_of_origin else None,
        "situation": situation,
        "country_of_residence": str(country_of_residence or ""),
        "consent_sharing": consent_sharing,
        "consent_contact": consent_contact,
        # The text the person read on the form, recorded with their consent when the record is made.
        "consent_version": consent.CURRENT_VERSION,
    })
    pending._history_user = user
    pending.full_clean()
    pending.save()
    return user


def sign_up_known_address(*, email: str, password: str, request=None, confirmation_link=None) -> bool:
    """Whether ``email`` already has an account; if so, its owner is told by email and nothing is created.

    Sign-up answers the same for a known and an unknown address (issue 17): the page says
    "check your email" either way, and the owner of a known address gets an email saying someone
    tried to sign up with it, with the links to log in and to choose a new password (and, for a
    sign-up still waiting for confirmation, its confirmation link again: ``confirmation_link(user)``).
    The password is hashed as a new account's would be, so that both answers take as long.
    """
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return False
    make_password(password)  # the work migrant_sign_up does for a new address

    from hom.links import absolute_url, recipient_language

    waiting = not user.is_active and user.last_login is None and PendingSignUp.objects.filter(user=user).exists()
    with translation.override(recipient_language(user, default=translation.get_language())):
        body = render_to_string("migrants/sign_up_known_email.txt", {
            "user": user,
            "login_link": absolute_url(reverse(settings.LOGIN_URL), request),
            "reset_link": absolute_url(reverse("password_reset"), request),
            "confirmation_link": confirmation_link(user) if waiting and confirmation_link else "",
        })
        subject = _("Someone tried to create a HOM account with your address")
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email], fail_silently=True))
    return True


# How long a sign-up's confirmation link is valid (the view signs it with this age).
SIGN_UP_LINK_LIFETIME = timedelta(days=3)


def pending_sign_ups_purge(*, now=None) -> int:
    """Delete the sign-ups whose confirmation link has expired, with their never-used accounts.

    Nobody confirmed them, so they never entered the registry: what was typed (names, phone,
    email) is not kept beyond the link's life. Returns how many were deleted. Run by beat.
    """
    limit = (now or timezone.now()) - SIGN_UP_LINK_LIFETIME
    expired = PendingSignUp.objects.filter(created_at__lt=limit, user__is_active=False, user__last_login__isnull=True)
    accounts = list(expired.values_list("user_id", flat=True))
    # The account cascades to its pending row; an active or used account is never touched.
    User.objects.filter(pk__in=accounts, is_active=False, last_login__isnull=True).delete()
    # The code SMS of a sign-up made with a phone (their number) go with it (docs/accounts.md).
    Message.objects.filter(person_key__in=[f"accounts.user:{pk}" for pk in accounts]).delete()
    return len(accounts)


def _enter_registry(pending: PendingSignUp) -> None:
    """A confirmed sign-up: a link request to the office's desk record of this person, or a new record."""
    from hom.territories.models import Commune

    user, details, office = pending.user, pending.details, pending.office
    desk_record = desk_record_matching(office=office, phone=details["phone"], email=user.email or "")
    if desk_record:
        request = LinkRequest(
            migrant=desk_record, user=user,
            consent_sharing=details["consent_sharing"], consent_contact=details["consent_contact"],
            consent_version=details.get("consent_version", ""),
        )
        request.full_clean()
        request.save()
        return
    commune_id = details["commune_of_origin"]
    migrant_register(
        office=office,
        recorded_by=user,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=details["phone"],
        email=user.email or "",
        birth_year=details["birth_year"],
        commune_of_origin=Commune.objects.filter(pk=commune_id).first() if commune_id else None,
        situation=details["situation"],
        country_of_residence=details["country_of_residence"],
        consent_processing=True,
        consent_sharing=details["consent_sharing"],
        consent_contact=details["consent_contact"],
        consent_version=details.get("consent_version") or None,
    )


def desk_record_matching(*, office: Office, phone, email: str) -> Migrant | None:
    matches = models.Q()
    if phone:
        matches |= models.Q(phone=phone)
    if email:
        matches |= models.Q(email__iexact=email.strip())
    if not matches:
        return None
    return (
        Migrant.objects.filter(matches, office=office, user__isnull=True, erased_at__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )


@transaction.atomic
def sign_up_confirm_email(*, user: User) -> User:
    """Activate a new account and let its sign-up enter the registry (once).

    An account that has logged in before stays as it is (deactivated on purpose).
    """
    if not user.is_active and user.last_login is None:
        user.is_active = True
        user.save(update_fields=["is_active", "updated_at"])
        pending = PendingSignUp.objects.select_for_update().filter(user=user).select_related("office").first()
        if pending is not None:
            _enter_registry(pending)
            pending._history_user = user
            pending.delete()
    return user


@transaction.atomic
def link_request_decide(*, link_request: LinkRequest, decided_by: User, confirm: bool) -> LinkRequest:
    """Confirm (the account owns the desk record) or reject (a new profile is made for the account)."""
    if link_request.status != LinkRequestStatus.PENDING:
        return link_request
    link_request.status = LinkRequestStatus.CONFIRMED if confirm else LinkRequestStatus.REJECTED
    link_request.decided_by = decided_by
    link_request.decided_at = timezone.now()
    link_request.full_clean()
    link_request.save()
    migrant = link_request.migrant
    user = link_request.user
    if confirm:
        migrant_update(
            migrant=migrant,
            changed_by=decided_by,
            consent_processing=True,
            consent_sharing=link_request.consent_sharing or migrant.consent_sharing,
            consent_contact=link_request.consent_contact or migrant.consent_contact,
            consent_version=link_request.consent_version or None,
        )
        migrant.user = user
        migrant._history_user = decided_by
        migrant.save(update_fields=["user", "updated_at"])
    else:
        migrant_register(
            office=migrant.office,
            recorded_by=decided_by,
            user=user,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email or "",
            consent_processing=True,
            consent_sharing=link_request.consent_sharing,
            consent_contact=link_request.consent_contact,
            consent_version=link_request.consent_version or None,
        )
    return link_request


def retention_erase(*, now=None) -> dict:
    """Erase every person the retention rule selects (``selectors.retention_due``), each in its own transaction.

    One failing erasure does not stop the others: it is logged, counted, and the person stays
    due for the next night. Returns ``{"erased": [ids], "failed": [ids]}``.
    """
    from .selectors import retention_due

    erased, failed = [], []
    for pk in list(retention_due(now=now).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                # Checked again in the transaction: a visit recorded since the list was read keeps the person.
                migrant = retention_due(now=now).select_for_update(of=("self",)).filter(pk=pk).first()
                if migrant is None:
                    continue
                migrant_erase(migrant=migrant, erased_by=None)
        except Exception:  # noqa: BLE001 - one person's failure must not keep the others' data
            logger.exception("retention: erasing migrant %s failed", migrant.pk)
            failed.append(migrant.pk)
        else:
            erased.append(migrant.pk)
    return {"erased": erased, "failed": failed}


# --- Visit corrections (issue 24, part 5) --------------------------------------------------------------

def visit_may_correct(user, visit: Visit) -> bool:
    """The advisor who logged the visit, or an admin of its office (scoping itself is the selectors')."""
    if user.is_superuser:
        return True
    if user.office_id != visit.office_id:
        return False
    return user.role == Role.ADMIN or (visit.advisor_id is not None and visit.advisor_id == user.pk)


def _note_on_person(migrant: Migrant, *, by: User, reason: str) -> None:
    """An entry in the person's history (who, when, why) for a change made to one of their visits."""
    migrant._history_user = by
    migrant._change_reason = reason[:100]
    migrant.save(update_fields=["updated_at"])


@transaction.atomic
def visit_correct(*, visit: Visit, corrected_by: User, reason: str, migrant: Migrant | None = None,
                  needs=None, **fields) -> Visit:
    """Correct a visit's date, person, needs or text; the visit's and the person's history say who and why.

    A visit moves only to another person of its office who is not erased. The reports' monthly
    summaries follow (their signals refresh the month the visit left and the one it is in).
    """
    if not reason.strip():
        raise ValidationError(_("Say why the visit is corrected."))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    before = visit.migrant
    if migrant is not None and migrant.pk != visit.migrant_id:
        if migrant.office_id != visit.office_id:
            raise ValidationError(_("A visit can only move to a person of the same office."))
        if refusal := erased_record_refusal(migrant):
            raise ValidationError(refusal)
        visit.migrant = migrant
    for name, value in fields.items():
        setattr(visit, name, value)
    visit._history_user = corrected_by
    visit._change_reason = reason.strip()[:100]
    visit.full_clean(exclude=["migrant", "office"])
    visit.save()
    if needs is not None:
        visit.needs.set(needs)
    when = timezone.localtime(visit.occurred_at).strftime("%d/%m/%Y")
    if before is not None and visit.migrant_id != before.pk:
        _note_on_person(before, by=corrected_by, reason=_("Visit of %(date)s moved to %(number)s: %(reason)s") % {
            "date": when, "number": visit.migrant.file_number, "reason": reason.strip()})
        _note_on_person(visit.migrant, by=corrected_by, reason=_("Visit of %(date)s moved from %(number)s: %(reason)s")
                        % {"date": when, "number": before.file_number, "reason": reason.strip()})
    elif visit.migrant_id:
        _note_on_person(visit.migrant, by=corrected_by, reason=_("Visit of %(date)s corrected: %(reason)s") % {
            "date": when, "reason": reason.strip()})
    return visit


@transaction.atomic
def visit_remove(*, visit: Visit, removed_by: User, reason: str) -> None:
    """Remove a visit logged by mistake. Its history keeps the removal, who made it and why, and so does the
    person's; the reports' summaries follow."""
    if not reason.strip():
        raise ValidationError(_("Say why the visit is removed."))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    migrant, when = visit.migrant, timezone.localtime(visit.occurred_at).strftime("%d/%m/%Y")
    visit._history_user = removed_by
    visit._change_reason = reason.strip()[:100]
    visit.delete()
    if migrant is not None:
        _note_on_person(migrant, by=removed_by, reason=_("Visit of %(date)s removed: %(reason)s") % {
            "date": when, "reason": reason.strip()})
