"""Extraction: leaflets and templates into gettext templates (`.pot`).

`extract_leaflet` is a Babel extractor, registered under the
`babel.extractors` entry point as `leaflet`; templates go through Jinja2's own
Babel extractor. Babel collects both into catalogues.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from jinja2 import TemplateSyntaxError

from . import catalogs
from .config import UI_DOMAIN, Project
from .errors import SourceError
from .source import parse_leaflet, read_leaflet

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


def leaflet_template(project: Project, name: str) -> Catalog:
    """The `.pot` catalogue of one leaflet, extracted through the registered extractor."""
    path = project.leaflet_path(name)
    read_leaflet(path)  # raises a SourceError with file and line before Babel sees it
    catalog = catalogs.new_template(project, name)
    location = path.relative_to(project.root).as_posix()
    for lineno, message, comments, context in extract_from_file("leaflet", path):
        catalog.add(message, locations=[(location, lineno)], auto_comments=comments, context=context)
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


def templates_in_memory(project: Project) -> dict[str, Catalog]:
    """Every domain's template, extracted now from the current source."""
    result = {name: leaflet_template(project, name) for name in project.leaflets}
    result[UI_DOMAIN] = ui_template(project)
    return result


def extract(project: Project) -> dict[str, bool]:
    """Write `locales/<domain>.pot` for every domain; returns which files changed."""
    return {domain: catalogs.write_template(project, domain, template)
            for domain, template in templates_in_memory(project).items()}
