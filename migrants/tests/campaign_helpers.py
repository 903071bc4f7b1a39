"""Shared set-up of the campaign tests: a group of the Sédhiou office with every reason to be left out."""
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

from hom.messaging.services import opt_out_record

from .factories import MigrantFactory

DAKAR = ZoneInfo("Africa/Dakar")
# A Tuesday at ten in Dakar: outside the SMS quiet hours (21:00-08:00).
MORNING = datetime(2026, 12, 1, 10, 0, tzinfo=DAKAR)


def people(*, office, other_office, sedhiou, marsassoum) -> dict:
    """Persons of the office in Sédhiou who may receive a campaign to Sédhiou (``reached``), and everyone who
    must not: no consent, withdrawn, STOP, no phone, another commune, another office, erased."""
    def person(name, phone, **fields):
        fields.setdefault("office", office)
        fields.setdefault("commune_of_origin", sedhiou)
        fields.setdefault("consent_contact", True)
        return MigrantFactory(first_name=name, last_name="Test", phone=phone, **fields)

    made = {
        "awa": person("Awa", "+221771000001"),
        "bakary": person("Bakary", "+221771000002", situation="returned"),
        "no_consent": person("Cheikh", "+221771000003", consent_contact=False),
        "withdrawn": person("Dior", "+221771000004", consent_withdrawn_on=timezone.localdate()),
        "stop": person("Elhadji", "+221771000005"),
        "no_phone": person("Fatou", ""),
        "marsassoum": person("Gora", "+221771000007", commune_of_origin=marsassoum),
        "kolda": person("Hawa", "+221771000008", office=other_office),
        "erased": person("Ibou", "+221771000009", erased_at=timezone.now()),
    }
    opt_out_record(phone="+221771000005", source="test")
    return made


def reached_numbers(folder: Path) -> list[str]:
    """The numbers of the messages the file backend wrote, one per file (``<number>-<id>.txt``)."""
    if not folder.exists():
        return []
    return sorted("+" + path.name.split("-")[0] for path in folder.glob("*.txt"))
