"""The registry of persons the office serves: migrants, returnees, diaspora, would-be migrants.

Every change to a person is kept by django-simple-history. Scoping: staff see the
migrants of their office, a migrant only the record linked to their account,
authorities and partners no person at all (``MigrantQuerySet.visible_to``).

Also here: the visit log (``Visit``, one row per contact, or an anonymous walk-in
count), the per-office-and-year counters that allocate file numbers, the requests
that link an online account to a desk record, and spreadsheet imports.
"""
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from hom import dates
from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import STAFF_ROLES, Role
from hom.imports.status import ImportStatus
from hom.text import search_name_for

# Record keys run from 0 to RECORD_KEY_RANGE - 1 (as the UK's Office for National Statistics does).
RECORD_KEY_RANGE = 256


def new_record_key() -> int:
    """A record's key for the reports' cell-key perturbation: random, drawn once at creation."""
    return secrets.randbelow(RECORD_KEY_RANGE)


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Situation(models.TextChoices):
    IN_SENEGAL = "in_senegal", _("Living in Senegal")
    ABROAD = "abroad", _("Living abroad")
    RETURNED = "returned", _("Returned")
    PLANNING_TO_LEAVE = "planning", _("Planning to leave")


class EducationLevel(models.TextChoices):
    NONE = "none", _("None")
    KORANIC = "koranic", _("Koranic school")
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    VOCATIONAL = "vocational", _("Vocational training")
    HIGHER = "higher", _("Higher education")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    OFFICE = "office", _("At the office")


class MigrantQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.role == Role.MIGRANT and not user.is_superuser:
            return self.filter(user=user)
        return super().visible_to(user)

    def shareable_with_partners(self):
        """Persons who consented to their data being shared with partner organisations."""
        return self.filter(consent_sharing=True, consent_withdrawn_on__isnull=True)


class Migrant(models.Model):
    # A random key drawn once, never shown: published counts are perturbed from the keys
    # of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    # Identity
    file_number = models.CharField(_("file number"), max_length=24, unique=True, editable=False)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="migrants", verbose_name=_("office")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="migrant_profile",
        verbose_name=_("account"),
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, help_text=_("When the exact date is unknown.")
    )
    # Contact
    phone = PhoneNumberField(_("phone"), blank=True)
    phone_is_whatsapp = models.BooleanField(_("phone on WhatsApp"), default=False)
    phone_secondary = PhoneNumberField(_("other phone"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_channel = models.CharField(
        _("preferred contact channel"), max_length=16, choices=ContactChannel.choices, blank=True
    )
    # Origin and situation
    commune_of_origin = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="migrants",
        verbose_name=_("commune of origin"),
    )
    situation = models.CharField(
        _("situation"), max_length=16, choices=Situation.choices, default=Situation.IN_SENEGAL, db_index=True
    )
    country_of_residence = CountryField(_("country of residence"), blank=True, db_index=True)
    city_of_residence = models.CharField(_("city of residence"), max_length=80, blank=True)
    departure_year = models.PositiveSmallIntegerField(_("year of departure"), null=True, blank=True)
    return_year = models.PositiveSmallIntegerField(_("year of return"), null=True, blank=True)
    # Skills and interests
    education_level = models.CharField(_("education level"), max_length=16, choices=EducationLevel.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    skills = models.TextField(_("skills"), blank=True)
    languages = models.CharField(_("languages"), max_length=160, blank=True, help_text=_("e.g. Mandinka, French"))
    sectors_of_interest = models.ManyToManyField(
        "territories.Sector", blank=True, related_name="interested_migrants", verbose_name=_("sectors of interest")
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_migrants",
        verbose_name=_("assigned advisor"),
    )
    # Consent (what the person agreed to, when, recorded by whom)
    consent_processing = models.BooleanField(_("consents to processing by the office"), default=False)
    consent_sharing = models.BooleanField(_("consents to sharing with partners"), default=False)
    consent_contact = models.BooleanField(_("consents to being contacted about opportunities"), default=False)
    consent_given_on = models.DateField(_("consent date"), null=True, blank=True)
    # The version of the consent text (migrants/consent.py) the person agreed to; empty before versions.
    consent_version = models.CharField(_("consent text version"), max_length=16, blank=True, editable=False)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    # Erasure: personal fields are blanked, the row stays for anonymous statistics
    erasure_requested_at = models.DateTimeField(_("erasure requested at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    # Names lower-cased without accents, for tolerant search on any database; kept by ``save()``.
    search_name = models.CharField(_("search name"), max_length=170, blank=True, editable=False)

    # A default, not auto_now_add: the demo (and a future back-office import) register past arrivals.
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = MigrantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("migrant")
        verbose_name_plural = _("migrants")
        indexes = [
            models.Index(fields=["office", "last_name", "first_name"], name="migrant_office_name_idx"),
            models.Index(fields=["office", "-created_at"], name="migrant_office_created_idx"),
            models.Index(fields=["phone"], name="migrant_phone_idx"),
            models.Index(fields=["email"], name="migrant_email_idx"),
            models.Index(fields=["office", "search_name"], name="migrant_office_search_idx"),
            # The list's counter of erasure requests reads these few rows only (issue 18). The search's
            # GIN index (office, name, file number, phones) is PostgreSQL's only: migration 0017.
            models.Index(
                fields=["office"],
                condition=Q(erasure_requested_at__isnull=False, erased_at__isnull=True),
                name="migrant_erasure_pending_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_year__isnull=True)
                | Q(departure_year__isnull=True)
                | Q(return_year__gte=models.F("departure_year")),
                name="migrant_return_after_departure",
                violation_error_message=_("The year of return cannot be before the year of departure."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.file_number})"

    def save(self, *args, **kwargs):
        # The one place the search name is derived: every path that creates or renames a person comes here.
        self.search_name = search_name_for(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("migrants:detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = dates.collect(
            birth_date=dates.birth_date_error(self.birth_date),
            birth_year=dates.year_error(self.birth_year),
            departure_year=dates.year_error(self.departure_year),
            return_year=dates.year_error(self.return_year),
        )
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def year_of_birth(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year

    @property
    def shares_with_partners(self) -> bool:
        return self.consent_sharing and self.consent_withdrawn_on is None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class FileNumberCounter(models.Model):
    """The last sequence number given in one office and year; locked while a number is taken."""

    office = models.ForeignKey(
        "accounts.Office", on_delete=models.CASCADE, related_name="file_number_counters", verbose_name=_("office")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last value"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["office", "year"]
        verbose_name = _("file number counter")
        verbose_name_plural = _("file number counters")
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="file_number_counter_unique")]

    def __str__(self):
        return f"{self.office.code}-{self.year}: {self.last_value}"


class VisitChannel(models.TextChoices):
    OFFICE = "office", _("At the office")
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    HOME_VISIT = "home_visit", _("Home visit")
    MISSION_ABROAD = "mission_abroad", _("Mission abroad")
    FORUM = "forum", _("Forum")
    ONLINE = "online", _("Online")


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18_TO_24 = "18_24", _("18 to 24")
    FROM_25_TO_34 = "25_34", _("25 to 34")
    FROM_35_TO_49 = "35_49", _("35 to 49")
    FROM_50 = "50_plus", _("50 and over")


class VisitQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_active and user.role == Role.MIGRANT and not user.is_superuser:
            return self.filter(migrant__user=user)
        return super().visible_to(user)

    def open_follow_ups(self):
        return self.filter(follow_up_on__isnull=False, follow_up_done=False)

    def overdue_follow_ups(self, today=None):
        return self.open_follow_ups().filter(follow_up_on__lt=today or timezone.localdate())

    def follow_ups_owed_by(self, user):
        """Open follow-ups the user's office owes: those of the persons it holds now.

        A follow-up is a promise to the person, so it goes with them when they are transferred to
        another office, while the visit itself stays (and is counted) where it was made.
        """
        return self.open_follow_ups().of_persons_held_by(user)

    def of_persons_held_by(self, user):
        """Visits (made at any office) of the persons the user's office holds now."""
        return self.filter(migrant__in=Migrant.objects.visible_to(user).values("pk"))


class Visit(models.Model):
    """One contact with a person, or an anonymous walk-in counted for the statistics (no migrant)."""

    # A random key drawn once, never shown: published counts are perturbed from the keys
    # of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="visits", verbose_name=_("office")
    )
    migrant = models.ForeignKey(
        Migrant, on_delete=models.CASCADE, null=True, blank=True, related_name="visits", verbose_name=_("migrant")
    )
    occurred_at = models.DateTimeField(_("date and time"), default=timezone.now)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("advisor"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=VisitChannel.choices, default=VisitChannel.OFFICE)
    place = models.CharField(_("place"), max_length=120, blank=True)
    needs = models.ManyToManyField(
        "territories.NeedCategory", blank=True, related_name="visits", verbose_name=_("needs expressed")
    )
    services_given = models.TextField(_("services given"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    referral_to = models.CharField(
        _("referred to"), max_length=160, blank=True, help_text=_("Organisation the person was referred to.")
    )
    referral_organisation = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_visits",
        verbose_name=_("referred to (directory)"),
        help_text=_("The organisation of the directory the person was referred to."),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    procedures = models.ManyToManyField(
        "migrants.ProcedureSheet", blank=True, related_name="visits", verbose_name=_("procedure sheets given"),
        help_text=_("The guidance sheets given or sent to the person."),
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follow-up by"),
    )
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    # Anonymous walk-in: what the statistics need, nothing that identifies a person.
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anonymous_visits",
        verbose_name=_("commune"),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, blank=True)
    # A copy of the person's record key (None for a walk-in), kept by save() and by the
    # reports' merge hook: the reports sum the keys of a need's distinct persons without
    # joining the persons (hom/reports/selectors/visits.py). Technical: not historised.
    person_key = models.PositiveIntegerField(_("person's record key"), null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "person_key"])

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["migrant", "-occurred_at"], name="visit_migrant_time_idx"),
            models.Index(fields=["office", "-occurred_at"], name="visit_office_time_idx"),
            models.Index(fields=["office", "follow_up_done", "follow_up_on"], name="visit_follow_up_idx"),
            # The open follow-ups, owed by the office holding the person (``follow_ups_owed_by``): few rows.
            models.Index(
                fields=["follow_up_on", "migrant"], name="visit_open_follow_up_idx",
                condition=Q(follow_up_done=False, follow_up_on__isnull=False),
            ),
            # The nightly summaries' check, one GROUP BY month over every visit (hom/reports
            # services.months_changed): everything it reads is in the index, no table row is read.
            models.Index(
                fields=["occurred_at", "record_key", "updated_at", "created_at"], name="visit_summary_fingerprint_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_done=False) | Q(follow_up_on__isnull=False),
                name="visit_follow_up_done_needs_date",
                violation_error_message=_("A follow-up can only be done when it has a date."),
            ),
            models.CheckConstraint(
                condition=Q(migrant__isnull=False) | Q(follow_up_on__isnull=True),
                name="visit_anonymous_has_no_follow_up",
                violation_error_message=_("An anonymous walk-in cannot have a follow-up."),
            ),
        ]

    def __str__(self):
        who = self.migrant.full_name if self.migrant_id else _("anonymous walk-in")
        return f"{who} — {timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        # The person's key follows the person: read when the visit is new or changes person
        # (the services pass the person, so no query), kept as it is otherwise.
        if self.migrant_id is None:
            self.person_key = None
        elif self.person_key is None or self.migrant_id != getattr(self, "_loaded_migrant_id", None):
            self.person_key = self.migrant.record_key
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "migrant" in update_fields:
            kwargs["update_fields"] = {*update_fields, "person_key"}
        super().save(*args, **kwargs)
        self._loaded_migrant_id = self.migrant_id

    def get_absolute_url(self):
        return reverse("migrants:detail", args=[self.migrant_id]) if self.migrant_id else reverse("migrants:list")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_migrant_id = instance.__dict__.get("migrant_id")
        return instance

    def clean(self):
        super().clean()
        errors = dates.collect(
            occurred_at=dates.past_event_error(timezone.localdate(self.occurred_at) if self.occurred_at else None),
            follow_up_on=dates.within_years_error(self.follow_up_on, 5),
        )
        if errors:
            raise ValidationError(errors)

    @property
    def is_anonymous(self) -> bool:
        return self.migrant_id is None

    @property
    def follow_up_is_overdue(self) -> bool:
        return bool(self.follow_up_on and not self.follow_up_done and self.follow_up_on < timezone.localdate())


class LinkRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class LinkRequestQuerySet(OfficeScopedQuerySet):
    office_lookup = "migrant__office"


class LinkRequest(models.Model):
    """An online account that matches a desk record, waiting for an advisor to confirm it is the same person."""

    migrant = models.ForeignKey(Migrant, on_delete=models.CASCADE, related_name="link_requests", verbose_name=_("migrant"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_requests", verbose_name=_("account")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LinkRequestStatus.choices, default=LinkRequestStatus.PENDING
    )
    # What the person consented to online, applied to the desk record once the link is confirmed.
    consent_sharing = models.BooleanField(_("consents to sharing with partners"), default=False)
    consent_contact = models.BooleanField(_("consents to being contacted about opportunities"), default=False)
    # The version of the consent text shown at sign-up (migrants/consent.py).
    consent_version = models.CharField(_("consent text version"), max_length=16, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LinkRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("account link request")
        verbose_name_plural = _("account link requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="link_request_one_pending_per_user"
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="link_request_status_idx")]

    def __str__(self):
        return f"{self.user} → {self.migrant}"


class SpreadsheetImport(models.Model):
    """What every spreadsheet import keeps: the parsed rows, the column mapping, the errors
    found row by row, and where it stands. The persons' and the organisations' imports
    add who may see them."""

    file_name = models.CharField(_("file name"), max_length=200)
    headers = models.JSONField(_("columns"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    imported_count = models.PositiveIntegerField(_("imported rows"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name

    @property
    def row_count(self) -> int:
        return len(self.rows)


class MigrantImportQuerySet(OfficeScopedQuerySet):
    pass


class MigrantImport(SpreadsheetImport):
    """A spreadsheet of persons, parsed into rows, checked, then imported all at once or not at all."""

    office = models.ForeignKey(
        "accounts.Office", on_delete=models.CASCADE, related_name="migrant_imports", verbose_name=_("office")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )

    objects = MigrantImportQuerySet.as_manager()

    class Meta(SpreadsheetImport.Meta):
        verbose_name = _("migrant import")
        verbose_name_plural = _("migrant imports")
        indexes = [models.Index(fields=["office", "-created_at"], name="migrant_import_office_idx")]

    def get_absolute_url(self):
        return reverse("migrants:import_detail", args=[self.pk])


class PendingSignUp(models.Model):
    """An online sign-up waiting for its email confirmation.

    Not a person of the registry yet: no file number, not in any list, search, export or
    report. Confirming the email turns it into a ``Migrant`` (or a link request to a desk
    record) and deletes it (``services.sign_up_confirm_email``). The history records who
    and when, not what was typed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_sign_up", verbose_name=_("account")
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.CASCADE, related_name="pending_sign_ups", verbose_name=_("office")
    )
    details = models.JSONField(_("details"), default=dict, help_text=_("The profile typed at sign-up."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["details"])

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pending sign-up")
        verbose_name_plural = _("pending sign-ups")

    def __str__(self):
        return str(self.user)


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded")
    CHANGE = "change", _("Changed (API)")


class AccessTarget(models.TextChoices):
    PERSON = "person", _("Person's page")
    DOSSIER = "dossier", _("Dossier")
    DOCUMENT = "document", _("Document")
    PERSON_DATA = "person_data", _("Person's data")
    REGISTRY = "registry", _("List of persons")
    REPORT = "report", _("Report")


class PersonAccessQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user):
        """An office's readings, and a national admin's readings of the office's persons; a national admin all."""
        scoped = super().visible_to(user)
        if user.is_authenticated and user.is_active and not user.is_superuser and user.role in STAFF_ROLES and user.office_id:
            return self.filter(Q(office=user.office_id) | Q(office__isnull=True, migrant__office=user.office_id))
        return scoped


class PersonAccess(models.Model):
    """One staff member's reading of personal data: a page opened, a document downloaded, an export.

    Written by ``migrants.access_log.access_record`` with one insert and ids only (no lookup),
    never changed afterwards, forgotten after ``ACCESS_LOG_RETENTION_DAYS`` by the beat task
    ``access_log_purge``. Not historised: a row is never edited, and its history would double
    the one insert the pages pay for it.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("staff member")
    )
    # The reader's office at the time (none for a national admin).
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("office")
    )
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    target = models.CharField(_("what"), max_length=12, choices=AccessTarget.choices)
    # The person concerned (the promoter of a dossier or document); empty for a list or a report.
    migrant = models.ForeignKey(
        Migrant, on_delete=models.CASCADE, null=True, blank=True, related_name="accesses", verbose_name=_("person")
    )
    # The dossier or document read (no foreign key: the projects app builds on this one).
    object_id = models.PositiveIntegerField(_("record number"), null=True, blank=True)
    # What was exported: the list's filters, the report's territory; never a name.
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    objects = PersonAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")
        indexes = [
            models.Index(fields=["office", "-at"], name="access_office_at_idx"),
            models.Index(fields=["office", "migrant", "-at"], name="access_office_migrant_idx"),
            models.Index(fields=["office", "user", "-at"], name="access_office_user_idx"),
            models.Index(fields=["at"], name="access_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.get_target_display()} ({self.at:%Y-%m-%d %H:%M})"


# The sub-domains' models live in their own packages (campaigns, notices, offline capture's ledger, the SMS
# codes of accounts made with a phone number, the guidance sheets on procedures, appointments); imported here so that
# Django finds them.
from .appointments.models import Booking, BookingState, Slot, SlotKind  # noqa: E402, F401
from .campaigns.models import Campaign, CampaignChannel, CampaignState  # noqa: E402, F401
from .notices.models import ContactChoice, NoticeChannel, NoticeSent, PhoneCode  # noqa: E402, F401
from .offline.models import OfflineItem, OfflineKind, OfflineReview  # noqa: E402, F401
from .phone_accounts.models import AccountCode, AccountCodePurpose  # noqa: E402, F401
from .procedures.models import ProcedureSheet, ProcedureTopic  # noqa: E402, F401
from .transfers.models import Transfer, TransferState  # noqa: E402, F401
