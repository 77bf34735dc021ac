"""Parse a leaflet (TOML front matter + Markdown) into translatable segments.

Segments are whole blocks: the title, the document type, headings,
paragraphs and list items. Sentences are never split and blocks never merged.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import markup
from .errors import PlaceholderError, SourceError
from .markup import Placeholder

FRONT_MATTER_FENCE = "+++"
TRANSLATABLE_FIELDS = ("title", "document_type")
LINK_FIELDS = ("guidance_url", "publisher_url")
TEXT_FIELDS = (*TRANSLATABLE_FIELDS, "publisher", "isbn", *LINK_FIELDS)   # one line of text each
REQUIRED_FIELDS = (*TRANSLATABLE_FIELDS, "published")
PUBLISHED_FIELDS = (*TEXT_FIELDS, "published")       # what a page needs, besides the text
# GFM tables are recognised so that they are refused as tables, not read as paragraph text.
MARKDOWN = MarkdownIt("commonmark").enable("table")
_TRANSLATOR_NOTE = re.compile(r"^<!--\s*translators?:\s*(.*?)\s*-->\s*$", re.IGNORECASE | re.DOTALL)
_INLINE_ELEMENTS = {"em_open": "em", "strong_open": "strong", "link_open": "a"}
_INLINE_CLOSERS = {"em_close", "strong_close", "link_close"}

KIND_NOTES = {
    "title": "Leaflet title (page heading and PDF title).",
    "document_type": "Document type, shown above the title.",
    "heading": "Section heading.",
    "paragraph": "Paragraph.",
    "list_item": "List item.",
}


@dataclass(frozen=True)
class Segment:
    """One translatable block: its msgid, what it is, and where it came from."""
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
    """A block of the leaflet body: a heading, a paragraph or a list."""
    kind: str                       # heading | paragraph | list
    segments: tuple[Segment, ...]
    level: int = 0                  # heading level
    ordered: bool = False           # numbered list


@dataclass(frozen=True)
class Leaflet:
    name: str
    path: Path
    metadata: dict = field(hash=False)
    title: Segment
    document_type: Segment
    blocks: tuple[Block, ...]

    @property
    def published(self) -> dt.date:
        return self.metadata["published"]

    def segments(self) -> tuple[Segment, ...]:
        return (self.title, self.document_type,
                *(segment for block in self.blocks for segment in block.segments))


def read_leaflet(path: Path) -> Leaflet:
    return leaflet_from_bytes(path.read_bytes(), path)


def leaflet_from_bytes(data: bytes, path: Path) -> Leaflet:
    """Parse a leaflet file's bytes; `path` names it in errors."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text ({exc.reason})", path=path, line=data.count(b"\n", 0, exc.start) + 1,
                          hint="save the leaflet as UTF-8") from None
    return parse_leaflet(text.replace("\r\n", "\n").replace("\r", "\n"), path)   # as read_text would


def parse_leaflet(text: str, path: Path) -> Leaflet:
    metadata, field_lines, body, body_offset = _split_front_matter(text, path)
    title, document_type = (
        _front_matter_segment(metadata, name, field_lines[name], path) for name in TRANSLATABLE_FIELDS)
    blocks = _parse_body(body, body_offset, path)
    return Leaflet(name=path.stem, path=path, metadata=metadata, title=title,
                   document_type=document_type, blocks=blocks)


def _split_front_matter(text: str, path: Path) -> tuple[dict, dict[str, int], str, int]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise SourceError("the leaflet must start with TOML front matter between '+++' lines",
                          path=path, line=1, hint="see source/leaflets/ for an example")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise SourceError("front matter is never closed", path=path, line=1,
                          hint="end it with a line holding only '+++'") from None
    front = "".join(lines[1:end])
    try:
        metadata = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"front matter is not valid TOML: {exc}", path=path, line=2,
                          hint="write it as key = \"value\" lines") from None
    for name in REQUIRED_FIELDS:
        if name not in metadata:
            raise SourceError(f"front matter lacks {name!r}", path=path, line=1,
                              hint=f"add a line `{name} = …`")
    field_lines = {}
    for number, line in enumerate(lines[1:end], start=2):
        key = line.split("=", 1)[0].strip()
        field_lines.setdefault(key, number)
    if not isinstance(metadata["published"], dt.date) or isinstance(metadata["published"], dt.datetime):
        raise SourceError("'published' is not a date", path=path, line=field_lines.get("published", 1),
                          hint="write it unquoted, e.g. published = 2022-09-22")
    for name in TEXT_FIELDS:
        value = metadata.get(name, "-")
        if not isinstance(value, str) or not value.strip() or not value.isprintable():
            raise SourceError(f"{name!r} must be one line of text", path=path, line=field_lines.get(name, 1),
                              hint=f'write {name} = "…"')
    for name in LINK_FIELDS:
        if name in metadata and markup.unsafe_url(metadata[name]):
            raise SourceError(f"{name} {str(metadata[name])[:80]!r} cannot be a link: "
                              f"{markup.unsafe_url(metadata[name])}", path=path, line=field_lines.get(name, 1),
                              hint=f'write {name} = "https://…"')
    return metadata, field_lines, "".join(lines[end + 1:]), end + 1


def check_publishable(leaflet: "Leaflet") -> None:
    """A page shows the publisher, ISBN and links: a leaflet without them cannot be built."""
    missing = [name for name in PUBLISHED_FIELDS if name not in leaflet.metadata]
    if missing:
        raise SourceError(f"front matter lacks {', '.join(missing)}, which every page shows", path=leaflet.path,
                          line=1, hint=f"add a line `{missing[0]} = …`; see the README's 'Adding a leaflet'")


def _front_matter_segment(metadata: dict, name: str, line: int, path: Path) -> Segment:
    value = metadata[name]
    if not isinstance(value, str) or not value.strip():
        raise SourceError(f"{name!r} must be a non-empty string", path=path, line=line,
                          hint=f'write {name} = "…"')
    return _segment(" ".join(value.split()), name, line, (), (), path)


def _segment(msgid: str, kind: str, line: int, placeholders: tuple[Placeholder, ...],
             notes: tuple[str, ...], path: Path) -> Segment:
    try:
        markup.validate(msgid, placeholders)
    except PlaceholderError as exc:
        raise SourceError(f"text looks like markup the pipeline cannot keep safe: {exc.message}",
                          path=path, line=line,
                          hint="use Markdown links and emphasis only, no HTML-like text") from None
    return Segment(msgid=msgid, kind=kind, line=line, placeholders=placeholders, notes=notes)


def _parse_body(body: str, offset: int, path: Path) -> tuple[Block, ...]:
    return _BodyReader(offset, path).read(MARKDOWN.parse(body))


class _BodyReader:
    """Turns markdown-it's block tokens into blocks: one handler per token type, and
    anything without a handler is refused with its line."""

    def __init__(self, offset: int, path: Path) -> None:
        self.offset, self.path = offset, path
        self.blocks: list[Block] = []
        self.notes: list[str] = []                      # translators' notes waiting for their block
        self.lists: list[tuple[bool, list[Segment]]] = []
        self.in_item = False

    def read(self, tokens: list[Token]) -> tuple[Block, ...]:
        for index, token in enumerate(tokens):
            handler = self.HANDLERS.get(token.type)
            if handler is None:
                raise self.fail(token, f"unsupported Markdown block ({token.type.removesuffix('_open')})",
                                "leaflets use headings, paragraphs and flat lists only")
            handler(self, token, tokens[index + 1] if index + 1 < len(tokens) else None)
        if self.notes:
            raise SourceError("a translators' note is not followed by any text", path=self.path,
                              hint="put the note directly above the block it explains")
        return tuple(self.blocks)

    def line_of(self, token: Token) -> int:
        return token.map[0] + 1 + self.offset if token.map else self.offset + 1

    def fail(self, token: Token, message: str, hint: str) -> SourceError:
        return SourceError(message, path=self.path, line=self.line_of(token), hint=hint)

    def segment(self, inline: Token, kind: str, token: Token) -> Segment:
        notes = tuple(self.notes)
        self.notes.clear()
        return _inline_segment(inline, kind, self.line_of(token), notes, self.path)

    def html_block(self, token: Token, _next: Token | None) -> None:
        match = _TRANSLATOR_NOTE.match(token.content.strip())
        if not match:
            raise self.fail(token, "raw HTML is not allowed in a leaflet",
                            "use Markdown; notes for translators go in <!-- translators: … -->")
        self.notes.append(" ".join(match.group(1).split()))

    def heading_open(self, token: Token, inline: Token) -> None:
        level = int(token.tag[1])
        if level == 1:
            raise self.fail(token, "a level-1 heading in the body",
                            "the title comes from the front matter; use ## for sections")
        self.blocks.append(Block("heading", (self.segment(inline, "heading", token),), level=level))

    def list_open(self, token: Token, _next: Token | None) -> None:
        if self.lists:
            raise self.fail(token, "nested lists are not supported", "flatten the list")
        self.lists.append((token.type == "ordered_list_open", []))

    def list_close(self, _token: Token, _next: Token | None) -> None:
        ordered, items = self.lists.pop()
        self.blocks.append(Block("list", tuple(items), ordered=ordered))

    def item(self, token: Token, _next: Token | None) -> None:
        self.in_item = token.type == "list_item_open"

    def paragraph_open(self, token: Token, inline: Token) -> None:
        if self.in_item:
            self.lists[-1][1].append(self.segment(inline, "list_item", token))
        else:
            self.blocks.append(Block("paragraph", (self.segment(inline, "paragraph", token),)))

    def skip(self, _token: Token, _next: Token | None) -> None:
        """Tokens whose content the opening token's handler has taken."""

    HANDLERS = {"html_block": html_block, "heading_open": heading_open,
                "bullet_list_open": list_open, "ordered_list_open": list_open,
                "bullet_list_close": list_close, "ordered_list_close": list_close,
                "list_item_open": item, "list_item_close": item, "paragraph_open": paragraph_open,
                "inline": skip, "heading_close": skip, "paragraph_close": skip}


def _inline_segment(inline: Token, kind: str, line: int, notes: tuple[str, ...], path: Path) -> Segment:
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
            element = _INLINE_ELEMENTS[child.type]
            counters[element] = counters.get(element, 0) + 1
            href = child.attrs.get("href") if element == "a" else None
            if element == "a" and markup.unsafe_url(href):
                raise SourceError(f"the link target {str(href)[:80]!r} cannot be used: {markup.unsafe_url(href)}",
                                  path=path, line=line, hint="link to an https:// address or a page of this site")
            placeholder = Placeholder(f"{element}{counters[element]}", element, href)
            placeholders.append(placeholder)
            open_stack.append(placeholder)
            parts.append(placeholder.opening)
        elif child.type in _INLINE_CLOSERS:
            parts.append(open_stack.pop().closing)
        else:
            raise SourceError(f"unsupported inline Markdown ({child.type})", path=path, line=line,
                              hint="use plain text, links, *emphasis* and **strong** only")
    msgid = " ".join("".join(parts).split())
    return _segment(msgid, kind, line, tuple(placeholders), notes, path)
