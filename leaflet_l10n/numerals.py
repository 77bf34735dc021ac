"""The digits a language writes by default (CLDR), in text and in CSS page counters."""
from __future__ import annotations

import unicodedata

from babel import Locale

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
