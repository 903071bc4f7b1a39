"""The funding programmes' sources and notes in French (issue 19): the source's English kept in
``notes_en``, shown on English pages. Reloads the reference programmes (idempotent)."""

from django.db import migrations, models


def load_french(apps, schema_editor):
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
    dependencies = [("projects", "0009_funding_english_translations")]

    operations = [
        migrations.AddField(
            model_name="fundingopportunity",
            name="notes_en",
            field=models.TextField(blank=True, verbose_name="sources and notes in English"),
        ),
        migrations.RunPython(load_french, migrations.RunPython.noop, elidable=False),
    ]
