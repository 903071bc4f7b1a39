"""Load the funding types, target groups and the real programmes of projects/funding/data/."""
from django.db import migrations


def load(apps, schema_editor):
    from projects.funding.services import programmes_load

    programmes_load(
        opportunity_model=apps.get_model("projects", "FundingOpportunity"),
        type_model=apps.get_model("projects", "FundingType"),
        target_group_model=apps.get_model("projects", "FundingTargetGroup"),
        sector_model=apps.get_model("territories", "Sector"),
        region_model=apps.get_model("territories", "Region"),
        commune_model=apps.get_model("territories", "Commune"),
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_funding_search_postgresql"), ("territories", "0002_load_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
