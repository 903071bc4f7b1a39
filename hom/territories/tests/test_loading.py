from django.core.management import call_command
from django.utils import translation

from hom.territories.models import Commune, Department, NeedCategory, Region, Sector


def test_the_whole_map_of_senegal_is_loaded_by_the_migrations(db):
    assert Region.objects.count() == 14
    assert Department.objects.count() == 46
    assert Commune.objects.count() == 553


def test_the_sedhiou_region_has_its_43_communes_in_three_departments(db):
    sedhiou = Region.objects.get(name="Sédhiou")

    communes = Commune.objects.filter(department__region=sedhiou)

    assert communes.count() == 43
    assert set(sedhiou.departments.values_list("name", flat=True)) == {"Sédhiou", "Bounkiling", "Goudomp"}
    assert {"Marsassoum", "Diendé", "Tanaff", "Ndiamacouta"} <= set(communes.values_list("name", flat=True))


def test_load_territories_is_idempotent_and_repairs_a_renamed_commune(db):
    Commune.objects.filter(code="SN1103_SEDHIOU").update(name="Sedhiou (typo)")

    call_command("load_territories")
    call_command("load_territories")

    assert Commune.objects.count() == 553
    assert Commune.objects.get(code="SN1103_SEDHIOU").name == "Sédhiou"


def test_keur_massar_gets_a_department_code_of_its_own(db):
    keur_massar = Department.objects.get(name="Keur Massar")

    assert keur_massar.code == "SN01_KEURMASSAR"
    assert keur_massar.communes.count() == 6


def test_sectors_and_needs_are_labelled_in_both_languages(db):
    poultry = Sector.objects.get(code="ELEV")
    papers = NeedCategory.objects.get(code="PAPERS")

    with translation.override("fr"):
        assert poultry.label == "Élevage, aviculture"
        assert str(papers) == "Documents administratifs"
    with translation.override("en"):
        assert poultry.label == "Livestock, poultry"
        assert str(papers) == "Administrative papers"
    assert Sector.objects.count() == 15
    assert NeedCategory.objects.count() == 11


def test_an_edited_label_survives_a_reload(db):
    Sector.objects.filter(code="TIC").update(label_fr="Numérique")

    call_command("load_territories")

    assert Sector.objects.get(code="TIC").label_fr == "Numérique"
