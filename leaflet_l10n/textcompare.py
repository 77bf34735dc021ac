"""Comparing a translation with its English: numbers, links, placeholders, diffs.

Pure functions over strings, so each can be tested on its own.
"""
from __future__ import annotations

import difflib
import re
import string
import unicodedata
from collections import Counter
from functools import lru_cache

# A run of decimal digits in any script: 30, ٣٠, ۳۰ and ৩০ are all 30.
_DIGITS = re.compile(r"\d+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+[^\s<>\"').,;:!?]", re.IGNORECASE)
FORMAT_PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{[A-Za-z_]\w*\}")
_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
# Words whose change alters a medical instruction: amounts, timing, frequency, negation.
_HIGH_RISK = re.compile(
    r"^(?:\d+|mg|mcg|µg|g|kg|ml|l|mmol|units?|percent|%|seconds?|minutes?|hours?|days?|weeks?|"
    r"months?|years?|daily|weekly|monthly|once|twice|times?|every|each|hourly|dose|doses|tablets?|"
    r"capsules?|drops?|not|no|never|none|nothing|without|don't|doesn't|isn't|aren't|can't|cannot|"
    r"won't|shouldn't|mustn't|avoid|stop|before|after|maximum|minimum|more|less|fewer|morning|"
    r"evening|night|one|two|three|four|five|six|seven|eight|nine|ten|half|quarter)$", re.IGNORECASE)


# Sentence ends in the scripts we serve: Latin, CJK, Arabic/Urdu, Devanagari/Bengali, Ethiopic.
_SENTENCE_END = re.compile(r"[。？！]+|[.?!؟۔।॥።፧]+(?=\s|$|[\"'”’)）」])")


def sentence_count(text: str) -> int:
    """Sentences, counted by their closing punctuation; a text without any is one sentence."""
    text = _URL.sub("", text)
    return max(1, len(_SENTENCE_END.findall(text.strip())))


def numbers(text: str) -> Counter[int]:
    """Every number in the text, whatever the digits' script."""
    return Counter(int("".join(str(unicodedata.decimal(ch)) for ch in run)) for run in _DIGITS.findall(text))


def urls(text: str) -> Counter[str]:
    return Counter(url.lower() for url in _URL.findall(text))


def format_placeholders(text: str) -> Counter[str]:
    return Counter(match for match in FORMAT_PLACEHOLDER.findall(text) if match != "%%")


_PERCENT_NAME = re.compile(r"%\(([^)]*)\)[-#0 +]*\d*(?:\.\d+)?([a-zA-Z%]?)")
# A value of the type the English's placeholder formats (a date is text, a count a number).
_PROBE_VALUES = {"s": "text", "r": "text", "a": "text", "c": "x"}
_PERCENT_SEQUENCE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?.?", re.DOTALL)


def format_error(source: str, translation: str) -> str | None:
    """Why Python would refuse to format an interface translation with the English's values, if it would.

    Jinja's gettext %-formats every interface string, placeholders or not; brace fields
    are checked where the English has them. Python itself is asked, with a value for
    each of the English's names. (Leaflet text is never formatted.)"""
    values = {name: _PROBE_VALUES.get(conversion, 1) for name, conversion in _PERCENT_NAME.findall(source)}
    try:
        translation % values
    except KeyError as exc:
        return f"%({exc.args[0]})… is not a placeholder of the English"
    except (ValueError, TypeError) as exc:
        known = {"%%", *_PERCENT_SEQUENCE.findall(source)}
        stray = [repr(p) for p in _PERCENT_SEQUENCE.findall(translation) if p not in known]
        what = f"{', '.join(stray)} is not a placeholder of the English" if stray else str(exc)
        return f"{what}; write a literal per cent sign as %%"
    fields = _brace_fields(source)
    if fields:
        try:
            translation.format_map({name: 1 for name in fields})
        except KeyError as exc:
            return f"{{{exc.args[0]}}} is not a placeholder of the English"
        except (ValueError, IndexError, AttributeError) as exc:
            return f"{exc}; write a literal brace as {{{{ or }}}}"
    return None


def _brace_fields(text: str) -> set[str]:
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}
    except ValueError:           # the English is not a format string: its braces are text
        return set()


# Joiners (ZWJ, ZWNJ) and directional marks (LRM, RLM) are left alone: scripts need them.
_NEEDED_INVISIBLES = {"\u200c", "\u200d", "\u200e", "\u200f"}


def hidden_characters(text: str) -> list[str]:
    """Characters that hide or reorder text: every control (Cc) and format (Cf) character, such as
    bidi overrides, zero-width spaces, word joiners, tag characters and byte-order marks."""
    return [f"U+{ord(ch):04X}" for ch in text
            if unicodedata.category(ch) in ("Cc", "Cf") and ch not in _NEEDED_INVISIBLES]


def contains_term(text: str, term: str) -> bool:
    """Case-sensitive, not inside a longer Latin word: 'NHS' is in 'the NHS website' and
    in Chinese 'NHS网站', not in 'NHSX'."""
    return term in text and _term_pattern(term).search(text) is not None


def contains_word(text: str, word: str) -> bool:
    """Any case, not inside a longer word of any script."""
    return _word_pattern(word).search(text) is not None


@lru_cache(maxsize=1024)          # a glossary has a few terms; each is tried against every entry
def _term_pattern(term: str) -> re.Pattern:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])")


@lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


def word_diff(old: str, new: str) -> str:
    """'[-30-]{+20+}' style: what was removed and added, in context."""
    old_words, new_words = old.split(), new.split()
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        if op == "equal":
            parts.extend(old_words[a1:a2])
            continue
        if a2 > a1:
            parts.append("[-" + " ".join(old_words[a1:a2]) + "-]")
        if b2 > b1:
            parts.append("{+" + " ".join(new_words[b1:b2]) + "+}")
    return " ".join(parts)


def closest(text: str, candidates: list[str]) -> str | None:
    """The candidate most like `text`, as gettext's fuzzy matching would pick it, if any is close."""
    # Not difflib.get_close_matches: its autojunk heuristic ignores common characters in texts over
    # 200 characters and misses the closest old paragraph (Babel fixed the same bug, babel#969).
    scored = [(difflib.SequenceMatcher(None, candidate, text, autojunk=False).ratio(), candidate)
              for candidate in candidates]
    ratio, best = max(scored, default=(0.0, None))
    return best if ratio >= 0.5 else None


def change_risk(old: str, new: str) -> str:
    """How dangerous a change of the English is for a translation that was not revised.

    high: a number, unit, time, dose, frequency or negation changed;
    low: only punctuation, whitespace or case changed; medium: anything else."""
    if _words(old) == _words(new):
        return "low"
    before, after = Counter(_tokens(old)), Counter(_tokens(new))
    changed = (before - after) + (after - before)  # tokens found on one side only
    if numbers(old) != numbers(new) or any(_HIGH_RISK.match(token) for token in changed):
        return "high"
    return "medium"


def _tokens(text: str) -> list[str]:
    return [token.lower() for token in _WORD.findall(text)]


def _words(text: str) -> list[str]:
    return [token for token in _tokens(text) if token[0].isalnum() or token[0] == "_"]
