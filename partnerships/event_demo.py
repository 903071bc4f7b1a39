"""Demo meeting with its action items on the demo convention, and demo events."""


def seed(stdout=None) -> None:
    """Nothing yet: meetings and events are being built."""
