"""Demo data of the funding catalogue (``seed(stdout)``, wired into seed_demo at merge). Idempotent.

The real programmes come from the data migration; this reloads them (in case an admin
edited them in a demo) and adds one clearly fictitious regional call with a near
deadline, so the catalogue shows a dated call and the reminders have something to find.
"""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hom.territories.models import Region, Sector
from projects.funding.models import FundingOpportunity, FundingStatus, FundingTargetGroup, FundingType
from projects.funding.services import funding_opportunity_create, funding_opportunity_update, programmes_load

DEMO_CALL = "Appel à projets de démonstration — élevage et aviculture, région de Sédhiou"


@transaction.atomic
def seed(stdout=None) -> None:
    count = programmes_load()
    fields = {
        "funder_name": "ARD de Sédhiou (données de démonstration)",
        "types": list(FundingType.objects.filter(code__in=["grant", "training"])),
        "target_groups": list(FundingTargetGroup.objects.filter(code__in=["returnees", "youth", "women"])),
        "youth_min_age": 18,
        "youth_max_age": 35,
        "eligible_sectors": list(Sector.objects.filter(code__in=["ELEV", "AGRI"])),
        "eligible_regions": [Region.objects.get(code="SN11")],
        "amount_min": 500_000,
        "amount_max": 3_000_000,
        "min_own_contribution_percent": 10,
        "required_documents": ["ID", "RESIDENCE", "BUSINESS_PLAN", "QUOTES"],
        "status": FundingStatus.OPEN,
        "deadline": timezone.localdate() + timedelta(days=10),
        "description": "Programme fictif pour la démonstration : petits élevages de volailles et de petits ruminants.",
        "keywords": "poulailler volaille chèvres moutons",
        "notes": "Données de démonstration : ce programme n'existe pas.",
    }
    existing = FundingOpportunity.objects.filter(name=DEMO_CALL).first()
    if existing is None:
        funding_opportunity_create(name=DEMO_CALL, **fields)
    elif existing.deadline is None or existing.deadline < timezone.localdate():
        funding_opportunity_update(opportunity=existing, deadline=fields["deadline"])
    if stdout:
        stdout.write(f"Funding: {count} real programmes and 1 demo call.\n")
