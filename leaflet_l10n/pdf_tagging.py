"""What WeasyPrint's PDF tagging leaves out, added while it writes (the package's only patch of it).

Text of shaped scripts (Kozea/WeasyPrint#2841):
WeasyPrint maps each glyph of a font to one text, once, in the font's ToUnicode map.
Shaped scripts break that: Nastaliq draws different letters with one glyph, and Bengali
conjuncts and Arabic marks join several letters into one. So pdftotext, copy-paste
and screen readers got "عوام ے ے ل ی" for "عوام کے لیے" while the page looked right.

While WeasyPrint draws a text box, `tagging` (around its `Stream.marked`):
- wraps each HarfBuzz cluster of a shaped script in a /Span with its /ActualText, as
  Chromium's PDF writer does, so text extraction reads the letters, not the glyphs;
- gives the box's marked content its /Lang when it differs from the page's (an English
  fallback), and its text under BOX_TEXT. `pdf_structure` moves both onto the box's
  element in the tag tree, so the tree itself holds every text in logical order, in
  every script, for a screen reader and for the suite's checks.

Elements split across pages: WeasyPrint tags each page on its own, so a list that
crosses a page break became two lists. While it builds the tag tree (around its
`_build_box_tree`), each element gets the HTML element it comes from under ELEMENT,
and `pdf_structure` joins the pieces of one element back together.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from contextlib import contextmanager
from typing import Iterator

import pydyf

from .errors import RenderError

BOX_TEXT = "LeafletText"            # private keys, removed again by pdf_structure
ELEMENT = "LeafletElement"
_GLYPH_RUNS = re.compile(r"<([0-9a-f]*)>|(-?[0-9.]+)")
_PATCH = threading.Lock()          # WeasyPrint is patched for one render at a time


def is_shaped(text: str) -> bool:
    """Whether glyphs and letters part ways: right-to-left letters, or combining marks."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") or unicodedata.category(char) in ("Mn", "Mc")
               for char in text)


class Tagging:
    """What one render learnt while WeasyPrint tagged it."""

    def __init__(self) -> None:
        self.element_numbers: dict[int, int] = {}
        self.line_ends: set[tuple[int, int]] = set()    # (page index, MCID) of a text a space ends

    def build_box_tree(self, original, box, *rest) -> Iterator:
        """WeasyPrint's elements for a box, each marked with its HTML element's number."""
        _parent, _pdf, page_number, _nums, _annotations, tags = rest     # WeasyPrint 68-70's signature
        self._note_line_ends(box, page_number, tags)
        for element in original(box, *rest):
            if ELEMENT not in element and getattr(box, "element", None) is not None:
                element[ELEMENT] = self.element_numbers.setdefault(id(box.element), len(self.element_numbers))
            yield element

    def _note_line_ends(self, box, page_number: int, tags: dict) -> None:
        """A line that broke at a space loses it from its text: note the text that needs it back."""
        from weasyprint.formatting_structure.boxes import LineBox

        lines = [child for child in getattr(box, "children", ()) if isinstance(child, LineBox)]
        if len(lines) < 2 or getattr(box, "element", None) is None:
            return
        source = " ".join("".join(box.element.itertext()).split())
        for line, next_line in zip(lines, lines[1:]):
            last, first = _edge_text(line, -1), _edge_text(next_line, 0)
            if last in tags and first is not None and _broke_at_space(last.text, first.text, source):
                self.line_ends.add((page_number, tags[last]["mcid"]))


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
        record = Tagging()
        Stream.marked = lambda stream, box, tag: _marked(marked, page_language, stream, box, tag)
        tags._build_box_tree = lambda *arguments: record.build_box_tree(build_box_tree, *arguments)
        try:
            yield record
        finally:
            Stream.marked, tags._build_box_tree = marked, build_box_tree


@contextmanager
def _marked(original, page_language: str, stream, box, tag: str) -> Iterator[None]:
    from weasyprint.formatting_structure.boxes import TextBox

    if stream._tags is None or not isinstance(box, TextBox):
        with original(stream, box, tag):
            yield
        return
    mcid = len(stream._tags)                        # as WeasyPrint's Stream.marked numbers them
    stream._tags[box] = {"tag": tag, "mcid": mcid}
    properties = pydyf.Dictionary({"MCID": mcid})
    language = box.style["lang"]
    if language and language.lower() != page_language.lower():
        properties["Lang"] = pydyf.String(language)
    properties[BOX_TEXT] = pydyf.String(box.text)
    pydyf.Stream.begin_marked_content(stream, tag, properties)
    try:
        if is_shaped(box.text):
            with _cluster_spans(stream, box):
                yield
        else:
            yield
    finally:
        pydyf.Stream.end_marked_content(stream)


@contextmanager
def _cluster_spans(stream, box) -> Iterator[None]:
    spans = _ClusterSpans(stream, box)
    stream.show_text, stream.end_text = spans.show_text, spans.end_text   # shadow pydyf's methods
    try:
        yield
    finally:
        del stream.show_text, stream.end_text
    spans.finish()


class _ClusterSpans:
    """Splits the glyph runs WeasyPrint shows into one /ActualText span per cluster."""

    def __init__(self, stream, box) -> None:
        self.stream, self.box = stream, box
        self.clusters: Iterator[tuple[int, str]] | None = None
        self.open: int | None = None

    def show_text(self, glyph_runs: str) -> None:
        if self.clusters is None:                   # the layout is only live once drawing begins
            self.clusters = _clusters(self.box)
        pieces: list[str] = []
        for glyphs, number in _GLYPH_RUNS.findall(glyph_runs):
            if number:
                pieces.append(number)
            for start in range(0, len(glyphs), 4):
                cluster, text = next(self.clusters, (None, ""))
                if cluster is None:
                    raise RenderError(f"WeasyPrint drew more glyphs than {self.box.text!r} has clusters",
                                      hint="this WeasyPrint version draws text differently; see pdf_text.py")
                if cluster != self.open:
                    self._show(pieces)
                    self._close()
                    pydyf.Stream.begin_marked_content(self.stream, "Span", pydyf.Dictionary(
                        {"ActualText": pydyf.String(text)}))
                    self.open = cluster
                pieces.append(f"<{glyphs[start:start + 4]}>")
        self._show(pieces)

    def end_text(self) -> None:
        self._close()                               # a span may not straddle the text object
        pydyf.Stream.end_text(self.stream)

    def finish(self) -> None:
        if self.clusters is not None and next(self.clusters, None) is not None:
            raise RenderError(f"WeasyPrint drew fewer glyphs than {self.box.text!r} has clusters",
                              hint="this WeasyPrint version draws text differently; see pdf_text.py")

    def _show(self, pieces: list[str]) -> None:
        if pieces:
            pydyf.Stream.show_text(self.stream, " ".join(pieces))
            pieces.clear()

    def _close(self) -> None:
        if self.open is not None:
            pydyf.Stream.end_marked_content(self.stream)
            self.open = None


def _clusters(box) -> Iterator[tuple[int, str]]:
    """(cluster start, cluster text) for each glyph WeasyPrint draws, in drawing order."""
    from weasyprint.text.ffi import ffi, pango

    line, _ = box.pango_layout.get_first_line()
    text = box.pango_layout.text.encode()
    run = line.runs[0]
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        offset, length = glyph_item.item.offset, glyph_item.item.length
        glyphs, clusters = glyph_item.glyphs.glyphs, glyph_item.glyphs.log_clusters
        count = glyph_item.glyphs.num_glyphs
        starts = sorted({clusters[i] for i in range(count)})
        end_of = dict(zip(starts, starts[1:] + [length]))
        for i in range(count):
            if glyphs[i].glyph != pango.PANGO_GLYPH_EMPTY:   # drawn as a gap, not a glyph
                end = end_of[clusters[i]]
                yield offset + clusters[i], text[offset + clusters[i]:offset + end].decode()
