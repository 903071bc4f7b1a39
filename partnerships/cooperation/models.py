"""Cooperation introductions (issue 24, part 3; docs/partnerships.md): a commune of the office's
region introduced to a diaspora association or a foreign local authority (decentralised
cooperation), and the requests a commune's authority makes for one.

Both belong to the office of the commune's region: its staff see and write them; the commune's
authority (``User.communes``) reads them and makes requests. No person is in them: a commune, an
organisation, the staff and authority accounts that wrote them.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import Role
from migrants.models import new_record_key

# The kinds of organisation a commune may be introduced to.
COOPERATION_ORGANISATION_KINDS = ("diaspora", "hometown", "federation", "foreign_authority")


class CooperationPurpose(models.TextChoices):
    PROJECT = "project", _("A development project")
    TWINNING = "twinning", _("Twinning")
    INVESTMENT = "investment", _("Investment")
    OTHER = "other", _("Other")


class CooperationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONTACTED = "contacted", _("Contacted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


OPEN_COOPERATION_STATUSES = (CooperationStatus.PROPOSED, CooperationStatus.CONTACTED, CooperationStatus.ACCEPTED)


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the office")
    INTRODUCED = "introduced", _("Introduction made")
    CLOSED = "closed", _("Closed without an introduction")


class CommuneScopedQuerySet(OfficeScopedQuerySet):
    """The office's staff see their office's rows; a commune's authority those of its communes."""

    def visible_to(self, user):
        if user.is_authenticated and user.is_active and not user.is_superuser and user.role == Role.AUTHORITY:
            return self.filter(commune__in=user.communes.values("pk"))
        return super().visible_to(user)


class CooperationRequestQuerySet(CommuneScopedQuerySet):
    def open(self):
        return self.filter(status=RequestStatus.OPEN)


class CooperationRequest(models.Model):
    """What a commune's authority asks the office for: whom it looks for, why, maybe a named organisation."""

    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="cooperation_requests", verbose_name=_("office")
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="cooperation_requests", verbose_name=_("commune")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )
    looking_for = models.TextField(_("what the commune looks for"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=CooperationPurpose.choices)
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("organisation named"),
    )
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    answer = models.TextField(_("answer of the office"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = CooperationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("cooperation request")
        verbose_name_plural = _("cooperation requests")
        indexes = [models.Index(fields=["office", "status", "-created_at"], name="cooperation_request_office_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="cooperation_request_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=CooperationPurpose.values), name="cooperation_request_purpose_valid",
                violation_error_message=_("Unknown purpose."),
            ),
        ]

    def __str__(self):
        return f"{self.commune.name}: {self.get_purpose_display()}"

    def get_absolute_url(self):
        return f"{reverse('partnerships:cooperation_list')}#request-{self.pk}"


class CooperationIntroductionQuerySet(CommuneScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_COOPERATION_STATUSES)

    def follow_ups_due(self, today=None):
        return self.open().filter(follow_up_on__isnull=False, follow_up_on__lte=today or timezone.localdate())


class CooperationIntroduction(models.Model):
    """The office puts a commune in touch with a diaspora association or a foreign local authority."""

    # A random key drawn once, never shown: the commune profile's counts are perturbed from the
    # keys of the records they count (hom/reports/privacy.py, the cell-key method).
    record_key = models.PositiveIntegerField(_("record key"), default=new_record_key, editable=False)
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="cooperation_introductions", verbose_name=_("office")
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="cooperation_introductions",
        verbose_name=_("commune"),
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="cooperation_introductions",
        verbose_name=_("organisation"),
    )
    request = models.OneToOneField(
        CooperationRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="introduction",
        verbose_name=_("request of the commune"),
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=CooperationPurpose.choices)
    description = models.TextField(_("description"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=CooperationStatus.choices, default=CooperationStatus.PROPOSED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("introduced by"),
    )
    introduced_on = models.DateField(_("date of the introduction"), default=timezone.localdate)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = CooperationIntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-introduced_on", "-pk"]
        verbose_name = _("cooperation introduction")
        verbose_name_plural = _("cooperation introductions")
        indexes = [
            models.Index(fields=["office", "status", "follow_up_on"], name="cooperation_office_idx"),
            models.Index(fields=["commune", "status"], name="cooperation_commune_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CooperationStatus.values), name="cooperation_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=CooperationPurpose.values), name="cooperation_purpose_valid",
                violation_error_message=_("Unknown purpose."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=models.F("introduced_on")),
                name="cooperation_follow_up_after_introduction",
                violation_error_message=_("The follow-up date cannot be before the introduction."),
            ),
            models.UniqueConstraint(
                fields=["commune", "organisation"], condition=Q(status__in=["proposed", "contacted", "accepted"]),
                name="cooperation_one_open_per_pair",
                violation_error_message=_("The commune already has an open introduction to this organisation."),
            ),
        ]

    def __str__(self):
        return f"{self.commune.name} → {self.organisation.name}"

    def get_absolute_url(self):
        return reverse("partnerships:cooperation_detail", args=[self.pk])
