"""Text normalisation for tolerant search: lower case, no accents, single spaces.

The same function fills ``Migrant.search_name`` (in the services) and prepares the
query, so "Diedhiou" finds "Diédhiou" on every database.
"""
import unicodedata


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    cleaned = "".join(char if char.isalnum() else " " for char in stripped.casefold())
    return " ".join(cleaned.split())


def search_name_for(first_name: str, last_name: str) -> str:
    return normalise(f"{first_name} {last_name}")
