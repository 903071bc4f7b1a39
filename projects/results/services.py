"""Writes on the results after funding: the schedule of a funded dossier, and each check recorded.

The schedule is made when a dossier becomes funded (``projects.services.dossier_transition``
to "funded", ``projects.funding.services.funding_application_move`` to "accepted" or
"disbursed"), once: calling it again changes nothing. Only the staff of the dossier's office
record a check.
"""
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from migrants.services import erased_record_refusal
from projects.funding.models import GRANTED_STATUSES, FundingApplication
from projects.models import DossierStatus, ProjectDossier
from projects.selectors import dossier_role_of
from projects.workflows import STAFF

from .models import SCHEDULE_MONTHS, ResultCheck

# A dossier in one of these statuses was funded (the funder's decision recorded on the dossier).
FUNDED_STATUSES = (DossierStatus.FUNDED, DossierStatus.IN_IMPLEMENTATION)
# The fields an advisor records on a check.
RECORDED_FIELDS = (
    "state", "jobs_created", "jobs_women", "jobs_youth", "turnover_band", "amount_disbursed", "amount_repaid",
    "notes",
)


def funding_date_of(dossier: ProjectDossier) -> date | None:
    """When the dossier was funded: its first granted application's decision, else today for a funded dossier."""
    decided = (
        FundingApplication.objects.filter(dossier=dossier, status__in=GRANTED_STATUSES, decided_on__isnull=False)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    if decided:
        return decided
    return timezone.localdate() if dossier.status in FUNDED_STATUSES else None


@transaction.atomic
def result_schedule_create(*, dossier: ProjectDossier, funded_on: date | None = None, actor=None) -> list[ResultCheck]:
    """The checks at 3, 6, 12 and 24 months after ``funded_on`` (by default: ``funding_date_of``).

    Idempotent: a dossier that has its schedule keeps it as it is (its dates do not move when a
    second programme grants money), and the milestones missing are added. Returns the checks.
    """
    dossier = ProjectDossier.objects.select_for_update().get(pk=dossier.pk)
    existing = {check.months: check for check in ResultCheck.objects.filter(dossier=dossier)}
    if len(existing) < len(SCHEDULE_MONTHS):
        start = next((check.funded_on for check in existing.values()), None) or funded_on or funding_date_of(dossier)
        if start is None:
            raise ValidationError(_("This dossier is not funded: it has no follow-up schedule."), code="not_funded")
        for months in SCHEDULE_MONTHS:
            if months in existing:
                continue
            check = ResultCheck(dossier=dossier, months=months, funded_on=start, due_on=start + relativedelta(months=months))
            check.full_clean()
            check._history_user = actor
            check.save()
            existing[months] = check
    return [existing[months] for months in SCHEDULE_MONTHS]


@transaction.atomic
def result_check_record(*, check: ResultCheck, actor, **fields) -> ResultCheck:
    """Record (or correct) a check: only an advisor or admin of the dossier's office may.

    ``fields`` are those of ``RECORDED_FIELDS``; who recorded it and when are set here, and the
    history keeps every version with its author.
    """
    check = ResultCheck.objects.select_for_update(of=("self",)).select_related("dossier__promoter").get(pk=check.pk)
    if dossier_role_of(check.dossier, actor) not in STAFF:
        raise PermissionDenied(gettext("Only the staff of the dossier's office record its results."))
    if refusal := erased_record_refusal(check.dossier.promoter):
        raise ValidationError(refusal)
    unknown = set(fields) - set(RECORDED_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(check, name, value.strip() if isinstance(value, str) else value)
    if not check.state:
        raise ValidationError({"state": _("Say whether the business is operating, paused or closed.")})
    check.recorded_by = actor
    check.recorded_at = timezone.now()
    check.full_clean()
    check._history_user = actor
    check.save()
    return check
