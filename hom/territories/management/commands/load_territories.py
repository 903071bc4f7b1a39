from django.core.management.base import BaseCommand

from hom.territories.models import Commune, Department, NeedCategory, Region, Sector
from hom.territories.services import reference_load, territories_load


class Command(BaseCommand):
    help = "Load (or refresh) Senegal's regions, departments and communes and the reference tables. Idempotent."

    def handle(self, *args, **options):
        counts = territories_load(region_model=Region, department_model=Department, commune_model=Commune)
        reference_load(sector_model=Sector, need_category_model=NeedCategory)
        self.stdout.write(
            self.style.SUCCESS(
                "{regions} regions, {departments} departments, {communes} communes loaded.".format(**counts)
            )
        )
