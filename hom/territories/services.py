"""Loading the administrative map and the reference tables. Every loader is idempotent.

The loaders take their model classes as arguments so that the data migration can pass
the historical models and the management command the current ones.
"""
import csv
from pathlib import Path

from django.db import transaction

from . import reference

ADMIN_CSV = Path(__file__).resolve().parent / "data" / "senegal_admin.csv"


def _department_code(row: dict) -> str:
    # Keur Massar (created 2021) has no OCHA p-code yet; its communes' codes carry this prefix.
    return row["department_code"] or f"{row['region_code']}_{row['department'].upper().replace(' ', '')}"


@transaction.atomic
def territories_load(*, region_model, department_model, commune_model, csv_path: Path = ADMIN_CSV) -> dict:
    """Create or update every region, department and commune of the CSV; return the counts."""
    with open(csv_path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    regions = {}
    for row in rows:
        if row["region_code"] not in regions:
            regions[row["region_code"]], _ = region_model.objects.update_or_create(
                code=row["region_code"], defaults={"name": row["region"]}
            )
    departments = {}
    for row in rows:
        code = _department_code(row)
        if code not in departments:
            departments[code], _ = department_model.objects.update_or_create(
                code=code, defaults={"name": row["department"], "region": regions[row["region_code"]]}
            )
    existing = {commune.code: commune for commune in commune_model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        department = departments[_department_code(row)]
        commune = existing.get(row["commune_code"])
        if commune is None:
            to_create.append(commune_model(code=row["commune_code"], name=row["commune"], department=department))
        elif commune.name != row["commune"] or commune.department_id != department.pk:
            commune.name, commune.department = row["commune"], department
            to_update.append(commune)
    commune_model.objects.bulk_create(to_create)
    commune_model.objects.bulk_update(to_update, ["name", "department"])
    return {"regions": len(regions), "departments": len(departments), "communes": len(rows)}


@transaction.atomic
def reference_load(*, sector_model, need_category_model) -> None:
    """Create the shipped sectors and need categories; labels edited by an admin are kept."""
    for model, rows in ((sector_model, reference.SECTORS), (need_category_model, reference.NEED_CATEGORIES)):
        for position, (code, label_fr, label_en) in enumerate(rows, start=1):
            model.objects.get_or_create(
                code=code, defaults={"label_fr": label_fr, "label_en": label_en, "position": position}
            )
