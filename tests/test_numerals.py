from babel import Locale

from leaflet_l10n.numerals import counter_style, localise_digits


def test_languages_whose_cldr_default_digits_are_not_latin():
    assert localise_digits("22 سپتامبر 2022", Locale.parse("fa")) == "۲۲ سپتامبر ۲۰۲۲"
    assert localise_digits("22 সেপ্টেম্বর, 2022", Locale.parse("bn")) == "২২ সেপ্টেম্বর, ২০২২"
    assert (counter_style(Locale.parse("fa")), counter_style(Locale.parse("bn"))) == ("persian", "bengali")


def test_latin_digit_languages_are_left_alone():
    for code in ("cy", "ar", "ur", "zh_Hans", "ti"):
        assert localise_digits("22 2022", Locale.parse(code)) == "22 2022"
        assert counter_style(Locale.parse(code)) == "decimal"
