"""Pseudo-translations that show layout problems before real translations arrive.

en-XA: every letter accented and the text about 35% longer, in brackets, so
clipped, concatenated or hard-coded text stands out. ar-XB: the English with each
word mirrored, on a right-to-left page, so an unmirrored layout stands out.
Tags and placeholders are kept, so the pseudo-text renders like a real translation.
"""
from __future__ import annotations

import math
import re

from babel.messages.catalog import Catalog

from . import markup
from .config import Language
from .textcompare import FORMAT_PLACEHOLDER

_ACCENTED = str.maketrans("aceinosuyACEINOSUYz", "áçéîñöšüýÅÇÉÎÑÖŠÜÝž")
_KEPT = re.compile(f"{markup.TAG.pattern}|{FORMAT_PLACEHOLDER.pattern}|https?://\\S+|www\\.\\S+")
_FILLER = "one two three four five six seven eight nine ten".split()
_RLO, _PDF = "\u202e", "\u202c"   # right-to-left override, pop directional formatting


def _map_text(text: str, change) -> str:
    """Apply `change` to the words only, never to tags, placeholders or addresses."""
    parts, position = [], 0
    for match in _KEPT.finditer(text):
        parts += [change(text[position:match.start()]), match.group(0)]
        position = match.end()
    return "".join(parts) + change(text[position:])


def accented(text: str) -> str:
    plain_length = len(markup.to_plain(text))
    filler = []
    while len(" ".join(filler)) < math.ceil(plain_length * 0.35):
        filler.append(_FILLER[len(filler) % len(_FILLER)])
    padding = (" " + " ".join(filler)) if filler else ""
    return f"[{_map_text(text, lambda piece: piece.translate(_ACCENTED))}{padding}]"


def mirrored(text: str) -> str:
    return _map_text(text, lambda piece: re.sub(r"\S+", lambda m: f"{_RLO}{m.group(0)}{_PDF}", piece))


def pseudo_catalog(template: Catalog, language: Language) -> Catalog:
    transform = accented if language.code == "en_XA" else mirrored
    catalog = Catalog(locale=language.locale, domain=template.domain)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(transform(i) for i in message.id), flags=message.flags)
        else:
            catalog.add(message.id, transform(message.id), flags=message.flags)
    return catalog
