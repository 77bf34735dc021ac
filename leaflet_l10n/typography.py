"""Typography per writing system: fonts, line height, digits, and the order languages are listed in.

The script of a language comes from CLDR's likely subtags (`ur` → `Arab`), its
digits from CLDR's default numbering system; only the choice of system fonts for
each script is ours.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import icu
from babel import Locale
from babel.core import get_global


@dataclass(frozen=True)
class Typography:
    fonts: tuple[str, ...]
    line_height: float = 1.5          # body text
    heading_line_height: float = 1.25
    # Arabic and Indic letters look smaller than Latin at the same size: scaled to read the same.
    font_scale: float = 1.0


_LATIN = Typography(("Noto Sans",))
TYPOGRAPHY: dict[str, Typography] = {
    "Latn": _LATIN,
    "Arab": Typography(("Noto Naskh Arabic", "Noto Sans Arabic"), 1.8, 1.5, 1.15),
    "Beng": Typography(("Noto Sans Bengali",), 1.7, 1.45, 1.1),
    "Guru": Typography(("Noto Sans Gurmukhi",), 1.7, 1.45, 1.1),
    "Gujr": Typography(("Noto Sans Gujarati",), 1.7, 1.45, 1.1),
    "Ethi": Typography(("Noto Sans Ethiopic",), 1.7, 1.45),
    "Hans": Typography(("Noto Sans CJK SC",), 1.7, 1.4),
}
# Nastaliq slopes down to the left and stacks letters: it needs far more room.
_URDU_NASTALIQ = Typography(("Noto Nastaliq Urdu", "Noto Naskh Arabic"), 2.4, 2.1, 1.15)


def script_of(locale: Locale) -> str:
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags")
    full = likely.get(str(locale)) or likely.get(locale.language, "")
    parts = full.split("_")
    return parts[1] if len(parts) > 1 else "Latn"


def typography(locale: Locale) -> Typography:
    if locale.language == "ur":
        return _URDU_NASTALIQ
    return TYPOGRAPHY.get(script_of(locale), _LATIN)


def font_stack(locale: Locale) -> str:
    """A CSS font-family value: the script's fonts, Latin for names and numbers, then any Noto."""
    fonts = [*typography(locale).fonts, *_LATIN.fonts]
    return ", ".join(f'"{name}"' for name in dict.fromkeys(fonts)) + ", sans-serif"


def scan_order(languages):
    """Source language first, then Latin-script names alphabetically, then each other
    script together (Arabic, Bengali, …), so a patient finds their script at a glance.
    Within a script, names follow CLDR's root collation (Persian پ after ب, not after ي
    as in code-point order): the list mixes languages, so no one language's order applies."""
    collate = _root_collator().getSortKey

    def key(language):
        script = script_of(language.locale)
        return (not language.is_source, script != "Latn", script, collate(language.native_name))
    return sorted(languages, key=key)


@lru_cache(maxsize=1)
def _root_collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale.getRoot())


# CLDR numbering system → the CSS counter style that writes the same digits
# (all predefined in CSS Counter Styles and in WeasyPrint), and its zero's Unicode name.
NUMBERING_SYSTEMS = {
    "latn": ("decimal", "DIGIT ZERO"),
    "arab": ("arabic-indic", "ARABIC-INDIC DIGIT ZERO"),
    "arabext": ("persian", "EXTENDED ARABIC-INDIC DIGIT ZERO"),
    "beng": ("bengali", "BENGALI DIGIT ZERO"),
    "deva": ("devanagari", "DEVANAGARI DIGIT ZERO"),
    "guru": ("gurmukhi", "GURMUKHI DIGIT ZERO"),
    "gujr": ("gujarati", "GUJARATI DIGIT ZERO"),
    "knda": ("kannada", "KANNADA DIGIT ZERO"),
    "mlym": ("malayalam", "MALAYALAM DIGIT ZERO"),
    "mymr": ("myanmar", "MYANMAR DIGIT ZERO"),
    "orya": ("oriya", "ORIYA DIGIT ZERO"),
    "tamldec": ("tamil", "TAMIL DIGIT ZERO"),
    "telu": ("telugu", "TELUGU DIGIT ZERO"),
    "thai": ("thai", "THAI DIGIT ZERO"),
    "tibt": ("tibetan", "TIBETAN DIGIT ZERO"),
    "khmr": ("khmer", "KHMER DIGIT ZERO"),
    "laoo": ("lao", "LAO DIGIT ZERO"),
}


def _system(locale: Locale) -> str:
    system = locale.default_numbering_system
    return system if system in NUMBERING_SYSTEMS else "latn"


def counter_style(locale: Locale) -> str:
    return NUMBERING_SYSTEMS[_system(locale)][0]


def localise_digits(text: str, locale: Locale) -> str:
    """Rewrite ASCII digits in the locale's default digits: 2022 → ۲۰۲۲ in Persian."""
    zero = ord(unicodedata.lookup(NUMBERING_SYSTEMS[_system(locale)][1]))
    return text.translate({ord("0") + i: zero + i for i in range(10)})
