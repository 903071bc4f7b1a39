"""Pages of campaigns (/migrants/campaigns/): the office admin writes, previews, sends or schedules, cancels;
advisors of the office read the list and the pages (docs/campaigns.md)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error
from hom.submissions.services import run_once

from . import selectors, services
from .forms import CampaignForm, ScheduleForm
from .models import CampaignState


@role_required(*STAFF_ROLES)
@require_GET
def campaign_list(request):
    return render(request, "migrants/campaigns/list.html", {
        "campaigns": selectors.campaign_list(request.user),
        "can_write": request.user.has_role(Role.ADMIN) and request.user.office_id is not None,
    })


def _filters(data) -> dict:
    return {name: data.get(name, "") for name in selectors.FILTER_FIELDS}


def _group_fields(group):
    return [group.form[name] for name in selectors.FILTER_FIELDS]


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    if request.user.office_id is None:
        messages.error(request, _("Only the admin of an office can write a campaign."))
        return redirect("migrants:campaign_list")
    form = CampaignForm(request.POST or None)
    group = selectors.group_filter(user=request.user, data=_filters(request.POST) if request.method == "POST" else {})
    # Both checked (no short cut): the message's errors and the group's are shown together.
    if request.method == "POST" and form.is_valid() & group.is_valid():
        created = []

        def create():
            created.append(services.campaign_create(created_by=request.user, filters=_filters(request.POST),
                                                    **form.cleaned_data))
            return created[0].get_absolute_url()

        try:
            url, _replayed = run_once(request, create)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if created:
                messages.success(request, _("The campaign is saved as a draft: check its group, then send it."))
            return redirect(url)
    return render(request, "migrants/campaigns/create.html", {
        "form": form, "group_fields": _group_fields(group),
    })


@role_required(Role.ADMIN)
@require_POST
def campaign_preview(request):
    """The live preview (htmx): how many will receive the message, who is left out and why (counts only),
    the segments and the cost per channel."""
    if request.user.office_id is None:
        return render(request, "migrants/campaigns/_preview.html", {"facts": None})
    group = selectors.group_filter(user=request.user, data=_filters(request.POST))
    if not group.is_valid():
        return render(request, "migrants/campaigns/_preview.html", {"facts": None, "invalid": True})
    facts = selectors.group_facts(user=request.user, filters=_filters(request.POST),
                                  channel=request.POST.get("channel", "sms"), message=request.POST.get("message", ""))
    return render(request, "migrants/campaigns/_preview.html", {"facts": facts})


def _progress_context(campaign):
    counts = selectors.campaign_status_counts(campaign)
    return {
        "campaign": campaign, "counts": counts, "progress": selectors.campaign_progress(campaign, counts),
        # The page polls while a worker sends (or is about to): not for hours before a scheduled time.
        "in_progress": campaign.state == CampaignState.SENDING or (
            campaign.state == CampaignState.SCHEDULED
            and (campaign.scheduled_for is None or campaign.scheduled_for <= timezone.now())
        ),
    }


def _detail_context(request, campaign, schedule_form=None):
    context = {
        **_progress_context(campaign),
        "is_draft": campaign.state == CampaignState.DRAFT,
        "can_cancel": campaign.state in (CampaignState.DRAFT, CampaignState.SCHEDULED),
        "can_write": request.user.has_role(Role.ADMIN) and request.user.office_id == campaign.office_id,
        "schedule_form": schedule_form or ScheduleForm(),
        "group_labels": selectors.group_labels(campaign),
        "history": selectors.campaign_history(campaign),
    }
    if campaign.state == CampaignState.DRAFT:
        context["facts"] = selectors.group_facts(user=campaign.created_by, filters=campaign.filters,
                                                 channel=campaign.channel, message=campaign.message)
    return context


@role_required(*STAFF_ROLES)
@require_GET
def campaign_detail(request, pk):
    campaign = selectors.campaign_for_page(request.user, pk)
    return render(request, "migrants/campaigns/detail.html", _detail_context(request, campaign))


@role_required(*STAFF_ROLES)
@require_GET
def campaign_progress(request, pk):
    campaign = selectors.campaign_for_page(request.user, pk)
    return render(request, "migrants/campaigns/_progress.html", _progress_context(campaign))


@role_required(Role.ADMIN)
@require_POST
def campaign_send(request, pk):
    campaign = selectors.campaign_for_sending(request.user, pk)
    try:
        services.campaign_send(campaign=campaign, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The campaign is being sent."))
    return redirect(campaign)


@role_required(Role.ADMIN)
@require_POST
def campaign_schedule(request, pk):
    campaign = selectors.campaign_for_sending(request.user, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_send(campaign=campaign, by=request.user, at=form.cleaned_data["at"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The campaign is scheduled."))
            return redirect(campaign)
    return render(request, "migrants/campaigns/detail.html", _detail_context(request, campaign, schedule_form=form),
                  status=400)


@role_required(Role.ADMIN)
@require_POST
def campaign_cancel(request, pk):
    campaign = selectors.campaign_for_sending(request.user, pk)
    try:
        services.campaign_cancel(campaign=campaign, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The campaign is cancelled: nothing will be sent."))
    return redirect(campaign)
