from django.template import Context, Template
from django.utils import translation

from hom.formatting import format_fcfa


def test_fcfa_amounts_have_thin_space_thousands_and_no_decimals():
    assert format_fcfa(8000000) == "8\u202f000\u202f000\u00a0FCFA"
    assert format_fcfa("1500.6") == "1\u202f501\u00a0FCFA"
    assert format_fcfa(-2500, with_unit=False) == "-2\u202f500"
    assert format_fcfa(None) == ""


def test_fcfa_filter_is_available_in_every_template():
    rendered = Template("{{ amount|fcfa }}").render(Context({"amount": 15000000}))

    assert rendered == "15\u202f000\u202f000\u00a0FCFA"


def test_dates_are_day_first_in_both_languages():
    template = Template("{{ day|date:'SHORT_DATE_FORMAT' }}")
    import datetime

    for language in ("fr", "en"):
        with translation.override(language):
            assert template.render(Context({"day": datetime.date(2026, 11, 27)})) == "27/11/2026"
