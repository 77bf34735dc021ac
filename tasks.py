"""Everyday commands. Each task only calls the package and reports; run `invoke --list`."""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from invoke import Exit, task

import leaflet_l10n as pipeline

ROOT = Path(__file__).resolve().parent


def reports_errors(function):
    """Turn the package's typed errors into a message and a non-zero exit, never a traceback."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except pipeline.PipelineError as exc:
            raise Exit(f"error: {exc}", code=2) from None
        except OSError as exc:         # a file the package did not expect to fail: a folder, a full disk
            raise Exit(f"error: {exc.filename or ''}: {exc.strerror or exc}\n  hint: check that path, then run "
                       "the task again", code=2) from None
    return wrapper


def writes(function):
    """Run the task under the project lock, so two writing tasks never lose each other's work."""
    name = function.__name__.rstrip("_").replace("_", "-")

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with pipeline.project_lock(ROOT, name, timeout=pipeline.timeout_from(os.environ),
                                   on_wait=_say_waiting, on_takeover=_say_taken_over):
            return function(*args, **kwargs)
    return wrapper


def _say_waiting(holder):
    print(f"waiting for {holder or 'another task'} to finish…", file=sys.stderr, flush=True)


def _say_taken_over(holder, removed):
    print(f"note: {holder} stopped before finishing; removed {len(removed)} partial file(s) it left",
          file=sys.stderr)


def show_progress(done: int, total: int) -> None:
    """A line that counts the rendered outputs, on a terminal only (logs get the summary)."""
    if sys.stderr.isatty():
        print(f"\rrendered {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def _text_or_json(format: str) -> None:
    if format not in ("text", "json"):
        raise Exit("error: --format must be text or json", code=2)


@task
@reports_errors
@writes
def extract(c):
    """Extract the English strings into locales/<domain>.pot."""
    changed = pipeline.extract(pipeline.load_project(ROOT))
    print(pipeline.extract_summary(changed))


@task(help={"lang": "Language code to initialise, e.g. cy or zh_Hans"})
@reports_errors
@writes
def init(c, lang):
    """Create the catalogues of a new language and register it as a draft."""
    print(pipeline.init_summary(pipeline.init_language(pipeline.load_project(ROOT), lang)))


@task(help={"lang": "Only this language (repeatable); default: every registered language"}, iterable=["lang"])
@reports_errors
@writes
def update(c, lang=None):
    """Merge the .pot templates into every catalogue (fuzzy-matching changed strings)."""
    project = pipeline.load_project(ROOT)
    print(pipeline.update_summary(pipeline.update(project, lang), project.root))


@task(help={"lang": "Only this language (repeatable); default: all, English included",
            "leaflet": "Only this leaflet (repeatable); default: all",
            "scheduler": "Render on this Dask cluster, e.g. tcp://HOST:8786 (needs pip install '.[cluster]')",
            "workers": "Worker processes on this machine; default: one per core",
            "shard": "Build only part K of N of the outputs, e.g. 2/4, for a CI matrix",
            "merge": "Publish the shards' outputs gathered in build/: the index, manifest and report"},
      iterable=["lang", "leaflet"])
@reports_errors
@writes
def build(c, lang=None, leaflet=None, scheduler=None, workers=0, shard=None, merge=False):
    """Build HTML and PDF for every leaflet and language, plus build/index.html."""
    project = pipeline.load_project(ROOT)
    if merge:
        result = pipeline.merge_shards(project)
    else:
        engine = pipeline.Engine(workers or None, scheduler, progress=show_progress)
        result = pipeline.build(project, lang, leaflet, engine=engine,
                                shard=pipeline.Shard.parse(shard) if shard else None)
    print(pipeline.build_summary(result))
    if not result.ok:
        raise Exit("build incomplete: see above", code=1)


@task(help={"lang": "Only this language (repeatable); default: every registered translation",
            "leaflet": "Only this leaflet (repeatable); the interface strings are always checked",
            "strict": "Fail on errors in any checked language, drafts included",
            "format": "text (default) or json"},
      iterable=["lang", "leaflet"])
@reports_errors
def check(c, lang=None, leaflet=None, strict=False, format="text"):
    """Report missing, stale and unsafe translations; fails when a published language has errors."""
    _text_or_json(format)
    status = pipeline.check_project(pipeline.load_project(ROOT), lang, leaflet)
    print(pipeline.as_json(status) if format == "json" else pipeline.status_text(status), end="")
    failing = status.blocking(strict)
    if failing:
        raise Exit(f"check failed: errors in {', '.join(failing)}", code=1)


@task(help={"lang": "The language the reviewer approves", "by": "The reviewer's full name"})
@reports_errors
@writes
def approve(c, lang, by):
    """Record a reviewer's approval of a language for the current English source."""
    approval = pipeline.approve_language(pipeline.load_project(ROOT), lang, by)
    print(f"approved {lang} by {approval.by} at {approval.at} for source {approval.fingerprint}")


@task(help={"lang": "The language to publish; it needs an approval of the current English"})
@reports_errors
@writes
def publish(c, lang):
    """Switch an approved language to published."""
    pipeline.publish_language(pipeline.load_project(ROOT), lang)
    print(f"{lang} is published: `invoke build` now releases it only while it passes every check")


@task(help={"lang": "The language to preview (codes such as cy, ar, en-XA)",
            "leaflet": "Only this leaflet (repeatable); default: all"},
      iterable=["leaflet"])
@reports_errors
@writes
def preview(c, lang, leaflet=None):
    """Write a PNG of every PDF page to build/previews/<lang>/, building first if needed."""
    for page in pipeline.preview(pipeline.load_project(ROOT), lang, leaflet):
        print(page.relative_to(ROOT))


@task(help={"lang": "Only this language (repeatable); default: every registered translation",
            "format": "text (default) or json"},
      iterable=["lang"])
@reports_errors
def stats(c, lang=None, format="text"):
    """Segments and words translated, fuzzy and untranslated, per language and leaflet."""
    _text_or_json(format)
    status = pipeline.check_project(pipeline.load_project(ROOT), lang)
    print(pipeline.stats_json(status) if format == "json" else pipeline.stats_table(status))


@task(name="tm-export", help={"lang": "The language whose translation memory to export"})
@reports_errors
@writes
def tm_export(c, lang):
    """Write the translation memory of a language as TMX to build/handoff/, for CAT tools."""
    print(pipeline.export_tmx(pipeline.load_project(ROOT), lang).relative_to(ROOT))


@task(help={"lang": "The language to send to a translator",
            "leaflet": "Only this leaflet (repeatable); default: all. The interface strings always go",
            "format": "po (default) for Poedit and gettext tools, or xliff for CAT tools"},
      iterable=["leaflet"])
@reports_errors
@writes
def export(c, lang, leaflet=None, format="po"):
    """Write a hand-off zip for a translator to build/handoff/<lang>-<date>.zip."""
    print(pipeline.export(pipeline.load_project(ROOT), lang, leaflet, format).relative_to(ROOT))


@task(name="import", help={"file": "The returned zip, .po or .xlf file"})
@reports_errors
@writes
def import_(c, file):
    """Check a translator's returned work, then merge it; refused whole if anything is wrong."""
    result = pipeline.import_file(pipeline.load_project(ROOT), Path(file))
    print(pipeline.import_summary(result))
    if result.conflicts:
        raise Exit("conflicts: the repository versions were kept; resolve them by hand", code=1)


@task(name="new-leaflet", help={"name": "The new leaflet's name: lower-case words joined by hyphens",
                                "from_": "The document to convert: .docx, .odt or .html"})
@reports_errors
@writes
def new_leaflet(c, name, from_):
    """Convert an existing leaflet into source/leaflets/<name>.md, then extract and fill from memory."""
    project = pipeline.load_project(ROOT)
    conversion = pipeline.new_leaflet(project, name, Path(from_))
    print(pipeline.conversion_summary(conversion, project.root))
    if conversion.ready:
        pipeline.extract(pipeline.load_project(ROOT))
        print(pipeline.update_summary(pipeline.update(pipeline.load_project(ROOT)), project.root))


@task(name="review-sheet", help={"lang": "The language to review",
                                 "leaflet": "Only this leaflet (repeatable); default: all"},
      iterable=["leaflet"])
@reports_errors
@writes
def review_sheet(c, lang, leaflet=None):
    """Write a bilingual side-by-side sheet (HTML and PDF) for clinical sign-off to build/review/."""
    for path in pipeline.review_sheet(pipeline.load_project(ROOT), lang, leaflet):
        print(path.relative_to(ROOT))
