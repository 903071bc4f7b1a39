"""Writes of conventions: the convention and its status, parties, budget, reporting.

Every function is keyword-only, atomic, and validates (``full_clean``) before saving; the
views, the admin and the demo call them. Rules the database cannot say on its own are
checked here: a contribution's or an obligation's party must be a party of the same
convention, dossiers and introductions linked must be the convention's office's, and a
status moves only along ``partnerships.workflows.CONVENTION_TRANSITIONS``.
"""
import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.uploads import check_upload
from partnerships.conventions.models import (
    PERIODICITY_MONTHS,
    Contribution,
    Convention,
    ConventionBudgetLine,
    ConventionParty,
    ConventionStatus,
    ConventionTransition,
    Periodicity,
    ReportingObligation,
    ReportItem,
    ReportItemStatus,
)
from partnerships.workflows import convention_may_move, report_item_awaits_review, report_item_may_submit

CONVENTION_RELATIONS = ("communes", "dossiers", "introductions")
# A schedule longer than this is a typing error (ten years of monthly reports).
MAX_REPORT_ITEMS = 120


def _check_same_office(convention: Convention, dossiers, introductions) -> None:
    errors = {}
    if dossiers is not None and any(dossier.office_id != convention.office_id for dossier in dossiers):
        errors["dossiers"] = _("Only dossiers of the convention's office can be linked.")
    if introductions is not None and any(
        introduction.office_id != convention.office_id for introduction in introductions
    ):
        errors["introductions"] = _("Only introductions of the convention's office can be linked.")
    if errors:
        raise ValidationError(errors)


def _save_convention(convention: Convention, relations: dict) -> Convention:
    _check_same_office(convention, relations.get("dossiers"), relations.get("introductions"))
    convention.full_clean()
    convention.save()
    for name, values in relations.items():
        if values is not None:
            getattr(convention, name).set(values)
    return convention


@transaction.atomic
def convention_create(*, office, created_by, title: str, objectives: str, starts_on: date | None = None,
                      ends_on: date | None = None, advisor=None, communes=None, dossiers=None,
                      introductions=None) -> Convention:
    """A new convention, in draft: parties, budget and reports are added afterwards."""
    convention = Convention(
        office=office, created_by=created_by, title=title, objectives=objectives, starts_on=starts_on,
        ends_on=ends_on, advisor=advisor, status=ConventionStatus.DRAFT,
    )
    return _save_convention(convention, {"communes": communes, "dossiers": dossiers, "introductions": introductions})


@transaction.atomic
def convention_update(*, convention: Convention, communes=None, dossiers=None, introductions=None,
                      **fields) -> Convention:
    """Change a convention's text, dates and links (never its status: see ``convention_move``)."""
    allowed = {"title", "objectives", "starts_on", "ends_on", "advisor"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"convention_update() cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(convention, name, value)
    return _save_convention(convention, {"communes": communes, "dossiers": dossiers, "introductions": introductions})


@transaction.atomic
def convention_move(*, convention: Convention, to_status: str, actor, comment: str = "") -> Convention:
    """Move the status along an allowed transition and keep the move (who, when, why)."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if not convention_may_move(convention.status, to_status):
        allowed = ", ".join(str(ConventionStatus(status).label) for status in convention.allowed_moves())
        raise ValidationError(
            _("A convention cannot go from “%(old)s” to “%(new)s”. Allowed: %(allowed)s.") % {
                "old": convention.get_status_display(),
                "new": ConventionStatus(to_status).label if to_status in ConventionStatus.values else to_status,
                "allowed": allowed or _("none, the convention is closed"),
            },
            code="forbidden_move",
        )
    transition = ConventionTransition(
        convention=convention, from_status=convention.status, to_status=to_status, actor=actor, comment=comment
    )
    transition.full_clean()
    transition.save()
    convention.status = to_status
    convention.status_changed_on = timezone.localdate()
    convention._history_user = actor
    convention.full_clean()
    convention.save()
    return convention


@transaction.atomic
def convention_attach_document(*, convention: Convention, uploaded) -> Convention:
    """Keep the signed convention (PDF, image or Office file, checked by its content)."""
    try:
        checked = check_upload(uploaded)
    except ValidationError as error:
        raise ValidationError({"signed_document": error.messages}) from None
    convention.signed_document.save(f"document.{checked.extension}", uploaded, save=False)
    convention.signed_document_name = uploaded.name[:200]
    convention.signed_document_type = checked.content_type
    convention.full_clean()
    convention.save()
    return convention


# --- Parties ---------------------------------------------------------------------------


@transaction.atomic
def party_add(*, convention: Convention, organisation, role: str, responsibilities: str, signatory_name: str = "",
              signatory_title: str = "", signed_on: date | None = None, position: int | None = None) -> ConventionParty:
    if position is None:
        position = convention.parties.count() + 1
    party = ConventionParty(
        convention=convention, organisation=organisation, role=role, responsibilities=responsibilities,
        signatory_name=signatory_name, signatory_title=signatory_title, signed_on=signed_on, position=position,
    )
    party.full_clean()
    party.save()
    return party


@transaction.atomic
def party_update(*, party: ConventionParty, **fields) -> ConventionParty:
    allowed = {"organisation", "role", "responsibilities", "signatory_name", "signatory_title", "signed_on", "position"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"party_update() cannot change {sorted(unknown)}")
    if fields.get("position", 0) is None:  # left empty in the form: keep the party's place
        del fields["position"]
    for name, value in fields.items():
        setattr(party, name, value)
    party.full_clean()
    party.save()
    return party


@transaction.atomic
def party_remove(*, party: ConventionParty) -> None:
    """Remove a party that committed nothing yet: its contributions and reports would go with it."""
    if party.contributions.exists() or party.reporting_obligations.exists():
        raise ValidationError(
            _("This party has contributions or reports: remove them first."), code="party_has_commitments"
        )
    party.delete()


# --- Budget ----------------------------------------------------------------------------


@transaction.atomic
def budget_line_add(*, convention: Convention, activity: str, amount: int, position: int | None = None
                    ) -> ConventionBudgetLine:
    if position is None:
        position = convention.budget_lines.count() + 1
    line = ConventionBudgetLine(convention=convention, activity=activity, amount=amount, position=position)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_line_update(*, line: ConventionBudgetLine, activity: str, amount: int) -> ConventionBudgetLine:
    line.activity, line.amount = activity, amount
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_line_remove(*, line: ConventionBudgetLine) -> None:
    if line.contributions.exists():
        raise ValidationError(_("This line has contributions: remove them first."), code="line_has_contributions")
    line.delete()


@transaction.atomic
def contribution_add(*, budget_line: ConventionBudgetLine, party: ConventionParty, kind: str, committed: int
                     ) -> Contribution:
    """What a party commits to a line, in cash or in kind; the party must be one of this convention's."""
    if party.convention_id != budget_line.convention_id:
        raise ValidationError({"party": _("This organisation is not a party to this convention.")})
    contribution = Contribution(budget_line=budget_line, party=party, kind=kind, committed=committed)
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def contribution_remove(*, contribution: Contribution) -> None:
    if contribution.paid:
        raise ValidationError(_("A payment is recorded on this contribution: it cannot be removed."), code="paid")
    contribution.delete()


@transaction.atomic
def contribution_record_payment(*, contribution: Contribution, paid: int, recorded_on: date | None = None
                                ) -> Contribution:
    """Record how much of the commitment is paid (or delivered, in kind) so far: the running total."""
    if paid > contribution.committed:
        raise ValidationError({"paid": _("The paid amount cannot be more than the committed amount.")})
    contribution.paid = paid
    contribution.paid_recorded_on = recorded_on or timezone.localdate()
    contribution.full_clean()
    contribution.save()
    return contribution


# --- Reporting -------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    """``day`` plus ``months``, on the same day of the month or the month's last (31/03 → 30/06)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    is_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, last_day if is_month_end else min(day.day, last_day))


def due_dates(*, periodicity: str, first_due_on: date, last_due_on: date | None) -> list[date]:
    """Every due date of a schedule, from the first to the last included."""
    step = PERIODICITY_MONTHS[Periodicity(periodicity)]
    if step == 0 or last_due_on is None:
        return [first_due_on]
    dates, index = [], 0
    while True:
        due_on = _add_months(first_due_on, step * index)
        if due_on > last_due_on:
            return dates
        dates.append(due_on)
        index += 1
        if len(dates) > MAX_REPORT_ITEMS:
            raise ValidationError(
                {"last_due_on": _("This schedule makes more than %(count)s reports: check the dates.") % {
                    "count": MAX_REPORT_ITEMS}}
            )


def report_items_unfold(*, obligation: ReportingObligation) -> int:
    """Create the missing ReportItem rows of ``obligation``; running it again adds nothing. Returns how many."""
    wanted = due_dates(
        periodicity=obligation.periodicity, first_due_on=obligation.first_due_on, last_due_on=obligation.last_due_on
    )
    existing = set(obligation.items.values_list("due_on", flat=True))
    created = 0
    for due_on in wanted:
        if due_on in existing:
            continue
        item = ReportItem(obligation=obligation, convention_id=obligation.convention_id,
                          party_id=obligation.party_id, due_on=due_on)
        item.full_clean()
        item.save()
        created += 1
    return created


@transaction.atomic
def obligation_add(*, convention: Convention, party: ConventionParty, title: str, periodicity: str,
                   first_due_on: date, last_due_on: date | None = None) -> ReportingObligation:
    """A report a party owes; the last due date defaults to the convention's end. Unfolds the due reports."""
    if party.convention_id != convention.pk:
        raise ValidationError({"party": _("This organisation is not a party to this convention.")})
    if periodicity == Periodicity.ONCE:
        last_due_on = None
    elif last_due_on is None:
        last_due_on = convention.ends_on
    obligation = ReportingObligation(
        convention=convention, party=party, title=title, periodicity=periodicity, first_due_on=first_due_on,
        last_due_on=last_due_on,
    )
    obligation.full_clean()
    obligation.save()
    report_items_unfold(obligation=obligation)
    return obligation


@transaction.atomic
def report_submit(*, item: ReportItem, uploaded, actor) -> ReportItem:
    """The owing party sends its report: the file is checked and kept, the report is submitted."""
    item = ReportItem.objects.select_for_update().get(pk=item.pk)
    if not report_item_may_submit(item.status):
        raise ValidationError(_("This report is already approved."), code="already_accepted")
    try:
        checked = check_upload(uploaded)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    item.file.save(f"report.{checked.extension}", uploaded, save=False)
    item.original_name = uploaded.name[:200]
    item.content_type = checked.content_type
    item.size = uploaded.size
    item.status = ReportItemStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.submitted_by = actor
    item._history_user = actor
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def report_accept(*, item: ReportItem, actor) -> ReportItem:
    item = ReportItem.objects.select_for_update().get(pk=item.pk)
    if not report_item_awaits_review(item.status):
        raise ValidationError(_("Only a submitted report can be approved."), code="not_submitted")
    item.status = ReportItemStatus.ACCEPTED
    item.accepted_at = timezone.now()
    item.accepted_by = actor
    item._history_user = actor
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def report_send_back(*, item: ReportItem, actor, comment: str) -> ReportItem:
    """Return a submitted report to its party, saying what to fix: it is due again."""
    item = ReportItem.objects.select_for_update().get(pk=item.pk)
    if not report_item_awaits_review(item.status):
        raise ValidationError(_("Only a submitted report can be sent back."), code="not_submitted")
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the party must change.")})
    item.status = ReportItemStatus.DUE
    item.comment = comment
    item.accepted_at, item.accepted_by = None, None
    item._history_user = actor
    item.full_clean()
    item.save()
    return item
