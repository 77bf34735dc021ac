"""Translation checks: each check yields findings; every finding is collected.

Checks compare a language's catalogues with the English source as it is *now*:
the templates are re-extracted in memory, so a forgotten `invoke update` cannot
hide a missing or changed sentence.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from . import markup, textcompare
from .approval import is_current, source_fingerprint
from .catalogs import catalog_file, ids_of, key_of, read_catalog, strings_of, translation_pairs
from .config import Language, Project, registry_line
from .errors import CatalogError, PlaceholderError
from .extract import templates_in_memory
from .glossary import Glossary, load_glossary
from .plurals import plural_count, same_plural_rule
from .source import Segment, read_leaflet

ERROR = "error"
WARNING = "warning"
ALLOW_FLAG = "allow-{code}"   # a PO flag such as `allow-identical` waives one check for one entry
# Only judgements a person can make may be waived; safety checks (hidden characters, numbers,
# links) never are, or a translator could switch them off.
WAIVABLE = frozenset({"identical", "sentences", "placeholder-order"})


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
    risk: str = ""

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def location_in(self, root: Path) -> str:
        where = _relative(self.path, root)
        return f"{where}:{self.line}" if self.line else where

    def to_dict(self, root: Path) -> dict:
        return {"severity": self.severity, "code": self.code, "language": self.language,
                "domain": self.domain, "file": _relative(self.path, root), "line": self.line,
                "msgid": self.msgid, "message": self.message, "detail": self.detail, "risk": self.risk}


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def msgid_start(msgid, width: int = 60) -> str:
    text = key_of(msgid)
    return text if len(text) <= width else text[:width - 1] + "…"


@dataclass(frozen=True)
class Entry:
    """One catalogue entry with everything a check may need."""
    language: Language
    domain: str
    path: Path
    line: int | None
    message: Message
    glossary: Glossary
    segment: Segment | None = None          # None for interface (template) strings

    def finding(self, severity: str, code: str, message: str, detail: str = "", risk: str = "") -> Finding:
        return Finding(severity, code, self.language.code, self.domain, self.path, self.line,
                       msgid_start(self.message.id), message, detail, risk)

    @property
    def formatted(self) -> bool:
        """Interface strings are %-formatted when a page is made; leaflet text never is."""
        return self.segment is None

    @property
    def sources(self) -> tuple[str, ...]:
        return ids_of(self.message)

    @property
    def strings(self) -> tuple[str, ...]:
        return strings_of(self.message)

    @property
    def translations(self) -> list[str]:
        """The msgstr values patients would read: none while the entry is fuzzy."""
        return [] if self.message.fuzzy else [s for s in self.strings if s]

    def pairs(self) -> Iterator[tuple[str, str]]:
        """(English, translation); plural forms after the first compare with the English plural."""
        if not self.message.fuzzy:
            yield from translation_pairs(self.message)


# -- missing and stale --------------------------------------------------------

def check_untranslated(entry: Entry) -> Iterator[Finding]:
    strings = entry.strings
    expected = plural_count(entry.language.locale)
    if len(entry.sources) > 1 and len(strings) != expected:
        yield entry.finding(ERROR, "plural-forms", f"{len(strings)} plural forms, but {entry.language.code} has "
                            f"{expected} in CLDR: give one translation for each")
    if not all(strings):
        what = "some plural forms are empty" if len(strings) > 1 and any(strings) else "not translated"
        yield entry.finding(ERROR, "untranslated", f"{what}: translate this entry")


def check_fuzzy(entry: Entry) -> Iterator[Finding]:
    if not entry.message.fuzzy:
        return
    previous = entry.message.previous_id     # Babel keeps it as a list: [msgid, msgid_plural]
    if previous:
        old, new = previous[0], entry.sources[0]
        yield entry.finding(ERROR, "fuzzy", "the English changed after translation: revise it, "
                            "then clear the fuzzy flag", detail=textcompare.word_diff(old, new),
                            risk=textcompare.change_risk(old, new))
    else:
        yield entry.finding(ERROR, "fuzzy", "marked fuzzy (needs review): check it against the English, "
                            "then clear the fuzzy flag")


# -- unsafe -------------------------------------------------------------------

def check_placeholders(entry: Entry) -> Iterator[Finding]:
    if entry.segment is None:
        return
    for translation in entry.translations:
        try:
            markup.validate(translation, entry.segment.placeholders)
        except PlaceholderError as exc:
            yield entry.finding(ERROR, "placeholders", f"{exc.message}; {exc.hint}")


def check_placeholder_order(entry: Entry) -> Iterator[Finding]:
    """Links in another order may carry one link's words to the other's target ("call NHS 111"
    sent to the consent page). Languages whose word order needs it waive this per entry."""
    if entry.segment is None:
        return
    links = [p.opening for p in entry.segment.placeholders if p.element == "a"]
    if len(links) < 2:
        return
    for translation in entry.translations:
        order = [tag for tag in markup.tags_in(translation) if tag in links]
        if order != links and sorted(order) == sorted(links):
            targets = {p.opening: p.href for p in entry.segment.placeholders}
            yield entry.finding(ERROR, "placeholder-order", f"the links come in the order {', '.join(order)}, the "
                                f"English has {', '.join(links)}: check that each link's words still match its "
                                f"target ({'; '.join(f'{tag} → {targets[tag]}' for tag in links)}), then add the "
                                f"flag '{ALLOW_FLAG.format(code='placeholder-order')}'")


def check_markup(entry: Entry) -> Iterator[Finding]:
    """Interface strings have no placeholders: any tag a translation adds is raw HTML."""
    if entry.segment is not None:
        return
    for source, translation in entry.pairs():
        added = set(markup.tags_in(translation)) - set(markup.tags_in(source))
        if added:
            yield entry.finding(ERROR, "raw-html", f"remove {', '.join(sorted(added))}: "
                                "translations cannot add markup")


def check_urls(entry: Entry) -> Iterator[Finding]:
    for source, translation in entry.pairs():
        wanted, found = textcompare.urls(source), textcompare.urls(translation)
        for url in wanted - found:
            yield entry.finding(ERROR, "url-missing", f"keep the web address {url} exactly as in the English")
        for url in found - wanted:
            yield entry.finding(ERROR, "url-added", f"remove the web address {url}: "
                                "links and addresses come from the English source")


def check_numbers(entry: Entry) -> Iterator[Finding]:
    for source, translation in entry.pairs():
        wanted = textcompare.numbers(markup.to_plain(source))
        found = textcompare.numbers(markup.to_plain(translation))
        if wanted == found:
            continue
        missing = ", ".join(str(n) for n in sorted((wanted - found).elements()))
        added = ", ".join(str(n) for n in sorted((found - wanted).elements()))
        what = "; ".join(part for part in (missing and f"missing {missing}", added and f"added {added}") if part)
        yield entry.finding(ERROR, "numbers", f"numbers differ from the English ({what}): "
                            "keep every number exactly, in digits")


def check_do_not_translate(entry: Entry) -> Iterator[Finding]:
    for source, translation in entry.pairs():
        for term in entry.glossary.do_not_translate:
            if textcompare.contains_term(source, term) and not textcompare.contains_term(translation, term):
                yield entry.finding(ERROR, "do-not-translate", f"keep {term!r} exactly as written in English")


def check_glossary(entry: Entry) -> Iterator[Finding]:
    terms = entry.glossary.required_terms(entry.language.code)
    for source, translation in entry.pairs():
        for english, required in terms.items():
            if re.search(rf"(?<!\w){re.escape(english)}(?!\w)", source, re.IGNORECASE) \
                    and required.casefold() not in translation.casefold():
                yield entry.finding(ERROR, "glossary", f"use the glossary term {required!r} for {english!r}")


def check_format(entry: Entry) -> Iterator[Finding]:
    for source, translation in entry.pairs():
        wanted = textcompare.format_placeholders(source)
        found = textcompare.format_placeholders(translation)
        if wanted != found:
            yield entry.finding(ERROR, "format", "placeholders differ: keep "
                                f"{', '.join(sorted(wanted)) or 'none'}, found {', '.join(sorted(found)) or 'none'}")
        elif problem := textcompare.format_error(source, translation, percent=entry.formatted):
            yield entry.finding(ERROR, "format", f"the page cannot be made with this translation: {problem}")


def check_hidden_characters(entry: Entry) -> Iterator[Finding]:
    """Invisible controls or bidi overrides can reorder what a patient reads."""
    for source, translation in entry.pairs():
        hidden = [code for code in textcompare.hidden_characters(translation)
                  if code not in textcompare.hidden_characters(source)]
        if hidden:
            yield entry.finding(ERROR, "hidden-characters", f"remove the invisible character(s) {', '.join(hidden)}: "
                                "they can hide or reorder text")


def check_whitespace(entry: Entry) -> Iterator[Finding]:
    for source, translation in entry.pairs():
        if textcompare.edge_whitespace(source) != textcompare.edge_whitespace(translation):
            yield entry.finding(ERROR, "whitespace", "leading or trailing spaces differ from the English")


def check_identical(entry: Entry) -> Iterator[Finding]:
    for source, translation in entry.pairs():
        if translation == source:
            yield entry.finding(ERROR, "identical", "the translation is the English text: translate it, or add "
                                f"the flag '{ALLOW_FLAG.format(code='identical')}' if it is right as it is")


def check_sentences(entry: Entry) -> Iterator[Finding]:
    """A dropped or added sentence changes what a patient is told."""
    for source, translation in entry.pairs():
        wanted = textcompare.sentence_count(markup.to_plain(source))
        found = textcompare.sentence_count(markup.to_plain(translation))
        if wanted != found:
            yield entry.finding(ERROR, "sentences", f"the English has {wanted} sentence(s), the translation "
                                f"{found}: check that nothing was left out or added; if the change is right, "
                                f"add the flag '{ALLOW_FLAG.format(code='sentences')}'")


ENTRY_CHECKS: tuple[Callable[[Entry], Iterable[Finding]], ...] = (
    check_untranslated, check_fuzzy, check_placeholders, check_placeholder_order, check_markup, check_urls,
    check_numbers, check_do_not_translate, check_glossary, check_format, check_hidden_characters,
    check_whitespace, check_identical, check_sentences)


def entry_findings(entry: Entry) -> list[Finding]:
    """Every finding of every check for one entry, less those its `allow-<code>` flags waive."""
    waived = {flag.removeprefix("allow-") for flag in entry.message.flags if flag.startswith("allow-")} & WAIVABLE
    return [finding for check in ENTRY_CHECKS for finding in check(entry) if finding.code not in waived]


@dataclass(frozen=True)
class Judge:
    """The one decision `check` and `build` share: which translations a patient may see.
    A translation with any error is not shown; the English is, marked."""
    language: Language
    domain: str
    path: Path
    glossary: Glossary

    def errors(self, message: Message, segment: Segment | None) -> list[Finding]:
        return errors(entry_findings(Entry(self.language, self.domain, self.path, message.lineno, message,
                                           self.glossary, segment)))


# -- catalogues and languages -------------------------------------------------

@dataclass
class CatalogReport:
    """Findings and counts for one (language, domain)."""
    language: Language
    domain: str
    path: Path
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)   # state → {segments, words}

    def count(self, state: str, msgid) -> None:
        words = len(markup.to_plain(key_of(msgid)).split())
        bucket = self.counts.setdefault(state, {"segments": 0, "words": 0})
        bucket["segments"] += 1
        bucket["words"] += words

    def all_missing(self, template: Catalog) -> "CatalogReport":
        """Count every segment as missing: the catalogue is absent or unreadable."""
        for message in template:
            if message.id:
                self.count("missing", message.id)
        return self


def _state(message: Message | None) -> str:
    if message is None:
        return "missing"
    if not all(strings_of(message)):
        return "missing"
    return "fuzzy" if message.fuzzy else "translated"


def check_catalog(project: Project, language: Language, domain: str, template: Catalog,
                  segments: dict[str, Segment], glossary: Glossary) -> CatalogReport:
    path = catalog_file(project, domain).po_path(language.code)
    report = CatalogReport(language, domain, path)
    if not path.is_file():
        report.findings.append(Finding(ERROR, "no-catalogue", language.code, domain, path, None, "",
                                       "no catalogue for this leaflet: run `invoke extract update` to create it"))
        return report.all_missing(template)
    try:
        catalog = read_catalog(path)
    except CatalogError as exc:
        report.findings.append(Finding(ERROR, "syntax", language.code, domain, exc.path or path, exc.line, "",
                                       f"{exc.message}: {exc.hint}"))
        return report.all_missing(template)
    report.findings.extend(_header_findings(catalog, language, domain, path))
    unmatched = [key_of(m.id) for m in catalog if m.id and m.id not in template]
    for source_message in template:
        if not source_message.id:
            continue
        message = catalog.get(source_message.id)
        report.count(_state(message), source_message.id)
        if message is None:
            where, line = source_message.locations[0] if source_message.locations else (path, None)
            detail, risk = _closest_change(source_message.id, unmatched)
            report.findings.append(Finding(
                ERROR, "not-in-catalogue", language.code, domain, project.root / where, line,
                msgid_start(source_message.id),
                f"the English has this text but {path.relative_to(project.root)} does not: "
                "run `invoke extract update`, then translate it", detail, risk))
            continue
        entry = Entry(language, domain, path, message.lineno, message, glossary,
                      segments.get(key_of(message.id)))
        report.findings.extend(entry_findings(entry))
    if catalog.obsolete:
        first = next(iter(catalog.obsolete.values()))
        report.findings.append(Finding(
            WARNING, "obsolete", language.code, domain, path, first.lineno, msgid_start(first.id),
            f"{len(catalog.obsolete)} obsolete entries (#~) no longer in the English: "
            "reuse them if they help, otherwise they can be deleted"))
    return report


def _closest_change(msgid, candidates: list[str]) -> tuple[str, str]:
    """For text the catalogue lacks: the catalogue's closest old English, as a diff and a risk."""
    old = textcompare.closest(key_of(msgid), candidates)
    if old is None:
        return "", ""
    return textcompare.word_diff(old, key_of(msgid)), textcompare.change_risk(old, key_of(msgid))


def _header_findings(catalog: Catalog, language: Language, domain: str, path: Path) -> Iterator[Finding]:
    def header(code: str, message: str) -> Finding:
        return Finding(ERROR, code, language.code, domain, path, 1, "", message)
    if str(catalog.locale or "") != language.code:
        yield header("language", f"the file says Language: {catalog.locale or 'none'}, but it is in the "
                     f"folder of {language.code}: check that this is the right file")
    expected = plural_count(language.locale)
    if catalog.num_plurals != expected:
        yield header("plural-forms", f"the Plural-Forms header has {catalog.num_plurals} forms, CLDR has "
                     f"{expected} for {language.code}: run `invoke update`, or fix the header")
    elif not same_plural_rule(catalog.plural_expr, language.locale):
        yield header("plural-forms", f"the Plural-Forms rule {catalog.plural_expr!r} picks other forms than "
                     f"CLDR's for {language.code}: run `invoke update`, or copy the header from another catalogue")


@dataclass
class LanguageReport:
    language: Language
    catalogs: list[CatalogReport]
    findings: list[Finding]          # language-wide: approval

    @property
    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for c in self.catalogs for f in c.findings)]

    @property
    def errors(self) -> list[Finding]:
        return errors(self.all_findings)


def _approval_findings(project: Project, language: Language, fingerprint: str) -> Iterator[Finding]:
    if language.status != "published" or is_current(language, fingerprint):
        return
    line = registry_line(project.languages_file.read_text(encoding="utf-8"), language.code)
    if language.approval is None:
        message = f"published without an approval: a reviewer must run `invoke approve --lang {language.code}`"
    else:
        message = (f"approved by {language.approval.by} on {language.approval.at[:10]} for an older English "
                   f"source: review the changes, then approve again")
    yield Finding(ERROR, "approval-stale" if language.approval else "not-approved", language.code, "",
                  project.languages_file, line, "", message)


class Checker:
    """Runs every check against the English as it is now (extracted once)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.templates = templates_in_memory(project)
        self.fingerprint = source_fingerprint(self.templates)
        self.glossary = load_glossary(project.locales_dir)
        self._segments = {name: {s.msgid: s for s in read_leaflet(project.leaflet_path(name)).segments()}
                          for name in project.leaflets}

    entry_checks = ENTRY_CHECKS

    def segments(self, domain: str) -> dict[str, Segment]:
        return self._segments.get(domain, {})

    def check(self, language: Language, domains: Iterable[str] | None = None) -> LanguageReport:
        wanted = tuple(domains) if domains else self.project.domains
        catalogs = [check_catalog(self.project, language, domain, self.templates[domain],
                                  self._segments.get(domain, {}), self.glossary) for domain in wanted]
        return LanguageReport(language, catalogs,
                              list(_approval_findings(self.project, language, self.fingerprint)))


def check_language(project: Project, language: Language, domains: Iterable[str] | None = None) -> LanguageReport:
    return Checker(project).check(language, domains)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]
