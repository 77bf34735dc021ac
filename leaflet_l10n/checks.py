"""Translation checks: each check yields findings; all findings are collected.

Checks compare a language's catalogues with the source as it is *now*: the
templates are re-extracted in memory, so a forgotten `invoke update` cannot
hide a missing or changed sentence.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from . import markup
from .catalogs import catalog_file, entry_lines, read_catalog
from .config import UI_DOMAIN, Language, Project
from .errors import PlaceholderError
from .extract import templates_in_memory
from .source import Segment, read_leaflet

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    language: str
    domain: str
    path: Path
    line: int | None
    msgid: str
    message: str
    detail: str = ""

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def to_dict(self, root: Path) -> dict:
        return {"severity": self.severity, "code": self.code, "language": self.language,
                "domain": self.domain, "file": _relative(self.path, root), "line": self.line,
                "msgid": self.msgid, "message": self.message, "detail": self.detail}


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Entry:
    """One catalogue entry with everything a check may need."""
    language: Language
    domain: str
    path: Path
    line: int | None
    message: Message
    segment: Segment | None = None          # None for template (ui) strings

    def finding(self, severity: str, code: str, message: str, detail: str = "") -> Finding:
        return Finding(severity, code, self.language.code, self.domain, self.path, self.line,
                       msgid_start(self.message.id), message, detail)


def msgid_start(msgid, width: int = 60) -> str:
    text = msgid[0] if isinstance(msgid, tuple) else msgid
    return text if len(text) <= width else text[:width - 1] + "…"


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, tuple):
        return [s for s in message.string if s]
    return [message.string] if message.string else []


# -- entry checks: (entry) -> findings --------------------------------------

def check_untranslated(entry: Entry) -> Iterator[Finding]:
    if not _strings(entry.message):
        yield entry.finding(ERROR, "untranslated", "translate this entry")


def check_fuzzy(entry: Entry) -> Iterator[Finding]:
    if entry.message.fuzzy and _strings(entry.message):
        yield entry.finding(ERROR, "fuzzy",
                            "the English changed since this was translated: revise the translation, "
                            "then remove the fuzzy flag",
                            detail=f"previous English: {entry.message.previous_id!r}"
                            if entry.message.previous_id else "")


def check_placeholders(entry: Entry) -> Iterator[Finding]:
    if entry.segment is None:
        return
    for string in _strings(entry.message):
        try:
            markup.validate(string, entry.segment.placeholders)
        except PlaceholderError as exc:
            yield entry.finding(ERROR, "placeholders", f"{exc.message}; {exc.hint}")


ENTRY_CHECKS: tuple[Callable[[Entry], Iterable[Finding]], ...] = (
    check_untranslated, check_fuzzy, check_placeholders)


# -- catalogue checks ---------------------------------------------------------

@dataclass
class CatalogReport:
    language: Language
    domain: str
    path: Path
    findings: list[Finding] = field(default_factory=list)
    total: int = 0


def check_catalog(project: Project, language: Language, domain: str, template: Catalog,
                  segments: dict[str, Segment]) -> CatalogReport:
    path = catalog_file(project, domain).po_path(language.code)
    report = CatalogReport(language, domain, path, total=sum(1 for m in template if m.id))
    if not path.is_file():
        report.findings.append(Finding(ERROR, "no-catalogue", language.code, domain, path, None, "",
                                       f"run `invoke init --lang {language.code}`"))
        return report
    catalog = read_catalog(path)
    lines = entry_lines(path)
    for source_message in template:
        if not source_message.id:
            continue
        message = catalog.get(source_message.id)
        if message is None:
            report.findings.append(Finding(
                ERROR, "not-in-catalogue", language.code, domain, path, None,
                msgid_start(source_message.id),
                "the English source has this text but the catalogue does not: run `invoke extract update`"))
            continue
        entry = Entry(language, domain, path, lines.get(message.id), message, segments.get(message.id))
        for check in ENTRY_CHECKS:
            report.findings.extend(check(entry))
    return report


def check_language(project: Project, language: Language,
                   domains: Iterable[str] | None = None) -> list[CatalogReport]:
    templates = templates_in_memory(project)
    wanted = tuple(domains) if domains else project.domains
    reports = []
    for domain in wanted:
        segments = {} if domain == UI_DOMAIN else {
            s.msgid: s for s in read_leaflet(project.leaflet_path(domain)).segments()}
        reports.append(check_catalog(project, language, domain, templates[domain], segments))
    return reports


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]
