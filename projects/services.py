"""Writes on dossiers. Views, the admin, the demo and tests all come here.

Who may do what is decided here, not in the pages: a migrant edits only their own draft
(or a dossier sent back to them), only the right role makes each workflow move
(``workflows.DOSSIER_MOVES``), and every change recomputes the dossier's readiness.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hom.accounts.models import STAFF_ROLES, Office, Role
from hom.notifications import services as notification_services
from hom.notifications.models import DOSSIER_MOVED, Notification
from hom.notifications.selectors import unread_count
from hom.outbox.services import outbox_enqueue
from hom.uploads import check_upload
from migrants.notices.services import notice_send
from migrants.services import erased_record_refusal

from .models import (
    BudgetLine,
    DocumentType,
    DossierDocument,
    DossierStatus,
    DossierTransition,
    FinancingLine,
    ProjectDossier,
    ReviewComment,
)
from .results.services import result_schedule_create
from .selectors import (
    dossier_edit_refusal,
    dossier_readiness,
    dossier_role_of,
    missing_required_documents,
    plan_is_balanced,
)
from .workflows import (
    NEEDS_BALANCED_PLAN,
    NEEDS_COMMENT,
    NEEDS_REQUIRED_DOCUMENTS,
    SETTLED_STATUSES,
    STAFF,
    dossier_may_move,
)


@transaction.atomic
def document_checklist_load(*, document_type_model, requirement_model, sector_model) -> None:
    """Create the shipped document types and checklist rules; what an admin edited is kept.

    Takes the model classes so that the data migration passes the historical models.
    """
    from .reference import DOCUMENT_TYPES, REQUIREMENTS

    types = {}
    for position, (code, label_fr, label_en, help_fr, help_en) in enumerate(DOCUMENT_TYPES, start=1):
        types[code], _created = document_type_model.objects.get_or_create(
            code=code,
            defaults={"label_fr": label_fr, "label_en": label_en, "help_fr": help_fr, "help_en": help_en, "position": position},
        )
    for code, kind, sector_code, stage in REQUIREMENTS:
        sector = sector_model.objects.filter(code=sector_code).first() if sector_code else None
        requirement_model.objects.get_or_create(document_type=types[code], kind=kind, sector=sector, stage=stage)


# The fields of the guided form. Everything else (status, office, reference...) is the services'.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "summary",
        "sector",
        "commune",
        "kind",
        "stage",
        "market",
        "team",
        "jobs_women",
        "jobs_men",
        "jobs_youth",
        "expected_start",
    }
)


class DossierLocked(PermissionDenied):
    """The dossier may not be changed by this user now (submitted, or not theirs)."""


class TransitionNotAllowed(PermissionDenied):
    """This user may not make this move on this dossier."""


def _ensure_can_edit(dossier: ProjectDossier, actor) -> None:
    if refusal := dossier_edit_refusal(dossier, actor):
        raise DossierLocked(refusal)


def _next_reference(office: Office) -> str:
    # Lock the office row so that two dossiers created at once get different numbers.
    Office.objects.select_for_update().filter(pk=office.pk).first()
    prefix = f"{office.code}-P-{timezone.localdate().year}-"
    last = ProjectDossier.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))["last"]
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def dossier_refresh_readiness(*, dossier: ProjectDossier) -> int:
    """Recompute and store the readiness score (lists filter and sort on it)."""
    score = dossier_readiness(dossier).score
    ProjectDossier.objects.filter(pk=dossier.pk).update(readiness=score, updated_at=timezone.now())
    dossier.readiness = score
    return score


def dossiers_refresh_readiness() -> int:
    """Recompute the readiness of every open dossier, after the checklist changed. Returns how many."""
    count = 0
    for dossier in ProjectDossier.objects.exclude(status__in=SETTLED_STATUSES).select_related("promoter").iterator():
        dossier_refresh_readiness(dossier=dossier)
        count += 1
    return count


@transaction.atomic
def dossier_create(*, promoter, actor, title: str, **fields) -> ProjectDossier:
    """Open a draft dossier for ``promoter``, in the promoter's office. ``actor`` is them or their office's staff."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if refusal := erased_record_refusal(promoter):
        raise ValidationError(refusal)
    is_promoter = actor.role == Role.MIGRANT and promoter.user_id == actor.pk
    is_office_staff = actor.has_role(*STAFF_ROLES) and (actor.is_superuser or actor.office_id == promoter.office_id)
    if not (is_promoter or is_office_staff):
        raise PermissionDenied(gettext("You cannot open a dossier for this person."))
    dossier = ProjectDossier(
        reference=_next_reference(promoter.office),
        office=promoter.office,
        promoter=promoter,
        advisor=promoter.advisor,
        title=title,
        **fields,
    )
    dossier.full_clean()
    dossier.save()
    dossier_refresh_readiness(dossier=dossier)
    return dossier


@transaction.atomic
def dossier_update(*, dossier: ProjectDossier, actor, **fields) -> ProjectDossier:
    """Save one step of the guided form (a draft is saved at every step)."""
    _ensure_can_edit(dossier, actor)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(dossier, name, value)
    dossier.full_clean()
    dossier.save()
    dossier_refresh_readiness(dossier=dossier)
    return dossier


@transaction.atomic
def budget_line_add(
    *, dossier: ProjectDossier, actor, category: str, label: str, quantity: int, unit_cost: int, has_quote: bool = False
) -> BudgetLine:
    _ensure_can_edit(dossier, actor)
    line = BudgetLine(
        dossier=dossier, category=category, label=label, quantity=quantity, unit_cost=unit_cost, has_quote=has_quote
    )
    line.full_clean(exclude=["amount"])
    line.save()
    dossier_refresh_readiness(dossier=dossier)
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, actor) -> None:
    dossier = line.dossier
    _ensure_can_edit(dossier, actor)
    line.delete()
    dossier_refresh_readiness(dossier=dossier)


@transaction.atomic
def financing_line_add(*, dossier: ProjectDossier, actor, source: str, amount: int, label: str = "") -> FinancingLine:
    _ensure_can_edit(dossier, actor)
    line = FinancingLine(dossier=dossier, source=source, amount=amount, label=label)
    line.full_clean()
    line.save()
    dossier_refresh_readiness(dossier=dossier)
    return line


@transaction.atomic
def financing_line_delete(*, line: FinancingLine, actor) -> None:
    dossier = line.dossier
    _ensure_can_edit(dossier, actor)
    line.delete()
    dossier_refresh_readiness(dossier=dossier)


@transaction.atomic
def document_upload(*, dossier: ProjectDossier, actor, document_type: DocumentType, uploaded_file) -> DossierDocument:
    """Store a new version of a document. The file is checked by its content before anything is written."""
    _ensure_can_edit(dossier, actor)
    checked = check_upload(uploaded_file)
    previous = (
        DossierDocument.objects.select_for_update()
        .filter(dossier=dossier, document_type=document_type)
        .aggregate(last=Max("version"))["last"]
    )
    DossierDocument.objects.filter(dossier=dossier, document_type=document_type, is_current=True).update(
        is_current=False
    )
    original_name = (getattr(uploaded_file, "name", "") or "document")[-200:]
    uploaded_file.name = f"upload.{checked.extension}"
    document = DossierDocument(
        dossier=dossier,
        document_type=document_type,
        version=(previous or 0) + 1,
        is_current=True,
        file=uploaded_file,
        original_name=original_name,
        content_type=checked.content_type,
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    document.save()
    try:
        dossier_refresh_readiness(dossier=dossier)
    except Exception:
        # The row goes with the rolled-back transaction; the file must not stay behind.
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def review_comment_add(*, dossier: ProjectDossier, author, section: str, body: str) -> ReviewComment:
    if dossier_role_of(dossier, author) not in STAFF:
        raise PermissionDenied(gettext("Only the office's advisors comment on a dossier."))
    comment = ReviewComment(dossier=dossier, author=author, section=section, body=body.strip())
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def dossier_assign_advisor(*, dossier: ProjectDossier, actor, advisor) -> ProjectDossier:
    """Hand the dossier to another advisor (or admin) of its office."""
    if dossier_role_of(dossier, actor) not in STAFF:
        raise PermissionDenied(gettext("Only the office's staff reassign a dossier."))
    if advisor.office_id != dossier.office_id or advisor.role not in STAFF_ROLES or not advisor.is_active:
        raise ValidationError(_("Choose an advisor of the dossier's office."))
    dossier.advisor = advisor
    dossier.full_clean()
    dossier.save()
    return dossier


@transaction.atomic
def dossier_transition(
    *, dossier: ProjectDossier, actor, to_status: str, comment: str = "", notify: bool = True
) -> DossierTransition:
    """Move the dossier along the workflow, if ``actor``'s role allows this move from its status.

    ``notify=False`` is for the demo data only: nobody is told of moves that never happened.
    """
    dossier = ProjectDossier.objects.select_for_update().get(pk=dossier.pk)
    role = dossier_role_of(dossier, actor)
    if not dossier_may_move(dossier.status, to_status, role):
        raise TransitionNotAllowed(
            gettext("You cannot move this dossier from “%(source)s” to “%(target)s”.")
            % {"source": DossierStatus(dossier.status).label, "target": DossierStatus(to_status).label}
        )
    comment = comment.strip()
    if to_status in NEEDS_COMMENT and not comment:
        raise ValidationError({"comment": _("Say what must be changed: the migrant will read it.")})
    if to_status in NEEDS_BALANCED_PLAN and not plan_is_balanced(dossier):
        raise ValidationError(_("The financing plan must balance the budget first."))
    if to_status in NEEDS_REQUIRED_DOCUMENTS:
        missing = missing_required_documents(dossier)
        if missing:
            raise ValidationError(
                _("Required documents are missing: %(documents)s."),
                code="documents_missing",
                params={"documents": ", ".join(str(document_type) for document_type in missing)},
            )
    now = timezone.now()
    transition = DossierTransition(
        dossier=dossier, from_status=dossier.status, to_status=to_status, actor=actor, comment=comment
    )
    transition.full_clean()
    transition.save()
    dossier.status = to_status
    dossier.status_changed_at = now
    if to_status == DossierStatus.SUBMITTED:
        dossier.submitted_at = now
    if to_status == DossierStatus.IN_REVIEW and dossier.advisor_id is None and actor.role == Role.ADVISOR:
        dossier.advisor = actor
    dossier.full_clean()
    dossier.save()
    if to_status == DossierStatus.FUNDED:
        # The follow-up of its results starts (projects.results): once, whatever funded it first.
        result_schedule_create(dossier=dossier, actor=actor)
    if notify:
        # Saved with the move (hom.outbox): a broker that is down delays the notice, never loses it.
        outbox_enqueue(task="projects.tasks.dossier_notify_promoter", args=[transition.pk])
    return transition


def transition_key(transition_id: int) -> str:
    """The key of a move's notification (``hom.notifications``): one per transition and recipient."""
    return f"projects.transition:{transition_id}"


@transaction.atomic
def notification_send_for_transition(*, transition: DossierTransition) -> Notification | None:
    """Tell the promoter that their dossier moved, on the channels they chose (``migrants.notices``). Safe to run twice.

    Their own moves too: the email after a submission is their receipt. A move to "changes
    requested" says so. Returns the in-app notification (None without an account).
    """
    dossier = transition.dossier
    path = reverse("projects:detail", args=[dossier.pk])

    def text():
        message = gettext("Your dossier %(reference)s “%(title)s” is now: %(status)s.") % {
            "reference": dossier.reference,
            "title": dossier.title,
            "status": DossierStatus(transition.to_status).label,
        }
        if transition.to_status == DossierStatus.CHANGES_REQUESTED:
            message += " " + gettext("Changes are requested: open it to see what to change.")
        return message

    def details():
        return gettext("Comment: %(comment)s") % {"comment": transition.comment} if transition.comment else ""

    made = notice_send(
        migrant=dossier.promoter, kind=DOSSIER_MOVED, key=transition_key(transition.pk), text=text, path=path,
        details=details, subject=lambda: gettext("HOM: your project dossier"),
        link_line=lambda link: gettext("See your dossier: %(path)s") % {"path": link},
    )
    return next((item for item in made if isinstance(item, Notification)), None)


def notifications_mark_read(*, user, dossier: ProjectDossier, transitions=None) -> int:
    """The promoter opened their dossier: what they were told about its moves is read.

    ``transitions``: the dossier's moves when the page has read them. Nothing to write (and no
    query) when the dossier never moved or the person has nothing unread (the bell's count,
    cached and forgotten on every change of their notifications).
    """
    ids = [move.pk for move in transitions] if transitions is not None else list(
        dossier.transitions.values_list("pk", flat=True)
    )
    if not ids or not unread_count(user):
        return 0
    return notification_services.notifications_mark_read_by_keys(
        user=user, object_keys=[transition_key(pk) for pk in ids]
    )
