"""Thin views: a person's notifications, marking them read, their preferences. Everyone logged in."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hom.accounts.access import get_visible_or_404, role_required
from hom.accounts.models import Role

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification

EVERY_ROLE = tuple(Role)
PAGE_SIZE = 25


@role_required(*EVERY_ROLE)
def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@role_required(*EVERY_ROLE)
def notification_read(request, pk):
    notification = get_visible_or_404(Notification, request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
@role_required(*EVERY_ROLE)
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, ngettext(
        "%(count)s notification marked as read.", "%(count)s notifications marked as read.", count
    ) % {"count": count})
    return redirect("notifications:list")


@role_required(*EVERY_ROLE)
def preferences(request):
    preference = services.preference_for(request.user)
    initial = {"kinds": preference.kinds, "email_enabled": preference.email_enabled, "language": preference.language}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preference_update(recipient=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
