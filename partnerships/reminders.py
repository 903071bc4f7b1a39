"""Due items of partnerships for the reminders (hom.notifications): providers registered on the AppConfig.

Each takes ``(today, office, recipient=None)`` and yields ``hom.notifications.due.DueItem``.
"""


def introductions_due(today, office, recipient=None):
    """Introductions whose follow-up date has come (to be written)."""
    return iter(())


def convention_reports_due(today, office, recipient=None):
    """Convention reports due within 7 days or late (to be written)."""
    return iter(())


def meeting_actions_due(today, office, recipient=None):
    """Meeting action items due or overdue, to their owner (to be written)."""
    return iter(())
