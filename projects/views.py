"""Dossier pages: the migrant's guided form, the advisor's review, lists, queue, print, downloads.

Thin: each view checks the role, finds the dossier through ``visible_to`` (404 when out
of scope), calls a service and renders. Refusals of the services become messages.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hom.accounts.access import role_required
from hom.accounts.models import STAFF_ROLES, Role
from hom.forms import add_service_error
from hom.submissions.services import run_once
from migrants.access_log import access_record
from migrants.models import AccessAction, AccessTarget
from projects import services, workflows
from projects.caches import advisor_choices
from projects.filters import DossierFilter
from projects.forms import (
    STEP_FORMS,
    AssignForm,
    BudgetLineForm,
    DocumentUploadForm,
    FinancingLineForm,
    IdeaForm,
    ReviewCommentForm,
    TransitionForm,
)
from projects.funding.forms import ApplicationMoveForm
from projects.funding.selectors import (
    application_move_choices,
    applications_of_dossier,
    dossier_best_matches,
    dossier_facts,
    dossier_facts_of,
    funding_matches,
)
from projects.models import DossierSection, DossierStatus
from projects.results.selectors import is_funded, result_checks_of
from projects.selectors import (
    advisors_of_office,
    annotated_totals,
    budget_line_get,
    budget_lines,
    changes_request,
    document_get,
    documents_checklist,
    dossier_can_edit,
    dossier_edit_refusal,
    dossier_get,
    dossier_list,
    dossier_readiness,
    dossier_reload,
    dossier_role_of,
    dossier_summary,
    dossier_totals,
    financing_line_get,
    financing_lines,
    has_promoter_profile,
    promoter_of,
    review_queue,
    section_comments,
    transition_choices,
)

DOSSIER_ROLES = (Role.MIGRANT, Role.ADVISOR, Role.ADMIN)
STEPS = [section.value for section in DossierSection]
PAGE_SIZE = 25


def _step_context(dossier):
    readiness = dossier_readiness(dossier)
    return {
        "dossier": dossier,
        "steps": [(value, DossierSection(value).label) for value in STEPS],
        "readiness": readiness,
    }


def _next_step_url(dossier, step):
    position = STEPS.index(step)
    if position + 1 < len(STEPS):
        return reverse("projects:step", args=[dossier.pk, STEPS[position + 1]])
    return dossier.get_absolute_url()


@require_GET
@role_required(*DOSSIER_ROLES)
def dossier_list_view(request):
    dossiers = dossier_list(user=request.user)
    if request.user.role == Role.MIGRANT:
        has_profile = has_promoter_profile(request.user)
        return render(request, "projects/my_dossiers.html", {"dossiers": dossiers, "has_profile": has_profile})
    dossier_filter = DossierFilter(request.GET, queryset=dossiers, request=request)
    page = Paginator(dossier_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/list.html", {"filter": dossier_filter, "page": page})


@require_GET
@role_required(*STAFF_ROLES)
def review_queue_view(request):
    page = Paginator(review_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/queue.html", {"page": page})


@role_required(Role.MIGRANT)
def dossier_create_view(request):
    promoter = promoter_of(request.user)
    if promoter is None:
        return render(request, "projects/no_profile.html")
    form = IdeaForm(request.POST or None, office=promoter.office)
    if request.method == "POST" and form.is_valid():
        try:
            url, replayed = run_once(
                request,
                lambda: reverse(
                    "projects:step",
                    args=[services.dossier_create(promoter=promoter, actor=request.user, **form.cleaned_data).pk, "market"],
                ),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not replayed:
                messages.success(request, _("Your draft is saved. Continue with the next step."))
            return redirect(url)
    return render(
        request,
        "projects/step.html",
        {"form": form, "step": "idea", "steps": [(value, DossierSection(value).label) for value in STEPS]},
    )


@role_required(*DOSSIER_ROLES)
def dossier_step_view(request, pk, step):
    if step not in STEPS:
        raise Http404
    dossier = dossier_get(user=request.user, pk=pk)
    if refusal := dossier_edit_refusal(dossier, request.user):
        messages.info(request, refusal)
        return redirect(dossier)
    context = _step_context(dossier) | {
        "step": step,
        "section_comments": section_comments(dossier, step),
    }
    form_class = STEP_FORMS.get(step)
    if form_class is not None:
        kwargs = {"office": dossier.office} if step == "idea" else {}
        form = form_class(request.POST or None, instance=dossier, **kwargs)
        if request.method == "POST" and form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form_class._meta.fields}
            # The form's instance was changed by is_valid(): the service works on a fresh copy.
            fresh = dossier_reload(dossier)
            try:
                services.dossier_update(dossier=fresh, actor=request.user, **fields)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect(_next_step_url(dossier, step))
        context["form"] = form
    elif step == "budget":
        context |= _budget_context(dossier)
    else:
        context |= _documents_context(dossier)
    return render(request, "projects/step.html", context)


def _budget_context(dossier, *, budget_form=None, financing_form=None):
    totals = dossier_totals(dossier)
    return {
        "dossier": dossier,
        "budget_lines": budget_lines(dossier),
        "financing_lines": financing_lines(dossier),
        "totals": totals | {"remaining": totals["budget_total"] - totals["financing_total"]},
        "budget_form": budget_form or BudgetLineForm(prefix="budget"),
        "financing_form": financing_form or FinancingLineForm(prefix="financing"),
        "can_edit": True,
    }


def _documents_context(dossier, *, upload_form=None):
    return documents_checklist(dossier) | {"upload_form": upload_form or DocumentUploadForm()}


def _editable_dossier(request, pk):
    dossier = dossier_get(user=request.user, pk=pk)
    if refusal := dossier_edit_refusal(dossier, request.user):
        messages.error(request, refusal)
        return dossier, False
    return dossier, True


def _budget_response(request, dossier, **forms):
    if request.htmx:
        dossier = dossier_get(user=request.user, pk=dossier.pk)
        context = _budget_context(dossier, **forms) | {"readiness": dossier_readiness(dossier), "oob_readiness": True}
        return render(request, "projects/_budget.html", context)
    if any(form is not None and form.errors for form in forms.values()):
        context = _step_context(dossier) | {"step": "budget"} | _budget_context(dossier, **forms)
        return render(request, "projects/step.html", context)
    return redirect("projects:step", dossier.pk, "budget")


@require_POST
@role_required(*DOSSIER_ROLES)
def budget_line_add_view(request, pk):
    dossier, editable = _editable_dossier(request, pk)
    if not editable:
        return redirect(dossier)
    form = BudgetLineForm(request.POST, prefix="budget")
    if form.is_valid():
        try:
            run_once(
                request,
                lambda: services.budget_line_add(dossier=dossier, actor=request.user, **form.cleaned_data)
                and reverse("projects:step", args=[dossier.pk, "budget"]),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            form = None
    return _budget_response(request, dossier, budget_form=form)


@require_POST
@role_required(*DOSSIER_ROLES)
def budget_line_delete_view(request, pk, line_pk):
    dossier, editable = _editable_dossier(request, pk)
    if not editable:
        return redirect(dossier)
    services.budget_line_delete(line=budget_line_get(dossier, line_pk), actor=request.user)
    return _budget_response(request, dossier)


@require_POST
@role_required(*DOSSIER_ROLES)
def financing_line_add_view(request, pk):
    dossier, editable = _editable_dossier(request, pk)
    if not editable:
        return redirect(dossier)
    form = FinancingLineForm(request.POST, prefix="financing")
    if form.is_valid():
        try:
            run_once(
                request,
                lambda: services.financing_line_add(dossier=dossier, actor=request.user, **form.cleaned_data)
                and reverse("projects:step", args=[dossier.pk, "budget"]),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            form = None
    return _budget_response(request, dossier, financing_form=form)


@require_POST
@role_required(*DOSSIER_ROLES)
def financing_line_delete_view(request, pk, line_pk):
    dossier, editable = _editable_dossier(request, pk)
    if not editable:
        return redirect(dossier)
    services.financing_line_delete(line=financing_line_get(dossier, line_pk), actor=request.user)
    return _budget_response(request, dossier)


@require_POST
@role_required(*DOSSIER_ROLES)
def document_upload_view(request, pk):
    dossier, editable = _editable_dossier(request, pk)
    if not editable:
        return redirect(dossier)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            url, replayed = run_once(
                request,
                lambda: services.document_upload(
                    dossier=dossier,
                    actor=request.user,
                    document_type=form.cleaned_data["document_type"],
                    uploaded_file=form.cleaned_data["file"],
                )
                and reverse("projects:step", args=[dossier.pk, "documents"]),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not replayed:
                messages.success(request, _("Document received."))
            return redirect(url)
    context = _step_context(dossier) | {"step": "documents"} | _documents_context(dossier, upload_form=form)
    return render(request, "projects/step.html", context)


@require_GET
@role_required(*DOSSIER_ROLES)
def document_download_view(request, pk):
    document = document_get(user=request.user, pk=pk)
    extension = document.file.name.rsplit(".", 1)[-1]
    filename = f"{document.dossier.reference}-{document.document_type.code}-v{document.version}.{extension}"
    access_record(
        user=request.user, action=AccessAction.DOWNLOAD, target=AccessTarget.DOCUMENT,
        migrant_id=document.dossier.promoter_id, object_id=document.pk,
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=document.content_type)


def _log_dossier_read(request, dossier):
    access_record(
        user=request.user, action=AccessAction.VIEW, target=AccessTarget.DOSSIER,
        migrant_id=dossier.promoter_id, object_id=dossier.pk,
    )


@require_GET
@role_required(*DOSSIER_ROLES)
def dossier_detail_view(request, pk):
    """At most ten queries whatever the dossier holds (docs/architecture.md, "Query budget"): the
    dossier is read once with its totals and relations, the role worked out once, documents and
    moves read once and reused (readiness, funding facts, request for changes, marking read)."""
    user = request.user
    dossier = dossier_get(user=user, pk=pk)
    _log_dossier_read(request, dossier)
    role = dossier_role_of(dossier, user, visible=True)
    summary = dossier_summary(dossier)
    if role == workflows.MIGRANT:
        services.notifications_mark_read(user=user, dossier=dossier, transitions=summary["transitions"])
    current = [document for document in summary["documents"] if document.is_current]
    choices = transition_choices(dossier, user, role=role)
    is_staff_view = role in workflows.STAFF
    context = {
        "dossier": dossier,
        "readiness": dossier_readiness(dossier, totals=annotated_totals(dossier), current=current),
        "can_edit": dossier_can_edit(dossier, user, role=role),
        "is_staff_view": is_staff_view,
        "transition_form": TransitionForm(choices=choices) if choices else None,
        "comment_form": ReviewCommentForm(),
        "changes_request": changes_request(dossier, summary["transitions"]),
        "assign_form": AssignForm(
            advisor_choices=advisor_choices(dossier.office_id), initial={"advisor": dossier.advisor_id}
        ) if is_staff_view else None,
    } | summary | _applications_context(dossier, role)
    context |= _results_context(dossier, role, [application for application, _form in context["applications"]])
    if not context["results_shown"]:
        # A funded dossier shows its results instead (within the same ten queries): the whole
        # catalogue stays one link away.
        facts = dossier_facts_of(dossier, document_codes={document.document_type.code for document in current})
        context["matches"], context["programmes_total"] = dossier_best_matches(facts)
    return render(request, "projects/detail.html", context)


@require_GET
@role_required(*DOSSIER_ROLES)
def dossier_funding_view(request, pk):
    """Every programme of the catalogue checked against the dossier (its page shows the best few)."""
    dossier = dossier_get(user=request.user, pk=pk)
    _log_dossier_read(request, dossier)
    role = dossier_role_of(dossier, request.user)
    context = {"dossier": dossier, "matches": funding_matches(dossier_facts(dossier))}
    context |= _applications_context(dossier, role)
    return render(request, "projects/funding/dossier_matches.html", context)


def _results_context(dossier, role, applications):
    """The follow-up checks of a funded dossier (one query; none for a dossier that is not funded)."""
    if not is_funded(dossier, applications):
        return {"results_shown": False}
    return {
        "results_shown": True,
        "checks": list(result_checks_of(dossier)),
        "can_record": role in workflows.STAFF and not dossier.promoter.is_erased,
        "today": timezone.localdate(),
    }


def _applications_context(dossier, role):
    """The dossier's applications, each with the form of the moves this user may record."""
    applications = list(applications_of_dossier(dossier))
    rows = []
    for application in applications:
        choices = application_move_choices(application, role)
        form = ApplicationMoveForm(choices=choices, auto_id=f"id_application_{application.pk}_%s") if choices else None
        rows.append((application, form))
    return {
        "applications": rows,
        "shortlisted_ids": {application.opportunity_id for application in applications},
        "shortlist_url": reverse("projects:application_create", args=[dossier.pk]) if role else "",
    }


@require_GET
@role_required(*DOSSIER_ROLES)
def dossier_print_view(request, pk):
    dossier = dossier_get(user=request.user, pk=pk)
    _log_dossier_read(request, dossier)
    context = {"dossier": dossier, "readiness": dossier_readiness(dossier)} | dossier_summary(dossier)
    return render(request, "projects/print.html", context)


@require_POST
@role_required(*DOSSIER_ROLES)
def dossier_transition_view(request, pk):
    dossier = dossier_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST, choices=DossierStatus.choices)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect(dossier)
    try:
        services.dossier_transition(
            dossier=dossier,
            actor=request.user,
            to_status=form.cleaned_data["to_status"],
            comment=form.cleaned_data["comment"],
        )
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("The dossier is now: %(status)s.") % {"status": DossierStatus(form.cleaned_data["to_status"]).label})
    return redirect(dossier)


@require_POST
@role_required(*STAFF_ROLES)
def review_comment_add_view(request, pk):
    dossier = dossier_get(user=request.user, pk=pk)
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        services.review_comment_add(dossier=dossier, author=request.user, **form.cleaned_data)
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment and choose its section."))
    return redirect(f"{dossier.get_absolute_url()}#section-{form.cleaned_data.get('section', '')}")


@require_POST
@role_required(*STAFF_ROLES)
def dossier_assign_view(request, pk):
    dossier = dossier_get(user=request.user, pk=pk)
    form = AssignForm(request.POST, advisors=advisors_of_office(dossier.office_id))
    if form.is_valid():
        services.dossier_assign_advisor(dossier=dossier, actor=request.user, advisor=form.cleaned_data["advisor"])
        messages.success(request, _("The dossier is now followed by %(name)s.") % {"name": form.cleaned_data["advisor"]})
    else:
        messages.error(request, _("Choose an advisor of the office."))
    return redirect(dossier)
