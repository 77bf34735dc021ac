"""Results kept by the bytes they come from, so an unchanged input is not read again.

A catalogue's check result is a function of its bytes, its domain's English template
(`extract.English.template_digests`), the glossary, its language and the package's code. `CheckCache` keeps each (language,
domain) result under a digest of all of them, in one record per language
(`build/.cache/checks/<code>.json`), as JSON with paths relative to the project: a
cache restored at another path still serves, and a tampered one cannot run code (a
pickle could) and is simply recomputed.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from .config import Language, Project
from .fileio import atomic_write_text
from .glossary import Glossary
from .status import CatalogStatus, Count, Finding, Tally

_PACKAGE = Path(__file__).parent
_SCHEMA = 2


@lru_cache(maxsize=1)
def package_digest() -> bytes:
    """The code that checks and renders: a change to it makes every result stale. Paths are
    inside the package, so a checkout moved elsewhere keeps its results."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


class CheckCache:
    """Each catalogue's check result, kept under the digest of everything it depends on: one
    record per language (a library has thousands of catalogues, and a file each is slow to write)."""

    def __init__(self, project: Project, template_digests: Mapping[str, bytes], glossary: Glossary) -> None:
        self.root, self.folder = project.root, project.build_paths.root / ".cache" / "checks"
        self.template_digests = template_digests         # domain → what its catalogues are checked against
        self.common = hashlib.sha256(package_digest() + json.dumps(
            dataclasses.asdict(glossary), sort_keys=True, default=str).encode()).digest()
        self._records: dict[str, dict] = {}           # language → domain → {"key", "status"}
        self._changed: set[str] = set()

    def lookup(self, language: Language, domain: str, path: Path) -> tuple[str, CatalogStatus | None]:
        """The key of this catalogue's bytes and everything else its result depends on, and the
        result kept under it, if any."""
        data = path.read_bytes() if path.is_file() else b""
        key = hashlib.sha256(self.common + self.template_digests[domain] + language.code.encode()
                             + b"\0" + path.is_file().to_bytes(1, "big") + data).hexdigest()
        kept = self._record(language).get(domain)
        try:
            return key, self._status(kept["status"]) if kept["key"] == key else None
        except (KeyError, ValueError, TypeError, AttributeError):     # absent, or not what we wrote
            return key, None

    def keep(self, language: Language, domain: str, key: str, status: CatalogStatus) -> None:
        """Keep a result, to be written by `save`."""
        try:
            self._record(language)[domain] = {"key": key, "status": self._plain(status)}
            self._changed.add(language.code)
        except ValueError:                  # a path outside the project: not kept
            pass

    def save(self) -> None:
        """Write the records that changed, then let go of them all: a library's records are as large
        as its manifest, and a build holds them no longer than its gate. Not durably (no fsync):
        a torn record is read as absent, and its results computed again."""
        for code in sorted(self._changed):
            atomic_write_text(self.folder / f"{code}.json", json.dumps(
                {"schema": _SCHEMA, "results": self._records[code]}, ensure_ascii=False), durable=False)
        self._changed.clear()
        self._records.clear()

    def _record(self, language: Language) -> dict:
        if language.code not in self._records:
            try:
                kept = json.loads((self.folder / f"{language.code}.json").read_text(encoding="utf-8"))
                results = kept["results"] if kept["schema"] == _SCHEMA else {}
            except (OSError, ValueError, KeyError, TypeError):
                results = {}
            self._records[language.code] = results if isinstance(results, dict) else {}
        return self._records[language.code]

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
