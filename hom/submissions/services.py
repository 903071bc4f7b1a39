"""Run a create once per form key (see ``models``)."""
import re
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import FormSubmission

FIELD_NAME = "submission_key"
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Keys older than this are forgotten by ``submissions_purge``: nobody double-clicks a day later.
KEEP_FOR = timedelta(days=2)


def submitted_key(request) -> str | None:
    """The form's key, if the POST carries a well-formed one and a user is signed in."""
    key = request.POST.get(FIELD_NAME, "") if request.method == "POST" else ""
    if not request.user.is_authenticated or not _KEY.match(key):
        return None
    return key


def run_once(request, create: Callable[[], str]) -> tuple[str, bool]:
    """Call ``create`` (which writes and returns the URL of its result) once per form key.

    Returns ``(url, replayed)``: ``replayed`` is True when this key already succeeded, in
    which case nothing is created and ``url`` is the first result's. A form without a key
    (an API client, an old page) simply creates. When ``create`` raises, nothing is kept,
    so the same form corrected and sent again is accepted.
    """
    key = submitted_key(request)
    if key is None:
        return create(), False
    with transaction.atomic():
        try:
            with transaction.atomic():
                # A twin POST in flight holds this key: on PostgreSQL the insert waits for it.
                submission = FormSubmission.objects.create(user=request.user, key=key)
        except IntegrityError:
            first = FormSubmission.objects.filter(user=request.user, key=key).first()
            return (first.result_url if first else ""), True
        url = create()
        submission.result_url = url[:500]
        submission.save(update_fields=["result_url"])
        return url, False


def submissions_purge(*, now=None) -> int:
    """Forget the keys older than ``KEEP_FOR``. Returns how many."""
    deleted, _by_model = FormSubmission.objects.filter(created_at__lt=(now or timezone.now()) - KEEP_FOR).delete()
    return deleted
