"""Reads of meetings, action items and events."""


def convention_meetings_panel(convention, *, today=None) -> dict:
    """What a convention's page shows of its meetings: the last, the next, and the open actions."""
    return {"last_meeting": None, "next_meeting": None, "open_actions": []}
