"""Reference lists the dossier pages read on every request, kept in the cache (issue 18).

The names the funding rules explain with (sectors, regions, communes), the document checklist's
rules and each office's advisors change a few times a year but were read on every dossier
page. Each list is kept as plain data (ints, strings, tuples, dicts: nothing lazy, no model
instance) under one key; saving or deleting a row behind it forgets the key (the receivers
below, connected by ``ProjectsConfig.ready``), and every key expires after
``REFERENCE_CACHE_SECONDS`` anyway, for the changes that send no signal (a queryset's
``update()``, SQL). With the cache down (``hom.cache``) each read computes the list again.
"""
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

REFERENCE_CACHE_SECONDS = 600

NAMES_KEY = "projects.reference.names"
DOCUMENT_RULES_KEY = "projects.reference.document-rules"


def advisors_key(office_id) -> str:
    return f"projects.reference.advisors:{office_id}"


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, REFERENCE_CACHE_SECONDS)
    return value


def _english() -> bool:
    return (get_language() or "fr").startswith("en")


# --- Names of sectors, regions and communes (the funding rules' explanations) ---------------


def _names_now() -> dict:
    from hom.territories.models import Commune, Region, Sector

    return {
        "sectors": {code: (fr, en) for code, fr, en in Sector.objects.values_list("code", "label_fr", "label_en")},
        "regions": dict(Region.objects.values_list("code", "name")),
        "communes": dict(Commune.objects.values_list("code", "name")),
    }


def reference_names() -> dict[str, str]:
    """Every sector's label (in the current language), region's and commune's name, by code."""
    names = _cached(NAMES_KEY, _names_now)
    english = _english()
    shown = {code: (en if english else fr) for code, (fr, en) in names["sectors"].items()}
    return shown | names["regions"] | names["communes"]


# --- The document checklist's rules ----------------------------------------------------------


def _document_rules_now() -> list[tuple]:
    from projects.models import DocumentRequirement

    rows = (
        DocumentRequirement.objects.filter(is_active=True, document_type__is_active=True)
        .order_by("pk")
        .values_list(
            "document_type_id", "document_type__code", "document_type__label_fr", "document_type__label_en",
            "document_type__position", "kind", "stage", "sector_id",
        )
    )
    return [tuple(row) for row in rows]


def required_documents(*, kind: str, stage: str, sector_id) -> list[tuple[int, str]]:
    """``(pk, label)`` of the document types the dossier needs, in the checklist's order.

    The same rule as ``selectors.required_document_types`` (active rules of active types whose
    kind, stage and sector are the dossier's or "any"), read from the cached rules.
    """
    english = _english()
    found = {}
    for type_id, code, label_fr, label_en, position, rule_kind, rule_stage, rule_sector in _cached(
        DOCUMENT_RULES_KEY, _document_rules_now
    ):
        if rule_kind in ("", kind) and rule_stage in ("", stage) and rule_sector in (None, sector_id):
            found[type_id] = (position, code, label_en if english else label_fr)
    return [(type_id, label) for type_id, (_position, _code, label) in sorted(found.items(), key=lambda item: item[1][:2])]


# --- Each office's advisors (the reassignment form's choices) ----------------------------------


def advisor_choices(office_id) -> list[tuple[int, str]]:
    """``(pk, name)`` of the office's active advisors and admins, as ``selectors.advisors_of_office`` lists them."""
    from projects.selectors import advisors_of_office

    return _cached(advisors_key(office_id), lambda: [(user.pk, str(user)) for user in advisors_of_office(office_id)])


# --- Forgetting -------------------------------------------------------------------------------


def _forget_names(sender, **kwargs):
    cache.delete(NAMES_KEY)


def _forget_document_rules(sender, **kwargs):
    cache.delete(DOCUMENT_RULES_KEY)


def _forget_advisors(sender, instance, update_fields=None, **kwargs):
    # A login stamps ``last_login`` only: the list does not change.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if instance.office_id is not None:
        cache.delete(advisors_key(instance.office_id))


def connect() -> None:
    from hom.accounts.models import User
    from hom.territories.models import Commune, Region, Sector
    from projects.models import DocumentRequirement, DocumentType

    for model in (Sector, Region, Commune):
        post_save.connect(_forget_names, sender=model, dispatch_uid=f"projects.caches.names.{model.__name__}.save")
        post_delete.connect(_forget_names, sender=model, dispatch_uid=f"projects.caches.names.{model.__name__}.delete")
    for model in (DocumentType, DocumentRequirement):
        post_save.connect(
            _forget_document_rules, sender=model, dispatch_uid=f"projects.caches.rules.{model.__name__}.save"
        )
        post_delete.connect(
            _forget_document_rules, sender=model, dispatch_uid=f"projects.caches.rules.{model.__name__}.delete"
        )
    post_save.connect(_forget_advisors, sender=User, dispatch_uid="projects.caches.advisors.save")
    post_delete.connect(_forget_advisors, sender=User, dispatch_uid="projects.caches.advisors.delete")
