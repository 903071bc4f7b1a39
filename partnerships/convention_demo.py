"""Demo convention like the case study's (ARD Sédhiou, Grdr and the three departmental councils)."""


def seed(stdout=None) -> None:
    """Nothing yet: the conventions are being built."""
