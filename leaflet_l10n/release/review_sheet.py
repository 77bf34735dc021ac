"""Bilingual review sheets for clinical sign-off: English and translation side by side.

Segments whose English changed since the language was last approved are
highlighted with a word diff; fuzzy, untranslated and unsafe segments stand out.
The approval records the English it covered (`approval.write_snapshot`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .. import markup, render
from ..catalogs import EntryState, catalog_file, entry_state, read_catalog, strings_of
from ..config import Project
from ..errors import PlaceholderError
from ..fileio import atomic_write_bytes, atomic_write_text
from ..source import read_leaflet
from ..status import diff_html
from ..textcompare import closest, word_diff
from .approval import approved_english

UNSAFE = "unsafe"      # a row state beside the entry states: its tags do not match the English


@dataclass(frozen=True)
class Row:
    number: int
    kind: str
    english: Markup
    translation: Markup
    state: str                  # an EntryState value, or unsafe
    changed: Markup | None      # word diff of the English since approval (or since translation)


def _row(number: int, segment, catalog, approved: list[str] | None) -> Row:
    message = catalog.get(segment.msgid)
    string = strings_of(message)[0] if message else ""
    state = entry_state(message).value
    try:
        translation = markup.to_html(string, segment.placeholders) if string else Markup("")
    except PlaceholderError:
        translation, state = Markup("<code>{}</code>").format(string), UNSAFE
    changed = None
    if approved is not None and segment.msgid not in approved:
        old = closest(segment.msgid, approved)
        changed = diff_html(word_diff(old, segment.msgid)) if old else Markup("<ins>new</ins>")
    elif message is not None and message.fuzzy and message.previous_id:
        changed = diff_html(word_diff(message.previous_id[0], segment.msgid))
    return Row(number, segment.kind, markup.to_html(segment.msgid, segment.placeholders), translation,
               state, changed)


def review_sheet(project: Project, code: str, leaflets: list[str] | None = None) -> list[Path]:
    """Write build/review/<lang>/<leaflet>.html and .pdf; returns the paths written."""
    language = project.language(code)
    env = Environment(loader=PackageLoader("leaflet_l10n"), autoescape=True)
    written = []
    for name in project.select_leaflets(leaflets):
        leaflet = read_leaflet(project.leaflet_path(name))
        catalog = read_catalog(catalog_file(project, name).po_path(language.code))
        approved = approved_english(project, language, name)
        rows = [_row(i, segment, catalog, approved) for i, segment in enumerate(leaflet.segments(), 1)]
        html = env.get_template("review_sheet.html").render(
            language=language, page=render.PageLanguage.of(language), leaflet=leaflet, rows=rows,
            approval=language.approval, has_snapshot=approved is not None,
            fonts=render.language_fonts(project.all_languages), today=dt.date.today().isoformat(),
            counts={state: sum(r.state == state for r in rows) for state in (*(s.value for s in EntryState), UNSAFE)},
            changed=sum(r.changed is not None for r in rows))
        directory = project.build_paths.review(language)
        atomic_write_text(directory / f"{name}.html", html)
        atomic_write_bytes(directory / f"{name}.pdf",
                           render.pdf_bytes(html, where=str(catalog_file(project, name).po_path(language.code))))
        written += [directory / f"{name}.html", directory / f"{name}.pdf"]
    return written
