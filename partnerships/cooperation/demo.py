"""Demo cooperation introductions (issue 24, part 3), called by ``partnerships.demo.seed``.

The commune of Sédhiou is introduced to the Associació Amic de Sedhiou Kandeemaa (Sabadell, in
the demo directory from ``data/diaspora.csv``) for a project, moved to "accepted"; its authority
(commune@demo.hom) asked for a twinning, answered by an introduction to a foreign local
authority (a demonstration organisation, named so, not published); a second request waits for
the office.

Idempotent: an introduction is recognised by its commune and organisation, a request by its text.
"""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hom.accounts.models import Office, Role, User
from hom.territories.models import Commune
from partnerships.models import Organisation, OrganisationKind, RecordSource
from partnerships.services import organisation_create

from .models import CooperationIntroduction, CooperationPurpose, CooperationRequest, CooperationStatus
from .services import cooperation_create, cooperation_move, cooperation_request_create

FOREIGN_AUTHORITY = ("Ajuntament de Sabadell (démonstration)", "ES", "Sabadell")
TWINNING_REQUEST = "Une commune jumelle en Catalogne, où vivent beaucoup de ressortissants de Sédhiou."
WAITING_REQUEST = "Un partenaire pour équiper la maison des jeunes (formation aux métiers du numérique)."


def _foreign_authority() -> Organisation:
    name, country, city = FOREIGN_AUTHORITY
    return Organisation.objects.filter(name=name, country=country, city=city).first() or organisation_create(
        name=name, kind=OrganisationKind.FOREIGN_LOCAL_AUTHORITY, country=country, city=city,
        source=RecordSource.REFERRAL, description="Collectivité de démonstration : elle illustre la coopération décentralisée.",
    )


def _request(commune, authority, looking_for, purpose) -> CooperationRequest:
    return CooperationRequest.objects.filter(commune=commune, looking_for=looking_for).first() or (
        cooperation_request_create(commune=commune, requested_by=authority, looking_for=looking_for, purpose=purpose)
    )


@transaction.atomic
def seed(stdout=None) -> None:
    office = Office.objects.filter(code="SED").first()
    advisor = User.objects.filter(office=office, role=Role.ADVISOR).order_by("pk").first()
    authority = User.objects.filter(role=Role.AUTHORITY, email="commune@demo.hom").first()
    sedhiou = Commune.objects.filter(code="SN1103_SEDHIOU").first()
    association = Organisation.objects.filter(name__startswith="Associació Amic de Sedhiou").order_by("pk").first()
    if None in (office, advisor, sedhiou, association):
        return
    today = timezone.localdate()
    if not CooperationIntroduction.objects.filter(commune=sedhiou, organisation=association).exists():
        introduction = cooperation_create(
            commune=sedhiou, organisation=association, introduced_by=advisor, purpose=CooperationPurpose.PROJECT,
            description="Rencontre entre la mairie et l'association pour le forage et le jardin maraîcher "
                        "des femmes du quartier Moricounda.",
            introduced_on=today - timedelta(days=20),
        )
        cooperation_move(introduction=introduction, moved_by=advisor, status=CooperationStatus.ACCEPTED,
                         outcome="L'association présentera le projet à son assemblée générale.",
                         follow_up_on=today + timedelta(days=10))
    foreign = _foreign_authority()
    if authority is not None and not CooperationIntroduction.objects.filter(commune=sedhiou, organisation=foreign).exists():
        request = _request(sedhiou, authority, TWINNING_REQUEST, CooperationPurpose.TWINNING)
        cooperation_create(
            commune=sedhiou, organisation=foreign, introduced_by=advisor, purpose=CooperationPurpose.TWINNING,
            description="Premier échange de courriers entre les deux maires, à l'initiative des ressortissants.",
            follow_up_on=today + timedelta(days=30), request=request,
        )
    if authority is not None:
        _request(sedhiou, authority, WAITING_REQUEST, CooperationPurpose.INVESTMENT)
    if stdout:
        stdout.write("Cooperation: the commune of Sédhiou's introductions and requests in the demo.")
