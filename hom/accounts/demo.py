"""Demo offices and accounts (``seed_demo``). Idempotent: running it twice changes nothing.

Every app may have a ``demo.py`` with ``seed(stdout)``; seed_demo runs them in the order of
INSTALLED_APPS, so later apps find the offices and accounts made here.
"""
from django.db import transaction

from hom.territories.models import Commune, Region

from .models import Role, User
from .services import office_create_or_update, user_create

DEMO_PASSWORD = "hom-demo-2026"

OFFICES = [
    ("SED", "Bureau d'appui aux migrants de Sédhiou", "SN11"),
    ("KOL", "Bureau d'appui aux migrants de Kolda", "SN07"),
]

# (email, role, office code, first name, last name)
ACCOUNTS = [
    ("admin@demo.hom", Role.ADMIN, "SED", "Aïssatou", "Mané"),
    ("conseiller@demo.hom", Role.ADVISOR, "SED", "Lamine", "Sagna"),
    ("conseiller.kolda@demo.hom", Role.ADVISOR, "KOL", "Mariama", "Baldé"),
    ("migrant@demo.hom", Role.MIGRANT, None, "Ousmane", "Diédhiou"),
    ("migrant2@demo.hom", Role.MIGRANT, None, "Fatoumata", "Sané"),
    ("commune@demo.hom", Role.AUTHORITY, None, "Mairie", "de Sédhiou"),
    ("partenaire@demo.hom", Role.PARTNER, None, "Ibrahima", "Coly"),
]


@transaction.atomic
def seed(stdout=None) -> None:
    offices = {
        code: office_create_or_update(code=code, name=name, region=Region.objects.get(code=region_code))
        for code, name, region_code in OFFICES
    }
    sedhiou = Commune.objects.get(code="SN1103_SEDHIOU")
    for email, role, office_code, first_name, last_name in ACCOUNTS:
        if User.objects.filter(email=email).exists():
            continue
        user_create(
            email=email,
            password=DEMO_PASSWORD,
            role=role,
            office=offices.get(office_code),
            first_name=first_name,
            last_name=last_name,
            communes=[sedhiou] if role == Role.AUTHORITY else (),
        )
