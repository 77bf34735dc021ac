"""Build every (leaflet × language): incremental, parallel, atomic, contained.

The release gate runs first: a published language with any error is withheld,
its previous outputs are marked withdrawn in the manifest, and the build fails.
One output that cannot be made is marked failed with its reason and keeps its
previous files; every other output, the index (without the failed language), the
manifest and the status report are still written. An output is reused only while its inputs are the same
and its files are still the bytes the manifest recorded.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from babel.support import NullTranslations

from . import catalogs, checks, render, status, textcompare
from .config import UI_DOMAIN, Language, Project, inside, load_project
from .errors import MissingGlyphError, PipelineError, RenderError
from .extract import leaflet_template, ui_template
from .fileio import atomic_write_bytes, atomic_write_text
from .glossary import Glossary, load_glossary
from .pseudo import pseudo_catalog
from .scripts import scan_order
from .source import check_publishable, read_leaflet
from .translate import localise

MANIFEST = "manifest.json"
_PR_SET_PDEATHSIG = 1
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
    html_sha256: str = ""
    pdf_sha256: str = ""


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
    return (inside(project.build_dir, language.tag, f"{leaflet}.html"),
            inside(project.build_dir, language.tag, f"{leaflet}.pdf"))


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


def _file_sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _judge(project: Project, language: Language, domain: str, glossary: Glossary) -> checks.Judge | None:
    if language.is_source or language.is_pseudo:
        return None
    return checks.Judge(language, domain, catalogs.catalog_file(project, domain).po_path(language.code), glossary)


def _interface(catalog, judge: checks.Judge | None):
    """The interface translations a patient may see. One with an error is left out, so the
    English shows; one that would break the page when Jinja formats it fails the output."""
    if catalog is None:
        return NullTranslations()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        _refuse_broken_format(message, judge.path if judge else None)
        if judge is not None and judge.errors(message, None):
            message.string = tuple("" for _ in message.string) if isinstance(message.string, tuple) else ""
    return catalogs.translations(catalog)


def _refuse_broken_format(message, path: Path | None) -> None:
    """Python's % would refuse this translation when Jinja formats it: the page cannot be made."""
    for source, translation in catalogs.translation_pairs(message):
        problem = textcompare.format_error(source, translation, percent=True)
        if problem:
            raise RenderError(f"the translation of {catalogs.key_of(message.id)!r} breaks the page: {problem}",
                              path=path, line=message.lineno, hint="fix it; `invoke check` lists such errors")


@dataclass(frozen=True)
class Rendered:
    """One leaflet in one language, made but not yet written."""
    fallbacks: int
    html: bytes
    pdf: bytes


def render_one(root: str, leaflet: str, code: str, switcher: list[dict]) -> Rendered:
    """Render one leaflet in one language to HTML and PDF bytes. Runs in a worker process,
    and writes nothing: only the build, which holds the project lock, writes."""
    project = load_project(root)
    language = project.language(code)
    source = read_leaflet(project.leaflet_path(leaflet))
    check_publishable(source)
    catalog = _catalog(project, language, leaflet)
    ui_catalog = _catalog(project, language, UI_DOMAIN)
    glossary = load_glossary(project.locales_dir)
    ui = _interface(ui_catalog, _judge(project, language, UI_DOMAIN, glossary))
    localised = localise(source, catalog, _judge(project, language, leaflet, glossary))
    _, pdf_path = output_paths(project, language, leaflet)
    html = render.render_leaflet(render.environment(project), project, localised, language, ui,
                                 draft=language.status in ("draft", "pseudo"), languages=switcher,
                                 pdf_href=pdf_path.name)
    po_path = catalogs.catalog_file(project, leaflet).po_path(code)
    try:
        pdf = render.pdf_bytes(html, where=str(po_path if catalog else source.path))
    except MissingGlyphError as error:
        raise _located(error, source, localised, catalog, po_path) from None
    return Rendered(localised.fallbacks, html.encode("utf-8"), pdf)


def build_one(root: str, leaflet: str, code: str, switcher: list[dict]) -> Rendered:
    """Render one leaflet in one language and write its HTML and PDF."""
    rendered = render_one(root, leaflet, code, switcher)
    project = load_project(root)
    _write(*output_paths(project, project.language(code), leaflet), rendered)
    return rendered


def _write(html_path: Path, pdf_path: Path, rendered: Rendered) -> tuple[str, str]:
    """Write an output's files; their sha256, for the manifest."""
    atomic_write_bytes(html_path, rendered.html)
    atomic_write_bytes(pdf_path, rendered.pdf)
    return hashlib.sha256(rendered.html).hexdigest(), hashlib.sha256(rendered.pdf).hexdigest()


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


def read_manifest(project: Project) -> dict[tuple[str, str], Output]:
    """The outputs the last build recorded; an unreadable manifest means nothing can be reused."""
    path = project.build_dir / MANIFEST
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["outputs"]
        outputs = [Output(**{k: v for k, v in entry.items() if k in Output.__dataclass_fields__})
                   for entry in entries]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {(output.leaflet, output.language): output for output in outputs}


def build(project: Project, codes: list[str] | None = None, leaflets: list[str] | None = None,
          workers: int | None = None) -> BuildResult:
    selected = project.select_languages(codes)
    names = project.select_leaflets(leaflets)
    checker = checks.Checker(project)
    reports = [checker.check(language) for language in project.languages]
    withheld = {r.language.code: r.errors for r in reports if r.language.status == "published" and r.errors}
    available = [lang for lang in project.all_languages if lang.code not in withheld]
    outputs = read_manifest(project)
    jobs = _plan(project, outputs, selected, names, withheld, available)
    failures = _run_jobs(project, jobs, workers)

    failed = {output.language for output in outputs.values() if output.state == "failed"}
    write_index(project, [lang for lang in available if lang.tag not in failed
                          and all(output_paths(project, lang, n)[0].is_file() for n in project.leaflets)])
    ordered = sorted(outputs.values(), key=lambda o: (o.leaflet, o.language))
    manifest = {"source_fingerprint": checker.fingerprint, "outputs": [asdict(o) for o in ordered]}
    atomic_write_text(project.build_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    status.write_status(project.build_dir, status.status(project.root, reports, checker.fingerprint,
                                                         frozenset(withheld)))
    wanted = {(leaflet, language.tag) for language in selected for leaflet in names}
    this_run = [o for o in ordered if (o.leaflet, o.language) in wanted]
    return BuildResult(this_run, withheld, failures, reports, checker.fingerprint, project.root)


def _plan(project: Project, outputs: dict[tuple[str, str], Output], selected, names, withheld,
          available: list[Language]) -> list[tuple[Output, list[dict]]]:
    """Decide each selected output: withdrawn, unchanged, or a job. Updates `outputs` in place."""
    code_bytes = _tree_bytes(_PACKAGE_DIR, project.templates_dir, project.styles_dir)
    jobs = []
    for language in selected:
        for leaflet in names:
            key = (leaflet, language.tag)
            if language.code in withheld:
                if key in outputs:
                    _withdraw(project, outputs[key], withheld[language.code])
                continue
            html_path, pdf_path = output_paths(project, language, leaflet)
            switcher = _switcher(available, leaflet, language)
            fingerprint = _fingerprint(project, language, leaflet,
                                       {"switcher": switcher, "status": language.status}, code_bytes)
            output = Output(leaflet, language.tag, language.status,
                            html_path.relative_to(project.build_dir).as_posix(),
                            pdf_path.relative_to(project.build_dir).as_posix(), fingerprint)
            old = outputs.get(key)
            if old is not None and _still_current(old, output, html_path, pdf_path):
                output.state, output.fallbacks = "unchanged", old.fallbacks
                output.html_sha256, output.pdf_sha256 = old.html_sha256, old.pdf_sha256
            else:
                jobs.append((output, switcher))
            outputs[key] = output
    return jobs


def _still_current(old: Output, output: Output, html_path: Path, pdf_path: Path) -> bool:
    """The previous output came from the same inputs, and its files are still the bytes it wrote
    (a run killed between writing the HTML and the PDF leaves one of them newer)."""
    return old.state in ("built", "unchanged") and old.fingerprint == output.fingerprint \
        and _file_sha256(html_path) == old.html_sha256 and _file_sha256(pdf_path) == old.pdf_sha256


def _withdraw(project: Project, output: Output, findings: list[checks.Finding]) -> None:
    """Move a withheld language's earlier outputs out of the publishable tree, and say why."""
    for name in ("html", "pdf"):
        current = project.build_dir / getattr(output, name)
        if current.is_file() and WITHDRAWN not in current.relative_to(project.build_dir).parts:
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
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with, initargs=(os.getpid(),)) as pool:
        futures = [(output, pool.submit(render_one, str(project.root), output.leaflet,
                                        project.language(output.language).code, switcher))
                   for output, switcher in jobs]
        for output, future in futures:
            try:
                rendered = future.result()
                output.fallbacks = rendered.fallbacks
                output.html_sha256, output.pdf_sha256 = _write(project.build_dir / output.html,
                                                               project.build_dir / output.pdf, rendered)
                continue
            except PipelineError as exc:
                error = exc
            except Exception as exc:       # a bug or a dead worker must not stop the other outputs
                language = project.language(output.language)
                error = RenderError(f"{output.leaflet} in {output.language} failed: {type(exc).__name__}: {exc}",
                                    path=project.leaflet_path(output.leaflet) if language.is_source else
                                    catalogs.catalog_file(project, output.leaflet).po_path(language.code),
                                    hint="build it again; if it fails again, report it with this message")
            output.state, output.reasons = "failed", [str(error)]
            failures.append(error)
    return failures


def _die_with(parent: int) -> None:
    """Make a worker die with the build that started it: a killed build's workers would
    otherwise live on, holding memory, after the project lock has passed to another run."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)   # Linux
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:            # the build died before the line above
        os._exit(1)


def write_index(project: Project, languages: list[Language]) -> None:
    env = render.environment(project)
    glossary = load_glossary(project.locales_dir)
    entries = []
    for language in scan_order(languages):
        leaflets = []
        for name in project.leaflets:
            title = localise(read_leaflet(project.leaflet_path(name)), _catalog(project, language, name),
                             _judge(project, language, name, glossary)).title
            leaflets.append({"title": title.plain, "html": f"{language.tag}/{name}.html",
                             "pdf": f"{language.tag}/{name}.pdf"})
        entries.append({"lang": language.tag, "dir": language.direction, "name": language.native_name,
                        "draft": language.status == "draft", "leaflets": leaflets})
    html = render.render_page(env, "index.html", NullTranslations(),
                              page=render.PageLanguage.of(project.source_language),
                              stylesheet=render.stylesheet(project), languages=entries)
    atomic_write_text(project.build_dir / "index.html", html)
