"""Hand-off packages for translators: everything needed in one zip, and the base
it was made from, so the returned work can be merged three ways.

build/handoff/<lang>-<date>.zip holds the catalogues (PO or XLIFF), a PDF
preview, the glossary, a README, a word count and `handoff.json`; the base
catalogues travel inside it (`base/`) and stay in build/handoff/bases/<id>/.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from translate.storage.tmx import tmxfile

from ..build import build
from ..catalogs import catalog_file, read_catalog
from ..checks import Checker
from ..config import UI_DOMAIN, Language, Project
from ..errors import ConfigError
from ..fileio import atomic_write_bytes
from ..glossary import Glossary
from ..memory import TranslationMemory
from ..pofile import Catalog, write_po
from ..status import LanguageStatus
from .xliff import po_to_xliff

ID_HEADER = "X-Handoff-Id"
# <language>-<date>-<10 hex digits of the catalogues' digest>, as `export` writes it.
HANDOFF_ID = re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]+)*(?:@[A-Za-z0-9]+)?-\d{4}-\d{2}-\d{2}-[0-9a-f]{10}")
FORMATS = ("po", "xliff")
RECORD = "handoff.json"

README = """\
Translation hand-off: {name} ({code})
Exported {date} from the patient leaflet localisation pipeline. Package id: {id}

What is here
  {files}
      The texts to translate: one file per leaflet, plus ui for the words
      around the leaflet (page numbers, the draft notice). Open them in Poedit,
      Lokalize, Weblate or your CAT tool (Trados, memoQ and others read XLIFF).
  preview/   How the current draft looks, as PDF. Untranslated parts show in English.
  glossary.csv   Names to keep exactly as written, and the terms this language must use.
  wordcount.csv  Segments and words untranslated, fuzzy (needs work) and translated.
  base/      The files as exported. Do not edit: they let us merge your work safely.

How to translate
  - Translate every untranslated entry, and revise every fuzzy ("needs work") entry: its
    English changed after it was translated. Then clear the fuzzy flag.
  - Tags such as <a1>...</a1> are links or emphasis: keep each pair exactly once, around
    the words that mean the same. Keep %(date)s, %(count)s, {{page}} and {{pages}} exactly.
  - Keep every number, time, name and web address exactly. Keep the names in glossary.csv.
  - Notes for translators (#. comments in PO, notes in XLIFF) say what each text is and
    where each link goes.

Send back the whole zip, or just the translated files. Do not rename them; keep the
header line {id_header}, which says which export your work belongs to.
"""


@dataclass(frozen=True)
class Handoff:
    id: str
    language: str
    exported_at: str
    format: str
    source_fingerprint: str
    files: dict[str, str]          # domain → file name in the package


def _translation_language(project: Project, code: str) -> Language:
    language = project.language(code)
    if not language.is_translation:
        raise ConfigError(f"{code} is not a translation", path=project.languages_file,
                          hint="export a registered language such as cy")
    return language


def _with_id(catalog: Catalog, handoff_id: str) -> bytes:
    catalog.extra_headers = [*((name, value) for name, value in catalog.extra_headers if name != ID_HEADER),
                             (ID_HEADER, handoff_id)]
    return write_po(catalog)


def _glossary_csv(glossary: Glossary, code: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["english", code, "rule"])
    for term in glossary.do_not_translate:
        writer.writerow([term, term, "keep exactly as written"])
    for english, required in glossary.required_terms(code).items():
        writer.writerow([english, required, "use this term"])
    return out.getvalue().encode("utf-8")


def _wordcount_csv(status: LanguageStatus) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["leaflet", "untranslated segments", "untranslated words", "fuzzy segments", "fuzzy words",
                     "translated segments", "translated words"])
    for catalog in status.catalogs:
        tally = catalog.tally
        writer.writerow([catalog.domain, tally.untranslated.segments, tally.untranslated.words,
                         tally.fuzzy.segments, tally.fuzzy.words, tally.translated.segments, tally.translated.words])
    return out.getvalue().encode("utf-8")


def export(project: Project, code: str, leaflets: list[str] | None = None, fmt: str = "po",
           today: dt.date | None = None) -> Path:
    """Write build/handoff/<lang>-<date>.zip; returns its path."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}", hint="use --format po or --format xliff")
    language = _translation_language(project, code)
    names = project.select_leaflets(leaflets)
    domains = (*names, UI_DOMAIN)
    paths = {domain: catalog_file(project, domain).po_path(language.code) for domain in domains}
    current = {domain: read_catalog(path) for domain, path in paths.items()}   # names a missing one
    bases = {domain: path.read_bytes() for domain, path in paths.items()}
    digest = hashlib.sha256(b"".join(bases[d] for d in domains)).hexdigest()[:10]
    date = (today or dt.date.today()).isoformat()
    checker = Checker(project)
    record = Handoff(f"{language.code}-{date}-{digest}", language.code,
                     dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), fmt, checker.fingerprint,
                     {d: f"{d}.{'xlf' if fmt == 'xliff' else 'po'}" for d in domains})
    build(project, [code], list(names), checker=checker)
    for domain in domains:
        atomic_write_bytes(project.build_paths.handoff_base(record.id) / f"{domain}.po", bases[domain])
    package = _package(project, record, date, current, bases, checker)
    path = project.build_paths.handoff / f"{language.code}-{date}.zip"
    atomic_write_bytes(path, package)
    return path


def _package(project: Project, record: Handoff, date: str, current: dict[str, Catalog],
             bases: dict[str, bytes], checker: Checker) -> bytes:
    """The zip a translator receives: catalogues, bases, previews, glossary, word count, README."""
    language = project.language(record.language)
    names = [domain for domain in record.files if domain != UI_DOMAIN]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for domain, member in record.files.items():
            returned = _with_id(current[domain], record.id)
            package.writestr(member, po_to_xliff(returned, f"{domain}.po") if record.format == "xliff" else returned)
            package.writestr(f"base/{domain}.po", bases[domain])
        for name in names:
            pdf = project.build_paths.pdf(language, name)
            if pdf.is_file():
                package.write(pdf, f"preview/{name}.pdf")
        package.writestr("glossary.csv", _glossary_csv(checker.glossary, language.code))
        package.writestr("wordcount.csv", _wordcount_csv(checker.check(language, record.files)))
        package.writestr(RECORD, json.dumps(asdict(record), indent=2, ensure_ascii=False))
        package.writestr("README.txt", README.format(
            name=language.native_name, code=language.code, date=date, id=record.id,
            id_header=ID_HEADER, files=", ".join(record.files.values())))
    return buffer.getvalue()


def export_tmx(project: Project, code: str) -> Path:
    """Write the translation memory of a language as TMX 1.4 to build/handoff/<lang>.tmx, for CAT tools."""
    language = _translation_language(project, code)
    memory = TranslationMemory.from_project(project)
    store = tmxfile(sourcelanguage=project.source_language.tag, targetlanguage=language.tag)
    for match in sorted(memory.units(language.code), key=lambda m: (m.domain, m.source)):
        unit = store.addsourceunit(match.source)
        unit.target = match.target
        unit.addnote(match.domain, origin="pos")
    path = project.build_paths.handoff / f"{language.code}.tmx"
    atomic_write_bytes(path, bytes(store))
    return path
