"""What the reports hold about a person (registry: ``migrants.personal_data``): counts only.

The visit summaries (``VisitMonth``, ``VisitNeedMonth``) point at a person to count them once,
and the needs' rows copy the person's record key (``person_key``). Nothing there to export or
to blank; what the registry's merge and erasure change must reach them, though, or a report
read from the summaries would no longer equal the live one (and publish other figures):

- a merge: the registry re-points the duplicate's rows (and visits) to the survivor right after
  this hook; the summaries' rows and the visits' copies of the key (``Visit.person_key``) take
  the survivor's record key at once, in the merge's transaction (the figures are
  right whatever runs next), and after the commit the survivor's months are rebuilt from the
  visits, one row per person and month again;
- an erasure keeps the person's record, key and visits: their months are refreshed after the
  commit all the same, so that the summaries follow whatever the erasure changed on the visits.
"""
from migrants.models import Visit

from .models import VisitMonth, VisitNeedMonth
from .signals import refresh_after_commit


def _months_of(*persons) -> set[tuple]:
    rows = VisitMonth.objects.filter(migrant__in=persons).values_list("month", "office_id").distinct()
    return set(rows)


def merge_persons(*, survivor, duplicate) -> None:
    months = _months_of(survivor, duplicate)
    VisitNeedMonth.objects.filter(migrant=duplicate).update(person_key=survivor.record_key)
    Visit.objects.filter(migrant=duplicate).update(person_key=survivor.record_key)
    refresh_after_commit(*((month, office_id, survivor.pk) for month, office_id in months))


def erase_person(*, migrant, account) -> None:
    refresh_after_commit(*((month, office_id, migrant.pk) for month, office_id in _months_of(migrant)))
