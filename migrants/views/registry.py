"""Staff pages of the registry: list, export, registration, detail, edit, visits, walk-ins, merge, erasure."""
import io
import json
import zipfile

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hom.accounts.access import get_visible_or_404, role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error
from hom.http import safe_next_url
from hom.replica import reads_from_replica
from hom.spreadsheets import csv_response, queryset_rows, xlsx_response
from hom.submissions.services import run_once

from .. import consent, selectors, services
from ..access_log import access_person_page, access_record
from ..filters import AccessLogFilter, MigrantFilter
from ..forms import FULL_FIELDS, MergeForm, MigrantForm, MigrantQuickForm, VisitForm, WalkInForm
from ..models import AccessAction, AccessTarget, LinkRequest, Migrant
from ..notices.views import notices_panel
from ..personal_data import person_documents
from ..transfers import selectors as transfer_selectors
from ..transfers import services as transfer_services

PAGE_SIZE = 25
EXPORT_CHUNK_ROWS = 2000
EXPORT_COLUMNS = [
    ("file_number", "file_number"),
    ("last_name", "last_name"),
    ("first_name", "first_name"),
    ("sex", "sex"),
    ("birth_year", "year_of_birth"),
    ("phone", "phone"),
    ("email", "email"),
    ("commune_of_origin", "commune_of_origin"),
    ("situation", "get_situation_display"),
    ("country_of_residence", "country_of_residence"),
    ("advisor", "advisor"),
    ("created_at", "created_at"),
]


def _filtered(request):
    return MigrantFilter(request.GET or None, queryset=selectors.migrants_visible_to(request.user), request=request)


@role_required(*STAFF_ROLES)
@require_GET
def migrant_list(request):
    migrant_filter = _filtered(request)
    # Counted up to selectors.COUNT_CAP rows: "more than 1,000 persons" rather than a count of the whole office.
    page = selectors.capped_page(migrant_filter.qs, request.GET.get("page"), per_page=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": migrant_filter, "page": page, "query": query.urlencode()}
    if not request.htmx:
        context["link_requests"] = selectors.link_requests_pending(request.user)[:20]
        context["erasure_requests"] = selectors.erasure_requests_count(request.user)
    template = "migrants/_results.html" if request.htmx else "migrants/list.html"
    return render(request, template, context)


def _export_rows(request):
    for migrant in queryset_rows(_filtered(request).qs, chunk_size=EXPORT_CHUNK_ROWS):
        row = []
        for _name, attribute in EXPORT_COLUMNS:
            value = getattr(migrant, attribute)
            value = value() if callable(value) else value
            if attribute == "created_at":
                value = timezone.localtime(value).strftime("%d/%m/%Y")
            row.append("" if value is None else str(value))
        yield row


def _export_header():
    return [str(Migrant._meta.get_field(name).verbose_name) for name, _attribute in EXPORT_COLUMNS]


def _log_export(request):
    access_record(user=request.user, action=AccessAction.EXPORT, target=AccessTarget.REGISTRY, detail=request.GET.urlencode())


@role_required(Role.ADMIN)
@require_GET
@reads_from_replica
def migrant_export_csv(request):
    _log_export(request)
    return csv_response(filename="migrants.csv", header=_export_header(), rows=_export_rows(request))


@role_required(Role.ADMIN)
@require_GET
@reads_from_replica
def migrant_export_xlsx(request):
    _log_export(request)
    return xlsx_response(filename="migrants.xlsx", sheet_title=_("Migrants"), header=_export_header(),
                         rows=_export_rows(request))


def _migrant_fields(cleaned_data, names):
    return {name: cleaned_data[name] for name in names if name in cleaned_data and name != "sectors_of_interest"}


@role_required(*STAFF_ROLES)
@require_POST
def duplicate_check(request):
    """Live warning while the quick form is filled in (htmx): likely duplicates of what is typed so far.

    POST (with the CSRF token), so names and phones never land in URLs and access logs."""
    form = MigrantQuickForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    duplicates = []
    if request.user.office and (data.get("last_name") or data.get("phone") or data.get("email")):
        duplicates = selectors.migrant_duplicates(
            office=request.user.office,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            birth_year=data.get("birth_year"),
            commune=data.get("commune_of_origin"),
            phone=data.get("phone") or "",
            email=data.get("email") or "",
        )
    known = []
    if request.user.office and (data.get("last_name") or data.get("phone") or data.get("email")):
        known = _known_elsewhere(request.user, data)
    return render(request, "migrants/_duplicates.html", {"duplicates": duplicates, "live": True, "known_elsewhere": known})


def _known_elsewhere(user, data) -> list[dict]:
    """Likely duplicates held by other offices: the office's name and a signed token only, nothing of the person."""
    found = selectors.migrant_duplicates(
        office=user.office, elsewhere=True,
        first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
        birth_year=data.get("birth_year"), commune=data.get("commune_of_origin"),
        phone=data.get("phone") or "", email=data.get("email") or "",
    )
    return [{"office": entry["office"], "token": transfer_services.request_token(migrant=entry["migrant"], office=user.office)}
            for entry in transfer_selectors.known_elsewhere(found)]


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def migrant_create(request):
    office = request.user.office
    form = MigrantQuickForm(request.POST or None)
    duplicates, known = [], []
    if office is None:
        messages.error(request, _("Only the staff of an office can register a person."))
        return redirect("migrants:list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = selectors.migrant_duplicates(
            office=office,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_year=data["birth_year"],
            commune=data["commune_of_origin"],
            phone=data["phone"],
            email=data["email"],
        )
        known = _known_elsewhere(request.user, data)
        if not (duplicates or known) or data["not_a_duplicate"]:
            registered = []

            def register():
                registered.append(services.migrant_register(
                    office=office,
                    recorded_by=request.user,
                    advisor=request.user,
                    **_migrant_fields(data, [name for name in form.Meta.fields]),
                ))
                return registered[0].get_absolute_url()

            try:
                url, replayed = run_once(request, register)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if registered:
                    messages.success(request, _("%(name)s is registered as %(number)s.") % {
                        "name": registered[0].full_name, "number": registered[0].file_number
                    })
                return redirect(url)
    return render(request, "migrants/create.html", {"form": form, "duplicates": duplicates, "known_elsewhere": known,
                                                    "consent": consent.CURRENT})


def _page_sections() -> list[str]:
    """Templates other apps add to a person's page (dossiers, introductions...).

    An app declares ``migrant_page_sections = ("projects/_migrant_dossiers.html",)`` on its
    AppConfig; each template is included with ``migrant``, ``is_staff`` and ``user`` in context.
    """
    return [template for config in apps.get_app_configs() for template in getattr(config, "migrant_page_sections", ())]


def _detail_context(request, migrant, visit_form=None):
    visits = list(selectors.migrant_visits(migrant))
    staff = request.user.has_role(*STAFF_ROLES)
    return {
        "page_sections": _page_sections(),
        "migrant": migrant,
        "visits": visits,
        "open_follow_ups": [visit for visit in visits if visit.follow_up_on and not visit.follow_up_done],
        "history": selectors.migrant_history(migrant) if staff else [],
        # Read only when the record says one waits (``migrant_for_detail``; any other page: read them).
        "link_requests": (
            list(selectors.link_requests_pending(request.user).filter(migrant=migrant))
            if staff and getattr(migrant, "has_pending_link", True) else []
        ),
        "visit_form": visit_form or (VisitForm(office=migrant.office) if staff else None),
        "is_staff": staff,
        # "Viewed by": the recent staff readings of this record, for the admins only.
        "viewed_by": selectors.migrant_recent_accesses(migrant) if request.user.has_role(Role.ADMIN) else None,
        # The text of the version the person agreed to (older versions are kept in migrants/consent.py).
        "consent_text": consent.consent_text(migrant.consent_version),
        # The channels the person chose (migrants/notices); the SMS/WhatsApp messages sent to them are
        # listed on the channels page, linked from the panel (the person's page keeps to 10 queries).
        **notices_panel(migrant, with_messages=False),
    }


def _refuse_if_erased(request, migrant):
    """An erased record is read-only: the page says so and sends back to the record."""
    refusal = services.erased_record_refusal(migrant)
    if refusal:
        messages.error(request, refusal)
        return redirect(migrant)
    return None


@role_required(*STAFF_ROLES, Role.MIGRANT)
@require_GET
def migrant_detail(request, pk):
    migrant = selectors.migrant_for_detail(request.user, pk)
    access_person_page(user=request.user, migrant=migrant)
    return render(request, "migrants/detail.html", _detail_context(request, migrant))


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def migrant_edit(request, pk):
    migrant = selectors.migrant_for_page(request.user, pk)
    if refused := _refuse_if_erased(request, migrant):
        return refused
    form = MigrantForm(request.POST or None, instance=selectors.migrant_for_page(request.user, pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.migrant_update(
                migrant=migrant,
                changed_by=request.user,
                sectors_of_interest=form.cleaned_data["sectors_of_interest"],
                **_migrant_fields(form.cleaned_data, FULL_FIELDS),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The record is saved."))
            return redirect(migrant)
    return render(request, "migrants/edit.html", {"form": form, "migrant": migrant, "consent": consent.CURRENT})


@role_required(*STAFF_ROLES)
@require_GET
def consent_form(request, pk=None):
    """The printable consent form of desk registrations: the current text, signature lines.

    Blank (``/migrants/consent-form/``) for a person not registered yet, or filled in with a
    registered person's name (``/migrants/<id>/consent-form/``, read like their page: logged).
    """
    migrant = None
    if pk is not None:
        migrant = selectors.migrant_for_page(request.user, pk)
        if refused := _refuse_if_erased(request, migrant):
            return refused
        access_person_page(user=request.user, migrant=migrant)
    office = migrant.office if migrant else request.user.office
    return render(request, "migrants/consent_form.html", {"migrant": migrant, "office": office, "consent": consent.CURRENT})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def visit_create(request, pk):
    """Quick entry from the migrant's page (htmx swaps the visits panel); a plain page without JS."""
    migrant = selectors.migrant_for_page(request.user, pk)
    if refused := _refuse_if_erased(request, migrant):
        return refused
    form = VisitForm(request.POST or None, office=migrant.office)
    if request.method == "POST" and form.is_valid():
        try:
            url, replayed = run_once(
                request,
                lambda: services.visit_record(migrant=migrant, advisor=request.user, **form.cleaned_data)
                and migrant.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if request.htmx:
                return render(request, "migrants/_visits.html", _detail_context(request, migrant))
            if not replayed:
                messages.success(request, _("The visit is logged."))
            return redirect(url)
    if request.htmx:
        return render(request, "migrants/_visits.html", _detail_context(request, migrant, visit_form=form))
    return render(request, "migrants/visit_form.html", {"form": form, "migrant": migrant})


@role_required(*STAFF_ROLES)
@require_POST
def visit_follow_up_done(request, pk):
    visit = selectors.follow_up_owed(request.user, pk)
    services.visit_follow_up_done(visit=visit, done_by=request.user)
    messages.success(request, _("The follow-up is marked as done."))
    return redirect(safe_next_url(request, visit.migrant))


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def walk_in_create(request):
    form = WalkInForm(request.POST or None)
    if request.user.office is None:
        messages.error(request, _("Only the staff of an office can count a walk-in."))
        return redirect("migrants:list")
    if request.method == "POST" and form.is_valid():
        try:
            url, replayed = run_once(
                request,
                lambda: services.walk_in_record(office=request.user.office, advisor=request.user, **form.cleaned_data)
                and reverse("migrants:walk_in_create"),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not replayed:
                messages.success(request, _("The anonymous walk-in is counted."))
            return redirect(url)
    return render(request, "migrants/walk_in.html", {"form": form})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def migrant_merge(request, pk):
    survivor = selectors.migrant_for_page(request.user, pk)
    if refused := _refuse_if_erased(request, survivor):
        return refused
    candidates = selectors.migrant_duplicates(
        office=survivor.office,
        first_name=survivor.first_name,
        last_name=survivor.last_name,
        birth_year=survivor.year_of_birth,
        commune=survivor.commune_of_origin,
        phone=survivor.phone,
        email=survivor.email,
        exclude_pk=survivor.pk,
    )
    queryset = selectors.merge_candidates_queryset(request.user, survivor)
    query = request.GET.get("q", "").strip()
    found = selectors.merge_search(queryset, query, chosen=request.GET.get("duplicate"), exclude=candidates)
    form = MergeForm(
        request.POST or None, queryset=queryset, proposals=candidates, found=found,
        initial={"duplicate": request.GET.get("duplicate")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.migrant_merge(survivor=survivor, duplicate=form.cleaned_data["duplicate"], merged_by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The records are merged."))
            return redirect(survivor)
    return render(request, "migrants/merge.html", {
        "migrant": survivor, "candidates": candidates, "form": form, "query": query, "found": found,
    })


@role_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def migrant_erase(request, pk):
    migrant = selectors.migrant_for_page(request.user, pk)
    if request.method == "POST":
        services.migrant_erase(migrant=migrant, erased_by=request.user)
        messages.success(request, _("The personal data is erased; the visits remain as anonymous counts."))
        return redirect(migrant)
    return render(request, "migrants/erase.html", {"migrant": migrant})


@role_required(Role.ADMIN)
@require_GET
def migrant_data_export(request, pk):
    """An office admin answers a person's request of access: a ZIP of everything every app holds, and the files."""
    migrant = selectors.migrant_for_page(request.user, pk)
    access_record(
        user=request.user, action=AccessAction.EXPORT, target=AccessTarget.PERSON_DATA, migrant_id=migrant.pk
    )
    data = selectors.migrant_subject_access(migrant, staff=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{migrant.file_number}.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for path, stored in person_documents(migrant=migrant):
            try:
                with stored.open("rb") as content:
                    archive.writestr(path, content.read())
            except OSError:
                archive.writestr(f"{path}.missing.txt", _("This file is missing from the storage."))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{migrant.file_number}.zip"'
    return response


@role_required(Role.ADMIN)
@require_GET
def migrant_data_page(request, pk):
    """The same export as the ZIP, as a page that reads and prints well (staff notes included); logged."""
    migrant = selectors.migrant_for_page(request.user, pk)
    access_record(
        user=request.user, action=AccessAction.EXPORT, target=AccessTarget.PERSON_DATA, migrant_id=migrant.pk,
        detail="page",
    )
    return render(request, "migrants/data_page.html", {
        "migrant": migrant, "sections": selectors.migrant_subject_access_page(migrant, staff=True), "staff": True,
        "printed_at": timezone.now(),
    })


@role_required(*STAFF_ROLES)
@require_POST
def link_request_decide(request, pk):
    link_request = get_visible_or_404(LinkRequest, request.user, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    services.link_request_decide(link_request=link_request, decided_by=request.user, confirm=confirm)
    messages.success(request, _("The account is linked to this record.") if confirm else _("The link is refused."))
    return redirect(link_request.migrant)


@role_required(*STAFF_ROLES)
@require_GET
def follow_ups(request):
    visits = selectors.follow_ups_open(request.user, limit=200)
    return render(request, "migrants/follow_ups.html", {"visits": visits, "today": timezone.localdate()})


@role_required(Role.ADMIN)
@require_GET
def access_log(request):
    """Who read which person's data: the office admin their office's, the national admin everybody's."""
    log_filter = AccessLogFilter(request.GET or None, queryset=selectors.access_log_visible_to(request.user), request=request)
    page = Paginator(log_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "migrants/access_log.html",
        {
            "filter": log_filter,
            "page": page,
            "retention_days": settings.ACCESS_LOG_RETENTION_DAYS,
        },
    )


@role_required(Role.ADMIN)
@require_GET
def retention_dry_run(request):
    """What the next nightly run of the retention rule will erase, among the persons the admin may see."""
    due = selectors.retention_due().filter(pk__in=Migrant.objects.visible_to(request.user).values("pk"))
    page = Paginator(due.select_related("office", "commune_of_origin"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "migrants/retention.html",
        {"page": page, "days": settings.RETENTION_NO_CONTACT_DAYS, "cutoff": selectors.retention_cutoff()},
    )
