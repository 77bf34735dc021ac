"""The status model: findings, and segments and words per entry state, per catalogue and language.

Checks produce it, the build's gate adds what it withheld, and it is written as
JSON (the schema is documented in the README) and HTML under `build/reports/`.
Every form of it is made from these frozen dataclasses, by `as_json` and `as_html`.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from .catalogs import EntryState
from .config import Language
from .fileio import atomic_write_text

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str              # error | warning
    code: str
    language: str
    domain: str
    path: Path
    line: int | None
    msgid: str
    message: str
    detail: str = ""
    risk: str = ""

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def location_in(self, root: Path) -> str:
        where = relative(self.path, root)
        return f"{where}:{self.line}" if self.line else where


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


@dataclass(frozen=True)
class Count:
    segments: int = 0
    words: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(self.segments + other.segments, self.words + other.words)


@dataclass(frozen=True)
class Tally:
    """Segments and words in each entry state."""
    translated: Count = Count()
    fuzzy: Count = Count()
    untranslated: Count = Count()

    def __getitem__(self, state: EntryState) -> Count:
        return getattr(self, EntryState(state).value)

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(self[state] + other[state] for state in EntryState))

    def counted(self, state: EntryState, words: int) -> Tally:
        """This tally with one more segment of `words` words in `state`."""
        return dataclasses.replace(self, **{state.value: self[state] + Count(1, words)})

    @property
    def total(self) -> Count:
        return sum((self[state] for state in EntryState), Count())


@dataclass(frozen=True)
class CatalogStatus:
    """One (language, domain): its file, its tally and its findings."""
    domain: str
    path: Path
    tally: Tally
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class LanguageStatus:
    language: Language
    catalogs: tuple[CatalogStatus, ...]
    findings: tuple[Finding, ...]        # language-wide: approval, images
    approval_current: bool
    withheld: bool = False               # the build's gate kept it from patients

    @property
    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for c in self.catalogs for f in c.findings)]

    @property
    def errors(self) -> list[Finding]:
        return errors(self.all_findings)

    @property
    def tally(self) -> Tally:
        return sum((c.tally for c in self.catalogs), Tally())

    @property
    def outcome(self) -> str:
        return "withheld" if self.withheld else f"{len(self.errors)} error(s)" if self.errors else "ready"


@dataclass(frozen=True)
class ProjectStatus:
    root: Path
    source_fingerprint: str
    languages: tuple[LanguageStatus, ...]

    def blocking(self, strict: bool) -> list[str]:
        """Languages whose errors fail `invoke check`: published ones, or every one when strict."""
        return [s.language.code for s in self.languages
                if s.errors and (strict or s.language.status == "published")]

    def withholding(self, codes: Iterable[str]) -> ProjectStatus:
        codes = set(codes)
        return dataclasses.replace(self, languages=tuple(
            dataclasses.replace(s, withheld=s.language.code in codes) for s in self.languages))


def _tally_json(tally: Tally) -> dict:
    return {state.value: dataclasses.asdict(tally[state]) for state in EntryState}


def _finding_json(finding: Finding, root: Path) -> dict:
    return {"severity": finding.severity, "code": finding.code, "language": finding.language,
            "domain": finding.domain, "file": relative(finding.path, root), "line": finding.line,
            "msgid": finding.msgid, "message": finding.message, "detail": finding.detail, "risk": finding.risk}


def as_json(status: ProjectStatus) -> str:
    """The status in the JSON schema the README documents: the one serialisation of this model."""
    def language_json(s: LanguageStatus) -> dict:
        language, approval = s.language, s.language.approval
        return {
            "code": language.code, "tag": language.tag, "name": language.native_name,
            "dir": language.direction, "status": language.status, "back_translated": language.back_translated,
            "approval": None if approval is None else {**dataclasses.asdict(approval), "current": s.approval_current},
            "errors": len(s.errors), "withheld": s.withheld,
            "catalogs": [{"domain": c.domain, "file": relative(c.path, status.root), "counts": _tally_json(c.tally)}
                         for c in s.catalogs],
            "total": _tally_json(s.tally),
            "findings": [_finding_json(f, status.root) for f in s.all_findings]}
    data = {"source_fingerprint": status.source_fingerprint, "languages": [language_json(s) for s in status.languages]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def diff_html(detail: str) -> Markup:
    """'[-old-]{+new+}' word diffs as <del>/<ins>."""
    text = str(escape(detail))
    text = re.sub(r"\[-(.*?)-\]", r"<del>\1</del>", text)
    return Markup(re.sub(r"\{\+(.*?)\+\}", r"<ins>\1</ins>", text))


def as_html(status: ProjectStatus) -> str:
    env = Environment(loader=PackageLoader("leaflet_l10n"), autoescape=True)
    return env.get_template("status.html").render(status=status, states=tuple(EntryState), diff_html=diff_html)


def write_status(reports_dir: Path, status: ProjectStatus) -> Path:
    atomic_write_text(reports_dir / "status.json", as_json(status))
    atomic_write_text(reports_dir / "status.html", as_html(status))
    return reports_dir / "status.html"
