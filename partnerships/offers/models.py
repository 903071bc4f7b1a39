"""Partner offers (a bank's loan, an insurer's product, a coaching programme) and the referrals
advisors make to them (issue 24, part 2; docs/partnerships.md).

``PartnerOffer`` is recorded by an office (its admins write it) for an organisation of the
directory; a published, unexpired offer is public. ``OfferReferral`` follows its person's
office scope, like an introduction; the person sees their own.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hom.accounts.access import OfficeScopedQuerySet
from hom.accounts.models import STAFF_ROLES, Role


class OfferKind(models.TextChoices):
    LOAN = "loan", _("Loan")
    INSURANCE = "insurance", _("Insurance")
    TRAINING = "training", _("Training")
    COACHING = "coaching", _("Coaching")
    GUARANTEE = "guarantee", _("Guarantee")


class OfferTargetGroup(models.TextChoices):
    RETURNEES = "returnees", _("Returnees")
    DIASPORA = "diaspora", _("Diaspora")
    WOMEN = "women", _("Women")
    YOUTH = "youth", _("Young people")
    FAMILIES = "families", _("Migrants' families")


class PartnerOfferQuerySet(OfficeScopedQuerySet):
    def published(self, today=None):
        """Public: published and not expired."""
        today = today or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today), is_published=True)

    def for_catalogue(self, user):
        """What the catalogue shows ``user``: the public offers, and every offer of a staff member's office."""
        public = Q(pk__in=self.published().values("pk"))
        if user.is_authenticated and user.is_active and user.is_superuser:
            return self.all()
        if user.is_authenticated and user.is_active and user.role in STAFF_ROLES and user.office_id:
            return self.filter(public | Q(office_id=user.office_id))
        return self.filter(public)


class PartnerOffer(models.Model):
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="partner_offers", verbose_name=_("office")
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="offers",
        verbose_name=_("offering organisation"),
    )
    kind = models.CharField(_("kind of offer"), max_length=16, choices=OfferKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    conditions = models.TextField(_("conditions"), blank=True)
    # Codes of ``OfferTargetGroup`` joined by commas (a multi-choice that SQLite and PostgreSQL both filter).
    target_groups = models.CharField(_("target groups"), max_length=200, blank=True)
    amount_min_xof = models.PositiveBigIntegerField(_("minimum amount (FCFA)"), null=True, blank=True)
    amount_max_xof = models.PositiveBigIntegerField(_("maximum amount (FCFA)"), null=True, blank=True)
    regions_served = models.ManyToManyField(
        "territories.Region", blank=True, related_name="partner_offers", verbose_name=_("regions served")
    )
    communes_served = models.ManyToManyField(
        "territories.Commune", blank=True, related_name="partner_offers", verbose_name=_("communes served")
    )
    contact_instructions = models.TextField(
        _("how to apply"), help_text=_("Where and how to ask for it: an agency, a desk, a website. No personal contact.")
    )
    is_published = models.BooleanField(_("published in the public catalogue"), default=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    # Kept by the services: title, organisation and description lower-cased without accents.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "search_text"])

    objects = PartnerOfferQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("partner offer")
        verbose_name_plural = _("partner offers")
        indexes = [models.Index(fields=["is_published", "kind", "title"], name="partner_offer_catalogue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OfferKind.values), name="partner_offer_kind_valid",
                violation_error_message=_("Unknown kind of offer."),
            ),
            models.CheckConstraint(
                condition=Q(amount_min_xof__isnull=True) | Q(amount_max_xof__isnull=True)
                | Q(amount_min_xof__lte=models.F("amount_max_xof")),
                name="partner_offer_amounts_ordered",
                violation_error_message=_("The minimum amount cannot be above the maximum."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:offer_detail", args=[self.pk])

    @property
    def target_group_codes(self) -> list[str]:
        return [code for code in self.target_groups.split(",") if code]

    @property
    def target_group_labels(self) -> list[str]:
        labels = dict(OfferTargetGroup.choices)
        return [labels[code] for code in self.target_group_codes if code in labels]


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONTACTED = "contacted", _("Contacted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


OPEN_REFERRAL_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.CONTACTED, ReferralStatus.ACCEPTED)


class OfferReferralQuerySet(OfficeScopedQuerySet):
    def visible_to(self, user):
        if user.is_authenticated and user.is_active and not user.is_superuser and user.role == Role.MIGRANT:
            return self.filter(migrant__user=user)
        return super().visible_to(user)

    def open(self):
        return self.filter(status__in=OPEN_REFERRAL_STATUSES)


class OfferReferral(models.Model):
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="offer_referrals", verbose_name=_("office")
    )
    migrant = models.ForeignKey(
        "migrants.Migrant", on_delete=models.CASCADE, related_name="offer_referrals", verbose_name=_("person")
    )
    offer = models.ForeignKey(PartnerOffer, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("offer"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("referred by"),
    )
    note = models.TextField(_("why this offer"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED)
    outcome = models.TextField(_("outcome"), blank=True)
    referred_on = models.DateField(_("date of the referral"), default=timezone.localdate)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OfferReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("referral to an offer")
        verbose_name_plural = _("referrals to offers")
        indexes = [
            models.Index(fields=["migrant", "-referred_on"], name="offer_referral_migrant_idx"),
            models.Index(fields=["office", "status", "-referred_on"], name="offer_referral_office_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="offer_referral_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.UniqueConstraint(
                fields=["migrant", "offer"], condition=Q(status__in=["proposed", "contacted", "accepted"]),
                name="offer_referral_one_open_per_pair",
                violation_error_message=_("This person already has an open referral to this offer."),
            ),
        ]

    def __str__(self):
        return f"{self.migrant.full_name} → {self.offer.title}"

    def get_absolute_url(self):
        return reverse("migrants:detail", args=[self.migrant_id])
