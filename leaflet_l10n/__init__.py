"""Localisation pipeline for patient information leaflets.

Markdown leaflets → gettext catalogues → per-language HTML and PDF, with
checks that keep missing, stale or unsafe translations away from patients.
The core pipeline lives at the top of the package; `exchange` (translators'
hand-off and import) and `release` (approval, review, previews) build on it.
"""
from .build import BuildResult, build, merge_shards
from .catalogs import EntryState, init_catalog, read_catalog
from .checks import Checker, check_project
from .config import Language, Project, load_project
from .errors import (CatalogError, ConfigError, GateError, ImportRefused, MissingGlyphError, PipelineError,
                     PlaceholderError, ProjectBusy, RenderError, SourceError, UnknownLanguageError)
from .exchange import conversion_summary, export, export_tmx, import_file, import_summary, new_leaflet
from .extract import extract
from .languages import init_language, update
from .lock import Holder, project_lock, timeout_from
from .release import approve_language, preview, publish_language, review_sheet
from .report import (build_summary, extract_summary, init_summary, stats_json, stats_table, status_text,
                     update_summary)
from .runners import Engine
from .shards import Shard
from .status import Finding, ProjectStatus, as_json

__all__ = [
    # stages
    "extract", "init_language", "update", "init_catalog", "read_catalog",
    "Checker", "check_project", "build", "Engine", "Shard", "merge_shards", "preview", "export", "export_tmx", "import_file",
    "review_sheet", "approve_language", "publish_language", "new_leaflet",
    # one writer at a time
    "project_lock", "timeout_from", "Holder",
    # model and results
    "load_project", "Project", "Language", "EntryState", "Finding", "ProjectStatus", "BuildResult",
    # what the tasks print
    "as_json", "status_text", "stats_table", "stats_json", "extract_summary", "init_summary",
    "update_summary", "build_summary", "import_summary", "conversion_summary",
    # errors
    "PipelineError", "ConfigError", "UnknownLanguageError", "SourceError", "CatalogError",
    "PlaceholderError", "RenderError", "MissingGlyphError", "GateError", "ImportRefused",
    "ProjectBusy",
]
