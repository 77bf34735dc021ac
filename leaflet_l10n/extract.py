"""Extraction: the English as it is now, and its gettext templates (`.pot`).

`read_english` reads every leaflet once per task and extracts every domain's
template from it; checks, builds and approvals all share that one reading.
`extract_leaflet` is the same extraction as a Babel extractor, registered under
the `babel.extractors` entry point as `leaflet`, for other tools; the interface
templates go through Jinja2's own Babel extractor.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

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


@dataclass(frozen=True)
class English:
    """The English source as it is now, read once per task."""
    leaflets: dict[str, Leaflet]        # name → parsed leaflet
    sources: dict[str, bytes]           # name → the bytes it was parsed from (for fingerprints)
    templates: dict[str, Catalog]       # domain → template, the interface included
    fingerprint: str                    # what an approval is recorded against
    images: dict[str, bytes]            # src (images/x.svg) → the English image, checked

    def segments(self, domain: str) -> dict:
        """msgid → segment of a leaflet; empty for the interface, whose strings have no segments."""
        leaflet = self.leaflets.get(domain)
        return {s.msgid: s for s in leaflet.segments()} if leaflet else {}


def read_english(project: Project) -> English:
    """Every leaflet parsed once, and every domain's template extracted from it."""
    sources = {name: project.leaflet_path(name).read_bytes() for name in project.leaflets}
    leaflets = {name: leaflet_from_bytes(data, project.leaflet_path(name)) for name, data in sources.items()}
    templates = {name: leaflet_template(project, leaflet) for name, leaflet in leaflets.items()}
    templates[UI_DOMAIN] = ui_template(project)
    images = {figure.src: read_image(english_image(project, figure.src), (leaflet.path, figure.segments[0].line))
              for leaflet in leaflets.values() for figure in leaflet.images()}
    return English(leaflets, sources, templates, source_fingerprint(templates), images)


def source_fingerprint(templates: dict[str, Catalog]) -> str:
    """A digest of every translatable English string: any change makes an approval stale."""
    digest = hashlib.sha256()
    for domain in sorted(templates):
        for message in templates[domain]:
            if message.id:
                digest.update("\x1f".join((domain, *catalogs.ids_of(message))).encode("utf-8") + b"\x1e")
    return "sha256:" + digest.hexdigest()[:32]


def extract(project: Project) -> dict[str, bool]:
    """Write `locales/<domain>.pot` for every domain; returns which files changed."""
    return {domain: catalogs.write_template(project, domain, template)
            for domain, template in read_english(project).templates.items()}
