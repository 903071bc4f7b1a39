"""What the dossiers hold about their promoter (registry: ``migrants.personal_data``).

Export: every dossier with its budget, financing, documents (listed; the files come in the staff
export's ZIP) and funding applications; staff also get the review comments, the comments of the
status changes, the applications' notes and the notes of the result checks. Erasure: the promoter's free text goes (title, summary,
market, team, budget and financing details, comments, notes, the result checks' notes, in the history too), the documents
and their files go (the files after the commit, from the disk or the bucket; a file the storage refuses to
delete is logged and deleted again by ``projects.tasks.documents_delete`` through the outbox); statuses, amounts,
jobs, sector and commune stay for the anonymous reports.
"""
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef

from hom.notifications.personal_data import notifications_forget
from hom.outbox.services import outbox_enqueue
from hom.storage import delete_stored

from .funding.models import FundingApplication
from .models import (
    BudgetLine,
    DossierDocument,
    DossierStatus,
    DossierTransition,
    FinancingLine,
    ProjectDossier,
    ReviewComment,
)
from .results.models import ResultCheck

ERASED_TEXT = "—"
logger = logging.getLogger(__name__)


def _date(value):
    return value.isoformat() if value else None


def export_person(*, migrant, staff: bool) -> dict:
    dossiers = (
        ProjectDossier.objects.filter(promoter=migrant)
        .select_related("sector", "commune")
        .prefetch_related(
            "budget_lines", "financing_lines", "documents__document_type",
            "funding_applications__opportunity", "review_comments", "transitions", "result_checks",
        )
        .order_by("created_at", "pk")
    )
    return {"dossiers": [_dossier(dossier, staff) for dossier in dossiers]}


def _dossier(dossier, staff: bool) -> dict:
    data = {
        "reference": dossier.reference,
        "title": dossier.title,
        "status": dossier.get_status_display(),
        "summary": dossier.summary,
        "sector": str(dossier.sector or ""),
        "commune": str(dossier.commune or ""),
        "market": dossier.market,
        "team": dossier.team,
        "jobs_women": dossier.jobs_women,
        "jobs_men": dossier.jobs_men,
        "expected_start": _date(dossier.expected_start),
        "submitted_at": _date(dossier.submitted_at),
        "budget": [
            {"category": line.get_category_display(), "item": line.label, "quantity": line.quantity,
             "unit_cost": line.unit_cost}
            for line in dossier.budget_lines.all()
        ],
        "financing": [
            {"source": line.get_source_display(), "details": line.label, "amount": line.amount}
            for line in dossier.financing_lines.all()
        ],
        "documents": [
            {"type": str(document.document_type), "version": document.version, "file_name": document.original_name,
             "uploaded_at": _date(document.created_at), "current": document.is_current,
             "zip_path": document_zip_path(document)}
            for document in dossier.documents.all()
        ],
        "applications": [
            {"programme": str(application.opportunity), "status": application.get_status_display(),
             "amount_requested": application.amount_requested, "amount_granted": application.amount_granted,
             "submitted_on": _date(application.submitted_on), "decided_on": _date(application.decided_on),
             **({"notes": application.notes} if staff else {})}
            for application in dossier.funding_applications.all()
        ],
        "result_checks": [
            {"months": check.months, "due_on": _date(check.due_on), "recorded_at": _date(check.recorded_at),
             "state": check.get_state_display(), "jobs_created": check.jobs_created, "jobs_women": check.jobs_women,
             "jobs_youth": check.jobs_youth, "turnover": check.get_turnover_band_display(),
             "amount_disbursed": check.amount_disbursed, "amount_repaid": check.amount_repaid,
             **({"notes": check.notes} if staff else {})}
            for check in dossier.result_checks.all()
        ],
    }
    if staff:
        data["review_comments"] = [
            {"section": comment.get_section_display(), "comment": comment.body, "date": _date(comment.created_at)}
            for comment in dossier.review_comments.all()
        ]
        data["status_changes"] = [
            {"from": transition.get_from_status_display(), "to": transition.get_to_status_display(),
             "comment": transition.comment, "date": _date(transition.created_at)}
            for transition in dossier.transitions.all()
        ]
    return data


def document_zip_path(document) -> str:
    """Where a document lies in the export's ZIP: ``documents/<reference>/<id>-<file name>``."""
    return f"documents/{document.dossier.reference}/{document.pk}-{document.original_name}"


def person_documents(*, migrant) -> list:
    """The person's uploaded documents, for the ZIP of the staff export: (path in the ZIP, file)."""
    documents = DossierDocument.objects.filter(dossier__promoter=migrant).select_related("dossier").order_by("pk")
    return [(document_zip_path(document), document.file) for document in documents]


@transaction.atomic
def erase_person(*, migrant, account) -> None:
    dossiers = ProjectDossier.objects.filter(promoter=migrant)
    dossier_ids = list(dossiers.values_list("pk", flat=True))
    if not dossier_ids:
        return
    blank = {"title": ERASED_TEXT, "summary": "", "market": "", "team": ""}
    dossiers.update(**blank)
    ProjectDossier.history.model.objects.filter(id__in=dossier_ids).update(**blank)
    BudgetLine.objects.filter(dossier_id__in=dossier_ids).update(label=ERASED_TEXT)
    FinancingLine.objects.filter(dossier_id__in=dossier_ids).update(label="")
    ReviewComment.objects.filter(dossier_id__in=dossier_ids).update(body=ERASED_TEXT)
    DossierTransition.objects.filter(dossier_id__in=dossier_ids).update(comment="")
    applications = FundingApplication.objects.filter(dossier_id__in=dossier_ids)
    application_ids = list(applications.values_list("pk", flat=True))
    applications.update(notes="")
    checks = ResultCheck.objects.filter(dossier_id__in=dossier_ids)
    check_ids = list(checks.values_list("pk", flat=True))
    checks.update(notes="")
    ResultCheck.history.model.objects.filter(id__in=check_ids).update(notes="")

    documents = DossierDocument.objects.filter(dossier_id__in=dossier_ids)
    names = [document.file.name for document in documents if document.file]
    documents.delete()
    # Files leave the storage only once the rows are gone for good: a rolled-back erasure keeps them.
    transaction.on_commit(lambda: documents_delete(names))
    notifications_forget(
        key_prefixes=[f"projects.dossier:{pk}" for pk in dossier_ids]
        + [f"projects.application:{pk}" for pk in application_ids]
        + [f"projects.result_check:{pk}" for pk in check_ids]
    )


def documents_delete(names) -> None:
    """Delete the files of erased documents, after the commit. The erasure stands whatever the storage
    answers: a file it refuses to delete (the bucket unreachable, a disk error) is logged and handed,
    through the outbox, to a task that tries again until it is gone."""
    failed = delete_stored(names, storage=DossierDocument._meta.get_field("file").storage)
    if failed:
        try:
            outbox_enqueue(task="projects.tasks.documents_delete", args=[failed])
        except Exception:  # noqa: BLE001 - the database gone too: the names are in the log, for an operator
            logger.exception("Storage: the retry of %s could not be kept", ", ".join(failed))


# A dossier is open until it is closed or withdrawn (a refused one may still be reworked and closed).
FINISHED = (DossierStatus.CLOSED, DossierStatus.WITHDRAWN)


def retention_hold(queryset):
    """The retention rule erases no promoter of an open dossier."""
    open_dossiers = ProjectDossier.objects.filter(promoter=OuterRef("pk")).exclude(status__in=FINISHED)
    return queryset.exclude(Exists(open_dossiers))
