"""Load Senegal's 14 regions, 46 departments and 553 communes, the sectors and the needs."""
from django.db import migrations


def load(apps, schema_editor):
    from hom.territories.services import reference_load, territories_load

    territories_load(
        region_model=apps.get_model("territories", "Region"),
        department_model=apps.get_model("territories", "Department"),
        commune_model=apps.get_model("territories", "Commune"),
    )
    reference_load(
        sector_model=apps.get_model("territories", "Sector"),
        need_category_model=apps.get_model("territories", "NeedCategory"),
    )


class Migration(migrations.Migration):
    dependencies = [("territories", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
