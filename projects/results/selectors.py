"""Reads of the results after funding: a dossier's schedule, the overdue checks, the impact figures."""
from django.db.models import BigIntegerField, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from hom.accounts.access import get_visible_or_404
from projects.funding.models import GRANTED_STATUSES

from .models import IMPACT_MONTHS, BusinessState, ResultCheck
from .services import FUNDED_STATUSES


def is_funded(dossier, applications) -> bool:
    """Funded: the funder's decision is recorded on the dossier, or one of its ``applications`` was granted.

    The dossier page reads its applications anyway: with them, a dossier that is not funded
    costs no query for a schedule it cannot have.
    """
    return dossier.status in FUNDED_STATUSES or any(app.status in GRANTED_STATUSES for app in applications)


def result_checks_of(dossier):
    """The dossier's schedule, milestone by milestone, with who recorded each check (one query)."""
    return ResultCheck.objects.filter(dossier=dossier).select_related("recorded_by").order_by("months")


def result_check_get(*, user, dossier_pk: int, pk: int) -> ResultCheck:
    """A check of dossier ``dossier_pk`` that ``user`` may see (404 otherwise), with its dossier and promoter."""
    return get_visible_or_404(
        ResultCheck.objects.select_related("dossier__promoter", "dossier__office"), user, pk=pk, dossier_id=dossier_pk
    )


def _total(field: str, condition: Q):
    return Coalesce(Sum(field, filter=condition), 0, output_field=BigIntegerField())


def impact_figures(dossiers, *, until=None) -> dict:
    """What came of the funded dossiers among ``dossiers``, from their recorded checks, in two queries.

    - the 12-month checks recorded, and among them the businesses operating;
    - from each dossier's latest recorded check: the jobs created (of which women, young people)
      and the amounts disbursed and repaid to date.

    Each count comes with the sum of the record keys of the checks behind it (``*_keys``: the
    cell keys of the published figures). ``until``: only checks recorded before that moment.
    """
    checks = ResultCheck.objects.filter(dossier__in=dossiers, recorded_at__isnull=False)
    if until is not None:
        checks = checks.filter(recorded_at__lt=until)
    twelve = Q(months=IMPACT_MONTHS)
    operating = twelve & Q(state=BusinessState.OPERATING)
    figures = checks.aggregate(
        followed=Count("pk", filter=twelve),
        followed_keys=_total("record_key", twelve),
        operating=Count("pk", filter=operating),
        operating_keys=_total("record_key", operating),
    )
    later = ResultCheck.objects.filter(
        dossier_id=OuterRef("dossier_id"), months__gt=OuterRef("months"), recorded_at__isnull=False
    )
    if until is not None:
        later = later.filter(recorded_at__lt=until)
    with_jobs = Q(jobs_created__isnull=False)
    with_money = Q(amount_disbursed__gt=0)
    figures |= checks.filter(~Exists(later)).aggregate(
        jobs=_total("jobs_created", with_jobs),
        jobs_women=_total("jobs_women", with_jobs),
        jobs_youth=_total("jobs_youth", with_jobs),
        jobs_keys=_total("record_key", with_jobs),
        jobs_dossiers=Count("pk", filter=with_jobs),
        repaying=Count("pk", filter=with_money),
        repaying_keys=_total("record_key", with_money),
        disbursed=_total("amount_disbursed", with_money),
        repaid=_total("amount_repaid", with_money),
    )
    return figures
