"""Typography per writing system: which fonts, how much line height.

The script of a language comes from CLDR's likely subtags (`ur` → `Arab`);
only the choice of system fonts for each script is ours.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from babel import Locale
from babel.core import get_global


@dataclass(frozen=True)
class Typography:
    fonts: tuple[str, ...]
    line_height: float = 1.5          # body text
    heading_line_height: float = 1.25


_LATIN = Typography(("Noto Sans",))
TYPOGRAPHY: dict[str, Typography] = {
    "Latn": _LATIN,
    "Arab": Typography(("Noto Naskh Arabic", "Noto Sans Arabic"), 1.8, 1.5),
    "Beng": Typography(("Noto Sans Bengali",), 1.7, 1.45),
    "Guru": Typography(("Noto Sans Gurmukhi",), 1.7, 1.45),
    "Gujr": Typography(("Noto Sans Gujarati",), 1.7, 1.45),
    "Ethi": Typography(("Noto Sans Ethiopic",), 1.7, 1.45),
    "Hans": Typography(("Noto Sans CJK SC",), 1.7, 1.4),
}
# Nastaliq slopes down to the left and stacks letters: it needs far more room.
_URDU_NASTALIQ = Typography(("Noto Nastaliq Urdu", "Noto Naskh Arabic"), 2.4, 2.1)


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
    script together (Arabic, Bengali, …), so a patient finds their script at a glance."""
    def key(language):
        script = script_of(language.locale)
        name = unicodedata.normalize("NFKD", language.native_name).casefold()
        return (not language.is_source, script != "Latn", script, name)
    return sorted(languages, key=key)
