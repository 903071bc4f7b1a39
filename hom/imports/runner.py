"""The row-by-row check and the all-or-nothing run of a spreadsheet import.

A domain app gives ``checked_rows(spreadsheet_import)``, which yields
``(spreadsheet row number, cleaned values, error messages)`` for every row, and either
``create(cleaned)``, its service that writes one record, or ``create_batch(rows)``, its
service that writes all the rows at once (``[(row number, cleaned values), ...]``, after every
row has been checked: a few statements whatever the number of rows, see ``hom.imports.bulk``).
Progress, when asked for, goes to the cache: the run's rows are invisible to the progress page
until its transaction commits.
"""
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hom.outbox.services import outbox_enqueue

from .status import ImportStatus

PROGRESS_EVERY = 25
# A batch run checks thousands of rows a second: its progress is told less often.
PROGRESS_EVERY_BATCH = 500
PROGRESS_TIMEOUT = 3600

CheckedRows = Callable[[object], Iterable[tuple[int, dict, list[str]]]]


@transaction.atomic
def import_check(*, spreadsheet_import, mapping: dict[str, str], required: set[str], missing_message: str,
                 checked_rows: CheckedRows):
    """Store the mapping and the row-by-row errors; the import is READY only without any error."""
    spreadsheet_import.mapping = {target: header for target, header in mapping.items() if header}
    if not required <= set(spreadsheet_import.mapping):
        errors = [{"row": 1, "messages": [missing_message]}]
    else:
        errors = [
            {"row": number, "messages": messages}
            for number, _cleaned, messages in checked_rows(spreadsheet_import)
            if messages
        ]
    spreadsheet_import.errors = errors
    spreadsheet_import.status = ImportStatus.INVALID if errors else ImportStatus.READY
    spreadsheet_import.full_clean()
    spreadsheet_import.save()
    return spreadsheet_import


def progress_key(spreadsheet_import) -> str:
    return f"{spreadsheet_import._meta.label_lower}:{spreadsheet_import.pk}:progress"


def import_progress(spreadsheet_import) -> int:
    """Percent done, from the cache while the import's transaction is open."""
    if spreadsheet_import.status == ImportStatus.DONE:
        return 100
    done = cache.get(progress_key(spreadsheet_import), 0)
    return int(100 * done / max(1, spreadsheet_import.row_count))


@transaction.atomic
def import_queue(*, spreadsheet_import, task: str | None = None) -> bool:
    """Mark a READY import as QUEUED; False when it is not ready (already queued, run or invalid).

    With ``task`` (the dotted name of a Celery task taking the import's id), the run is queued
    through the outbox in the same transaction as the QUEUED state: a broker that is down
    delays the import, never loses it."""
    queued = bool(
        type(spreadsheet_import).objects.filter(pk=spreadsheet_import.pk, status=ImportStatus.READY).update(
            status=ImportStatus.QUEUED, updated_at=timezone.now()
        )
    )
    if queued and task:
        outbox_enqueue(task=task, args=[spreadsheet_import.pk])
    return queued


def row_error(number: int, messages: list[str]) -> ValidationError:
    """The error that fails an import at one row (a batch writer raises it too)."""
    return ValidationError(_("Row %(row)s: %(errors)s") % {"row": number, "errors": " ".join(messages)})


def import_run(*, spreadsheet_import, claim_from: str, checked_rows: CheckedRows,
               create: Callable[[dict], object] | None = None,
               create_batch: Callable[[list[tuple[int, dict]]], object] | None = None,
               report_progress: bool = False):
    """Create every row, all or nothing. Only an import in ``claim_from`` is claimed, so a
    second call (a double click, a redelivered task) imports nothing more.

    The claim (``claim_from`` → RUNNING) is made in the SAME transaction as the rows: a worker
    killed mid-run (or a database connection lost) rolls the claim back with the rows, and the
    import is in ``claim_from`` again for the next delivery or for ``import_requeue_stale``.
    With ``create_batch`` the rows are all checked first, then written by one call; a
    ``ValidationError`` it raises fails the import like a row's (its messages name the row).
    While a run's transaction is open, a second run waits on the import's row lock (PostgreSQL;
    SQLite's write lock) and then finds it no longer claimable: nothing is imported twice.
    """
    if (create is None) == (create_batch is None):
        raise TypeError("import_run needs either create or create_batch")
    model = type(spreadsheet_import)
    key = progress_key(spreadsheet_import)
    # In a batch run, checking the rows is the first half of the work, writing them the second.
    share, every = (2, PROGRESS_EVERY_BATCH) if create_batch else (1, PROGRESS_EVERY)
    try:
        with transaction.atomic():
            claimed = model.objects.filter(pk=spreadsheet_import.pk, status=claim_from).update(
                status=ImportStatus.RUNNING, updated_at=timezone.now()
            )
            if not claimed:
                spreadsheet_import.refresh_from_db()
                return spreadsheet_import
            if report_progress:
                cache.set(key, 0, timeout=PROGRESS_TIMEOUT)
            count = 0
            batch = []
            for number, cleaned, errors in checked_rows(spreadsheet_import):
                if errors:
                    raise row_error(number, errors)
                if create_batch:
                    batch.append((number, cleaned))
                else:
                    try:
                        create(cleaned)
                    except ValidationError as error:
                        raise row_error(number, error.messages) from error
                count += 1
                if report_progress and count % every == 0:
                    cache.set(key, count // share, timeout=PROGRESS_TIMEOUT)
            if create_batch and batch:
                create_batch(batch)
            model.objects.filter(pk=spreadsheet_import.pk).update(
                status=ImportStatus.DONE, imported_count=count, updated_at=timezone.now()
            )
    except ValidationError as error:
        # The rows and the claim are rolled back; FAILED only if no other run took the import since.
        model.objects.filter(pk=spreadsheet_import.pk, status=claim_from).update(
            status=ImportStatus.FAILED, errors=[{"row": 0, "messages": error.messages}], updated_at=timezone.now()
        )
    spreadsheet_import.refresh_from_db()
    if report_progress:
        cache.set(key, spreadsheet_import.imported_count, timeout=PROGRESS_TIMEOUT)
    return spreadsheet_import


def import_requeue_stale(*, model, task: str, older_than) -> int:
    """Publish again (through the outbox) the run of every import QUEUED for longer than
    ``older_than`` whose run is not in progress: its message was lost (Redis restarted without
    persistence) or its worker died mid-run (the claim rolled back). Safe to run twice and
    beside a live run: the run's claim decides, and an import whose row a run holds locked is
    skipped (PostgreSQL's ``SKIP LOCKED``). Returns how many were published again."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        stale = list(
            model.objects.select_for_update(skip_locked=True)
            .filter(status=ImportStatus.QUEUED, updated_at__lt=cutoff)
            .values_list("pk", flat=True)
        )
        for pk in stale:
            outbox_enqueue(task=task, args=[pk])
        model.objects.filter(pk__in=stale).update(updated_at=timezone.now())
    return len(stale)
