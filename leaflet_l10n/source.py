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
    tokens = MARKDOWN.parse(body)
    blocks: list[Block] = []
    notes: list[str] = []
    list_stack: list[tuple[bool, list[Segment]]] = []
    in_item = False

    def line_of(token: Token) -> int:
        return token.map[0] + 1 + offset if token.map else offset + 1

    def fail(token: Token, message: str, hint: str) -> SourceError:
        return SourceError(message, path=path, line=line_of(token), hint=hint)

    def take_notes() -> tuple[str, ...]:
        taken = tuple(notes)
        notes.clear()
        return taken

    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "html_block":
            match = _TRANSLATOR_NOTE.match(token.content.strip())
            if not match:
                raise fail(token, "raw HTML is not allowed in a leaflet",
                           "use Markdown; notes for translators go in <!-- translators: … -->")
            notes.append(" ".join(match.group(1).split()))
        elif kind == "heading_open":
            level = int(token.tag[1])
            if level == 1:
                raise fail(token, "a level-1 heading in the body",
                           "the title comes from the front matter; use ## for sections")
            segment = _inline_segment(tokens[index + 1], "heading", line_of(token), take_notes(), path)
            blocks.append(Block("heading", (segment,), level=level))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            if list_stack:
                raise fail(token, "nested lists are not supported", "flatten the list")
            list_stack.append((kind == "ordered_list_open", []))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            ordered, items = list_stack.pop()
            blocks.append(Block("list", tuple(items), ordered=ordered))
        elif kind == "list_item_open":
            in_item = True
        elif kind == "list_item_close":
            in_item = False
        elif kind == "paragraph_open":
            inline = tokens[index + 1]
            if in_item:
                list_stack[-1][1].append(
                    _inline_segment(inline, "list_item", line_of(token), take_notes(), path))
            else:
                segment = _inline_segment(inline, "paragraph", line_of(token), take_notes(), path)
                blocks.append(Block("paragraph", (segment,)))
        elif kind in ("inline", "heading_close", "paragraph_close"):
            continue
        else:
            raise fail(token, f"unsupported Markdown block ({kind.removesuffix('_open')})",
                       "leaflets use headings, paragraphs and flat lists only")
    if notes:
        raise SourceError("a translators' note is not followed by any text", path=path,
                          hint="put the note directly above the block it explains")
    return tuple(blocks)


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
