"""Build every (leaflet × language) in four steps: gate, plan, run, publish.

1. Gate: check every language against the English as it is now. A published
   language with any error is withheld: its earlier outputs are withdrawn.
2. Plan: decide each output. One whose inputs (and files) are what the manifest
   recorded is unchanged; every other is pending.
3. Run: read each pending output's inputs when its turn comes (so a library's inputs
   are never all in memory) and render its job (`jobs.render_job`, a pure function)
   in worker processes, or on a Dask cluster (`runners`); the coordinator alone
   writes each result, under the project lock. One output that cannot be made is
   marked failed with its reason and keeps its previous files.
4. Publish: withdraw, then write the manifest, the index (without a failed
   language) and the status report.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations
from markupsafe import Markup

from . import catalogs, library, markup, render
from .cache import package_digest
from .checks import Checker
from .config import UI_DOMAIN, Language, Project
from .errors import ConfigError, PipelineError
from .extract import English
from .fileio import atomic_write_bytes, atomic_write_text, write_if_changed
from .images import english_image, image_for, variant_place
from .jobs import FILES, PARTS, CatalogInput, ImageInput, JobInput, JobOutput, interface
from .pofile import write_po
from .runners import Engine
from .shards import Shard, shard_records
from .status import Finding, ProjectStatus, write_status
from .typography import scan_order


@dataclass(frozen=True)
class Output:
    """One output as the manifest records it."""
    leaflet: str
    language: str            # BCP 47 tag
    status: str              # source | draft | published | pseudo
    html: str                # below build/
    pdf: str
    large_print: str = ""    # the large-print PDF
    fingerprint: str = ""
    fallbacks: int = 0
    state: str = "built"     # built | unchanged | withdrawn | failed
    reasons: tuple[str, ...] = ()
    html_sha256: str = ""
    pdf_sha256: str = ""
    large_print_sha256: str = ""
    images: tuple[tuple[str, str], ...] = ()      # (path below build/, sha256) of each figure's image
    title: str = ""                               # as the page shows it: the library lists it so
    title_in_english: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return self.leaflet, self.language


@dataclass(frozen=True)
class Gate:
    status: ProjectStatus                      # every registered language, the withheld marked
    withheld: dict[str, list[Finding]]         # code → the errors that withheld it
    available: tuple[Language, ...]            # what a patient may be offered


@dataclass(frozen=True)
class Selection:
    """The outputs a run is about: languages × leaflets, or a shard's part of them."""
    languages: tuple[Language, ...]
    leaflets: tuple[str, ...]
    shard: Shard | None = None

    def pairs(self) -> list[tuple[str, Language]]:
        pairs = sorted(((name, language) for language in self.languages for name in self.leaflets),
                       key=lambda pair: (pair[0], pair[1].tag))
        return self.shard.select(pairs) if self.shard else pairs

    def keys(self) -> list[tuple[str, str]]:
        return [(name, language.tag) for name, language in self.pairs()]


@dataclass(frozen=True)
class Plan:
    site: render.Site
    outputs: dict[tuple[str, str], Output]     # what the manifest will record, jobs included
    pending: tuple[tuple[Output, Language, str], ...]     # the outputs to make, in order
    make: Callable[[Language, str], tuple[Output, JobInput]]

    def jobs(self) -> Iterator[tuple[Output, JobInput]]:
        """Each pending output and its job's input, read when its turn comes, so that a library's
        inputs are never all in memory at once; the output's fingerprint is of what was read."""
        for _, language, name in self.pending:
            yield self.make(language, name)


@dataclass(frozen=True)
class BuildResult:
    outputs: list[Output]                      # the outputs this run was asked for
    withheld: dict[str, list[Finding]]
    failures: list[PipelineError]
    status: ProjectStatus
    root: Path

    @property
    def ok(self) -> bool:
        return not self.withheld and not self.failures


def build(project: Project, codes: list[str] | None = None, leaflets: list[str] | None = None, *,
          engine: Engine = Engine(), shard: Shard | None = None, checker: Checker | None = None) -> BuildResult:
    """Build the selected outputs, rendering them where the engine says. A shard builds its
    part of them and records it for `merge_shards`, which publishes."""
    engine.prepare()
    checker = checker or Checker(project)
    gate = release_gate(project, checker)
    selection = Selection(project.select_languages(codes), project.select_leaflets(leaflets), shard)
    plan = plan_outputs(project, checker, gate, selection, read_manifest(project))
    outputs, failures, running = dict(plan.outputs), [], deque()

    def inputs() -> Iterator[JobInput]:
        for output, job in plan.jobs():
            running.append(output)
            yield from (dataclasses.replace(job, files=files) for files in PARTS)
    results = engine.results(inputs(), len(plan.pending) * len(PARTS))
    for parts in zip(*[results] * len(PARTS)):          # an output's parts come one after the other
        output, result = running.popleft(), JobOutput.joined(list(parts))
        outputs[output.key] = _record(project, output, result)
        if result.error is not None:
            failures.append(result.error)
    wanted = selection.keys()
    if shard:
        _write_outputs(shard.record(project.build_paths.shards), {key: outputs[key] for key in wanted if key in outputs},
                       checker, shard=f"{shard.number}/{shard.count}")
    else:
        outputs = publish(project, checker, gate, plan.site, outputs)
    return BuildResult([outputs[key] for key in wanted if key in outputs], gate.withheld, failures, gate.status,
                       project.root)


def merge_shards(project: Project, checker: Checker | None = None) -> BuildResult:
    """Publish the outputs every shard of a split build recorded, if each is current."""
    checker = checker or Checker(project)
    gate = release_gate(project, checker)
    recorded = shard_records(project.build_paths.shards, _output)
    selection = Selection(project.select_languages(None), project.select_leaflets(None))
    plan = plan_outputs(project, checker, gate, selection, {output.key: output for output in recorded})
    if plan.pending:
        stale = ", ".join(f"{output.language}/{output.leaflet}" for output, _, _ in plan.pending[:5])
        raise ConfigError(f"{len(plan.pending)} outputs are missing from the shards or were built from other "
                          f"inputs than the project has now: {stale}", path=project.build_paths.shards,
                          hint="build every shard again from this commit, gather their build/ here, then merge")
    outputs = publish(project, checker, gate, plan.site, dict(plan.outputs))
    return BuildResult([outputs[key] for key in selection.keys() if key in outputs], gate.withheld, [], gate.status,
                       project.root)


# -- 1. gate ------------------------------------------------------------------

def release_gate(project: Project, checker: Checker) -> Gate:
    """Withhold every published language with an error: nothing unchecked reaches a patient."""
    status = ProjectStatus(project.root, checker.fingerprint, checker.check_all(project.languages))
    withheld = {s.language.code: s.errors for s in status.languages
                if s.language.status == "published" and s.errors}
    available = tuple(lang for lang in project.all_languages if lang.code not in withheld)
    return Gate(status.withholding(withheld), withheld, available)


# -- 2. plan ------------------------------------------------------------------

def plan_outputs(project: Project, checker: Checker, gate: Gate, selection: Selection,
                 previous: dict[tuple[str, str], Output]) -> Plan:
    """Each selected output: withdrawn, unchanged since `previous`, or pending, with how to make its job."""
    site, code = render.Site.read(project), package_digest()

    def make(language: Language, name: str) -> tuple[Output, JobInput]:
        job = _job_input(project, checker, site, gate.available, language, name)
        return _planned(project, job, _fingerprint(job, checker.english.sources[name], code)), job
    outputs, pending = dict(previous), []
    for name, language in selection.pairs():
        key = (name, language.tag)
        if language.code in gate.withheld:
            if key in previous:
                outputs[key] = _withdrawn(project, previous[key], gate.withheld[language.code])
            continue
        output, _ = make(language, name)               # its input is read again when its turn comes
        if key in previous and _still_current(project, previous[key], output):
            output = dataclasses.replace(previous[key], state="unchanged", reasons=())
        else:
            pending.append((output, language, name))
        outputs[key] = output
    return Plan(site, outputs, tuple(pending), make)


def _job_input(project: Project, checker: Checker, site: render.Site, available: tuple[Language, ...],
               language: Language, name: str) -> JobInput:
    leaflet = checker.english.leaflets[name]
    return JobInput(leaflet, language, project.source_language,
                    _catalog_input(project, checker.english, language, name),
                    _catalog_input(project, checker.english, language, UI_DOMAIN),
                    checker.glossary, site, _switcher(available, name, language),
                    tuple(_image_input(project, checker.english, language, figure.src) for figure in leaflet.images()),
                    project.page_url(language, name))


def _image_input(project: Project, english: English, language: Language, src: str) -> ImageInput:
    try:
        path = image_for(project, language, src)
    except ConfigError:                     # a translator's link that loops or leads out: that language fails
        return ImageInput(src, variant_place(project, language, src), None)
    if path == english_image(project, src):
        return ImageInput(src, path, english.images[src])
    try:
        return ImageInput(src, path, path.read_bytes() if path.is_file() else None)
    except OSError:
        return ImageInput(src, path, None)  # the job says what is wrong with it


def _catalog_input(project: Project, english: English, language: Language, domain: str) -> CatalogInput | None:
    """A language's catalogue for a domain: none for the source, generated for pseudo-locales."""
    if language.is_source:
        return None
    path = catalogs.catalog_file(project, domain).po_path(language.code)
    if language.is_pseudo:
        return CatalogInput(path, write_po(catalogs.pseudo_catalog(english.templates[domain], language)))
    try:
        return CatalogInput(path, path.read_bytes())
    except OSError:
        return CatalogInput(path, None)     # the job says what is wrong with it


def _switcher(available: tuple[Language, ...], leaflet: str, current: Language) -> tuple[dict, ...]:
    """Every language a patient can switch to, by native name, in an order they can scan."""
    shown = available if current in available else (*available, current)
    return tuple({"lang": lang.tag, "dir": lang.direction, "name": lang.native_name,
                  "href": f"../{lang.tag}/{leaflet}.html", "current": lang == current}
                 for lang in scan_order(shown))


def _fingerprint(job: JobInput, source: bytes, code: bytes) -> str:
    """A digest of everything the output is made from."""
    context = {"switcher": job.switcher, "status": job.language.status, "page_url": job.page_url,
               "glossary": dataclasses.asdict(job.glossary)}
    digest = hashlib.sha256()
    for part in (code, _site_digest(job.site), source, *(c.data or b"" for c in (job.catalog, job.ui_catalog) if c),
                 *(image.src.encode() + (image.data or b"") for image in job.images),
                 json.dumps(context, sort_keys=True).encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _site_digest(site: render.Site) -> bytes:
    """The templates and stylesheet, hashed once a build rather than for every output."""
    return hashlib.sha256(json.dumps({"stylesheet": str(site.stylesheet), "templates": site.templates},
                                     sort_keys=True).encode()).digest()


def _planned(project: Project, job: JobInput, fingerprint: str) -> Output:
    paths = project.build_paths
    return Output(job.leaflet.name, job.language.tag, job.language.status,
                  paths.relative(paths.html(job.language, job.leaflet.name)),
                  paths.relative(paths.pdf(job.language, job.leaflet.name)),
                  paths.relative(paths.large_print(job.language, job.leaflet.name)), fingerprint)


def _still_current(project: Project, old: Output, output: Output) -> bool:
    """The previous output came from the same inputs, and its files are still the bytes it wrote
    (a run killed between writing the HTML and the PDF leaves one of them newer)."""
    root = project.build_paths.root
    return old.state in ("built", "unchanged") and old.fingerprint == output.fingerprint \
        and all(_file_sha256(root / getattr(old, name)) == getattr(old, f"{name}_sha256") and getattr(old, name)
                for name in FILES) \
        and all(_file_sha256(root / image) == sha256 for image, sha256 in old.images)


def _file_sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _withdrawn(project: Project, output: Output, findings: list[Finding]) -> Output:
    return dataclasses.replace(output, state="withdrawn",
                               reasons=tuple(f"{f.location_in(project.root)}: {f.code}: {f.msgid}" for f in findings))


def read_manifest(project: Project) -> dict[tuple[str, str], Output]:
    """The outputs the last build recorded; an unreadable manifest means nothing can be reused."""
    try:
        entries = json.loads(project.build_paths.manifest.read_text(encoding="utf-8"))["outputs"]
        outputs = [_output(entry) for entry in entries]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {output.key: output for output in outputs}


def _output(entry: dict) -> Output:
    """An output as the manifest or a shard's record wrote it; TypeError if it is not one."""
    if not isinstance(entry, dict):
        raise TypeError(f"an output is a JSON object, not {type(entry).__name__}")
    output = Output(**{k: _frozen(v) for k, v in entry.items() if k in Output.__dataclass_fields__})
    for field in dataclasses.fields(Output):      # a value read back is of its field's type, or nothing is
        if isinstance(field.default, (str, bool, int)) and type(getattr(output, field.name)) is not type(field.default):
            raise TypeError(f"the output's {field.name} is not a {type(field.default).__name__}")
    return output


def _frozen(value):
    """A manifest value as the frozen Output holds it: JSON lists become tuples."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


# -- 3. run -------------------------------------------------------------------

def _record(project: Project, output: Output, result: JobOutput) -> Output:
    """Write a job's files, and what the manifest says of them."""
    if result.error is not None:
        return dataclasses.replace(output, state="failed", reasons=(str(result.error),))
    paths = project.build_paths
    images = []
    for src, data in result.images:
        target = paths.image(project.language(output.language), src)
        write_if_changed(target, data)
        images.append((paths.relative(target), hashlib.sha256(data).hexdigest()))
    for name in FILES:
        atomic_write_bytes(paths.root / getattr(output, name), getattr(result, name))
    return dataclasses.replace(output, fallbacks=result.fallbacks, images=tuple(images), title=result.title,
                               title_in_english=result.title_in_english,
                               **{f"{name}_sha256": hashlib.sha256(getattr(result, name)).hexdigest()
                                  for name in FILES})


# -- 4. publish ---------------------------------------------------------------

def publish(project: Project, checker: Checker, gate: Gate, site: render.Site,
            outputs: dict[tuple[str, str], Output]) -> dict[tuple[str, str], Output]:
    """Withdraw what the gate withheld; write the index, the manifest and the status report."""
    paths = project.build_paths
    outputs = {key: _withdraw(project, o) if o.state == "withdrawn" else o for key, o in outputs.items()}
    failed = {output.language for output in outputs.values() if output.state == "failed"}
    write_index(project, checker, site, [lang for lang in gate.available if lang.tag not in failed and all(
        (n, lang.tag) in outputs and paths.html(lang, n).is_file() for n in project.leaflets)], outputs)
    _write_outputs(paths.manifest, outputs, checker)
    write_status(paths.reports, gate.status)
    return outputs


def _write_outputs(path: Path, outputs: dict[tuple[str, str], Output], checker: Checker, **more) -> None:
    """The manifest, or a shard's record: what each output is and was made from."""
    record = {**more, "source_fingerprint": checker.fingerprint,
              "outputs": [dataclasses.asdict(o) for _, o in sorted(outputs.items())]}
    atomic_write_text(path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")


def _withdraw(project: Project, output: Output) -> Output:
    """Move a withheld language's earlier files out of the publishable tree."""
    paths, moved = project.build_paths, {}
    for name in FILES:
        current = paths.root / getattr(output, name)
        if current.is_file() and not paths.is_withdrawn(getattr(output, name)):
            target = paths.withdrawn(getattr(output, name))
            target.parent.mkdir(parents=True, exist_ok=True)
            current.replace(target)
            moved[name] = paths.relative(target)
    return dataclasses.replace(output, **moved)


def _shown_title(output: Output, english: English, source: Language) -> tuple[str, bool]:
    """An output's title as its page shows it, and whether that is the English. An output recorded
    before titles were (by an older version) is listed under the English title, marked so."""
    if output.title:
        return output.title, output.title_in_english
    return markup.to_plain(english.leaflets[output.leaflet].title.msgid), output.language != source.tag


def write_index(project: Project, checker: Checker, site: render.Site, languages: list[Language],
                outputs: dict[tuple[str, str], Output]) -> None:
    """Each language's library, build/<tag>/index.html (`library`): in its words, every leaflet under the
    title its page shows (recorded with its output, so no catalogue is read again), in its collation order.
    Then build/index.html: every language a patient may read, each linking to its library (and listing
    its leaflets while there are few)."""
    paths, entries = project.build_paths, []
    library.remove_unlisted(paths, project.all_languages, languages, project.leaflets)
    for language in scan_order(languages):
        titles = {name: _shown_title(outputs[name, language.tag], checker.english, project.source_language)
                  for name in project.leaflets}
        shelf = library.library(paths, language, project.source_language, titles)
        words = interface(_catalog_input(project, checker.english, language, UI_DOMAIN), language,
                                  checker.glossary)
        atomic_write_text(shelf.page, site.render(
            "library.html", words, page=render.PageLanguage.of(language), library=shelf,
            languages=list(_switcher(tuple(languages), "index", language)), draft=language.status == "draft",
            numbers=library.numbers(language, len(shelf.leaflets))))
        entries.append({"lang": language.tag, "dir": language.direction, "name": language.native_name,
                        "draft": language.status == "draft", "library": shelf,
                        "link": Markup(site.render("library-link.html", words, href=shelf.href))})
    html = site.render("index.html", NullTranslations(), page=render.PageLanguage.of(project.source_language),
                       languages=entries, listed=any(entry["library"].on_index for entry in entries))
    atomic_write_text(paths.index, html)
