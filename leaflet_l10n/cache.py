"""Results kept by the bytes they come from, so an unchanged input is not read again.

A catalogue's check result is a function of its bytes, its domain's English template,
the glossary, its language and the package's code. `CheckCache` keeps each (language,
domain) result in `build/.cache/checks/` under a digest of all of them, as JSON with
paths relative to the project: a cache restored at another path still serves, and a
tampered one cannot run code (a pickle could) and is simply recomputed.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog

from .config import Language, Project
from .fileio import atomic_write_text
from .glossary import Glossary
from .status import CatalogStatus, Count, Finding, Tally

_PACKAGE = Path(__file__).parent
_SCHEMA = 1


@lru_cache(maxsize=1)
def package_digest() -> bytes:
    """The code that checks and renders: a change to it makes every result stale. Paths are
    inside the package, so a checkout moved elsewhere keeps its results."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def template_digest(template: Catalog) -> bytes:
    """What a catalogue is checked against: each English string, where it is, and its notes."""
    digest = hashlib.sha256()
    for message in template:
        digest.update(repr((message.id, message.context, message.locations, message.auto_comments,
                            sorted(message.flags))).encode("utf-8"))
    return digest.digest()


class CheckCache:
    """Each catalogue's check result, kept under the digest of everything it depends on."""

    def __init__(self, project: Project, templates: dict[str, Catalog], glossary: Glossary) -> None:
        self.root, self.folder = project.root, project.build_paths.root / ".cache" / "checks"
        self.templates = templates
        self.common = hashlib.sha256(package_digest() + json.dumps(
            dataclasses.asdict(glossary), sort_keys=True, default=str).encode()).digest()

    def status(self, language: Language, domain: str, path: Path,
               compute: Callable[[], CatalogStatus]) -> CatalogStatus:
        """The cached result for this catalogue's bytes, or `compute()`'s, then kept."""
        data = path.read_bytes() if path.is_file() else b""
        key = hashlib.sha256(self.common + template_digest(self.templates[domain]) + language.code.encode()
                             + b"\0" + path.is_file().to_bytes(1, "big") + data).hexdigest()
        record = self.folder / language.code / f"{domain}.json"
        kept = self._load(record, key)
        if kept is not None:
            return kept
        status = compute()
        try:
            plain = self._plain(status)
        except ValueError:                  # a path outside the project: not kept
            return status
        atomic_write_text(record, json.dumps({"schema": _SCHEMA, "key": key, "status": plain}, ensure_ascii=False))
        return status

    def _load(self, record: Path, key: str) -> CatalogStatus | None:
        try:
            kept = json.loads(record.read_text(encoding="utf-8"))
            if kept["schema"] != _SCHEMA or kept["key"] != key:
                return None
            return self._status(kept["status"])
        except (OSError, ValueError, KeyError, TypeError):     # absent, or not what we wrote: recompute
            return None

    def _plain(self, status: CatalogStatus) -> dict:
        return {"domain": status.domain, "path": self._relative(status.path),
                "tally": {state: [count["segments"], count["words"]]
                          for state, count in dataclasses.asdict(status.tally).items()},
                "findings": [{**dataclasses.asdict(f), "path": self._relative(f.path)} for f in status.findings]}

    def _status(self, plain: dict) -> CatalogStatus:
        tally = Tally(**{state: Count(*counts) for state, counts in plain["tally"].items()})
        findings = tuple(Finding(**{**f, "path": self.root / f["path"]}) for f in plain["findings"])
        return CatalogStatus(plain["domain"], self.root / plain["path"], tally, findings)

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()
