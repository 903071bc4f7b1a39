"""The reference lists the dossier pages keep in the cache (projects/caches.py): the same as the
database says, and forgotten as soon as a row behind them is saved or deleted."""
import pickle

import pytest
from django.urls import reverse
from django.utils import translation

from hom.accounts.models import Role
from hom.accounts.tests.factories import UserFactory
from hom.territories.models import Sector
from projects import caches
from projects.models import DocumentRequirement, DocumentType, DossierKind, DossierStage
from projects.selectors import advisors_of_office, required_document_types

PLAIN = (str, int, type(None))


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain(item) for item in value)
    return type(value) in PLAIN


@pytest.mark.parametrize("kind", DossierKind.values)
@pytest.mark.parametrize("stage", DossierStage.values)
def test_the_cached_checklist_requires_what_the_database_query_requires(db, kind, stage):
    for sector in [None, *Sector.objects.all()]:
        dossier_like = type("Dossier", (), {"kind": kind, "stage": stage, "sector_id": sector and sector.pk})

        cached = caches.required_documents(kind=kind, stage=stage, sector_id=dossier_like.sector_id)

        assert [pk for pk, _label in cached] == [document.pk for document in required_document_types(dossier_like)]


def test_a_new_rule_of_the_checklist_counts_at_once(db):
    before = caches.required_documents(kind="individual", stage="idea", sector_id=None)
    land = DocumentType.objects.get(code="LAND")
    assert land.pk not in [pk for pk, _label in before]

    DocumentRequirement.objects.create(document_type=land, kind="individual", stage="idea")

    after = caches.required_documents(kind="individual", stage="idea", sector_id=None)
    assert land.pk in [pk for pk, _label in after]


def test_labels_follow_the_language_and_a_renamed_sector_shows_at_once(db):
    with translation.override("en"):
        assert caches.reference_names()["AGRI"] == Sector.objects.get(code="AGRI").label_en
    Sector.objects.filter(code="AGRI").update(label_fr="ignoré")  # no signal: the cached name stays
    with translation.override("fr"):
        assert caches.reference_names()["AGRI"] != "ignoré"
    agriculture = Sector.objects.get(code="AGRI")
    agriculture.label_fr = "Agriculture vivrière"
    agriculture.save()

    with translation.override("fr"):
        assert caches.reference_names()["AGRI"] == "Agriculture vivrière"
        assert caches.reference_names()["SN1103_SEDHIOU"] == "Sédhiou"


def test_a_new_advisor_of_the_office_is_offered_at_once_on_the_dossier_page(client, users, office, dossier):
    client.force_login(users["admin"])
    url = reverse("projects:detail", args=[dossier.pk])
    client.get(url)

    newcomer = UserFactory(role=Role.ADVISOR, office=office, email="nouveau@example.sn")

    assert f'<option value="{newcomer.pk}">' in client.get(url).content.decode()
    assert [pk for pk, _name in caches.advisor_choices(office.pk)] == [user.pk for user in advisors_of_office(office.pk)]


def test_a_login_does_not_forget_the_list_of_advisors(client, users, office):
    caches.advisor_choices(office.pk)
    users["advisor"].save(update_fields=["last_login"])

    from django.core.cache import cache

    assert cache.get(caches.advisors_key(office.pk)) is not None


def test_what_is_cached_is_plain_data(users, office):
    from django.core.cache import cache

    caches.reference_names()
    caches.required_documents(kind="individual", stage="idea", sector_id=None)
    caches.advisor_choices(office.pk)

    for key in (caches.NAMES_KEY, caches.DOCUMENT_RULES_KEY, caches.advisors_key(office.pk)):
        value = pickle.loads(pickle.dumps(cache.get(key)))
        assert value and _plain(value), key
