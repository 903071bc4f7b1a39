"""The consent texts a person is shown, versioned (issue 15).

A consent text is a legal text: it is kept here, in code, in French and English, and never
changed once in use. A new wording is a new version added at the end of ``VERSIONS`` with the
date it comes into force; the older versions stay, so that the version a record says its person
agreed to can always be shown again (the person's page, the data export).

``migrants.services`` records on the person which version was in force when the consent was
given (``Migrant.consent_version``, with ``consent_given_on``): at the desk, at online sign-up
(kept with the pending sign-up or the link request until it enters the registry), by import.
The desk's registration form and the sign-up form show the current text; the printable consent
form (``migrants:consent_form``) carries it with signature lines.
"""
from dataclasses import dataclass
from datetime import date

from django.utils import translation


@dataclass(frozen=True)
class ConsentText:
    version: str
    in_force_from: date
    # One paragraph per item, the three choices in the order of the form: processing, sharing, contact.
    fr: tuple[str, ...]
    en: tuple[str, ...]

    def paragraphs(self, language: str | None = None) -> tuple[str, ...]:
        language = (language or translation.get_language() or "fr")[:2]
        return self.en if language == "en" else self.fr


VERSIONS = (
    ConsentText(
        version="2025-01",
        in_force_from=date(2020, 1, 1),
        fr=(
            "J'accepte que le Bureau d'appui aux migrants traite mes données pour m'orienter.",
            "J'accepte que mes données soient partagées avec les organisations partenaires.",
            "J'accepte d'être contacté(e) au sujet d'opportunités.",
        ),
        en=(
            "I agree that the Help Office for Migrants processes my data to guide me.",
            "I agree that my data is shared with partner organisations.",
            "I agree to be contacted about opportunities.",
        ),
    ),
    ConsentText(
        version="2026-11",
        in_force_from=date(2026, 11, 1),
        fr=(
            "J'accepte que le Bureau d'appui aux migrants de l'ARD enregistre et traite mes données (identité, "
            "contacts, parcours, visites, projets) pour m'orienter et m'accompagner, conformément à la loi "
            "n° 2008-12 sur la protection des données à caractère personnel. Je peux consulter mes données, "
            "les faire corriger, retirer mon consentement et demander leur effacement à tout moment auprès du "
            "bureau ou depuis mon compte.",
            "J'accepte que mon nom et mon projet soient communiqués aux organisations partenaires (associations "
            "de la diaspora, ONG, collectivités, bailleurs) avec lesquelles le bureau me met en relation ou qui "
            "organisent les activités auxquelles je participe. Sans cet accord, les partenaires ne voient que "
            "des nombres, jamais mon nom.",
            "J'accepte d'être contacté(e) par téléphone, WhatsApp ou courriel au sujet de formations, de "
            "financements et d'autres opportunités.",
        ),
        en=(
            "I agree that the ARD's Help Office for Migrants records and processes my data (identity, contact "
            "details, background, visits, projects) to guide and support me, under law no. 2008-12 on the "
            "protection of personal data. I may read my data, have it corrected, withdraw my consent and ask "
            "for its erasure at any time, at the office or from my account.",
            "I agree that my name and my project are given to the partner organisations (diaspora associations, "
            "NGOs, local authorities, funders) the office introduces me to or which run the activities I take "
            "part in. Without this agreement, partners only see numbers, never my name.",
            "I agree to be contacted by phone, WhatsApp or email about trainings, funding and other "
            "opportunities.",
        ),
    ),
)
BY_VERSION = {text.version: text for text in VERSIONS}
CURRENT = VERSIONS[-1]
CURRENT_VERSION = CURRENT.version


def consent_text(version: str) -> ConsentText | None:
    """The text of ``version``, or None for a record whose version is not known (registered before versions)."""
    return BY_VERSION.get(version or "")


def version_in_force(on: date) -> str:
    """The version in force on ``on``: a registration typed in later (an archive) gets the text of its day."""
    in_force = [text for text in VERSIONS if text.in_force_from <= on]
    return (in_force[-1] if in_force else VERSIONS[0]).version
