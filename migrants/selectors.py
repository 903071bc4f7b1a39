"""Reads on persons and visits: lists, tolerant search, likely duplicates, the detail page, history.

Search ignores accents and case and forgives a misspelling. On PostgreSQL it uses pg_trgm's
word-similarity operator ``%>`` on the normalised name, which the GIN index of migration 0016
answers together with the office (btree_gin: ``office_id``, the name, the file number, the
phones and the email); the threshold is set on each connection (``search_threshold_set``). On SQLite a
normalised comparison of each word in Python, good enough for a desk's few thousand records.
Lists count up to ``COUNT_CAP`` rows, never the whole office (``CappedPaginator``).
"""
import re
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from hom.accounts.access import get_visible_or_404
from hom.text import normalise, search_name_for

from . import personal_data
from .models import LinkRequest, LinkRequestStatus, Migrant, MigrantImport, PersonAccess, ProcedureSheet, Visit
from .notices import personal_data as notices_personal_data

SEARCH_WORD_SIMILARITY = 0.45
DUPLICATE_NAME_SIMILARITY = 0.5
SQLITE_WORD_RATIO = 0.75
SQLITE_DUPLICATE_RATIO = 0.8


def migrants_visible_to(user) -> QuerySet:
    return Migrant.objects.visible_to(user).select_related("commune_of_origin__department", "advisor", "office")


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_threshold_set(sender, connection, **kwargs):
    """On each new PostgreSQL connection, the threshold of the ``%>`` operator: ``SEARCH_WORD_SIMILARITY``.

    The operator (not the ``word_similarity()`` function, which no index answers) compares with
    ``pg_trgm.word_similarity_threshold``; one statement when the connection opens, none per page.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(SEARCH_WORD_SIMILARITY)]
            )


# A file number is an office code, a year and a sequence (SED-2026-00042): a query of letters,
# digits and hyphens with a digit, no space, may be one (or a part of one); a name has no digit.
FILE_NUMBER_LIKE = re.compile(r"[A-Za-z]*-?[0-9][0-9-]*", re.ASCII)


def _words_match(query: str, name: str) -> bool:
    words = name.split()
    return bool(words) and all(
        any(word.startswith(token) or SequenceMatcher(None, token, word).ratio() >= SQLITE_WORD_RATIO for word in words)
        for token in query.split()
    )


def migrant_search(queryset: QuerySet, query: str) -> QuerySet:
    """Persons whose name resembles ``query``, or whose phone or file number contains it.

    Every condition is one the search index answers (the trigrams of the name, of ``upper()`` of the
    file number and the email, of the phones): a query with an ``@`` is compared with the emails
    only, the file number only for a query that looks like one, the phones only for four digits or
    more, the name only when the query has no digit.
    """
    query = (query or "").strip()
    term = normalise(query)
    if not term:
        return queryset
    if "@" in query:
        # An address: compared with the emails only.
        return queryset.filter(email__icontains=query)
    # A name has no digit: a query with one is a phone or a file number, never compared with names.
    by_name = not any(char.isdigit() for char in term)
    exact = Q(search_name__contains=term) if by_name else Q(pk__in=[])
    if FILE_NUMBER_LIKE.fullmatch(query):
        exact |= Q(file_number__icontains=query)
    digits = re.sub(r"\D", "", query)
    if len(digits) >= 4:
        exact |= Q(phone__contains=digits) | Q(phone_secondary__contains=digits)
    if not by_name:
        return queryset.filter(exact)
    if _is_postgresql():
        # ``search_name %> term``: word_similarity(term, search_name) >= the threshold, through the index.
        # Best matches first; the list's own sort, when chosen, is applied after and wins.
        return (
            queryset.filter(exact | Q(search_name__trigram_word_similar=term))
            .annotate(similarity=TrigramWordSimilarity(Value(term), "search_name"))
            .order_by("-similarity", *Migrant._meta.ordering)
        )
    names = queryset.order_by().values_list("pk", "search_name")
    resembling = [pk for pk, name in names if _words_match(term, name)]
    return queryset.filter(exact | Q(pk__in=resembling))


COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Pages of a list whose count stops at ``cap`` rows (or just past the page asked for).

    Counting an office's 160,000 persons, or every row a search matches, costs more than the page
    itself: ``count`` reads at most ``window`` rows (one more than the cap, or than the last row of
    the page asked for), so "next" is offered exactly when a row follows, and ``capped`` says the
    list holds more than ``floor`` rows (the page then says "more than 1,000"; "more than 1,025" on
    page 41). Below the cap the count is exact.
    """

    def __init__(self, object_list, per_page, *, number=1, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.window = max(self.cap, number * per_page) + 1

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: self.window].count()

    @property
    def capped(self) -> bool:
        return self.count >= self.window

    @property
    def floor(self) -> int:
        """What a capped list is known to exceed: "more than ``floor``"."""
        return self.window - 1


def capped_page(queryset: QuerySet, number, *, per_page: int):
    """The page ``number`` (as typed in the address: anything) of ``queryset``, counted up to the cap."""
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    return CappedPaginator(queryset, per_page, number=min(wanted, 10**6)).get_page(wanted)


def migrant_duplicates(
    *,
    office,
    first_name: str,
    last_name: str,
    birth_year: int | None = None,
    commune=None,
    phone="",
    email: str = "",
    exclude_pk: int | None = None,
    elsewhere: bool = False,
) -> list[Migrant]:
    """Likely duplicates in ``office`` (``elsewhere``: in every other office), each with ``duplicate_reasons``."""
    base = Migrant.objects.filter(erased_at__isnull=True).select_related("commune_of_origin", "office")
    base = base.exclude(office=office) if elsewhere else base.filter(office=office)
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    found: dict[int, Migrant] = {}

    def add(migrant, reason):
        found.setdefault(migrant.pk, migrant)
        reasons = found[migrant.pk].__dict__.setdefault("duplicate_reasons", [])
        if reason not in reasons:
            reasons.append(reason)

    if phone:
        for migrant in base.filter(Q(phone=phone) | Q(phone_secondary=phone)):
            add(migrant, _("same phone"))
    if email:
        for migrant in base.filter(email__iexact=email.strip()):
            add(migrant, _("same email"))
    if birth_year and commune:
        wanted = search_name_for(first_name, last_name)
        swapped = search_name_for(last_name, first_name)
        candidates = base.filter(Q(birth_year=birth_year) | Q(birth_date__year=birth_year), commune_of_origin=commune)
        if _is_postgresql():
            similar = candidates.annotate(
                similarity=TrigramSimilarity("search_name", Value(wanted)),
                similarity_swapped=TrigramSimilarity("search_name", Value(swapped)),
            ).filter(Q(similarity__gte=DUPLICATE_NAME_SIMILARITY) | Q(similarity_swapped__gte=DUPLICATE_NAME_SIMILARITY))
        else:
            similar = [
                migrant
                for migrant in candidates
                if max(
                    SequenceMatcher(None, wanted, migrant.search_name).ratio(),
                    SequenceMatcher(None, swapped, migrant.search_name).ratio(),
                )
                >= SQLITE_DUPLICATE_RATIO
            ]
        for migrant in similar:
            add(migrant, _("similar name, same year of birth and commune"))
    return list(found.values())


MERGE_SEARCH_LIMIT = 20


def merge_candidates_queryset(user, survivor: Migrant) -> QuerySet:
    """The records ``user`` may fold into ``survivor``: the same office's, not erased, not itself."""
    return (
        Migrant.objects.visible_to(user)
        .filter(office=survivor.office_id, erased_at__isnull=True)
        .exclude(pk=survivor.pk)
        .select_related("commune_of_origin")
    )


def merge_search(queryset: QuerySet, query: str, *, chosen=None, exclude=()) -> list[Migrant]:
    """The merge page's search: records resembling ``query`` (and the one chosen from a link), without ``exclude``."""
    found = []
    if query:
        found = list(migrant_search(queryset, query).exclude(pk__in=[migrant.pk for migrant in exclude])[:MERGE_SEARCH_LIMIT])
    shown = {migrant.pk for migrant in [*exclude, *found]}
    if chosen and str(chosen).isdigit() and int(chosen) not in shown:
        found += list(queryset.filter(pk=int(chosen)))
    return found


def _page_queryset() -> QuerySet:
    return Migrant.objects.select_related(
        "commune_of_origin__department", "advisor", "office", "consent_recorded_by", "user",
        "contact_choice__recorded_by",
    ).prefetch_related("sectors_of_interest")


def migrant_for_page(user, pk: int) -> Migrant:
    return get_visible_or_404(_page_queryset(), user, pk=pk)


def _sections_present() -> dict:
    """``has_…`` flags the other apps' sections of the person's page ask for (``migrant_page_exists`` on an
    AppConfig: flag → the label of a model with a ``migrant`` key), as EXISTS subqueries."""
    flags = {}
    for config in django_apps.get_app_configs():
        for flag, label in getattr(config, "migrant_page_exists", {}).items():
            flags[flag] = Exists(django_apps.get_model(label).objects.filter(migrant=OuterRef("pk")))
    return flags


def migrant_for_detail(user, pk: int) -> Migrant:
    """The person's page: the record, whether an account waits to be linked to it (read only then), and
    whether each other app's section has rows (it reads them only then)."""
    pending = LinkRequest.objects.filter(migrant=OuterRef("pk"), status=LinkRequestStatus.PENDING)
    queryset = _page_queryset().annotate(has_pending_link=Exists(pending), **_sections_present())
    return get_visible_or_404(queryset, user, pk=pk)


def migrant_visits(migrant: Migrant) -> QuerySet:
    return migrant.visits.select_related("advisor", "follow_up_advisor", "referral_organisation").prefetch_related(
        "needs", Prefetch("procedures", queryset=ProcedureSheet.objects.only("pk", "title_fr", "title_en"))
    )


def migrant_history(migrant: Migrant, *, limit: int = 30) -> list[dict]:
    """Who changed what, when: each history entry with the fields it changed (old -> new), readable.

    Choices show their label, booleans yes/no, related rows their name (one query per
    related model, however many entries), so the page's query count stays flat.
    """
    return _history_entries(migrant.history, Migrant, limit=limit, excluded_fields=["search_name"])


def _history_entries(history, model, *, limit: int, excluded_fields=()) -> list[dict]:
    """The newest ``limit`` entries of a django-simple-history manager, each with its readable changes."""
    records = list(history.select_related("history_user")[: limit + 1])
    entries, related_ids = [], {}
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=list(excluded_fields))
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append({"field": field, "old": change.old, "new": change.new})
                if field.is_relation:
                    related_ids.setdefault(field.related_model, set()).update({change.old, change.new} - {None})
        entries.append({"record": record, "changes": changes})
    related = {related_model: related_model._base_manager.in_bulk(ids) for related_model, ids in related_ids.items()}
    for entry in entries:
        entry["changes"] = [
            {
                "field": change["field"].verbose_name,
                "old": _readable(change["field"], change["old"], related),
                "new": _readable(change["field"], change["new"], related),
            }
            for change in entry["changes"]
        ]
    return entries


def _readable(field, value, related) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.is_relation:
        return str(related.get(field.related_model, {}).get(value, value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def follow_ups_open(user, *, limit: int = 10) -> QuerySet:
    """Open follow-ups the user should see: their own first, soonest first."""
    visits = Visit.objects.follow_ups_owed_by(user).select_related("migrant", "follow_up_advisor")
    if not user.is_superuser and user.role == "advisor":
        visits = visits.filter(Q(follow_up_advisor=user) | Q(follow_up_advisor__isnull=True))
    return visits.order_by("follow_up_on", "pk")[:limit]


def own_record(user) -> Migrant | None:
    """The registry record linked to a migrant's account (None before an office links one), with its office."""
    return (
        Migrant.objects.visible_to(user).select_related("office", "commune_of_origin", "contact_choice", "user").first()
    )


def follow_up_owed(user, pk: int) -> Visit:
    """A follow-up of a person the user's office holds (a transferred person's came along with them), or 404;
    marking one already done again changes nothing."""
    visits = Visit.objects.of_persons_held_by(user).filter(follow_up_on__isnull=False)
    return get_object_or_404(visits.select_related("migrant"), pk=pk)


def link_requests_pending(user) -> QuerySet:
    return (
        LinkRequest.objects.visible_to(user)
        .filter(status=LinkRequestStatus.PENDING)
        .select_related("migrant", "user")
    )


def erasure_requests_count(user) -> int:
    return Migrant.objects.visible_to(user).filter(erasure_requested_at__isnull=False, erased_at__isnull=True).count()


def imports_visible_to(user) -> QuerySet:
    return MigrantImport.objects.visible_to(user).select_related("uploaded_by").defer("rows", "headers")


def overdue_follow_up_exists() -> Exists:
    return Exists(Visit.objects.overdue_follow_ups(timezone.localdate()).filter(migrant=OuterRef("pk")))


def migrant_personal_data(migrant: Migrant, *, staff: bool = False) -> dict:
    """What this app holds about the person: the record and the visits (staff's notes for staff only)."""
    fields = {}
    for field in Migrant._meta.concrete_fields:
        if field.name in {"id", "search_name", "office", "user", "advisor", "consent_recorded_by"}:
            continue
        value = getattr(migrant, field.attname)
        fields[field.name] = value if isinstance(value, (str, int, bool, type(None))) else str(value)
    fields["office"] = str(migrant.office)
    fields["commune_of_origin"] = str(migrant.commune_of_origin) if migrant.commune_of_origin_id else None
    fields["sectors_of_interest"] = [sector.label for sector in migrant.sectors_of_interest.all()]
    fields["visits"] = [
        {
            "date": timezone.localtime(visit.occurred_at).isoformat(),
            "channel": visit.get_channel_display(),
            "place": visit.place,
            "needs": [need.label for need in visit.needs.all()],
            "services_given": visit.services_given,
            "referral_to": visit.referral_to,
            "outcome": visit.outcome,
            "follow_up_on": visit.follow_up_on.isoformat() if visit.follow_up_on else None,
            **({"notes": visit.notes, "advisor": str(visit.advisor or "")} if staff else {}),
        }
        for visit in migrant_visits(migrant)
    ]
    fields["contact_choice"] = notices_personal_data.export_person(migrant=migrant)
    fields["appointments"] = [
        {
            "start": timezone.localtime(booking.slot.starts_at).isoformat(),
            "kind": booking.slot.get_kind_display(),
            "place": booking.slot.place,
            "state": booking.get_state_display(),
            **({"advisor": str(booking.slot.advisor)} if staff else {}),
        }
        for booking in migrant.appointment_bookings.select_related("slot__advisor").order_by("slot__starts_at", "pk")
    ]
    return fields


def migrant_subject_access(migrant: Migrant, *, staff: bool) -> dict:
    """Everything every app holds about the person (right of access), by app, from the registry."""
    from .personal_data import export_person

    return export_person(migrant=migrant, staff=staff)


def migrant_subject_access_page(migrant: Migrant, *, staff: bool) -> list[dict]:
    """The same export as :func:`migrant_subject_access`, as labelled sections for the readable page."""
    from .subject_access import readable_sections

    return readable_sections(migrant_subject_access(migrant, staff=staff))


def migrant_recent_accesses(migrant: Migrant, *, limit: int = 10) -> list:
    """The last staff readings of a person (the page's "viewed by", for admins): one query."""
    return list(PersonAccess.objects.filter(migrant=migrant).select_related("user")[:limit])


def access_log_visible_to(user) -> QuerySet:
    """The access log an admin may read: their office's staff's readings; a national admin all of them."""
    return PersonAccess.objects.visible_to(user).select_related("user", "office", "migrant")


def retention_cutoff(now=None):
    """The moment before which a person's last contact makes them due for erasure; None when the rule is off."""
    days = settings.RETENTION_NO_CONTACT_DAYS
    if days <= 0:
        return None
    return (now or timezone.now()) - timedelta(days=days)


def retention_due(*, now=None) -> QuerySet:
    """The persons the retention rule erases at ``now``: no contact since the cutoff, nothing an app still needs.

    No contact: registered before the cutoff, no visit since, no login of their account since. Each
    app may hold a person back (``retention_hold`` in the registry: an open dossier). The dry-run page,
    the command's ``--dry-run`` and the nightly task all read this one queryset.
    """
    cutoff = retention_cutoff(now)
    if cutoff is None:
        return Migrant.objects.none()
    persons = (
        Migrant.objects.filter(erased_at__isnull=True, created_at__lt=cutoff)
        .exclude(Exists(Visit.objects.filter(migrant=OuterRef("pk"), occurred_at__gte=cutoff)))
        .exclude(user__last_login__gte=cutoff)
    )
    return personal_data.retention_hold(persons).order_by("office", "created_at", "pk")


# --- Visit corrections -----------------------------------------------------------------------------------

def visit_for_correction(user, pk) -> Visit:
    """A visit of a person, among those ``user`` may see (another office's: 404)."""
    queryset = Visit.objects.filter(migrant__isnull=False).select_related("migrant", "advisor", "office")
    return get_visible_or_404(queryset, user, pk=pk)


def migrant_by_file_number(user, file_number: str) -> Migrant | None:
    """The person of ``user``'s scope with this file number (any case), or None."""
    return Migrant.objects.visible_to(user).filter(file_number__iexact=file_number.strip()).first()


def visit_history(visit: Visit, *, limit: int = 20) -> list[dict]:
    """The visit's history, newest first: who, when, why, and each field changed (old -> new)."""
    return _history_entries(visit.history, Visit, limit=limit)
