"""Demo results after funding: three funded dossiers of Sédhiou followed up, one check overdue.

Called by ``projects.demo.seed`` once the dossiers and applications are there; runs twice
without changing anything the second time (a dossier with a recorded check is left alone).
"""
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from hom.accounts.models import Role, User
from projects.models import ProjectDossier

from .models import ResultCheck
from .services import FUNDED_STATUSES, result_check_record, result_schedule_create

# (months since the funding, the checks recorded: months → fields)
FOLLOW_UPS = [
    (14, {
        3: {"state": "operating", "jobs_created": 2, "jobs_women": 1, "jobs_youth": 1, "turnover_band": "under_1m",
            "amount_disbursed": 2_000_000, "amount_repaid": 0, "notes": "Premier stock écoulé."},
        6: {"state": "operating", "jobs_created": 3, "jobs_women": 1, "jobs_youth": 2, "turnover_band": "1m_5m",
            "amount_disbursed": 2_000_000, "amount_repaid": 300_000, "notes": "Remboursements réguliers."},
        12: {"state": "operating", "jobs_created": 4, "jobs_women": 2, "jobs_youth": 2, "turnover_band": "5m_20m",
             "amount_disbursed": 2_800_000, "amount_repaid": 900_000,
             "notes": "Un second point de vente ouvert à Goudomp."},
    }),
    # Funded thirteen months ago: its 12-month check is overdue (the advisor's reminder).
    (13, {
        3: {"state": "operating", "jobs_created": 5, "jobs_women": 3, "jobs_youth": 2, "turnover_band": "1m_5m",
            "amount_disbursed": 1_500_000, "amount_repaid": 0},
        6: {"state": "paused", "jobs_created": 5, "jobs_women": 3, "jobs_youth": 2, "turnover_band": "1m_5m",
            "amount_disbursed": 2_880_000, "amount_repaid": 150_000,
            "notes": "Arrêt pendant l'hivernage, reprise prévue après la récolte."},
    }),
    (4, {
        3: {"state": "operating", "jobs_created": 2, "jobs_women": 2, "jobs_youth": 1, "turnover_band": "under_1m",
            "amount_disbursed": 760_000, "amount_repaid": 0, "notes": "Premiers plants vendus."},
    }),
]


def seed(stdout=None) -> None:
    dossiers = list(
        ProjectDossier.objects.filter(office__code="SED", status__in=FUNDED_STATUSES).select_related("office").order_by("pk")
    )
    today = timezone.localdate()
    made = 0
    for dossier, (months_ago, recorded) in zip(dossiers, FOLLOW_UPS, strict=False):
        if ResultCheck.objects.filter(dossier=dossier, recorded_at__isnull=False).exists():
            continue
        advisor = dossier.advisor or User.objects.filter(office=dossier.office, role=Role.ADVISOR).order_by("pk").first()
        if advisor is None:
            continue
        # The demo dossiers were funded today by their moves: their follow-up started earlier.
        ResultCheck.objects.filter(dossier=dossier).delete()
        funded_on = today - relativedelta(months=months_ago) - timedelta(days=10)
        checks = {check.months: check for check in result_schedule_create(dossier=dossier, funded_on=funded_on)}
        for months, fields in recorded.items():
            result_check_record(check=checks[months], actor=advisor, **fields)
        made += 1
    if stdout is not None and made:
        stdout.write(f"Demo results after funding: {made} dossiers followed up.")
