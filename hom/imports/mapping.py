"""The first guess of the column mapping, from the headers offices usually write."""
from hom.text import normalise


def guess_mapping(headers: list[str], aliases: dict[str, set[str]]) -> dict[str, str]:
    """``{field: header}`` for every field whose normalised alias is one of the headers (first match wins)."""
    mapping = {}
    for target, names in aliases.items():
        for header in headers:
            if normalise(header) in names:
                mapping[target] = header
                break
    return mapping
