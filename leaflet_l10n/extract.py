"""Extraction: the English as it is now, and its gettext templates (`.pot`).

`read_english` reads every leaflet once per task to fingerprint the English; checks,
builds and approvals share that `English`, which reads a leaflet again when a step
asks for it and keeps only the last few, so a library's English is never all in memory.
`extract_leaflet` is the same extraction as a Babel extractor, registered under
the `babel.extractors` entry point as `leaflet`, for other tools; the interface
templates go through Jinja2's own Babel extractor.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, NamedTuple

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from jinja2 import TemplateSyntaxError

from . import catalogs
from .config import UI_DOMAIN, Project
from .errors import SourceError
from .images import english_image, read_image
from .source import Leaflet, leaflet_from_bytes, parse_leaflet

TEMPLATE_PATTERN = "*.html"
# silent=false: a template with a syntax error must stop extraction, not quietly lose its strings.
TEMPLATE_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}
TEMPLATE_COMMENT_TAGS = ("Translators:",)


def extract_leaflet(fileobj: IO[bytes], keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor: yields (lineno, funcname, message, comments) per segment."""
    name = getattr(fileobj, "name", "leaflet.md")
    leaflet = parse_leaflet(fileobj.read().decode("utf-8"), Path(name))
    for segment in leaflet.segments():
        yield segment.line, None, segment.msgid, list(segment.comments)


def leaflet_template(project: Project, leaflet: Leaflet) -> Catalog:
    """The `.pot` catalogue of one leaflet: a message per segment, as `extract_leaflet` yields them."""
    catalog = catalogs.new_template(project, leaflet.name)
    location = leaflet.path.relative_to(project.root).as_posix()
    for segment in leaflet.segments():
        catalog.add(segment.msgid, locations=[(location, segment.line)], auto_comments=segment.comments)
        message = catalog[segment.msgid]
        if "%" in segment.msgid:      # leaflet text is never %-formatted, whatever Babel guesses
            message.flags.discard("python-format")
            message.flags.add("no-python-format")
    return catalog


def ui_template(project: Project) -> Catalog:
    """The `.pot` catalogue of the template chrome, through Jinja2's extractor."""
    catalog = catalogs.new_template(project, UI_DOMAIN)
    for path in sorted(project.templates_dir.rglob(TEMPLATE_PATTERN)):
        location = path.relative_to(project.root).as_posix()
        try:
            for lineno, message, comments, context in extract_from_file(
                    "jinja2", path, comment_tags=TEMPLATE_COMMENT_TAGS, options=TEMPLATE_OPTIONS,
                    strip_comment_tags=True):
                catalog.add(message, locations=[(location, lineno)], auto_comments=comments, context=context)
        except TemplateSyntaxError as exc:
            raise SourceError(f"template syntax error: {exc.message}", path=path, line=exc.lineno,
                              hint="fix the template, then run `invoke extract` again") from None
    return catalog


KEPT_LEAFLETS = 64       # parsed leaflets an English keeps at once: a library's are read again when needed


@dataclass(frozen=True)
class English:
    """The English source as it is now, read once per task. A library's leaflets are not all held:
    each mapping reads (and parses) a leaflet when asked, keeping the last KEPT_LEAFLETS."""
    leaflets: Mapping[str, Leaflet]     # name → parsed leaflet
    sources: Mapping[str, bytes]        # name → the bytes it was parsed from (for fingerprints)
    templates: Mapping[str, Catalog]    # domain → template, the interface included
    fingerprint: str                    # what an approval is recorded against
    images: dict[str, bytes]            # src (images/x.svg) → the English image, checked
    template_digests: dict[str, bytes]  # domain → what its catalogues are checked against (`template_digest`)

    def segments(self, domain: str) -> dict:
        """msgid → segment of a leaflet; empty for the interface, whose strings have no segments."""
        leaflet = self.leaflets.get(domain)
        return {s.msgid: s for s in leaflet.segments()} if leaflet else {}


class _Reading(NamedTuple):
    source: bytes
    leaflet: Leaflet
    template: Catalog


class _Read(Mapping):
    """name → one part of a leaflet's reading, made when asked for."""

    def __init__(self, names: tuple[str, ...], read: Callable[[str], _Reading], part: str, **more) -> None:
        self._names, self._read, self._part, self._more = frozenset(names), read, part, more
        self._order = names

    def __getitem__(self, name: str):
        if name in self._more:
            return self._more[name]
        if name not in self._names:
            raise KeyError(name)
        return getattr(self._read(name), self._part)

    def __iter__(self) -> Iterator[str]:
        return iter((*self._order, *self._more))

    def __len__(self) -> int:
        return len(self._names) + len(self._more)


def read_english(project: Project) -> English:
    """Every leaflet read once to fingerprint the English and check its images; then read again,
    a few at a time, when a step asks for it."""
    @lru_cache(maxsize=KEPT_LEAFLETS)
    def read(name: str) -> _Reading:
        source = project.leaflet_path(name).read_bytes()
        leaflet = leaflet_from_bytes(source, project.leaflet_path(name))
        return _Reading(source, leaflet, leaflet_template(project, leaflet))
    names = tuple(project.leaflets)
    templates = _Read(names, read, "template", **{UI_DOMAIN: ui_template(project)})
    digest, images, template_digests = hashlib.sha256(), {}, {}
    for domain in sorted(templates):              # one pass: the fingerprints, and each leaflet's images
        template = templates[domain]
        _fingerprint_update(digest, domain, template)
        template_digests[domain] = template_digest(template)
        if domain != UI_DOMAIN:
            leaflet = read(domain).leaflet
            images.update((figure.src, read_image(english_image(project, figure.src),
                                                  (leaflet.path, figure.segments[0].line)))
                          for figure in leaflet.images() if figure.src not in images)
    return English(_Read(names, read, "leaflet"), _Read(names, read, "source"), templates,
                   "sha256:" + digest.hexdigest()[:32], images, template_digests)


def template_digest(template: Catalog) -> bytes:
    """What a catalogue is checked against: each English string, where it is, and its notes."""
    digest = hashlib.sha256()
    for message in template:
        digest.update(repr((message.id, message.context, message.locations, message.auto_comments,
                            sorted(message.flags))).encode("utf-8"))
    return digest.digest()


def _fingerprint_update(digest, domain: str, template: Catalog) -> None:
    """Add every translatable English string of a domain to the fingerprint: any change to one
    makes an approval stale."""
    for message in template:
        if message.id:
            digest.update("\x1f".join((domain, *catalogs.ids_of(message))).encode("utf-8") + b"\x1e")


def extract(project: Project) -> dict[str, bool]:
    """Write `locales/<domain>.pot` for every domain; returns which files changed."""
    return {domain: catalogs.write_template(project, domain, template)
            for domain, template in read_english(project).templates.items()}
