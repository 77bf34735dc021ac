"""A leaflet's Markdown body as a tree of blocks, each holding whole-block segments.

Headings, paragraphs, lists (numbered or not, nested two levels), figures,
call-outs and tables. Each piece of text a patient reads is one segment: a
paragraph, a list item, an image's alt text and its caption, a call-out's
heading, a table cell. Sentences are never split and blocks never merged.
Structure is source-owned: what is a list, how deep it nests, which box is
urgent, where an image comes from. Translators see only the words.

The syntax is CommonMark with GFM pipe tables, and mdit-py-plugins' admonitions
for typed call-outs: `!!! urgent "Call 999 if:"`, then the body indented.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin

from . import markup
from .errors import PlaceholderError, SourceError
from .markup import Placeholder
from .textcompare import hidden_characters

MARKDOWN = MarkdownIt("commonmark").enable("table").use(admon_plugin)
CALLOUT_TYPES = ("urgent", "important", "information")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
IMAGES_DIR = "images"
MAX_LIST_DEPTH = 2
ALT_TO_WRITE = "DESCRIBE THIS IMAGE"             # what a converted document leaves for a person to write
CAPTION_PREFIX = re.compile(r"^Table:\s*")       # pandoc's table caption, before or after the table
_QUOTES = "\"'“”‘’"
_EMPTY_COMMENT = re.compile(r"<!--\s*-->")
_TRANSLATOR_NOTE = re.compile(r"^<!--\s*translators?:\s*(.*?)\s*-->\s*$", re.IGNORECASE | re.DOTALL)
_INLINE_ELEMENTS = {"em_open": "em", "strong_open": "strong", "link_open": "a"}
_INLINE_CLOSERS = {"em_close", "strong_close", "link_close"}
_IMAGE_PATH = re.compile(r"images(?:/[A-Za-z0-9_][A-Za-z0-9._-]*)+")   # no %, spaces or other escapes
_ALIGNMENT = {"text-align:left": "start", "text-align:right": "end", "text-align:center": "center"}

KIND_NOTES = {
    "title": "Leaflet title (page heading and PDF title).",
    "document_type": "Document type, shown above the title.",
    "heading": "Section heading.",
    "paragraph": "Paragraph.",
    "list_item": "List item.",
    "image_alt": "Description of an image for people who cannot see it (alt text): say what it shows.",
    "caption": "Caption shown under an image.",
    "callout_heading": "Heading of a highlighted box.",
    "table_caption": "Caption of a table.",
    "table_header": "Column heading of a table.",
    "table_cell": "Cell of a table.",
}


@dataclass(frozen=True)
class Segment:
    """One translatable piece of text: its msgid, what it is, and where it came from."""
    msgid: str
    kind: str
    line: int
    placeholders: tuple[Placeholder, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def comments(self) -> tuple[str, ...]:
        """Extracted comments (#.) for translators: kind, link targets, then source notes."""
        lines = [KIND_NOTES[self.kind]]
        for p in self.placeholders:
            if p.element == "a":
                lines.append(f"{p.opening}…{p.closing} links to {p.href}")
        if self.placeholders:
            lines.append("Keep each tag pair around the words it marks; you may move it.")
        return (*lines, *(f"Note: {note}" for note in self.notes))


@dataclass(frozen=True)
class Block:
    """A node of the body. Its own segments come first, then its children's, in reading order.

    heading (level) · paragraph · list (ordered, start) of item · figure (src) ·
    callout (style: urgent, important, information, or "" for a block quote) ·
    table of row of cell (header, style: start, end or center)."""
    kind: str
    segments: tuple[Segment, ...] = ()
    children: tuple[Block, ...] = ()
    level: int = 0
    ordered: bool = False
    start: int = 1
    style: str = ""
    src: str = ""
    header: bool = False

    def all_segments(self) -> tuple[Segment, ...]:
        return (*self.segments, *(s for child in self.children for s in child.all_segments()))

    def images(self) -> tuple[Block, ...]:
        own = (self,) if self.kind == "figure" else ()
        return (*own, *(image for child in self.children for image in child.images()))


def parse_body(body: str, offset: int, path: Path) -> tuple[Block, ...]:
    """The blocks of a leaflet body that starts after `offset` lines of front matter."""
    return _BodyReader(MARKDOWN.parse(body), offset, path).read()


class _BodyReader:
    """Walks markdown-it's block tokens with one handler per opening token. Anything without a
    handler is refused with its line: the pipeline cannot keep what it does not understand."""

    def __init__(self, tokens: list[Token], offset: int, path: Path) -> None:
        self.tokens, self.offset, self.path = tokens, offset, path
        self.index = 0
        self.notes: list[str] = []                  # translators' notes waiting for their block
        self.list_depth = 0
        self.section_level = 1                      # of the last heading: a call-out's heading goes below it

    def read(self) -> tuple[Block, ...]:
        blocks = self.blocks(until=None)
        if self.notes:
            raise SourceError("a translators' note is not followed by any text", path=self.path,
                              hint="put the note directly above the block it explains")
        return _with_captions(blocks, self.path)

    def blocks(self, until: str | None) -> list[Block]:
        """Blocks up to the closing token `until` (consumed), or to the end."""
        found = []
        while self.index < len(self.tokens):
            token = self.take()
            if token.type == until:
                return found
            handler = self.HANDLERS.get(token.type)
            if handler is None:
                raise self.fail(token, f"unsupported Markdown block ({token.type.removesuffix('_open')})",
                                "leaflets use headings, paragraphs, lists, images, call-outs and tables")
            block = handler(self, token)
            if block is not None:
                found.append(block)
        return found

    def take(self, expected: str | None = None) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        if expected is not None and token.type != expected:
            raise self.fail(token, f"unexpected Markdown ({token.type}) where {expected} belongs",
                            "simplify this block")
        return token

    def line_of(self, token: Token) -> int:
        return token.map[0] + 1 + self.offset if token.map else self.offset + 1

    def fail(self, token: Token, message: str, hint: str) -> SourceError:
        return SourceError(message, path=self.path, line=self.line_of(token), hint=hint)

    def segment(self, inline: Token, kind: str, line: int) -> Segment:
        notes = tuple(self.notes)
        self.notes.clear()
        return inline_segment(inline, kind, line, notes, self.path)

    def note(self, token: Token) -> None:
        if _EMPTY_COMMENT.fullmatch(token.content.strip()):
            return                                   # what pandoc writes between two lists
        match = _TRANSLATOR_NOTE.match(token.content.strip())
        if not match:
            raise self.fail(token, "raw HTML is not allowed in a leaflet",
                            "use Markdown; notes for translators go in <!-- translators: … -->")
        self.notes.append(" ".join(match.group(1).split()))

    def heading(self, token: Token) -> Block:
        level = int(token.tag[1])
        if level == 1:
            raise self.fail(token, "a level-1 heading in the body",
                            "the title comes from the front matter; use ## for sections")
        segment = self.segment(self.take("inline"), "heading", self.line_of(token))
        self.take("heading_close")
        self.section_level = level
        return Block("heading", (segment,), level=level)

    def paragraph(self, token: Token) -> Block:
        inline = self.take("inline")
        self.take("paragraph_close")
        images = [child for child in inline.children or [] if child.type == "image"]
        if images:
            return self.figure(token, inline, images)
        return Block("paragraph", (self.segment(inline, "paragraph", self.line_of(token)),))

    def figure(self, token: Token, inline: Token, images: list[Token]) -> Block:
        rest = [c for c in inline.children if c.type != "image" and not (c.type == "text" and not c.content.strip())]
        if len(images) > 1 or rest:
            raise self.fail(token, "an image shares its paragraph with other text or images",
                            "put each image in a paragraph of its own: ![what it shows](images/x.svg \"Caption\")")
        image, line = images[0], self.line_of(token)
        alt = " ".join("".join(c.content for c in image.children or [] if c.type in ("text", "softbreak")).split())
        if not alt or alt == ALT_TO_WRITE:
            raise self.fail(token, "an image without alt text", "describe what it shows for people who cannot see "
                            "it: ![A small device under the skin](images/x.svg)")
        src = _image_source(image.attrs.get("src", ""))
        if src is None:
            raise self.fail(token, f"the image {str(image.attrs.get('src'))[:80]!r} is not an SVG, PNG or JPEG "
                            f"file in {IMAGES_DIR}/", f"save it as source/leaflets/{IMAGES_DIR}/<name>.svg "
                            "(or .png, .jpg), its name in letters, digits, hyphens and dots, and write that path")
        notes = tuple(self.notes)
        self.notes.clear()
        segments = [make_segment(alt, "image_alt", line, (), (*notes, f"The image is {src}."), self.path)]
        if image.attrs.get("title"):
            segments.append(make_segment(" ".join(str(image.attrs["title"]).split()), "caption", line, (), (),
                                     self.path))
        return Block("figure", tuple(segments), src=src)

    def list_block(self, token: Token) -> Block:
        if self.list_depth >= MAX_LIST_DEPTH:
            raise self.fail(token, f"a list nested more than {MAX_LIST_DEPTH} levels deep",
                            "nest lists two levels at most; split a long list into several")
        self.list_depth += 1
        items = self.blocks(until=token.type.replace("_open", "_close"))
        self.list_depth -= 1
        start = int(token.attrs.get("start", 1)) if token.type == "ordered_list_open" else 1
        return Block("list", children=tuple(items), ordered=token.type == "ordered_list_open", start=start)

    def item(self, token: Token) -> Block:
        line = self.line_of(token)
        content = self.blocks(until="list_item_close")
        paragraphs = [b for b in content if b.kind == "paragraph"]
        if len(paragraphs) != 1 or content[0] is not paragraphs[0] or \
                any(b.kind not in ("paragraph", "list") for b in content):
            raise SourceError("a list item must be one paragraph, optionally followed by a nested list",
                              path=self.path, line=line, hint="split the item, or write its text on one line")
        text = paragraphs[0].segments[0]
        return Block("item", (Segment(text.msgid, "list_item", text.line, text.placeholders, text.notes),),
                     children=tuple(content[1:]))

    def quote(self, token: Token) -> Block:
        return self.callout_body(token, "", (), until="blockquote_close")

    def admonition(self, token: Token) -> Block:
        style = token.meta.get("tag", "")
        if style not in CALLOUT_TYPES:
            raise self.fail(token, f"unknown call-out type {style!r}",
                            f"use one of: {', '.join(CALLOUT_TYPES)}, e.g. !!! urgent \"Call 999 if:\"")
        title = token.info.strip()[len(style):].strip()
        if title and not (len(title) > 2 and title[0] == title[-1] == '"'):
            raise self.fail(token, f"the call-out heading {title[:60]!r} is not in straight double quotes",
                            f'write it as !!! {style} "{title.strip(_QUOTES)}"')
        heading: tuple[Segment, ...] = ()
        if self.tokens[self.index].type == "admonition_title_open":
            self.take()
            inline = self.take("inline")
            self.take("admonition_title_close")
            if title:                                # without one the plugin invents a title: not ours
                heading = (self.segment(inline, "callout_heading", self.line_of(token)),)
        return self.callout_body(token, style, heading, until="admonition_close")

    def callout_body(self, token: Token, style: str, heading: tuple[Segment, ...], until: str) -> Block:
        body = self.blocks(until=until)
        if not body or any(b.kind not in ("paragraph", "list") for b in body):
            raise self.fail(token, "a call-out holds paragraphs and lists only, and at least one",
                            "keep headings, images and tables outside the box")
        return Block("callout", heading, children=tuple(body), style=style, level=min(self.section_level + 1, 6))

    def table(self, token: Token) -> Block:
        rows = []
        while self.tokens[self.index].type != "table_close":
            row = self.take()
            if row.type == "tr_open":
                rows.append(self.row(row))
        self.take("table_close")
        return Block("table", children=tuple(rows))

    def row(self, token: Token) -> Block:
        cells = []
        while (cell := self.take()).type != "tr_close":
            header = cell.type == "th_open"
            inline = self.take("inline")
            self.take("th_close" if header else "td_close")
            kind = "table_header" if header else "table_cell"
            segments = (self.segment(inline, kind, self.line_of(token)),) if inline.content.strip() else ()
            cells.append(Block("cell", segments, header=header, style=_ALIGNMENT.get(cell.attrs.get("style", ""), "")))
        return Block("row", children=tuple(cells))

    def skip(self, _token: Token) -> None:
        """A token with nothing of its own to keep (a table section's opening or closing)."""

    HANDLERS = {"html_block": note, "heading_open": heading, "paragraph_open": paragraph,
                "bullet_list_open": list_block, "ordered_list_open": list_block, "list_item_open": item,
                "blockquote_open": quote, "admonition_open": admonition, "table_open": table,
                "thead_open": skip, "thead_close": skip, "tbody_open": skip, "tbody_close": skip}


def _image_source(src: str) -> str | None:
    """A figure's image as a path below images/, or None if it is not one we can carry safely."""
    path = PurePosixPath(src)
    if not _IMAGE_PATH.fullmatch(src) or ".." in path.parts or path.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    return path.as_posix()


def _with_captions(blocks: list[Block], path: Path) -> tuple[Block, ...]:
    """Attach each `Table: …` paragraph to the table directly after it, or before it."""
    result: list[Block] = []
    waiting: Segment | None = None              # a caption whose table should come next
    for block in blocks:
        caption = block.segments[0] if block.kind == "paragraph" and CAPTION_PREFIX.match(block.segments[0].msgid) \
            else None
        if caption and result and result[-1].kind == "table" and not result[-1].segments and waiting is None:
            result[-1] = _captioned(result[-1], caption, path)
        elif waiting is not None and block.kind != "table" or caption and waiting is not None:
            raise _lone_caption(waiting, path)
        elif caption:
            waiting = caption
        else:
            result.append(_captioned(block, waiting, path) if waiting else block)
            waiting = None
    if waiting is not None:
        raise _lone_caption(waiting, path)
    return tuple(result)


def _lone_caption(caption: Segment, path: Path) -> SourceError:
    return SourceError("a 'Table:' caption is not next to a table", path=path, line=caption.line,
                       hint="put the caption directly above or below its table, or reword the paragraph")


def _captioned(table: Block, paragraph: Segment, path: Path) -> Block:
    caption = make_segment(CAPTION_PREFIX.sub("", paragraph.msgid), "table_caption", paragraph.line,
                           paragraph.placeholders, paragraph.notes, path)
    return Block("table", (caption,), table.children)


def inline_segment(inline: Token, kind: str, line: int, notes: tuple[str, ...], path: Path) -> Segment:
    """One segment from an inline token: text, with links and emphasis as numbered placeholders."""
    parts: list[str] = []
    placeholders: list[Placeholder] = []
    open_stack: list[Placeholder] = []
    counters: dict[str, int] = {}
    for child in inline.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type in _INLINE_ELEMENTS:
            placeholder = _placeholder(child, counters, line, path)
            placeholders.append(placeholder)
            open_stack.append(placeholder)
            parts.append(placeholder.opening)
        elif child.type in _INLINE_CLOSERS:
            parts.append(open_stack.pop().closing)
        else:
            raise SourceError(f"unsupported inline Markdown ({child.type})", path=path, line=line,
                              hint="use plain text, links, *emphasis* and **strong** only")
    msgid = " ".join("".join(parts).split())
    return make_segment(msgid, kind, line, tuple(placeholders), notes, path)


def _placeholder(child: Token, counters: dict[str, int], line: int, path: Path) -> Placeholder:
    element = _INLINE_ELEMENTS[child.type]
    counters[element] = counters.get(element, 0) + 1
    href = child.attrs.get("href") if element == "a" else None
    if element == "a" and markup.unsafe_url(href):
        raise SourceError(f"the link target {str(href)[:80]!r} cannot be used: {markup.unsafe_url(href)}",
                          path=path, line=line, hint="link to an https:// address or a page of this site")
    return Placeholder(f"{element}{counters[element]}", element, href)


def make_segment(msgid: str, kind: str, line: int, placeholders: tuple[Placeholder, ...],
             notes: tuple[str, ...], path: Path) -> Segment:
    if not markup.to_plain(msgid).strip():
        raise SourceError(f"an empty {kind.replace('_', ' ')}", path=path, line=line,
                          hint="write its text, or delete it")
    hidden = list(dict.fromkeys(hidden_characters(msgid)))
    if hidden:
        listed = ", ".join(hidden[:5]) + (f" and {len(hidden) - 5} more" if len(hidden) > 5 else "")
        raise SourceError(f"invisible character(s) {listed} in the text: they can hide or reorder "
                          "what a patient reads", path=path, line=line, hint="delete them")
    try:
        markup.validate(msgid, placeholders)
    except PlaceholderError as exc:
        raise SourceError(f"text looks like markup the pipeline cannot keep safe: {exc.message}",
                          path=path, line=line,
                          hint="use Markdown links and emphasis only, no HTML-like text") from None
    return Segment(msgid=msgid, kind=kind, line=line, placeholders=placeholders, notes=notes)
