"""Demo guidance sheets of the Sédhiou office (``seed_demo``): three topics, in French and English.

General guidance written for the demo, each pointing to its official source; a second run adds nothing.
"""
from hom.accounts.models import User

from ..models import ProcedureSheet, ProcedureTopic, Visit
from .services import sheet_save

SHEETS = [
    {
        "topic": ProcedureTopic.CIVIL_STATUS,
        "title_fr": "Obtenir un extrait d'acte de naissance",
        "title_en": "Getting a birth certificate extract",
        "body_fr": (
            "L'extrait d'acte de naissance se demande au centre d'état civil de la commune où la naissance "
            "a été déclarée.\n\nApportez le numéro et l'année de l'acte si vous les connaissez, et une pièce "
            "d'identité. Depuis l'étranger, un proche peut le demander pour vous, ou le consulat.\n\n"
            "Le bureau vous aide à retrouver le centre et à préparer la demande."
        ),
        "body_en": (
            "A birth certificate extract is requested at the civil status centre of the commune where the "
            "birth was declared.\n\nBring the record's number and year if you know them, and an identity "
            "document. From abroad, a relative or the consulate can request it for you.\n\n"
            "The office helps you find the centre and prepare the request."
        ),
        "source_url": "https://www.servicepublic.gouv.sn/",
    },
    {
        "topic": ProcedureTopic.CONSULAR,
        "title_fr": "La carte consulaire",
        "title_en": "The consular card",
        "body_fr": (
            "Les Sénégalais établis à l'étranger s'inscrivent au consulat de leur pays de résidence et "
            "reçoivent une carte consulaire.\n\nElle facilite les démarches (passeport, état civil, rapatriement). "
            "Pièces habituelles\u00a0: carte d'identité ou passeport sénégalais, justificatif de domicile, photos."
        ),
        "body_en": (
            "Senegalese living abroad register with the consulate of their country of residence and receive "
            "a consular card.\n\nIt eases procedures (passport, civil status, repatriation). Usual documents: "
            "Senegalese identity card or passport, proof of address, photos."
        ),
        "source_url": "https://www.diplomatie.gouv.sn/",
    },
    {
        "topic": ProcedureTopic.RESIDENCE,
        "title_fr": "Renouveler un titre de séjour en Espagne",
        "title_en": "Renewing a residence permit in Spain",
        "body_fr": (
            "La demande de renouvellement se fait dans les 60 jours avant l'expiration et jusqu'à 90 jours "
            "après, auprès de l'Oficina de Extranjería de la province.\n\nPréparez le passeport en cours de "
            "validité, le contrat de travail ou les ressources, et l'attestation de sécurité sociale."
        ),
        "body_en": (
            "Renewal is requested within 60 days before expiry and up to 90 days after, at the province's "
            "Oficina de Extranjería.\n\nPrepare a valid passport, the employment contract or proof of means, "
            "and the social security certificate."
        ),
        "source_url": "https://www.inclusion.gob.es/web/migraciones",
    },
]


def seed(office, *, advisor=None) -> int:
    """The office's demo sheets; the first given at the first visit of ``advisor``. Returns how many were added."""
    admin = User.objects.filter(office=office, role="admin").order_by("pk").first()
    added = 0
    for fields in SHEETS:
        if ProcedureSheet.objects.filter(office=office, title_fr=fields["title_fr"]).exists():
            continue
        sheet_save(office=office, actor=admin, **fields)
        added += 1
    visit = Visit.objects.filter(advisor=advisor, migrant__isnull=False).order_by("pk").first() if advisor else None
    if added and visit is not None:
        visit.procedures.add(*ProcedureSheet.objects.filter(office=office, topic=ProcedureTopic.CIVIL_STATUS))
    return added
