"""Offices and users. Every person who logs in is a User with one role.

Staff (advisors and office admins) belong to one Office, one per ARD region; a
superuser is a national admin and sees every office. Authorities are scoped to the
communes they govern.
"""
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMIN = "admin", _("Office administrator")
    ADVISOR = "advisor", _("Advisor")
    MIGRANT = "migrant", _("Migrant")
    AUTHORITY = "authority", _("Local authority")
    PARTNER = "partner", _("Partner")


# The office staff: the one definition, for membership tests (``role in STAFF_ROLES``) and
# for page access (``@role_required(*STAFF_ROLES)``).
STAFF_ROLES = frozenset({Role.ADMIN, Role.ADVISOR})


class Office(models.Model):
    """A Help Office for Migrants, run by the ARD of one region."""

    code = models.CharField(
        _("code"), max_length=8, unique=True, help_text=_("Short code used in file numbers, e.g. SED.")
    )
    name = models.CharField(_("name"), max_length=120)
    region = models.OneToOneField(
        "territories.Region", on_delete=models.PROTECT, related_name="office", verbose_name=_("region")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name


class UserManager(DjangoUserManager):
    """Users log in by email or, for migrants who signed up with one, by phone number; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email and not extra_fields.get("phone"):
            raise ValueError("An email address or a phone number is required.")
        user = self.model(email=self.normalize_email(email).lower() if email else None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("A national administrator needs an email address.")
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        """The account of a login name: an E.164 phone number (``hom.http.normalise_login``) or an email."""
        username = str(username or "")
        if username.startswith("+"):
            return self.get(phone=username)
        return self.get(email__iexact=username)


class StaffQuerySet(models.QuerySet):
    """Staff accounts as their managers see them (``/accounts/staff/``).

    An office admin sees the advisors and admins of their office; a national admin
    (superuser) those of every office; everyone else none.
    """

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        staff = self.filter(role__in=STAFF_ROLES, office__isnull=False)
        if user.is_superuser:
            return staff
        if user.role == Role.ADMIN and user.office_id:
            return staff.filter(office_id=user.office_id, is_superuser=False)
        return self.none()


class User(AbstractUser):
    username = None
    # Unique when present; NULL (never "") when absent: a migrant who signed up with a phone
    # number only has none. Staff always have one (constraint below).
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    # The phone number a migrant signed up and logs in with (E.164), verified by an SMS code.
    phone = PhoneNumberField(
        _("phone number"), unique=True, null=True, blank=True,
        help_text=_("For an account made with a phone number: the number it logs in with."),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MIGRANT, db_index=True)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("office")
    )
    communes = models.ManyToManyField(
        "territories.Commune",
        blank=True,
        related_name="authority_users",
        verbose_name=_("communes"),
        help_text=_("For a local authority: the communes whose aggregated reports it reads."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()
    staff_members = StaffQuerySet.as_manager()
    # Who changed a role, an office or the active flag, and when. The password hash and
    # the last sign-in stay out of the history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="user_role_valid", violation_error_message=_("Unknown role.")
            ),
            # Staff work for one office; only a superuser (national admin) may have none.
            models.CheckConstraint(
                condition=~Q(role__in=[Role.ADMIN, Role.ADVISOR], office__isnull=True, is_superuser=False),
                name="user_staff_has_office",
                violation_error_message=_("Advisors and office administrators must belong to an office."),
            ),
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_login_name",
                violation_error_message=_("An account needs an email address or a phone number."),
            ),
            # Staff are invited, reset and reminded by email.
            models.CheckConstraint(
                condition=~Q(role__in=[Role.ADMIN, Role.ADVISOR], email__isnull=True),
                name="user_staff_has_email",
                violation_error_message=_("Advisors and office administrators need an email address."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.login_name

    @property
    def login_name(self) -> str:
        """What the account logs in with: its email address, else its phone number (E.164)."""
        return self.email or (self.phone.as_e164 if self.phone else "")

    def natural_key(self):
        return (self.login_name,)

    def clean(self):
        super().clean()
        self._blanks_to_null()

    def save(self, *args, **kwargs):
        self._blanks_to_null()
        super().save(*args, **kwargs)

    def _blanks_to_null(self):
        # Unique when present: an absent email or phone is NULL, so that many accounts may lack one.
        if not self.email:
            self.email = None
        if not self.phone:
            self.phone = None

    def get_absolute_url(self):
        return reverse("home")

    @property
    def is_national_admin(self) -> bool:
        return self.is_superuser

    @property
    def is_office_staff(self) -> bool:
        return self.is_superuser or self.role in STAFF_ROLES

    def has_role(self, *roles) -> bool:
        """True when the user holds one of ``roles``; a superuser holds every staff role."""
        if self.is_superuser:
            return bool(set(roles) & STAFF_ROLES)
        return self.role in roles
