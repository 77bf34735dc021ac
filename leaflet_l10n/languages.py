"""The language registry (`locales/languages.toml`) and keeping catalogues in step with it.

The registry is edited with tomlkit so that comments and layout a publisher
wrote by hand survive every change the pipeline makes.
"""
from __future__ import annotations

from pathlib import Path

import tomlkit

from .catalogs import UpdateResult, init_catalog, merged_catalog, write_po
from .config import Language, Project, load_project, parse_locale
from .errors import ConfigError
from .fileio import atomic_write_text, write_if_changed
from .memory import TranslationMemory


def edit_registry(project: Project, change) -> Project:
    path = project.languages_file
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    try:
        change(document)
    except (ValueError, TypeError, KeyError, tomlkit.exceptions.TOMLKitError) as exc:
        raise ConfigError(f"cannot add to the registry as it is written: {exc}", path=path,
                          hint="write each language as its own table, [languages.cy], as the README shows") from None
    atomic_write_text(path, tomlkit.dumps(document))
    return load_project(project.root)


def register(project: Project, code: str) -> Project:
    """Add a language as a draft; a no-op when it is registered already."""
    code = str(parse_locale(code))
    if code == project.source_language.code:
        raise ConfigError(f"{code!r} is the source language", path=project.languages_file,
                          hint="pick a language to translate into")

    def add(document):
        languages = document.setdefault("languages", tomlkit.table(is_super_table=True))
        if code not in languages:
            entry = tomlkit.table()
            entry["status"] = "draft"
            entry["back_translated"] = False
            languages[code] = entry
    return edit_registry(project, add)


def init_language(project: Project, code: str) -> list[tuple[Path, bool]]:
    """Register `code` as a draft and create its catalogues from the templates."""
    project = register(project, code)
    language = project.language(code)
    memory = TranslationMemory.from_project(project)
    return [init_catalog(project, language, domain, memory) for domain in project.domains]


def update(project: Project, codes: list[str] | None = None) -> list[UpdateResult]:
    """Merge the templates into every catalogue of the languages, fill from translation memory, write.

    The memory is built from the merged catalogues, not from the files before the merge,
    so a second update finds exactly what the first one left and changes nothing."""
    languages: tuple[Language, ...] = (
        tuple(project.language(c) for c in codes) if codes else project.languages)
    merged = [(language.code, *merged_catalog(project, language, domain))
              for language in languages if not language.is_source for domain in project.domains]
    memory = TranslationMemory.from_catalogs((code, catalog) for code, _, catalog, _ in merged)
    results = []
    for code, path, catalog, newly_fuzzy in merged:
        filled = memory.fill(catalog, code)
        results.append(UpdateResult(path, write_if_changed(path, write_po(catalog)), newly_fuzzy,
                                    len(catalog.obsolete), filled))
    return results
