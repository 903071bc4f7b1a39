"""Load the document types and the checklist rules HOM ships with (``projects/reference.py``)."""
from django.db import migrations


def load(apps, schema_editor):
    from projects.services import document_checklist_load

    document_checklist_load(
        document_type_model=apps.get_model("projects", "DocumentType"),
        requirement_model=apps.get_model("projects", "DocumentRequirement"),
        sector_model=apps.get_model("territories", "Sector"),
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_dossiers"), ("territories", "0002_load_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
