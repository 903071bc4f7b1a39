"""Segments and encoding (GSM-7 vs UCS-2), and cutting a text to fit."""
from hypothesis import given, settings
from hypothesis import strategies as st

from hom.messaging.text import Segments, fit_sms, sms_segments


def test_pure_gsm7_is_160_in_one_segment_then_153_per_segment():
    assert sms_segments("a" * 160) == Segments("GSM-7", 160, 1)
    assert sms_segments("a" * 161) == Segments("GSM-7", 161, 2)
    assert sms_segments("a" * 306).count == 2 and sms_segments("a" * 307).count == 3
    assert sms_segments("") == Segments("GSM-7", 0, 0)


def test_e_acute_is_gsm7_but_e_circumflex_makes_the_text_ucs2():
    assert sms_segments("Réunion à Sédhiou" + "a" * 143).encoding == "GSM-7"
    assert sms_segments("é" * 160).count == 1
    assert sms_segments("Fête") == Segments("UCS-2", 4, 1)
    assert sms_segments("ê" * 70).count == 1 and sms_segments("ê" * 71).count == 2
    assert sms_segments("ê" * 134).count == 2 and sms_segments("ê" * 135).count == 3
    assert sms_segments("ç").encoding == "UCS-2" and sms_segments("Ç").encoding == "GSM-7"


def test_extension_characters_count_twice_and_are_never_split():
    assert sms_segments("€" * 80) == Segments("GSM-7", 160, 1)
    assert sms_segments("€" * 81).count == 2
    # 152 septets then "€" (2): the escape pair moves whole to the next segment.
    assert sms_segments("a" * 152 + "€" + "a" * 10).count == 2
    assert sms_segments("a" * 152 + "€" + "a" * 152).count == 3


def test_an_emoji_is_two_ucs2_units():
    assert sms_segments("🙂" * 35) == Segments("UCS-2", 70, 1)


def test_fit_sms_keeps_a_short_text_and_cuts_a_long_one_within_two_segments():
    assert fit_sms("Bonjour") == "Bonjour"
    long_text = "Votre dossier avance bien, merci de votre patience. " * 10
    cut = fit_sms(long_text)
    assert sms_segments(cut).count == 2 and cut.endswith("...") and long_text.startswith(cut[:-3])
    accented = "Votre dossier a été examiné : la fête aura lieu à Sédhiou. " * 6
    cut = fit_sms(accented, max_segments=2)
    assert sms_segments(cut) .count <= 2 and cut.endswith("…") and sms_segments(cut).encoding == "UCS-2"
    assert sms_segments(fit_sms(long_text, max_segments=1)).count == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aé €ê{🙂\n") | st.characters(), max_size=700), st.integers(1, 4))
def test_fit_sms_never_exceeds_the_segments_asked(text, max_segments):
    assert sms_segments(fit_sms(text, max_segments)).count <= max_segments
