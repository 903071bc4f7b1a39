"""Dashboard cards of the reports: the office's indicators for staff, the communes' reports for authorities."""
from datetime import date

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from migrants.models import Visit
from projects.models import DossierStatus, ProjectDossier

from ..scope import Period, territories_for

register = template.Library()


def _month_start(day: date, back: int = 0) -> date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


@register.inclusion_tag("reports/_dashboard_office.html", takes_context=True)
def office_indicators(context):
    """This month against last month, dossiers by status, overdue follow-ups (staff see their own office:
    no suppression is needed for people who can open every record behind the figures)."""
    user = context["request"].user
    today = timezone.localdate()
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


@register.inclusion_tag("reports/_dashboard_communes.html", takes_context=True)
def commune_reports(context):
    return {"territories": territories_for(context["request"].user)}
