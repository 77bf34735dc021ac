"""Localisation pipeline for patient information leaflets.

Markdown leaflets → gettext catalogues → per-language HTML and PDF, with
checks that keep missing, stale or unsafe translations away from patients.
"""
from . import report, status
from .build import BuildResult, build
from .catalogs import init_catalog, read_catalog, update_catalog
from .checks import Finding, check_language
from .config import Language, Project, load_project
from .errors import (CatalogError, ConfigError, GateError, MissingGlyphError, PipelineError,
                     PlaceholderError, RenderError, SourceError, UnknownLanguageError)
from .extract import extract
from .handoff import export, export_tmx
from .importing import ImportRefused, import_file
from .languages import init_language, update
from .preview import preview
from .release import approve_language, publish_language
from .review_sheet import review_sheet
from .status import check_project

__all__ = [
    "BuildResult", "CatalogError", "approve_language", "check_project", "export", "export_tmx", "import_file", "ImportRefused", "preview", "review_sheet", "publish_language", "status", "ConfigError", "Finding", "GateError", "Language",
    "MissingGlyphError", "PipelineError", "PlaceholderError", "Project", "RenderError",
    "SourceError", "UnknownLanguageError", "build", "check_language", "extract", "init_catalog",
    "init_language", "load_project", "read_catalog", "report", "update", "update_catalog",
]
