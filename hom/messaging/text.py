"""Length and encoding of an SMS (3GPP TS 23.038), and cutting a text to fit.

A text made only of the GSM-7 alphabet (basic table, plus the extension table whose characters
count twice: an escape then the character) is sent in GSM-7: 160 characters in one segment,
153 per segment when it is split. One character outside it (``ê``, ``ç``, ``’``, an emoji) makes
the whole text UCS-2: 70 UTF-16 units in one segment, 67 per segment when split. ``é``, ``è``,
``à``, ``ù``, ``ì``, ``ò`` and ``Ç`` are GSM-7; ``ê``, ``â``, ``î``, ``ô``, ``û``, ``ë``, ``ï``, ``ç``
are not. A split never cuts an escape pair or a surrogate pair, as phones do.
"""
from typing import NamedTuple

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7, UCS2 = "GSM-7", "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
PER_PART = {GSM7: 153, UCS2: 67}
# What a cut text ends with: "…" is not GSM-7, so a GSM-7 text ends with three dots instead
# (one "…" would turn the whole text into UCS-2 and more than halve what fits).
ELLIPSIS = {GSM7: "...", UCS2: "…"}


class Segments(NamedTuple):
    encoding: str  # "GSM-7" or "UCS-2"
    length: int  # septets (GSM-7, extension characters count 2) or UTF-16 units (UCS-2)
    count: int  # segments the text is sent in (0 for an empty text)


def encoding_of(text: str) -> str:
    return GSM7 if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text) else UCS2


def _units(char: str, encoding: str) -> int:
    if encoding == GSM7:
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def sms_segments(text: str) -> Segments:
    """``Segments(encoding, length, count)`` of ``text`` as an SMS."""
    encoding = encoding_of(text)
    units = [_units(char, encoding) for char in text]
    length = sum(units)
    if length == 0:
        return Segments(encoding, 0, 0)
    if length <= SINGLE[encoding]:
        return Segments(encoding, length, 1)
    count, used = 1, 0
    for size in units:  # pack whole characters: an escape or surrogate pair is never split
        if used + size > PER_PART[encoding]:
            count, used = count + 1, 0
        used += size
    return Segments(encoding, length, count)


def fit_sms(text: str, max_segments: int = 2) -> str:
    """``text`` itself when it fits in ``max_segments``; else cut (at a word when one is near) and
    ended with an ellipsis, within ``max_segments``."""
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")
    if sms_segments(text).count <= max_segments:
        return text
    ellipsis = ELLIPSIS[encoding_of(text)]

    def fits(size: int) -> bool:
        return sms_segments(text[:size].rstrip() + ellipsis).count <= max_segments

    # Longer prefixes never take fewer segments: the longest that fits is found by bisection.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    cut = text[:low]
    word_end = cut.rfind(" ")
    if word_end > 0 and len(cut) - word_end <= 20:
        cut = cut[:word_end]
    return cut.rstrip() + ellipsis


__all__ = ["Segments", "sms_segments", "fit_sms", "encoding_of"]
