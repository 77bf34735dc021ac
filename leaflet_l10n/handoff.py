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

from .build import build, output_paths
from .catalogs import catalog_file, read_catalog
from .config import UI_DOMAIN, Language, Project, inside
from .errors import ConfigError
from .fileio import atomic_write_bytes
from .glossary import load_glossary
from .memory import TranslationMemory
from .pofile import Catalog, write_po
from .status import check_project, statistics
from .xliff import po_to_xliff

HANDOFF_DIR = "handoff"
BASES_DIR = "bases"
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
  wordcount.csv  Segments and words that are new (untranslated), fuzzy or already translated.
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


def handoff_dir(project: Project) -> Path:
    return project.build_dir / HANDOFF_DIR


def base_dir(project: Project, handoff_id: str) -> Path:
    return inside(handoff_dir(project), BASES_DIR, handoff_id)


def _translation_language(project: Project, code: str) -> Language:
    language = project.language(code)
    if language.is_source or language.is_pseudo:
        raise ConfigError(f"{code} is not a translation", path=project.languages_file,
                          hint="export a registered language such as cy")
    return language


def _with_id(catalog: Catalog, handoff_id: str) -> bytes:
    catalog.extra_headers = [*((name, value) for name, value in catalog.extra_headers if name != ID_HEADER),
                             (ID_HEADER, handoff_id)]
    return write_po(catalog)


def _glossary_csv(project: Project, code: str) -> bytes:
    glossary = load_glossary(project.locales_dir)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["english", code, "rule"])
    for term in glossary.do_not_translate:
        writer.writerow([term, term, "keep exactly as written"])
    for english, required in glossary.required_terms(code).items():
        writer.writerow([english, required, "use this term"])
    return out.getvalue().encode("utf-8")


def _wordcount_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["leaflet", "new segments", "new words", "fuzzy segments", "fuzzy words",
                     "translated segments", "translated words"])
    for row in rows:
        writer.writerow([row["leaflet"], row["untranslated"]["segments"], row["untranslated"]["words"],
                         row["fuzzy"]["segments"], row["fuzzy"]["words"],
                         row["translated"]["segments"], row["translated"]["words"]])
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
    handoff_id = f"{language.code}-{date}-{digest}"
    status_data = check_project(project, [code], list(names))
    record = Handoff(handoff_id, language.code, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                     fmt, status_data["source_fingerprint"],
                     {d: f"{d}.{'xlf' if fmt == 'xliff' else 'po'}" for d in domains})

    build(project, [code], list(names))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for domain in domains:
            returned = _with_id(current[domain], handoff_id)
            if fmt == "xliff":
                returned = po_to_xliff(returned, f"{domain}.po")
            package.writestr(record.files[domain], returned)
            package.writestr(f"base/{domain}.po", bases[domain])
            atomic_write_bytes(base_dir(project, handoff_id) / f"{domain}.po", bases[domain])
        for name in names:
            pdf = output_paths(project, language, name)[1]
            if pdf.is_file():
                package.write(pdf, f"preview/{name}.pdf")
        package.writestr("glossary.csv", _glossary_csv(project, language.code))
        package.writestr("wordcount.csv", _wordcount_csv(statistics(status_data)))
        package.writestr(RECORD, json.dumps(asdict(record), indent=2, ensure_ascii=False))
        package.writestr("README.txt", README.format(
            name=language.native_name, code=language.code, date=date, id=handoff_id, id_header=ID_HEADER,
            files=", ".join(record.files.values())))
    path = handoff_dir(project) / f"{language.code}-{date}.zip"
    atomic_write_bytes(path, buffer.getvalue())
    return path


def export_tmx(project: Project, code: str) -> Path:
    language = _translation_language(project, code)
    path = handoff_dir(project) / f"{language.code}.tmx"
    atomic_write_bytes(path, TranslationMemory.from_project(project).tmx(language.code, project.source_language.code))
    return path
