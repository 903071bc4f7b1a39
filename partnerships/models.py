"""Organisations the office works with, and the introductions (mises en relation) it makes.

``Organisation`` is a national directory: the staff of every office see every row; a
partner user sees the organisations they belong to (``partner_users``, kept here so that
accounts never depend on partnerships); an admin may publish a card in the public
directory. ``Introduction`` follows its migrant's office scope; a partner sees those made
to their organisation, of persons who consented to sharing only.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet, ScopedQuerySet
from hom.accounts.models import STAFF_ROLES, Role
from migrants.models import SpreadsheetImport, new_record_key


class OrganisationKind(models.TextChoices):
    HOMETOWN_ASSOCIATION = "hometown", _("Hometown association")
    DIASPORA_ASSOCIATION = "diaspora", _("Diaspora association")
    FEDERATION = "federation", _("Federation")
    NGO = "ngo", _("NGO or civil society")
    COMPANY = "company", _("Private company")
    CHAMBER = "chamber", _("Chamber or business federation")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    # A commune, city or region abroad: a partner of decentralised cooperation (partnerships/cooperation).
    FOREIGN_LOCAL_AUTHORITY = "foreign_authority", _("Foreign local authority")
    PUBLIC_AGENCY = "public_agency", _("Public agency")
    FUNDER = "funder", _("Funder")
    INTERNATIONAL = "international", _("International organisation")


class RelationWithOffice(models.TextChoices):
    KNOWN = "known", _("Known")
    ACTIVE_PARTNER = "active", _("Active partner")
    UNDER_CONVENTION = "convention", _("Under convention")


class RecordSource(models.TextChoices):
    CENSUS = "census", _("Census campaign")
    FORUM = "forum", _("Forum")
    REFERRAL = "referral", _("Referral")
    PUBLIC_SOURCE = "public_source", _("Public source")


class OrganisationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role in STAFF_ROLES:
            return self.all()
        if user.role == Role.PARTNER:
            return self.filter(partner_users=user)
        return self.none()

    def published(self):
        return self.filter(is_published=True)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    communes_served = models.ManyToManyField(
        "territories.Commune", blank=True, related_name="organisations", verbose_name=_("communes of origin served")
    )
    departments_served = models.ManyToManyField(
        "territories.Department",
        blank=True,
        related_name="organisations",
        verbose_name=_("departments of origin served"),
    )
    sectors = models.ManyToManyField(
        "territories.Sector", blank=True, related_name="organisations", verbose_name=_("sectors of action")
    )
    languages = models.CharField(_("languages"), max_length=160, blank=True, help_text=_("e.g. Mandinka, French"))
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=80, blank=True)
    registration_country = CountryField(_("country of registration"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_role = models.CharField(_("contact's role"), max_length=120, blank=True)
    contact_phone = PhoneNumberField(_("contact's phone"), blank=True)
    contact_whatsapp = PhoneNumberField(_("contact's WhatsApp"), blank=True)
    contact_email = models.EmailField(_("contact's email"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    relation = models.CharField(
        _("relation with the office"), max_length=16, choices=RelationWithOffice.choices, default=RelationWithOffice.KNOWN
    )
    source = models.CharField(
        _("source of the record"), max_length=16, choices=RecordSource.choices, default=RecordSource.CENSUS
    )
    source_url = models.URLField(_("source address"), max_length=400, blank=True)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    is_published = models.BooleanField(
        _("published in the public directory"), default=False, help_text=_("Only the card: no contact person.")
    )
    partner_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("partner accounts"),
        limit_choices_to={"role": Role.PARTNER},
    )
    # Kept by the services: name, acronym and city lower-cased without accents.
    search_text = models.CharField(_("search text"), max_length=400, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Every link or unlink of a partner account is a history row (who, when, the accounts linked).
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text"], m2m_fields=[partner_users])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["country", "city", "name", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["country", "city", "name"], name="organisation_place_idx"),
            models.Index(fields=["kind", "country", "city", "name"], name="organisation_kind_idx"),
            models.Index(fields=["is_published", "country", "city", "name"], name="organisation_published_idx"),
            models.Index(fields=["search_text"], name="organisation_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid",
                violation_error_message=_("Unknown kind of organisation."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="foreign_authority") | ~Q(country=""), name="organisation_foreign_authority_country",
                violation_error_message=_("A foreign local authority needs its country."),
            ),
            models.CheckConstraint(
                condition=Q(relation__in=RelationWithOffice.values), name="organisation_relation_valid",
                violation_error_message=_("Unknown relation with the office."),
            ),
            models.CheckConstraint(
                condition=Q(source__in=RecordSource.values), name="organisation_source_valid",
                violation_error_message=_("Unknown source."),
            ),
            models.CheckConstraint(
                condition=Q(year_founded__isnull=True) | Q(year_founded__gte=1900),
                name="organisation_year_founded_plausible",
                violation_error_message=_("The year founded must be 1900 or later."),
            ),
            models.UniqueConstraint(
                fields=["name", "country", "city"], name="organisation_unique_name_place",
                violation_error_message=_("An organisation of this name is already recorded in this city."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.pk])


class IntroductionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONTACTED = "contacted", _("Contacted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


OPEN_INTRODUCTION_STATUSES = (IntroductionStatus.PROPOSED, IntroductionStatus.CONTACTED, IntroductionStatus.ACCEPTED)


class IntroductionChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    LETTER = "letter", _("Letter")


class IntroductionQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_active and not user.is_superuser:
            if user.role == Role.MIGRANT:
                return self.filter(migrant__user=user)
            if user.role == Role.PARTNER:
                return self.filter(
                    organisation__partner_users=user,
                    migrant__consent_sharing=True,
                    migrant__consent_withdrawn_on__isnull=True,
                )
        return super().visible_to(user)

    def follow_ups_due(self, today=None):
        return self.filter(
            follow_up_on__isnull=False, follow_up_on__lte=today or timezone.localdate(),
            status__in=OPEN_INTRODUCTION_STATUSES,
        )


class Introduction(models.Model):
    """An advisor puts a person (and maybe one of their dossiers) in touch with an organisation."""

    # A random key drawn once, never shown: published counts are perturbed from the keys
    # of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="introductions", verbose_name=_("office")
    )
    migrant = models.ForeignKey(
        "migrants.Migrant", on_delete=models.CASCADE, related_name="introductions", verbose_name=_("migrant")
    )
    dossier = models.ForeignKey(
        "projects.ProjectDossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
        verbose_name=_("dossier"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="introductions", verbose_name=_("organisation")
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions_made",
        verbose_name=_("introduced by"),
    )
    purpose = models.TextField(_("purpose"))
    channel = models.CharField(_("channel"), max_length=16, choices=IntroductionChannel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=IntroductionStatus.choices, default=IntroductionStatus.PROPOSED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    introduced_on = models.DateField(_("date of the introduction"), default=timezone.localdate)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-introduced_on", "-pk"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        indexes = [
            models.Index(fields=["migrant", "-introduced_on"], name="introduction_migrant_idx"),
            models.Index(fields=["organisation", "-introduced_on"], name="introduction_organisation_idx"),
            models.Index(fields=["office", "status", "follow_up_on"], name="introduction_follow_up_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IntroductionStatus.values), name="introduction_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=IntroductionChannel.values), name="introduction_channel_valid",
                violation_error_message=_("Unknown channel."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=models.F("introduced_on")),
                name="introduction_follow_up_after_introduction",
                violation_error_message=_("The follow-up date cannot be before the introduction."),
            ),
            # One open introduction of a person to an organisation at a time.
            models.UniqueConstraint(
                fields=["migrant", "organisation"],
                condition=Q(status__in=["proposed", "contacted", "accepted"]),
                name="introduction_one_open_per_pair",
                violation_error_message=_("This person already has an open introduction to this organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.migrant.full_name} → {self.organisation.name}"

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.organisation_id])


class OrganisationImportQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if user.role in STAFF_ROLES:
            return self.filter(uploaded_by=user)
        return self.none()


class OrganisationImport(SpreadsheetImport):
    """A spreadsheet of organisations: parsed, checked row by row, then imported all at once or not at all."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )

    objects = OrganisationImportQuerySet.as_manager()

    class Meta(SpreadsheetImport.Meta):
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")
        indexes = [models.Index(fields=["uploaded_by", "-created_at"], name="organisation_import_user_idx")]

    def get_absolute_url(self):
        return reverse("partnerships:import_detail", args=[self.pk])


# Conventions, and meetings and events, live in their own packages; importing their models
# here registers them with the ``partnerships`` app (same app label, same migrations).
from partnerships.conventions.models import (  # noqa: E402
    Contribution,
    Convention,
    ConventionBudgetLine,
    ConventionParty,
    ConventionTransition,
    ReportingObligation,
    ReportItem,
)
from partnerships.cooperation.models import CooperationIntroduction, CooperationRequest  # noqa: E402
from partnerships.events.models import ActionItem, Event, EventParticipant, Meeting  # noqa: E402
from partnerships.offers.models import OfferReferral, PartnerOffer  # noqa: E402

__all__ = [
    "ActionItem",
    "Contribution",
    "CooperationIntroduction",
    "CooperationRequest",
    "Convention",
    "ConventionBudgetLine",
    "ConventionParty",
    "ConventionTransition",
    "Event",
    "EventParticipant",
    "Meeting",
    "OfferReferral",
    "PartnerOffer",
    "ReportItem",
    "ReportingObligation",
]
