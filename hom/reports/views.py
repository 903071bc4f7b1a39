"""Report pages: thin views that scope, call the selectors and render or export."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.replica import reads_from_replica
from migrants.access_log import access_record
from migrants.models import AccessAction, AccessTarget

from .exports import report_csv, report_xlsx
from .forms import CommuneProfileForm, aligned_shortcuts, period_form
from .scope import (
    default_territory,
    reads_perturbed,
    report_office,
    report_scope,
    territories_for,
    territory_for,
)
from .sections import report_sections
from .selectors.public import (
    commune_profile_figures,
    communes_editable_by,
    may_edit_profile,
    profile_to_edit,
    profile_with_plan,
)
from .services import commune_profile_update

REPORT_ROLES = (Role.ADMIN, Role.ADVISOR, Role.AUTHORITY)


def _period_query(request) -> str:
    kept = {key: request.GET[key] for key in ("start", "end") if key in request.GET}
    return f"?{urlencode(kept)}" if kept else ""


@role_required(*REPORT_ROLES)
def report_index(request):
    """The default territory's report, or the one picked in the selector."""
    picked = request.GET.get("territory", "")
    if picked:
        kind, _sep, code = picked.partition(":")
        territory = territory_for(request.user, kind, code)
    else:
        territory = default_territory(request.user)
    if territory is None:
        return render(request, "reports/no_territory.html")
    url = reverse("reports:report", args=[territory.kind, territory.code])
    return redirect(url + _period_query(request))


def _report_context(request, kind: str, code: str) -> dict:
    territory = territory_for(request.user, kind, code)
    perturbed = reads_perturbed(request.user)
    form = period_form(request.GET, aligned=perturbed)
    period = form.period()
    refused = form.is_bound and not form.is_valid()
    if refused and perturbed:
        # Published figures only for the periods asked as the form allows: the form's error, no figure
        # (figures of another period would look like an answer).
        sections = []
    else:
        if refused:
            messages.error(request, _("The period was not understood; the last twelve months are shown."))
        sections = report_sections(report_scope(request.user, territory, period))
    return {
        "territory": territory,
        "territories": territories_for(request.user),
        "period": period,
        "form": form,
        "sections": sections,
        "perturbed": perturbed,
        "refused": refused and perturbed,
        "shortcuts": [
            (label, f"?start={shortcut.first:%Y-%m}&end={shortcut.last:%Y-%m}", shortcut == period)
            for label, shortcut in aligned_shortcuts(period.last.year)
        ]
        if perturbed
        else [],
        "charts": [table.chart_data() for section in sections for table in section.tables if not table.is_empty],
        "office": report_office(request.user, territory),
        "today": timezone.localdate(),
        "query": _period_query(request),
    }


@role_required(*REPORT_ROLES)
@reads_from_replica
def report(request, kind, code):
    return render(request, "reports/report.html", _report_context(request, kind, code))


@role_required(*REPORT_ROLES)
@reads_from_replica
def report_print(request, kind, code):
    return render(request, "reports/report_print.html", _report_context(request, kind, code))


@role_required(*REPORT_ROLES)
@reads_from_replica
def report_export(request, kind, code, extension):
    context = _report_context(request, kind, code)
    if context["refused"]:
        return render(request, "reports/report.html", context)
    filename = f"hom-report-{kind}-{code}-{context['period'].first:%Y%m}-{context['period'].last:%Y%m}"
    if extension == "csv":
        response = HttpResponse(report_csv(context), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        response = HttpResponse(
            report_xlsx(context), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    access_record(user=request.user, action=AccessAction.EXPORT, target=AccessTarget.REPORT, detail=f"{kind} {code}")
    return response


@reads_from_replica
def commune_profile(request, code):
    """The public profile of a commune: aggregates only, suppressed, no person's name anywhere."""
    figures = commune_profile_figures(code, user=request.user)
    can_edit = may_edit_profile(request.user, code)
    return render(request, "reports/commune_profile.html", {**figures, "can_edit": can_edit})


def commune_plan(request, code):
    """The local development plan, public like the profile it belongs to."""
    profile = profile_with_plan(code)
    try:
        with profile.development_plan.open("rb") as plan:
            content = plan.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=profile.plan_content_type)
    response["Content-Disposition"] = f'attachment; filename="plan-{code}.{profile.plan_extension}"'
    return response


@role_required(*STAFF_ROLES)
def commune_profile_edit(request, code):
    commune = get_object_or_404(communes_editable_by(request.user), code=code)
    profile = profile_to_edit(commune)
    form = CommuneProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        uploaded = request.FILES.get("development_plan")
        commune_profile_update(
            commune=commune,
            actor=request.user,
            narrative=form.cleaned_data["narrative"],
            development_plan=uploaded,
            remove_plan=form.cleaned_data.get("development_plan") is False,
        )
        messages.success(request, _("The profile of %(commune)s is saved.") % {"commune": commune.name})
        return redirect("communes:profile", code=commune.code)
    return render(request, "reports/commune_profile_edit.html", {"commune": commune, "form": form})
