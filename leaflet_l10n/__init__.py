"""Localisation pipeline for patient information leaflets.

Markdown leaflets → gettext catalogues → per-language HTML and PDF, with
checks that keep missing, stale or unsafe translations away from patients.
"""
from . import report, status
from .build import BuildResult, build
from .catalogs import init_catalog, read_catalog
from .checks import Finding, check_language
from .config import Language, Project, load_project
from .errors import (CatalogError, ConfigError, GateError, ImportRefused, MissingGlyphError, PipelineError,
                     PlaceholderError, RenderError, SourceError, UnknownLanguageError)
from .extract import extract
from .handoff import export, export_tmx
from .importing import import_file
from .languages import init_language, update
from .lock import Holder, ProjectBusy, project_lock, timeout_from
from .preview import preview
from .release import approve_language, publish_language
from .review_sheet import review_sheet
from .status import check_project

__all__ = [
    # stages
    "extract", "init_language", "update", "init_catalog", "read_catalog",
    "check_language", "check_project", "build", "preview", "export", "export_tmx", "import_file",
    "review_sheet", "approve_language", "publish_language",
    # one writer at a time
    "project_lock", "timeout_from", "Holder",
    # model and results
    "load_project", "Project", "Language", "Finding", "BuildResult",
    # errors
    "PipelineError", "ConfigError", "UnknownLanguageError", "SourceError", "CatalogError",
    "PlaceholderError", "RenderError", "MissingGlyphError", "GateError", "ImportRefused",
    "ProjectBusy",
    # reporting
    "report", "status",
]
