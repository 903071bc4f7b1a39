"""Demo presentation of the commune of Sédhiou for its public profile. Idempotent."""
from hom.accounts.models import User
from hom.territories.models import Commune

from .models import CommuneProfile
from .services import commune_profile_update

NARRATIVE = (
    "Chef-lieu de région sur le fleuve Casamance, Sédhiou compte une diaspora nombreuse en France, en "
    "Espagne, en Italie et en Gambie. Ses associations de ressortissants financent déjà des forages, "
    "des salles de classe et des périmètres maraîchers.\n\n"
    "La commune cherche des partenaires pour l'agriculture, l'élevage et la transformation des produits locaux."
)


def seed(stdout=None) -> None:
    commune = Commune.objects.filter(code="SN1103_SEDHIOU").first()
    if commune is None or CommuneProfile.objects.filter(commune=commune).exists():
        return
    commune_profile_update(
        commune=commune, actor=User.objects.filter(email="admin@demo.hom").first(), narrative=NARRATIVE
    )
    if stdout:
        stdout.write("reports: presentation of the commune of Sédhiou")
