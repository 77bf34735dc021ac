"""Apply a catalogue to a leaflet's segments.

A segment whose translation is missing, fuzzy (stale) or unsafe falls back to
the English text, marked so templates can label it and set `lang="en"`.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from babel.messages.catalog import Catalog
from markupsafe import Markup

from . import markup
from .catalogs import EntryState, entry_state, strings_of
from .errors import PlaceholderError
from .body import Block, Segment
from .source import Leaflet


class Fallback(str, Enum):
    """Why a segment shows the English: its entry's state, or an error in its translation."""
    UNTRANSLATED = EntryState.UNTRANSLATED.value
    FUZZY = EntryState.FUZZY.value
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Text:
    """A segment as it will be shown."""
    html: Markup
    plain: str
    fallback: Fallback | None = None


@dataclass(frozen=True)
class LocalisedBlock:
    """A block of the body as it will be shown: the source block's structure, its texts localised."""
    source: Block
    texts: tuple[Text, ...]
    children: tuple[LocalisedBlock, ...] = ()

    @property
    def kind(self) -> str:
        return self.source.kind

    def all_texts(self) -> tuple[Text, ...]:
        return (*self.texts, *(t for child in self.children for t in child.all_texts()))


@dataclass(frozen=True)
class LocalisedLeaflet:
    leaflet: Leaflet
    title: Text
    document_type: Text
    blocks: tuple[LocalisedBlock, ...]

    def texts(self) -> tuple[Text, ...]:
        """Every text in the order of `Leaflet.segments()`."""
        return (self.title, self.document_type, *(t for block in self.blocks for t in block.all_texts()))

    @property
    def fallbacks(self) -> int:
        return sum(1 for text in self.texts() if text.fallback)


def _english(segment: Segment, reason: Fallback | None) -> Text:
    return Text(markup.to_html(segment.msgid, segment.placeholders), markup.to_plain(segment.msgid), reason)


def localise_segment(segment: Segment, catalog: Catalog | None, judge=None) -> Text:
    """The segment in the catalogue's language, or the English, marked, where the translation is
    untranslated, fuzzy or (by `judge`, a `checks.Judge`) has any error."""
    if catalog is None:
        return _english(segment, None)
    message = catalog.get(segment.msgid)
    state = entry_state(message)
    if state is not EntryState.TRANSLATED:
        return _english(segment, Fallback(state.value))
    string = strings_of(message)[0]
    if judge is not None and judge.errors(message, segment):
        return _english(segment, Fallback.UNSAFE)
    try:
        return Text(markup.to_html(string, segment.placeholders), markup.to_plain(string))
    except PlaceholderError:
        return _english(segment, Fallback.UNSAFE)


def localise(leaflet: Leaflet, catalog: Catalog | None, judge=None) -> LocalisedLeaflet:
    """The leaflet in the catalogue's language; `None` gives the English original."""
    def text(segment: Segment) -> Text:
        return localise_segment(segment, catalog, judge)

    def block(source: Block) -> LocalisedBlock:
        return LocalisedBlock(source, tuple(text(s) for s in source.segments),
                              tuple(block(child) for child in source.children))
    return LocalisedLeaflet(leaflet, text(leaflet.title), text(leaflet.document_type),
                            tuple(block(b) for b in leaflet.blocks))
