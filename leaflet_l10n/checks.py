"""Translation checks: each check yields findings; every finding is collected.

Checks compare a language's catalogues with the English source as it is *now*:
the templates are re-extracted in memory, so a forgotten `invoke update` cannot
hide a missing or changed sentence.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from translate.filters.checks import FilterFailure, StandardChecker

from . import markup, textcompare
from .cache import CheckCache
from .catalogs import (EntryState, catalog_file, entry_state, ids_of, key_of, msgid_start, read_catalog,
                       strings_of, translation_pairs)
from .config import UI_DOMAIN, Language, Project, registry_line
from .errors import CatalogError, ConfigError, PlaceholderError, SourceError
from .extract import English, read_english
from .forks import forked_map
from .glossary import Glossary, load_glossary
from .images import has_variant, read_image, variant_image, variant_place
from .plurals import plural_count, same_plural_rule
from .body import Segment
from .status import ERROR, WARNING, CatalogStatus, Finding, LanguageStatus, ProjectStatus, Tally, errors
ALLOW_FLAG = "allow-{code}"   # a PO flag such as `allow-identical` waives one check for one entry
# Only judgements a person can make may be waived; safety checks (hidden characters, numbers,
# links) never are, or a translator could switch them off.
WAIVABLE = frozenset({"identical", "sentences", "placeholder-order"})


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

# The plural count is CLDR's, not the catalogue's own header as in Babel's `num_plurals`.
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


# Not Translate Toolkit's `numbers`: it takes ٣٠ for a different number from 30.
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
            if textcompare.contains_word(source, english) and required.casefold() not in translation.casefold():
                yield entry.finding(ERROR, "glossary", f"use the glossary term {required!r} for {english!r}")


# Not Babel's `python_format`: it lets a translation drop a named placeholder (a date would
# vanish from the page); ours asks Python to format the translation with typed values.
def check_format(entry: Entry) -> Iterator[Finding]:
    if not entry.formatted:
        return                     # leaflet text is never formatted: "50% of" is just text
    for source, translation in entry.pairs():
        wanted = textcompare.format_placeholders(source)
        found = textcompare.format_placeholders(translation)
        if wanted != found:
            yield entry.finding(ERROR, "format", "placeholders differ: keep "
                                f"{', '.join(sorted(wanted)) or 'none'}, found {', '.join(sorted(found)) or 'none'}")
        elif problem := textcompare.format_error(source, translation):
            yield entry.finding(ERROR, "format", f"the page cannot be made with this translation: {problem}")


def check_hidden_characters(entry: Entry) -> Iterator[Finding]:
    """Invisible controls or bidi overrides can reorder what a patient reads."""
    for source, translation in entry.pairs():
        hidden = [code for code in textcompare.hidden_characters(translation)
                  if code not in textcompare.hidden_characters(source)]
        if hidden:
            yield entry.finding(ERROR, "hidden-characters", f"remove the invisible character(s) {', '.join(hidden)}: "
                                "they can hide or reorder text")


_TOOLKIT = StandardChecker()


def check_whitespace(entry: Entry) -> Iterator[Finding]:
    """Translate Toolkit's own start and end whitespace checks."""
    for source, translation in entry.pairs():
        try:
            _TOOLKIT.startwhitespace(source, translation)
            _TOOLKIT.endwhitespace(source, translation)
        except FilterFailure:
            yield entry.finding(ERROR, "whitespace", "leading or trailing spaces differ from the English")


# Not Translate Toolkit's `unchanged`: it passes text in capitals, such as a copied heading.
def check_identical(entry: Entry) -> Iterator[Finding]:
    for source, translation in entry.pairs():
        if translation == source:
            yield entry.finding(ERROR, "identical", "the translation is the English text: translate it, or add "
                                f"the flag '{ALLOW_FLAG.format(code='identical')}' if it is right as it is")


# Not Translate Toolkit's `sentencecount`: ours knows the full stops of the scripts we serve.
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


class EntryJudgements:
    """Each distinct entry judged once per run: a library repeats its sentences (warnings, contact
    details, whole sections) across leaflets, and an entry's findings depend only on what it says,
    in which language, against which English segment; where it is only changes their location."""

    def __init__(self) -> None:
        self._judged: dict[tuple, list[Finding]] = {}

    def findings(self, entry: Entry) -> list[Finding]:
        message = entry.message
        key = (entry.language, entry.segment, message.id, message.string, message.fuzzy,
               tuple(sorted(message.flags)), tuple(message.previous_id or ()))
        if key not in self._judged:
            self._judged[key] = entry_findings(dataclasses.replace(entry, domain="", path=Path(), line=None))
        return [dataclasses.replace(finding, domain=entry.domain, path=entry.path, line=entry.line)
                for finding in self._judged[key]]


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

def check_catalog(project: Project, language: Language, domain: str, english: English, glossary: Glossary,
                  judge: Callable[[Entry], list[Finding]] = entry_findings) -> CatalogStatus:
    """Every finding of one catalogue against the English as it is now, and its tally."""
    path = catalog_file(project, domain).po_path(language.code)
    template = english.templates[domain]
    try:
        catalog = read_catalog(path) if path.is_file() else None
    except CatalogError as exc:
        return _unreadable(language, domain, path, template, Finding(
            ERROR, "syntax", language.code, domain, exc.path or path, exc.line, "", f"{exc.message}: {exc.hint}"))
    if catalog is None:
        return _unreadable(language, domain, path, template, Finding(
            ERROR, "no-catalogue", language.code, domain, path, None, "",
            "no catalogue for this leaflet: run `invoke extract update` to create it"))
    findings = [*_header_findings(catalog, language, domain, path)]
    segments = english.segments(domain)
    unmatched = [key_of(m.id) for m in catalog if m.id and m.id not in template]
    tally = Tally()
    for source_message in template:
        if not source_message.id:
            continue
        message = catalog.get(source_message.id)
        tally = tally.counted(entry_state(message), _words(source_message.id))
        if message is None:
            findings.append(_not_in_catalogue(project, language, domain, path, source_message, unmatched))
        else:
            findings += judge(Entry(language, domain, path, message.lineno, message, glossary,
                                    segments.get(key_of(message.id))))
    findings += _obsolete_findings(catalog, language, domain, path)
    return CatalogStatus(domain, path, tally, tuple(findings))


def _words(msgid) -> int:
    return len(markup.to_plain(key_of(msgid)).split())


def _unreadable(language: Language, domain: str, path: Path, template: Catalog, finding: Finding) -> CatalogStatus:
    """A catalogue that is absent or cannot be read: every segment counts as untranslated."""
    tally = Tally()
    for message in template:
        if message.id:
            tally = tally.counted(EntryState.UNTRANSLATED, _words(message.id))
    return CatalogStatus(domain, path, tally, (finding,))


def _not_in_catalogue(project: Project, language: Language, domain: str, path: Path, source_message: Message,
                      unmatched: list[str]) -> Finding:
    where, line = source_message.locations[0] if source_message.locations else (path, None)
    detail, risk = _closest_change(source_message.id, unmatched)
    return Finding(ERROR, "not-in-catalogue", language.code, domain, project.root / where, line,
                   msgid_start(source_message.id), f"the English has this text but "
                   f"{path.relative_to(project.root)} does not: run `invoke extract update`, then translate it",
                   detail, risk)


def _obsolete_findings(catalog: Catalog, language: Language, domain: str, path: Path) -> Iterator[Finding]:
    if catalog.obsolete:
        first = next(iter(catalog.obsolete.values()))
        yield Finding(WARNING, "obsolete", language.code, domain, path, first.lineno, msgid_start(first.id),
                      f"{len(catalog.obsolete)} obsolete entries (#~) no longer in the English: "
                      "reuse them if they help, otherwise they can be deleted")


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


def _approval_findings(project: Project, language: Language, fingerprint: str) -> Iterator[Finding]:
    if language.status != "published" or language.approved_for(fingerprint):
        return
    line = registry_line(project.languages_file.read_text(encoding="utf-8"), language.code)
    if language.approval is None:
        message = f"published without an approval: a reviewer must run `invoke approve --lang {language.code}`"
    else:
        message = (f"approved by {language.approval.by} on {language.approval.at[:10]} for an older English "
                   f"source: review the changes, then approve again")
    yield Finding(ERROR, "approval-stale" if language.approval else "not-approved", language.code, "",
                  project.languages_file, line, "", message)


def _image_findings(project: Project, english: English, language: Language) -> Iterator[Finding]:
    """A variant image must be safe; an image some language has a variant of (it has words in it)
    is listed for every language still showing the English one."""
    for src in sorted(english.images):
        own = variant_place(project, language, src)
        if has_variant(project, language, src):
            try:
                read_image(variant_image(project, language, src), (own, 1))
            except (SourceError, ConfigError) as exc:
                yield Finding(ERROR, "image", language.code, "", own, exc.line, src, f"{exc.message}: {exc.hint}")
        elif any(has_variant(project, other, src) for other in project.languages):
            yield Finding(WARNING, "image-in-english", language.code, "", own, None, src,
                          f"the image {src} has words in it and is translated for other languages, but "
                          f"{language.code} still shows the English one: save a translated copy as {own.name} "
                          f"in {own.parent.relative_to(project.root)}/")


class Checker:
    """Every check, against the English as it is now: read once per task and shared by every step
    of it (the build's gate, an approval, an export, an import)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.english = read_english(project)
        self.glossary = load_glossary(project.locales_dir)
        self.cache = CheckCache(project, self.english.template_digests, self.glossary)

    @property
    def fingerprint(self) -> str:
        return self.english.fingerprint

    def segments(self, domain: str) -> dict[str, Segment]:
        return self.english.segments(domain)

    def check(self, language: Language, domains: Iterable[str] | None = None) -> LanguageStatus:
        return self.check_all([language], domains)[0]

    def check_all(self, languages: Iterable[Language], domains: Iterable[str] | None = None,
                  workers: int | None = None) -> tuple[LanguageStatus, ...]:
        """Each language's status. A catalogue unchanged since it was last checked is not read; the
        others are checked in forked workers, each entry that repeats an earlier one judged once."""
        languages, wanted = tuple(languages), tuple(domains) if domains else self.project.domains
        pairs = [(language, domain) for domain in wanted for language in languages]   # a leaflet read once
        looked_up = [self.cache.lookup(language, domain, catalog_file(self.project, domain).po_path(language.code))
                     for language, domain in pairs]
        missing = [pair for pair, (_, kept) in zip(pairs, looked_up) if kept is None]
        judgements = EntryJudgements()
        computed = dict(zip(missing, forked_map(
            lambda pair: check_catalog(self.project, *pair, self.english, self.glossary, judgements.findings),
            missing, workers)))
        statuses = {}
        for pair, (key, kept) in zip(pairs, looked_up):
            if kept is None:
                self.cache.keep(*pair, key, computed[pair])
            statuses[pair] = kept or computed[pair]
        self.cache.save()
        return tuple(self._language_status(language, tuple(statuses[language, d] for d in wanted))
                     for language in languages)

    def _language_status(self, language: Language, catalogs: tuple[CatalogStatus, ...]) -> LanguageStatus:
        findings = (*_approval_findings(self.project, language, self.fingerprint),
                    *_image_findings(self.project, self.english, language))
        return LanguageStatus(language, catalogs, findings, language.approved_for(self.fingerprint))


def check_project(project: Project, codes: list[str] | None = None,
                  leaflets: list[str] | None = None) -> ProjectStatus:
    """The chosen languages (default: every translation) and leaflets, plus the interface."""
    checker = Checker(project)
    languages = [lang for lang in project.select_languages(codes) if not lang.is_source]
    domains = (*project.select_leaflets(leaflets), UI_DOMAIN)
    return ProjectStatus(project.root, checker.fingerprint, checker.check_all(languages, domains))
