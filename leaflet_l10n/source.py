"""A leaflet file: TOML front matter, then a Markdown body (`body.py`).

The front matter gives the title and the document type, which are segments like
the body's, and the fields every page shows (publisher, ISBN, links).
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import markup
from .body import Block, Segment, make_segment, parse_body
from .errors import SourceError

FRONT_MATTER_FENCE = "+++"
TRANSLATABLE_FIELDS = ("title", "document_type")
LINK_FIELDS = ("guidance_url", "publisher_url")
TEXT_FIELDS = (*TRANSLATABLE_FIELDS, "publisher", "isbn", *LINK_FIELDS)   # one line of text each
REQUIRED_FIELDS = (*TRANSLATABLE_FIELDS, "published")
PUBLISHED_FIELDS = (*TEXT_FIELDS, "published")       # what a page needs, besides the text


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
        """Every segment in reading order: the title, the document type, then the body's."""
        return (self.title, self.document_type, *(s for block in self.blocks for s in block.all_segments()))

    def images(self) -> tuple[Block, ...]:
        """The body's figures, in reading order."""
        return tuple(image for block in self.blocks for image in block.images())


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
    blocks = parse_body(body, body_offset, path)
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
    return make_segment(" ".join(value.split()), name, line, (), (), path)
