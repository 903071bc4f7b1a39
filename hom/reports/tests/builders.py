"""Data built to produce small cells: a few persons of a commune, some walk-ins, some dossiers."""
from datetime import datetime

from django.utils import timezone

from migrants.models import Situation, Visit
from migrants.tests.factories import MigrantFactory, VisitFactory
from projects.models import DossierStatus
from projects.tests.factories import DossierFactory


def moment(year, month, day=15):
    return datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


def small_cells_of(commune, office, needs, sectors, *, when=None):
    """7 women abroad in France, 3 men returned from Spain, 2 women walking in; 6 + 3 dossiers.

    Every breakdown holds a count under five whose hiding a total would undo.
    """
    when = when or timezone.now()
    women = MigrantFactory.create_batch(
        7, office=office, commune_of_origin=commune, sex="F", birth_year=when.year - 30,
        situation=Situation.ABROAD, country_of_residence="FR",
    )
    men = MigrantFactory.create_batch(
        3, office=office, commune_of_origin=commune, sex="M", birth_year=when.year - 45,
        situation=Situation.RETURNED, country_of_residence="ES",
    )
    for person in women:
        VisitFactory(migrant=person, occurred_at=when, needs=[needs["FUNDING"]])
    for person in men:
        VisitFactory(migrant=person, occurred_at=when, needs=[needs["FUNDING"], needs["RETURN"]])
    for _ in range(2):
        walk_in = Visit.objects.create(office=office, commune=commune, sex="F", age_group="25_34", occurred_at=when)
        walk_in.needs.set([needs["PAPERS"]])
    for person in women[:6]:
        DossierFactory(promoter=person, commune=commune, sector=sectors["AGRI"])
    for person in men:
        DossierFactory(promoter=person, commune=commune, sector=sectors["ELEV"], status=DossierStatus.WITHDRAWN)
    return women + men
