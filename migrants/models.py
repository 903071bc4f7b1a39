"""The registry of persons the office serves: migrants, returnees, diaspora, would-be migrants.

Every change to a person is kept by django-simple-history. Scoping: staff see the
migrants of their office, a migrant only the record linked to their account,
authorities and partners no person at all (``MigrantQuerySet.visible_to``).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import Role


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
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
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

    def get_absolute_url(self):
        return reverse("migrants:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def year_of_birth(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year

    @property
    def shares_with_partners(self) -> bool:
        return self.consent_sharing and self.consent_withdrawn_on is None
