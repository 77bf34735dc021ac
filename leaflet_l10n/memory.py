"""Translation memory: every translated sentence of every leaflet, per language.

A segment whose exact English is already translated elsewhere is filled in
from memory, marked fuzzy so a person confirms it; the closest near matches
are offered as translator comments. `exchange.handoff.export_tmx` exports it as TMX.
"""
from __future__ import annotations

import difflib
import textwrap
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from .catalogs import catalog_file, read_catalog
from .config import Project

COMMENT_PREFIX = "tm: "
COMMENT_WIDTH = 70   # under the catalogue's line width, so no tool re-wraps a line without its prefix
NEAR_CUTOFF = 0.75
NEAR_LIMIT = 2


@dataclass(frozen=True)
class Match:
    source: str
    target: str
    domain: str
    similarity: float = 1.0


def _comment(text: str) -> list[str]:
    """Translator-comment lines, each carrying the prefix, so the next update can replace them."""
    return [COMMENT_PREFIX + line for line in textwrap.wrap(text, COMMENT_WIDTH)]


def _filled_note(match: Match) -> list[str]:
    return _comment(f"filled from {match.domain}: the same English, already translated. "
                    "Check it here, then clear the fuzzy flag.")


class TranslationMemory:
    def __init__(self) -> None:
        self._units: dict[str, dict[str, Match]] = defaultdict(dict)   # language → English → match

    def add(self, code: str, source: str, target: str, domain: str) -> None:
        self._units[code].setdefault(source, Match(source, target, domain))

    @classmethod
    def from_project(cls, project: Project) -> "TranslationMemory":
        """Confirmed entries of every catalogue on disk."""
        return cls.from_catalogs((language.code, read_catalog(path)) for language in project.languages
                                 for domain in project.domains
                                 if (path := catalog_file(project, domain).po_path(language.code)).is_file())

    @classmethod
    def from_catalogs(cls, catalogs: Iterable[tuple[str, Catalog]]) -> "TranslationMemory":
        """Confirmed (translated, not fuzzy) singular entries of (language code, catalogue) pairs."""
        memory = cls()
        for code, catalog in catalogs:
            for message in catalog:
                if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                    memory.add(code, message.id, message.string, catalog.domain)
        return memory

    def units(self, code: str) -> list[Match]:
        return list(self._units.get(code, {}).values())

    def exact(self, code: str, source: str) -> Match | None:
        return self._units.get(code, {}).get(source)

    def near(self, code: str, source: str) -> list[Match]:
        scored = []
        for match in self._units.get(code, {}).values():
            if match.source == source:
                continue
            ratio = difflib.SequenceMatcher(None, source, match.source, autojunk=False).ratio()
            if ratio >= NEAR_CUTOFF:
                scored.append(Match(match.source, match.target, match.domain, ratio))
        return sorted(scored, key=lambda m: -m.similarity)[:NEAR_LIMIT]

    def fill(self, catalog: Catalog, code: str) -> int:
        """Pre-fill untranslated entries from memory (fuzzy) and refresh near-match comments."""
        filled = 0
        for message in catalog:
            if not message.id or not isinstance(message.id, str):
                continue
            message.user_comments = [c for c in message.user_comments if not c.startswith(COMMENT_PREFIX)]
            match = self.exact(code, message.id)
            if message.string:
                if match is not None and message.fuzzy and message.string == match.target:
                    message.user_comments += _filled_note(match)   # still waiting for a person
                continue
            if match is not None:
                message.string = match.target
                message.flags.add("fuzzy")
                message.user_comments += _filled_note(match)
                filled += 1
                continue
            for near in self.near(code, message.id):
                message.user_comments += _comment(
                    f"{near.similarity:.0%} like {near.domain}: {near.source!r} → {near.target!r}")
        return filled
