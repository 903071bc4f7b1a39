"""What moves with a person transferred to another office (migrants.transfers, hook ``transfer_hooks``)."""
from .models import DossierStatus, ProjectDossier

# A dossier still being worked on or carried out; a closed, withdrawn or refused one stays where it was decided.
FINISHED = (DossierStatus.CLOSED, DossierStatus.WITHDRAWN, DossierStatus.NOT_FUNDED)


def move_open_dossiers(*, migrant, from_office, to_office) -> int:
    """The person's open dossiers go to ``to_office`` (their advisor too: the new office assigns one)."""
    dossiers = ProjectDossier.objects.filter(promoter=migrant, office=from_office).exclude(status__in=FINISHED)
    return dossiers.update(office=to_office, advisor=None)
