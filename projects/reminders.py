"""Due items of projects for the reminders (hom.notifications): providers registered on the AppConfig."""


def funding_deadlines(today, office, recipient=None):
    """Funding deadlines within 14 days for shortlisted dossiers (to be written)."""
    return iter(())
