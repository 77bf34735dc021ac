"""Everyday commands. Each task only calls the package and reports; run `invoke --list`."""
from __future__ import annotations

import functools
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
    return wrapper


@task
@reports_errors
def extract(c):
    """Extract the English strings into locales/<domain>.pot."""
    changed = pipeline.extract(pipeline.load_project(ROOT))
    print(pipeline.report.extract_summary(changed))


@task(help={"lang": "Language code to initialise, e.g. cy or zh_Hans"})
@reports_errors
def init(c, lang):
    """Create the catalogues of a new language and register it as a draft."""
    print(pipeline.report.init_summary(pipeline.init_language(pipeline.load_project(ROOT), lang)))


@task(help={"lang": "Only this language (repeatable); default: every registered language"}, iterable=["lang"])
@reports_errors
def update(c, lang=None):
    """Merge the .pot templates into every catalogue (fuzzy-matching changed strings)."""
    project = pipeline.load_project(ROOT)
    print(pipeline.report.update_summary(pipeline.update(project, lang), project.root))


@task(help={"lang": "Only this language (repeatable); default: all, English included",
            "leaflet": "Only this leaflet (repeatable); default: all"},
      iterable=["lang", "leaflet"])
@reports_errors
def build(c, lang=None, leaflet=None):
    """Build HTML and PDF for every leaflet and language, plus build/index.html."""
    result = pipeline.build(pipeline.load_project(ROOT), lang, leaflet)
    print(pipeline.report.build_summary(result))
    if not result.ok:
        raise Exit("build incomplete: see above", code=1)
