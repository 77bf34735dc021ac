"""Plural forms from CLDR, in the form gettext's `Plural-Forms` header needs."""
from __future__ import annotations

import gettext
import re
from functools import lru_cache

from babel import Locale
from babel.plural import to_gettext

# CLDR rules may test the compact exponent `e` or `c`; for the whole numbers
# gettext sees they are always 0, and gettext has no such variable.
_EXPONENT_OPERAND = re.compile(r"\b[ce]\b")


def plural_forms(locale: Locale) -> str:
    """`nplurals=N; plural=EXPR;` with one form per CLDR plural category."""
    return _EXPONENT_OPERAND.sub("0", to_gettext(locale.plural_form))


def same_plural_rule(expression: str, locale: Locale) -> bool:
    """Whether a catalogue's plural expression picks CLDR's form for every count up to 1000
    (gettext compiles both; the pofile reader has already refused one it cannot)."""
    return _same_rule(expression, plural_forms(locale).split("plural=", 1)[1].rstrip(";"))


@lru_cache(maxsize=64)
def _same_rule(expression: str, cldr: str) -> bool:
    ours, theirs = gettext.c2py(cldr), gettext.c2py(expression)
    return all(ours(n) == theirs(n) for n in range(1001))


def plural_count(locale: Locale) -> int:
    return len(locale.plural_form.tags | {"other"})
