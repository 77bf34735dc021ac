"""What WeasyPrint's PDF tagging leaves out, added while it writes (the package's only patch of it).

Text of shaped scripts (Kozea/WeasyPrint#2841):
WeasyPrint maps each glyph of a font to one text, once, in the font's ToUnicode map.
Shaped scripts break that: Nastaliq draws different letters with one glyph, and Bengali
conjuncts and Arabic marks join several letters into one. So pdftotext, copy-paste
and screen readers got "عوام ے ے ل ی" for "عوام کے لیے" while the page looked right.

While WeasyPrint draws a text box, `tagging` (around its `Stream.marked`):
- wraps each HarfBuzz cluster of a shaped script in a /Span with its /ActualText, as
  Chromium's PDF writer does, so text extraction reads the letters, not the glyphs;
- notes the box's text and, where it differs from the page's, its language (an English
  fallback) in the `Tagging` record. `pdf_structure` puts both on the box's element in
  the tag tree, so the tree itself holds every text in logical order, in every script,
  for a screen reader and for the suite's checks.

Elements split across pages: WeasyPrint tags each page on its own, so a list that
crosses a page break became two lists. While it builds the tag tree (around its
`_build_box_tree`), each element gets the HTML element it comes from under ELEMENT,
and `pdf_structure` joins the pieces of one element back together.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from contextlib import contextmanager, nullcontext
from typing import Iterator

import pydyf

from .errors import RenderError

ELEMENT = "LeafletElement"          # a private key, removed again by pdf_structure
_GLYPH_RUNS = re.compile(r"<([0-9a-f]*)>|(-?[0-9.]+)")
_PATCH = threading.Lock()          # WeasyPrint is patched for one render at a time


def is_shaped(text: str) -> bool:
    """Whether glyphs and letters part ways: right-to-left letters, or combining marks."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") or unicodedata.category(char) in ("Mn", "Mc")
               for char in text)


class Tagging:
    """What one render learnt while WeasyPrint tagged it."""

    def __init__(self, page_language: str) -> None:
        self.page_language = page_language.lower()
        self.element_numbers: dict[int, int] = {}
        self._texts: dict[int, dict[int, list]] = {}   # id of a page's tags: {MCID: [text, language]}
        self._pages: dict[int, int] = {}               # id of a page's tags: its page index

    @property
    def texts(self) -> dict[tuple[int, int], tuple[str, str | None]]:
        """{(page index, MCID): (text, its language if not the page's)} of every text drawn."""
        return {(self._pages[tags], mcid): tuple(text) for tags, texts in self._texts.items()
                for mcid, text in texts.items() if tags in self._pages}

    def note_text(self, tags: dict, mcid: int, box) -> None:
        language = box.style["lang"]
        foreign = language if language and language.lower() != self.page_language else None
        self._texts.setdefault(id(tags), {})[mcid] = [box.text, foreign]

    def build_box_tree(self, original, box, *rest) -> Iterator:
        """WeasyPrint's elements for a box, each marked with its HTML element's number."""
        _parent, _pdf, page_number, _nums, _annotations, tags = rest     # WeasyPrint 68-70's signature
        self._pages.setdefault(id(tags), page_number)
        self._note_line_ends(box, tags)
        for element in original(box, *rest):
            if ELEMENT not in element and getattr(box, "element", None) is not None:
                element[ELEMENT] = self.element_numbers.setdefault(id(box.element), len(self.element_numbers))
            yield element

    def _note_line_ends(self, box, tags: dict) -> None:
        """A line that broke at a space loses it from its text: give it back."""
        from weasyprint.formatting_structure.boxes import LineBox

        lines = [child for child in getattr(box, "children", ()) if isinstance(child, LineBox)]
        if len(lines) < 2 or getattr(box, "element", None) is None:
            return
        source = " ".join("".join(box.element.itertext()).split())
        for line, next_line in zip(lines, lines[1:]):
            last, first = _edge_text(line, -1), _edge_text(next_line, 0)
            if last in tags and first is not None and _broke_at_space(last.text, first.text, source):
                self._texts[id(tags)][tags[last]["mcid"]][0] += " "


def _edge_text(box, end: int):
    """The first (end=0) or last (end=-1) text box inside an inline box."""
    from weasyprint.formatting_structure.boxes import TextBox

    while not isinstance(box, TextBox):
        children = getattr(box, "children", None)
        if not children:
            return None
        box = children[end]
    return box


def _broke_at_space(before: str, after: str, source: str) -> bool:
    """Whether the block's own text has a space where its line broke.

    Only when the text around the break is not found (text-transform, generated
    content) does the script decide: no space after a hyphen or slash, nor beside
    Chinese or Japanese characters."""
    if not before.strip() or not after.strip() or before[-1].isspace() or after[0].isspace():
        return False
    tail, head = before[-12:], after[:12]
    if f"{tail} {head}" in source or f"{tail}{head}" in source:
        return f"{tail}{head}" not in source
    return before[-1] not in "-‐/\u00ad" and not any(
        unicodedata.east_asian_width(char) in ("W", "F") for char in (before[-1], after[0]))


@contextmanager
def tagging(page_language: str) -> Iterator[Tagging]:
    """While open, WeasyPrint's PDF carries each text's letters and language, and each element's origin."""
    from weasyprint.pdf import tags
    from weasyprint.pdf.stream import Stream

    with _PATCH:
        marked, build_box_tree = Stream.marked, tags._build_box_tree
        record = Tagging(page_language)
        Stream.marked = lambda stream, box, tag: _marked(marked, record, stream, box, tag)
        tags._build_box_tree = lambda *arguments: record.build_box_tree(build_box_tree, *arguments)
        try:
            yield record
        finally:
            Stream.marked, tags._build_box_tree = marked, build_box_tree


@contextmanager
def _marked(original, record: Tagging, stream, box, tag: str) -> Iterator[None]:
    from weasyprint.formatting_structure.boxes import TextBox

    text = isinstance(box, TextBox) and stream._tags is not None
    with original(stream, box, tag), (_cluster_spans(stream, box) if text and is_shaped(box.text) else nullcontext()):
        if text:
            record.note_text(stream._tags, stream._tags[box]["mcid"], box)
        yield


@contextmanager
def _cluster_spans(stream, box) -> Iterator[None]:
    spans = _ClusterSpans(stream, box)
    # Shadow three of the stream's methods while the box is drawn.
    stream.add_font, stream.show_text, stream.end_text = spans.add_font, spans.show_text, spans.end_text
    try:
        yield
    finally:
        del stream.add_font, stream.show_text, stream.end_text
    spans.finish()


class _ClusterSpans:
    """Splits the glyph runs WeasyPrint shows into one /ActualText span per cluster whose glyph
    the font's ToUnicode map gets wrong: one used for other letters before, or one of several."""

    def __init__(self, stream, box) -> None:
        self.stream, self.box = stream, box
        self.clusters: Iterator[tuple[int, str, bool]] | None = None
        self.font = None
        self.cluster: int | None = None             # the cluster being shown
        self.spanned = False                        # whether it is inside its own span

    def add_font(self, pango_font):
        font, size = type(self.stream).add_font(self.stream, pango_font)
        self.font = font
        return font, size

    def show_text(self, glyph_runs: str) -> None:
        if self.clusters is None:                   # the layout is only live once drawing begins
            self.clusters = _clusters(self.box)
        pieces: list[str] = []
        for glyphs, number in _GLYPH_RUNS.findall(glyph_runs):
            if number:
                pieces.append(number)
            for start in range(0, len(glyphs), 4):
                glyph = glyphs[start:start + 4]
                cluster, text, alone = next(self.clusters, (None, "", False))
                if cluster is None:
                    raise RenderError(f"WeasyPrint drew more glyphs than {self.box.text!r} has clusters",
                                      hint="this WeasyPrint version draws text differently; see pdf_tagging.py")
                if cluster != self.cluster:
                    self._next_cluster(cluster, text, pieces,
                                       spanned=not (alone and self.font.to_unicode.get(int(glyph, 16)) == text))
                pieces.append(f"<{glyph}>")
        self._show(pieces)

    def end_text(self) -> None:
        self._show([])
        self._close()                               # a span may not straddle the text object
        pydyf.Stream.end_text(self.stream)

    def finish(self) -> None:
        if self.clusters is not None and next(self.clusters, None) is not None:
            raise RenderError(f"WeasyPrint drew fewer glyphs than {self.box.text!r} has clusters",
                              hint="this WeasyPrint version draws text differently; see pdf_tagging.py")

    def _next_cluster(self, cluster: int, text: str, pieces: list[str], spanned: bool) -> None:
        if self.spanned or spanned:
            self._show(pieces)
            self._close()
        if spanned:
            pydyf.Stream.begin_marked_content(self.stream, "Span", pydyf.Dictionary(
                {"ActualText": pydyf.String(text)}))
        self.cluster, self.spanned = cluster, spanned

    def _show(self, pieces: list[str]) -> None:
        if pieces:
            pydyf.Stream.show_text(self.stream, " ".join(pieces))
            pieces.clear()

    def _close(self) -> None:
        if self.spanned:
            pydyf.Stream.end_marked_content(self.stream)
            self.spanned = False


def _clusters(box) -> Iterator[tuple[int, str, bool]]:
    """(cluster start, cluster text, whether it is the cluster's only glyph) for each glyph
    WeasyPrint draws, in drawing order."""
    from weasyprint.text.ffi import ffi, pango

    line, _ = box.pango_layout.get_first_line()
    text = box.pango_layout.text.encode()
    run = line.runs[0]
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        offset, length = glyph_item.item.offset, glyph_item.item.length
        glyphs, clusters = glyph_item.glyphs.glyphs, glyph_item.glyphs.log_clusters
        count = glyph_item.glyphs.num_glyphs
        drawn = [i for i in range(count) if glyphs[i].glyph != pango.PANGO_GLYPH_EMPTY]   # not gaps
        starts = sorted({clusters[i] for i in range(count)})
        end_of = dict(zip(starts, starts[1:] + [length]))
        sizes = Counter(clusters[i] for i in drawn)
        for i in drawn:
            yield (offset + clusters[i], text[offset + clusters[i]:offset + end_of[clusters[i]]].decode(),
                   sizes[clusters[i]] == 1)
