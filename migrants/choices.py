"""The registry pages' choice lists, cached per office and language (issue 18).

The registry's filters (communes, departments, sectors, needs, advisors) and the visit form of a
person's page (needs, the office's staff, the directory's organisations) list rows that rarely
change, yet every page read them again: five queries on the list, three on the person's page.
They are kept in the cache as plain ``(id, label)`` pairs, per office (or national) and language,
for ``CHOICES_SECONDS`` at most; any change to a row they list forgets them all at once: the keys
carry a generation read from the cache, which the receivers below replace on every change, at
once and again after the commit (a page reading meanwhile cannot keep the old list).

Only what the page shows comes from the cache: a submitted choice is still checked against the
field's queryset, so a list a moment stale can at worst offer a choice the form then refuses.
Bulk writes send no signal: ``forget_choices()`` is there for them; the loading of territories
saves its departments one by one, which forgets the lists.
"""
import uuid

from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from hom.accounts.models import Role, User
from hom.territories.models import Commune, Department, NeedCategory, Region, Sector

CHOICES_SECONDS = 600
GENERATION_KEY = "migrants.choices.generation"
# The fields of an account its label or its place in the staff lists depend on.
USER_FIELDS = {"first_name", "last_name", "email", "role", "office", "office_id", "is_active"}


def _communes(office_id):
    communes = Commune.objects.order_by("name")
    return communes.filter(department__region__office=office_id) if office_id else communes


def _departments(office_id):
    departments = Department.objects.order_by("name")
    return departments.filter(region__office=office_id) if office_id else departments


def _staff(office_id):
    staff = User.objects.filter(role__in=[Role.ADVISOR, Role.ADMIN], is_active=True)
    return staff if office_id == "all" else staff.filter(office=office_id)


def _organisations(_scope):
    # The visit form's referral list names partnerships' directory: looked up by label, as the
    # visit's foreign key names it (migrants imports no higher app, docs/architecture.md).
    return django_apps.get_model("partnerships", "Organisation").objects.order_by("name")


def _procedures(office_id):
    sheets = django_apps.get_model("migrants", "ProcedureSheet").objects.published()
    return sheets.filter(office=office_id).order_by("topic", "title_fr", "pk")


# Each list: how to read it, for a scope (an office id, None or "all": see the callers).
LISTS = {
    "communes": _communes,
    "departments": _departments,
    "sectors": lambda _scope: Sector.objects.active(),
    "needs": lambda _scope: NeedCategory.objects.active(),
    "staff": _staff,
    "organisations": _organisations,
    "procedures": _procedures,
}


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, None)
    return generation


def choice_lists(wanted: dict) -> dict:
    """``{name: [(id, label), ...]}`` for ``wanted`` (``{name: scope}``), from the cache when it has them."""
    generation, language = _generation(), get_language() or "fr"
    keys = {name: f"migrants.choices:{generation}:{name}:{scope}:{language}" for name, scope in wanted.items()}
    found = cache.get_many(keys.values())
    lists, missing = {}, {}
    for name, key in keys.items():
        if key in found:
            lists[name] = found[key]
        else:
            lists[name] = [(row.pk, str(row)) for row in LISTS[name](wanted[name])]
            missing[key] = lists[name]
    if missing:
        cache.set_many(missing, CHOICES_SECONDS)
    return lists


def registry_filter_choices(user) -> dict:
    """The lists of the registry's filters for ``user``: their office's region and staff; a national admin all."""
    office = None if user.is_superuser else user.office_id
    return choice_lists({
        "communes": office, "departments": office, "sectors": None, "needs": None,
        "staff": "all" if user.is_superuser else office,
    })


def visit_form_choices(office_id) -> dict:
    """The lists of the visit form: the active needs, ``office_id``'s staff, the directory's organisations,
    ``office_id``'s published procedure sheets."""
    return choice_lists({"needs": None, "staff": office_id, "organisations": None, "procedures": office_id})


def show_choices(field, choices) -> None:
    """Let ``field`` (a model choice field) show ``choices`` instead of reading its queryset; it still validates with it."""
    empty = [("", field.empty_label)] if getattr(field, "empty_label", None) is not None else []
    # The widget renders the options; the field keeps its queryset (its ``choices`` setter would wrap them).
    field.widget.choices = [*empty, *choices]


def forget_choices() -> None:
    """Forget every cached list, now and once the transaction commits."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


def _listed_row_changed(sender, **kwargs):
    forget_choices()


def _account_changed(sender, instance, update_fields=None, **kwargs):
    # A login saves ``last_login`` alone: no list changes.
    if update_fields is not None and not USER_FIELDS & set(update_fields):
        return
    # Staff lists list advisors and admins: a migrant's account changes none (unless its role changed).
    if instance.role in (Role.ADVISOR, Role.ADMIN) or "role" in (update_fields or ()):
        forget_choices()


def connect() -> None:
    """Connect the receivers (``MigrantsConfig.ready``)."""
    for model in (Commune, Department, Region, Sector, NeedCategory, "accounts.Office", "partnerships.Organisation",
                  "migrants.ProcedureSheet"):
        label = model if isinstance(model, str) else model._meta.label
        post_save.connect(_listed_row_changed, sender=model, dispatch_uid=f"migrants.choices.saved.{label}")
        post_delete.connect(_listed_row_changed, sender=model, dispatch_uid=f"migrants.choices.deleted.{label}")
    post_save.connect(_account_changed, sender=User, dispatch_uid="migrants.choices.account_saved")
    post_delete.connect(_listed_row_changed, sender=User, dispatch_uid="migrants.choices.account_deleted")
