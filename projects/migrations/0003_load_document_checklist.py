"""Load the document types and the checklist rules HOM ships with (``projects/reference.py``)."""
from django.db import migrations


def load(apps, schema_editor):
    from projects.reference import DOCUMENT_TYPES, REQUIREMENTS

    document_type_model = apps.get_model("projects", "DocumentType")
    requirement_model = apps.get_model("projects", "DocumentRequirement")
    sector_model = apps.get_model("territories", "Sector")
    types = {}
    for position, (code, label_fr, label_en, help_fr, help_en) in enumerate(DOCUMENT_TYPES, start=1):
        types[code], _created = document_type_model.objects.update_or_create(
            code=code,
            defaults={"label_fr": label_fr, "label_en": label_en, "help_fr": help_fr, "help_en": help_en, "position": position},
        )
    for code, kind, sector_code, stage in REQUIREMENTS:
        sector = sector_model.objects.filter(code=sector_code).first() if sector_code else None
        requirement_model.objects.get_or_create(document_type=types[code], kind=kind, sector=sector, stage=stage)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_dossiers"), ("territories", "0002_load_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
