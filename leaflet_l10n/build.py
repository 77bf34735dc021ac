"""Build every (leaflet × language): incremental, parallel, atomic.

The release gate runs first: a published language with any error is withheld,
its previous outputs are marked withdrawn in the manifest, and the build fails.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from babel.support import NullTranslations

from . import catalogs, checks, render, status
from .config import UI_DOMAIN, Language, Project, load_project
from .errors import MissingGlyphError, PipelineError
from .fileio import atomic_write_bytes, atomic_write_text
from .extract import leaflet_template, ui_template
from .pseudo import pseudo_catalog
from .scripts import scan_order
from .source import read_leaflet
from .translate import localise

MANIFEST = "manifest.json"
WITHDRAWN = "withdrawn"
_PACKAGE_DIR = Path(__file__).parent


@dataclass
class Output:
    leaflet: str
    language: str            # BCP 47 tag
    status: str              # source | draft | published | pseudo
    html: str
    pdf: str
    fingerprint: str = ""
    fallbacks: int = 0
    state: str = "built"     # built | unchanged | withdrawn | failed
    reasons: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    outputs: list[Output]
    withheld: dict[str, list[checks.Finding]]
    failures: list[PipelineError]
    reports: list[checks.LanguageReport]
    fingerprint: str
    root: Path

    @property
    def ok(self) -> bool:
        return not self.withheld and not self.failures


def output_paths(project: Project, language: Language, leaflet: str) -> tuple[Path, Path]:
    directory = project.build_dir / language.tag
    return directory / f"{leaflet}.html", directory / f"{leaflet}.pdf"


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _tree_bytes(*directories: Path) -> bytes:
    return b"".join(p.as_posix().encode() + p.read_bytes()
                    for d in directories for p in sorted(d.rglob("*")) if p.is_file()
                    and "__pycache__" not in p.parts)


def _fingerprint(project: Project, language: Language, leaflet: str, context: dict, code: bytes) -> str:
    files = catalogs.catalog_file
    po = [files(project, domain).po_path(language.code) for domain in (leaflet, UI_DOMAIN)]
    return _digest(code, project.leaflet_path(leaflet).read_bytes(),
                   *(p.read_bytes() for p in po if not language.is_source and p.is_file()),
                   json.dumps(context, sort_keys=True).encode())


def _switcher(available: list[Language], leaflet: str, current: Language) -> list[dict]:
    """Every language a patient can switch to, by native name, in an order they can scan."""
    shown = available if current in available else [*available, current]
    return [{"lang": lang.tag, "dir": lang.direction, "name": lang.native_name,
             "href": f"../{lang.tag}/{leaflet}.html", "current": lang == current}
            for lang in scan_order(shown)]


def _catalog(project: Project, language: Language, domain: str):
    """The language's catalogue for a domain: None for the source, generated for pseudo-locales."""
    if language.is_source:
        return None
    if language.is_pseudo:
        template = ui_template(project) if domain == UI_DOMAIN else leaflet_template(project, domain)
        return pseudo_catalog(template, language)
    return catalogs.read_catalog(catalogs.catalog_file(project, domain).po_path(language.code))


def build_one(root: str, leaflet: str, code: str, switcher: list[dict]) -> tuple[int, str]:
    """Render one leaflet in one language to HTML and PDF. Runs in a worker process."""
    project = load_project(root)
    language = project.language(code)
    source = read_leaflet(project.leaflet_path(leaflet))
    catalog = _catalog(project, language, leaflet)
    ui_catalog = _catalog(project, language, UI_DOMAIN)
    ui = catalogs.translations(ui_catalog) if ui_catalog else NullTranslations()
    localised = localise(source, catalog)
    html_path, pdf_path = output_paths(project, language, leaflet)
    html = render.render_leaflet(render.environment(project), project, localised, language, ui,
                                 draft=language.status in ("draft", "pseudo"), languages=switcher,
                                 pdf_href=pdf_path.name)
    po_path = catalogs.catalog_file(project, leaflet).po_path(code)
    try:
        pdf = render.pdf_bytes(html, html_path.parent, where=str(po_path if catalog else source.path))
    except MissingGlyphError as error:
        raise _located(error, source, localised, catalog, po_path) from None
    atomic_write_text(html_path, html)
    atomic_write_bytes(pdf_path, pdf)
    return localised.fallbacks, html_path.name


def _located(error: MissingGlyphError, source, localised, catalog, po_path: Path) -> MissingGlyphError:
    """Point a missing glyph at the segment it is in, and at that entry's line in the .po file."""
    for segment, text in zip(source.segments(), localised.texts()):
        if error.character in text.plain:
            message = catalog.get(segment.msgid) if catalog else None
            return MissingGlyphError(f'{error.message}, in "{text.plain[:60]}"',
                                     path=po_path if message else source.path,
                                     line=message.lineno if message else segment.line, hint=error.hint)
    return MissingGlyphError(f"{error.message}, in the page around the leaflet (ui.po or a template)",
                             path=error.path, hint=error.hint)


def read_manifest(project: Project) -> dict[tuple[str, str], dict]:
    path = project.build_dir / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}
    return {(o["leaflet"], o["language"]): o for o in data.get("outputs", [])}


def build(project: Project, codes: list[str] | None = None, leaflets: list[str] | None = None,
          workers: int | None = None) -> BuildResult:
    selected = project.select_languages(codes)
    names = project.select_leaflets(leaflets)
    checker = checks.Checker(project)
    reports = [checker.check(language) for language in project.languages]
    withheld = {r.language.code: r.errors for r in reports if r.language.status == "published" and r.errors}
    available = [lang for lang in project.all_languages if lang.code not in withheld]
    previous = read_manifest(project)
    code_bytes = _tree_bytes(_PACKAGE_DIR, project.templates_dir, project.styles_dir)

    outputs: dict[tuple[str, str], Output] = {
        key: Output(**{k: v for k, v in entry.items() if k in Output.__dataclass_fields__})
        for key, entry in previous.items()}
    jobs = []
    for language in selected:
        for leaflet in names:
            html_path, pdf_path = output_paths(project, language, leaflet)
            key = (leaflet, language.tag)
            if language.code in withheld:
                if key in outputs:
                    _withdraw(project, outputs[key], withheld[language.code])
                continue
            switcher = _switcher(available, leaflet, language)
            fingerprint = _fingerprint(project, language, leaflet,
                                       {"switcher": switcher, "status": language.status}, code_bytes)
            output = Output(leaflet, language.tag, language.status,
                            html_path.relative_to(project.build_dir).as_posix(),
                            pdf_path.relative_to(project.build_dir).as_posix(), fingerprint)
            old = previous.get(key)
            if old and old.get("fingerprint") == fingerprint and old.get("state") != "failed" \
                    and html_path.is_file() and pdf_path.is_file():
                output.state, output.fallbacks = "unchanged", old.get("fallbacks", 0)
            else:
                jobs.append((output, switcher))
            outputs[key] = output

    failures = _run_jobs(project, jobs, workers)
    failed = {output.language for output in outputs.values() if output.state == "failed"}
    write_index(project, [lang for lang in available if lang.tag not in failed
                          and all(output_paths(project, lang, n)[0].is_file() for n in project.leaflets)])
    ordered = sorted(outputs.values(), key=lambda o: (o.leaflet, o.language))
    manifest = {"source_fingerprint": checker.fingerprint, "outputs": [asdict(o) for o in ordered]}
    wanted = {(leaflet, language.tag) for language in selected for leaflet in names}
    ordered = [o for o in ordered if (o.leaflet, o.language) in wanted]  # this run's, for the summary
    atomic_write_text(project.build_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    status.write_status(project.build_dir, status.status(project.root, reports, checker.fingerprint,
                                                         frozenset(withheld)))
    return BuildResult(ordered, withheld, failures, reports, checker.fingerprint, project.root)


def _withdraw(project: Project, output: Output, findings: list[checks.Finding]) -> None:
    """Move a withheld language's earlier outputs out of the publishable tree, and say why."""
    for name in ("html", "pdf"):
        current = project.build_dir / getattr(output, name)
        if output.state != "withdrawn" and current.is_file():
            target = project.build_dir / WITHDRAWN / getattr(output, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            current.replace(target)
            setattr(output, name, target.relative_to(project.build_dir).as_posix())
    output.state = "withdrawn"
    output.reasons = [f"{f.location_in(project.root)}: {f.code}: {f.msgid}" for f in findings]


def _run_jobs(project: Project, jobs: list[tuple[Output, list[dict]]], workers: int | None) -> list[PipelineError]:
    failures: list[PipelineError] = []
    if not jobs:
        return failures
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [(output, pool.submit(build_one, str(project.root), output.leaflet,
                                        project.language(output.language).code, switcher))
                   for output, switcher in jobs]
        for output, future in futures:
            try:
                output.fallbacks, _ = future.result()
            except PipelineError as exc:
                output.state, output.reasons = "failed", [str(exc)]
                failures.append(exc)
    return failures


def write_index(project: Project, languages: list[Language]) -> None:
    env = render.environment(project)
    entries = []
    for language in scan_order(languages):
        leaflets = []
        for name in project.leaflets:
            title = localise(read_leaflet(project.leaflet_path(name)), _catalog(project, language, name)).title
            leaflets.append({"title": title.plain, "html": f"{language.tag}/{name}.html",
                             "pdf": f"{language.tag}/{name}.pdf"})
        entries.append({"lang": language.tag, "dir": language.direction, "name": language.native_name,
                        "draft": language.status == "draft", "leaflets": leaflets})
    html = render.render_page(env, "index.html", NullTranslations(),
                              page=render.PageLanguage.of(project.source_language),
                              stylesheet=render.stylesheet(project), languages=entries)
    atomic_write_text(project.build_dir / "index.html", html)
