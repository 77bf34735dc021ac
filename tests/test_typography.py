from types import SimpleNamespace

from babel import Locale

from leaflet_l10n import load_project
from leaflet_l10n.typography import counter_style, font_stack, localise_digits, scan_order, script_of, typography

from conftest import REPO


def test_script_comes_from_cldr_likely_subtags():
    assert [script_of(Locale.parse(c)) for c in ("cy", "ur", "bn", "pa", "zh_Hans", "ti")] == \
        ["Latn", "Arab", "Beng", "Guru", "Hans", "Ethi"]


def test_each_script_has_its_fonts_and_nastaliq_needs_room():
    assert font_stack(Locale.parse("ur")).startswith('"Noto Nastaliq Urdu"')
    assert font_stack(Locale.parse("ar")).startswith('"Noto Naskh Arabic"')
    assert font_stack(Locale.parse("zh_Hans")).startswith('"Noto Sans CJK SC"')
    assert '"Noto Sans"' in font_stack(Locale.parse("bn")), "Latin names and numbers need a Latin font"
    assert typography(Locale.parse("ur")).line_height > typography(Locale.parse("ar")).line_height \
        > typography(Locale.parse("cy")).line_height


def test_switcher_order_groups_scripts_after_the_source():
    names = [language.native_name for language in scan_order(load_project(REPO).all_languages)]
    assert names[0] == "English"
    latin = [n for n in names[1:] if n.isascii() or n in ("español", "lietuvių", "português", "română", "Türkçe")]
    assert names[1:1 + len(latin)] == sorted(latin, key=str.casefold)


def test_languages_whose_cldr_default_digits_are_not_latin():
    assert localise_digits("22 سپتامبر 2022", Locale.parse("fa")) == "۲۲ سپتامبر ۲۰۲۲"
    assert localise_digits("22 সেপ্টেম্বর, 2022", Locale.parse("bn")) == "২২ সেপ্টেম্বর, ২০২২"
    assert (counter_style(Locale.parse("fa")), counter_style(Locale.parse("bn"))) == ("persian", "bengali")


def test_latin_digit_languages_are_left_alone():
    for code in ("cy", "ar", "ur", "zh_Hans", "ti"):
        assert localise_digits("22 2022", Locale.parse(code)) == "22 2022"
        assert counter_style(Locale.parse(code)) == "decimal"


def test_names_in_one_script_follow_cldr_collation_not_code_points():
    """Code points put Persian پ (U+067E) after every Arabic letter; CLDR puts it after ب."""
    names = {"ps": "پښتو", "sd": "سنڌي", "bal": "بلوچی", "cy": "Cymraeg", "et": "eesti", "cs": "čeština"}
    languages = [SimpleNamespace(locale=Locale.parse(code), is_source=False, native_name=name)
                 for code, name in names.items()]
    assert [language.native_name for language in scan_order(languages)] == \
        ["čeština", "Cymraeg", "eesti", "بلوچی", "پښتو", "سنڌي"]
