"""FCFA amounts typed the Senegalese way (hom.amounts, hom.fields.FCFAField)."""
import pytest
from django.core.exceptions import ValidationError

from hom.amounts import MAX_AMOUNT, parse_fcfa
from hom.fields import FCFAField


@pytest.mark.parametrize("typed", ["75000", "75 000", "75\u00a0000", "75\u202f000", "75.000", " 75 000 "])
def test_every_way_of_writing_seventy_five_thousand_means_75_000(typed):
    assert parse_fcfa(typed) == 75_000


@pytest.mark.parametrize("typed", ["1 250 000", "1.250.000", "1250000"])
def test_millions_are_read_with_their_groups(typed):
    assert parse_fcfa(typed) == 1_250_000


@pytest.mark.parametrize(
    "typed", ["75,5", "7.50", "75.00.0", "75 00", "1.000 000", "75k", "soixante", "-5", "75,000", "1e6", "0x10"]
)
def test_what_could_mean_two_amounts_is_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as refusal:
        parse_fcfa(typed)

    assert "75 000" in str(refusal.value.messages[0]) or "75000" in str(refusal.value.messages[0])


@pytest.mark.parametrize("typed", ["9223372036854775807", "1 000 000 000 001", "9" * 5000])
def test_absurd_amounts_get_a_message_not_an_overflow(typed):
    with pytest.raises(ValidationError) as refusal:
        parse_fcfa(typed)

    assert refusal.value.code == "max_value"


def test_the_ceiling_itself_is_accepted_and_empty_means_nothing():
    assert parse_fcfa(str(MAX_AMOUNT)) == MAX_AMOUNT
    assert parse_fcfa("") is None
    assert parse_fcfa("   ") is None


def test_the_form_field_shows_its_message_on_the_field_and_groups_thousands():
    field = FCFAField(label="Montant", min_value=1)

    assert field.clean("75.000") == 75_000
    with pytest.raises(ValidationError):
        field.clean("0")
    assert field.widget.format_value(75_000) == "75 000"
    assert field.widget.attrs["inputmode"] == "numeric"
