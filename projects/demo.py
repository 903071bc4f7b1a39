"""Demo dossiers (``seed_demo``): 25 projects in every status, with small generated PDFs.

Deterministic and idempotent: a dossier is recognised by its promoter and title, and
nothing is added to a dossier that exists already. Everything goes through the services,
as a real dossier would (notifications switched off: these moves never happened). The
promoters get accounts of their own, since only a promoter submits their dossier; the
migrants of the accounts demo (``migrant@demo.hom``...) get a registry record when the
migrants demo has not made one.
"""
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, Role, User
from hom.accounts.services import user_create
from hom.territories.models import Commune, Sector
from migrants.models import Migrant, Situation
from projects import services
from projects.funding import demo as funding_demo
from projects.funding.models import ApplicationStatus, FundingApplication, FundingOpportunity
from projects.funding.services import funding_application_create, funding_application_move
from projects.models import DossierStatus, DossierTransition, ProjectDossier
from projects.results import demo as results_demo
from projects.selectors import required_document_types

DEMO_PASSWORD = "hom-demo-2026"

# (email, first name, last name, sex, office code, situation, country)
PROMOTERS = [
    ("migrant@demo.hom", "Ousmane", "Diédhiou", "M", "SED", Situation.RETURNED, ""),
    ("migrant2@demo.hom", "Fatoumata", "Sané", "F", "SED", Situation.ABROAD, "ES"),
    ("awa.badji@demo.projets.hom", "Awa", "Badji", "F", "SED", Situation.ABROAD, "FR"),
    ("moussa.diatta@demo.projets.hom", "Moussa", "Diatta", "M", "SED", Situation.RETURNED, ""),
    ("mariama.cisse@demo.projets.hom", "Mariama", "Cissé", "F", "SED", Situation.ABROAD, "IT"),
    ("lamine.sonko@demo.projets.hom", "Lamine", "Sonko", "M", "SED", Situation.IN_SENEGAL, ""),
    ("kadiatou.mane@demo.projets.hom", "Kadiatou", "Mané", "F", "SED", Situation.ABROAD, "GM"),
    ("ibrahima.balde@demo.projets.hom", "Ibrahima", "Baldé", "M", "KOL", Situation.RETURNED, ""),
    ("binta.diallo@demo.projets.hom", "Binta", "Diallo", "F", "KOL", Situation.ABROAD, "FR"),
]

S, R, CR, READY = DossierStatus.SUBMITTED, DossierStatus.IN_REVIEW, DossierStatus.CHANGES_REQUESTED, DossierStatus.READY
PATHS = {
    DossierStatus.DRAFT: [],
    S: [S],
    R: [S, R],
    CR: [S, R, CR],
    READY: [S, R, READY],
    DossierStatus.SENT_TO_FUNDER: [S, R, READY, DossierStatus.SENT_TO_FUNDER],
    DossierStatus.FUNDED: [S, R, READY, DossierStatus.SENT_TO_FUNDER, DossierStatus.FUNDED],
    DossierStatus.NOT_FUNDED: [S, R, READY, DossierStatus.SENT_TO_FUNDER, DossierStatus.NOT_FUNDED],
    DossierStatus.IN_IMPLEMENTATION: [
        S, R, READY, DossierStatus.SENT_TO_FUNDER, DossierStatus.FUNDED, DossierStatus.IN_IMPLEMENTATION,
    ],
    DossierStatus.CLOSED: [
        S, R, READY, DossierStatus.SENT_TO_FUNDER, DossierStatus.FUNDED, DossierStatus.IN_IMPLEMENTATION,
        DossierStatus.CLOSED,
    ],
    DossierStatus.WITHDRAWN: [S, DossierStatus.WITHDRAWN],
}
COMMENTS = {
    CR: "Ajoutez le devis du matériel et précisez vos prix de vente.",
    READY: "Dossier complet, prêt pour le financeur.",
    DossierStatus.SENT_TO_FUNDER: "Transmis au FAISE.",
    DossierStatus.FUNDED: "Financement accordé par le FAISE.",
    DossierStatus.NOT_FUNDED: "Non retenu : secteur hors du champ de l'appel.",
    DossierStatus.WITHDRAWN: "Je préfère attendre mon retour définitif.",
}

# (promoter index, title, sector, kind, stage, status, [(category, item, quantity, unit cost)], own %)
DOSSIERS = [
    (0, "Poulailler de 500 poulets à Marsassoum", "ELEV", "individual", "start_up", DossierStatus.DRAFT,
     [("investment", "Bâtiment d'élevage", 1, 1_200_000), ("working_capital", "Poussins et aliment", 1, 800_000)], 20),
    (0, "Moulin à céréales familial", "AGRO", "family", "idea", DossierStatus.DRAFT,
     [("investment", "Moulin à mil", 1, 950_000)], 10),
    (1, "Salon de coiffure à Sédhiou", "SERV", "individual", "start_up", DossierStatus.DRAFT,
     [("investment", "Fauteuils et miroirs", 3, 150_000)], 5),
    (2, "Maraîchage irrigué à Bambali", "AGRI", "collective", "study", DossierStatus.DRAFT,
     [("investment", "Forage et pompe solaire", 1, 3_500_000), ("working_capital", "Semences", 1, 400_000)], 15),
    (2, "Atelier de couture et de teinture", "ARTI", "individual", "start_up", S,
     [("investment", "Machines à coudre", 4, 175_000), ("working_capital", "Tissus", 1, 300_000)], 25),
    (3, "Cybercafé et multiservice", "TIC", "individual", "start_up", S,
     [("investment", "Ordinateurs", 6, 250_000), ("investment", "Photocopieuse", 1, 600_000)], 20),
    (4, "Unité de transformation de mangues", "AGRO", "collective", "study", S,
     [("investment", "Séchoir solaire", 2, 900_000), ("working_capital", "Emballages", 1, 250_000)], 10),
    (5, "Boulangerie de quartier", "AGRO", "individual", "extension", R,
     [("investment", "Four à pain", 1, 2_800_000), ("working_capital", "Farine", 1, 600_000)], 30),
    (6, "Élevage de moutons de Tabaski", "ELEV", "family", "start_up", R,
     [("investment", "Béliers", 10, 120_000), ("working_capital", "Aliment bétail", 1, 350_000)], 20),
    (3, "Pirogue et filets de pêche", "PECHE", "individual", "start_up", R,
     [("investment", "Pirogue motorisée", 1, 2_500_000)], 15),
    (1, "Restaurant au bord du fleuve", "TOUR", "individual", "study", CR,
     [("investment", "Cuisine équipée", 1, 1_800_000), ("working_capital", "Stock initial", 1, 300_000)], 20),
    (4, "Savonnerie artisanale", "ARTI", "collective", "idea", CR,
     [("investment", "Cuves et moules", 1, 450_000)], 10),
    (5, "Menuiserie métallique", "ARTI", "individual", "extension", CR,
     [("investment", "Poste à souder", 2, 350_000), ("working_capital", "Fer", 1, 500_000)], 25),
    (0, "Ferme avicole pondeuse", "ELEV", "individual", "start_up", READY,
     [("investment", "Cages", 20, 45_000), ("working_capital", "Pondeuses", 500, 3_000)], 20),
    (6, "Centre de formation en informatique", "FORM", "community", "study", READY,
     [("investment", "Ordinateurs", 10, 230_000)], 15),
    (2, "Case de santé communautaire", "SANTE", "community", "study", DossierStatus.SENT_TO_FUNDER,
     [("investment", "Construction", 1, 6_000_000), ("investment", "Équipement", 1, 1_500_000)], 10),
    (3, "Transformation de noix de cajou", "AGRO", "collective", "start_up", DossierStatus.SENT_TO_FUNDER,
     [("investment", "Décortiqueuses", 3, 700_000)], 20),
    (5, "Quincaillerie à Goudomp", "COMM", "individual", "extension", DossierStatus.FUNDED,
     [("working_capital", "Stock de matériaux", 1, 4_000_000)], 30),
    (6, "Rizerie villageoise", "AGRO", "community", "start_up", DossierStatus.FUNDED,
     [("investment", "Décortiqueuse à riz", 1, 3_200_000)], 10),
    (4, "Transport de marchandises", "TRANS", "individual", "start_up", DossierStatus.NOT_FUNDED,
     [("investment", "Tricycle", 2, 1_100_000)], 15),
    (1, "Pépinière d'anacardiers", "AGRI", "family", "start_up", DossierStatus.IN_IMPLEMENTATION,
     [("investment", "Clôture", 1, 700_000), ("working_capital", "Sachets et semences", 1, 250_000)], 20),
    (0, "Forage pour le jardin des femmes", "EAU_ENV", "community", "start_up", DossierStatus.IN_IMPLEMENTATION,
     [("investment", "Forage", 1, 4_500_000)], 10),
    (3, "Boutique de pièces détachées", "COMM", "individual", "extension", DossierStatus.CLOSED,
     [("working_capital", "Stock de pièces", 1, 2_000_000)], 25),
    (7, "Embouche bovine à Kolda", "ELEV", "individual", "start_up", S,
     [("investment", "Taurillons", 5, 350_000)], 20),
    (8, "Fabrication de jus locaux", "AGRO", "family", "idea", DossierStatus.WITHDRAWN,
     [("investment", "Réfrigérateurs", 2, 400_000)], 10),
    # The funding matching's showcase: agriculture in Sédhiou, 8 M FCFA sought, 20 % own contribution.
    (0, "Exploitation maraîchère et rizicole à Sédhiou", "AGRI", "individual", "start_up", READY,
     [("investment", "Aménagement et forage", 1, 6_000_000), ("investment", "Motoculteur et matériel", 1, 2_500_000),
      ("working_capital", "Semences, engrais et main-d'œuvre", 1, 1_500_000)], 20),
]

FAISE = "FAISE - Financement des Sénégalais de l'Extérieur (FSE)"
# (dossier title, programme, status, amount granted, amount disbursed, days ago it was submitted)
APPLICATIONS = [
    ("Exploitation maraîchère et rizicole à Sédhiou", "PAMECAS - crédit projets (microfinance)",
     ApplicationStatus.PLANNED, None, None, None),
    ("Ferme avicole pondeuse", funding_demo.DEMO_CALL, ApplicationStatus.PLANNED, None, None, None),
    ("Case de santé communautaire", "PAISD - soutien aux projets de développement local (projets collectifs)",
     ApplicationStatus.SUBMITTED, None, None, 20),
    ("Transformation de noix de cajou", FAISE, ApplicationStatus.SUBMITTED, None, None, 12),
    ("Quincaillerie à Goudomp", FAISE, ApplicationStatus.DISBURSED, 2_800_000, 2_000_000, 90),
    ("Rizerie villageoise", "FORIM PRA/OSIM", ApplicationStatus.ACCEPTED, 2_880_000, None, 60),
    ("Transport de marchandises", "DER/FJ - Délégation générale à l'Entrepreneuriat Rapide des Femmes et des Jeunes",
     ApplicationStatus.REFUSED, None, None, 75),
    ("Pépinière d'anacardiers", FAISE, ApplicationStatus.DISBURSED, 760_000, 760_000, 120),
]
# The steps that lead to each status.
APPLICATION_PATHS = {
    ApplicationStatus.PLANNED: [],
    ApplicationStatus.SUBMITTED: [ApplicationStatus.SUBMITTED],
    ApplicationStatus.ACCEPTED: [ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED],
    ApplicationStatus.REFUSED: [ApplicationStatus.SUBMITTED, ApplicationStatus.REFUSED],
    ApplicationStatus.DISBURSED: [ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED, ApplicationStatus.DISBURSED],
}


def demo_pdf(text: str) -> bytes:
    """A small, valid one-page PDF showing ``text``: enough to open and to pass the content check."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 50 780 Td ({safe}) Tj ET".encode("latin-1", errors="replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return output


def _promoter(index: int, offices: dict) -> Migrant:
    email, first_name, last_name, sex, office_code, situation, country = PROMOTERS[index]
    user = User.objects.filter(email=email).first() or user_create(
        email=email, password=DEMO_PASSWORD, role=Role.MIGRANT, first_name=first_name, last_name=last_name
    )
    existing = Migrant.objects.filter(user=user).first()
    if existing:
        return existing
    office = offices[office_code]
    migrant = Migrant(
        file_number=f"{office.code}-DEMO-P{index + 1:03d}",
        office=office,
        user=user,
        first_name=first_name,
        last_name=last_name,
        sex=sex,
        birth_year=1980 + index,
        email=email,
        situation=situation,
        country_of_residence=country,
        consent_processing=True,
        consent_given_on=date(2026, 1, 5),
    )
    migrant.full_clean()
    migrant.save()
    return migrant


def _staff(office: Office, role: str) -> User:
    return User.objects.filter(office=office, role=role).order_by("pk").first()


@transaction.atomic
def seed(stdout=None) -> None:
    funding_demo.seed(stdout=stdout)
    offices = {office.code: office for office in Office.objects.filter(code__in=["SED", "KOL"])}
    if len(offices) < 2:
        return
    communes = {
        "SED": list(Commune.objects.filter(department__region__code="SN11").order_by("code")),
        "KOL": list(Commune.objects.filter(department__region__code="SN07").order_by("code")),
    }
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    created = 0
    for number, (promoter_index, title, sector, kind, stage, status, lines, own_percent) in enumerate(DOSSIERS):
        promoter = _promoter(promoter_index, offices)
        if ProjectDossier.objects.filter(promoter=promoter, title=title).exists():
            continue
        _make_dossier(number, promoter, title, sectors[sector], kind, stage, status, lines, own_percent, communes)
        created += 1
    if stdout is not None and created:
        stdout.write(f"Demo dossiers: {created} created.")
    applications = _seed_applications()
    if stdout is not None and applications:
        stdout.write(f"Demo funding applications: {applications} created.")
    results_demo.seed(stdout=stdout)


def _seed_applications() -> int:
    """Applications in every status, through the services; one on the demo call closing soon."""
    created = 0
    today = timezone.localdate()
    for title, programme, status, granted, disbursed, days_ago in APPLICATIONS:
        dossier = ProjectDossier.objects.filter(title=title).select_related("promoter").first()
        opportunity = FundingOpportunity.objects.filter(name=programme).first()
        if dossier is None or opportunity is None:
            continue
        if FundingApplication.objects.filter(dossier=dossier, opportunity=opportunity).exists():
            continue
        advisor = _staff(dossier.office, Role.ADVISOR)
        if advisor is None:
            continue
        application = funding_application_create(dossier=dossier, opportunity=opportunity, actor=advisor)
        amounts = {ApplicationStatus.ACCEPTED: granted, ApplicationStatus.DISBURSED: disbursed}
        for step, target in enumerate(APPLICATION_PATHS[status]):
            funding_application_move(
                application=application, actor=advisor, to_status=target,
                on=today - timedelta(days=days_ago - 20 * step), amount=amounts.get(target),
            )
        created += 1
    return created


def _make_dossier(number, promoter, title, sector, kind, stage, status, lines, own_percent, communes):
    office = promoter.office
    advisor = _staff(office, Role.ADVISOR)
    admin = _staff(office, Role.ADMIN) or advisor
    promoter_user = promoter.user
    office_communes = communes[office.code]
    dossier = services.dossier_create(
        promoter=promoter,
        actor=promoter_user,
        title=title,
        summary=f"{title} : un projet porté par {promoter.full_name}, de retour ou de la diaspora.",
        kind=kind,
        stage=stage,
        sector=sector,
        commune=office_communes[(number * 7) % len(office_communes)],
        market="Les habitants de la commune et les marchés hebdomadaires voisins." if number % 4 else "",
        team="Le porteur, un membre de la famille et un employé formé." if number % 5 else "",
        jobs_women=1 + number % 3,
        jobs_men=number % 4,
        jobs_youth=1,
        expected_start=date(2027, 1 + number % 12, 1),
    )
    for category, label, quantity, unit_cost in lines:
        services.budget_line_add(
            dossier=dossier, actor=promoter_user, category=category, label=label, quantity=quantity,
            unit_cost=unit_cost, has_quote=category == "investment",
        )
    total = sum(quantity * unit_cost for _category, _label, quantity, unit_cost in lines)
    balanced = status != DossierStatus.DRAFT or number % 2 == 0
    own = total * own_percent // 100
    services.financing_line_add(dossier=dossier, actor=promoter_user, source="own", amount=own)
    if balanced:
        diaspora = total // 10 if promoter.situation == Situation.ABROAD else 0
        if diaspora:
            services.financing_line_add(
                dossier=dossier, actor=promoter_user, source="diaspora", amount=diaspora, label="Association des ressortissants"
            )
        services.financing_line_add(
            dossier=dossier, actor=promoter_user, source="grant" if number % 3 else "loan",
            amount=total - own - diaspora, label="FAISE" if number % 3 else "Mutuelle d'épargne et de crédit",
        )
    required = list(required_document_types(dossier))
    # Early drafts miss some papers, so that readiness varies.
    kept = required if status != DossierStatus.DRAFT else required[: 1 + number % len(required)]
    for document_type in kept:
        services.document_upload(
            dossier=dossier, actor=promoter_user, document_type=document_type,
            uploaded_file=ContentFile(demo_pdf(f"{document_type.label_fr} - {title}"), name="demo.pdf"),
        )
    if status == CR:
        services.review_comment_add(dossier=dossier, author=advisor, section="market", body=COMMENTS[CR])
    for target in PATHS[status]:
        actor = promoter_user if target in (S, DossierStatus.WITHDRAWN) else (
            admin if target in (DossierStatus.FUNDED, DossierStatus.NOT_FUNDED, DossierStatus.IN_IMPLEMENTATION, DossierStatus.CLOSED)
            else advisor
        )
        services.dossier_transition(dossier=dossier, actor=actor, to_status=target, comment=COMMENTS.get(target, ""), notify=False)
    _spread_in_time(dossier, days_ago=3 + number * 4)


def _spread_in_time(dossier, *, days_ago: int) -> None:
    """Date the demo's history over the past weeks, so that the queue shows real waiting times."""
    start = timezone.now() - timedelta(days=days_ago)
    transitions = list(DossierTransition.objects.filter(dossier=dossier).order_by("pk"))
    for step, transition in enumerate(transitions):
        DossierTransition.objects.filter(pk=transition.pk).update(created_at=start + timedelta(days=step))
    if transitions:
        submitted = [t for t in transitions if t.to_status == S]
        ProjectDossier.objects.filter(pk=dossier.pk).update(
            submitted_at=start + timedelta(days=transitions.index(submitted[-1])) if submitted else None,
            status_changed_at=start + timedelta(days=len(transitions) - 1),
        )
