"""The office's indicators on the staff dashboard: exact figures, since staff can open every
record behind them (no disclosure control is needed for their own office)."""
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from migrants.models import Visit
from projects.models import DossierStatus, ProjectDossier

from ..scope import Period


def _month_start(day: date, back: int = 0) -> date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def office_indicators(user, *, today: date | None = None) -> dict:
    """This month's and last month's visits, overdue follow-ups, and dossiers by status (two queries)."""
    today = today or timezone.localdate()
    this_month = Period(first=_month_start(today), last=_month_start(today)).bounds()
    last_month = Period(first=_month_start(today, 1), last=_month_start(today, 1)).bounds()
    visits = Visit.objects.visible_to(user).order_by().aggregate(
        this_month=Count("pk", filter=Q(occurred_at__gte=this_month[0], occurred_at__lt=this_month[1])),
        last_month=Count("pk", filter=Q(occurred_at__gte=last_month[0], occurred_at__lt=last_month[1])),
        overdue=Count("pk", filter=Q(follow_up_on__lt=today, follow_up_done=False)),
    )
    by_status = dict(
        ProjectDossier.objects.visible_to(user).order_by().values_list("status").annotate(count=Count("pk"))
    )
    statuses = [(label, by_status[value]) for value, label in DossierStatus.choices if by_status.get(value)]
    return {"visits": visits, "statuses": statuses}
