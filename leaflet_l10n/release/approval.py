"""The human steps of a release: a reviewer approves a language, a publisher publishes it.

An approval is recorded against the fingerprint of every translatable English
string (`extract.English.fingerprint`), so any change to the source after approval
makes the language stale until it is approved again. The English it covered is
kept in `locales/<lang>/approved-source.json`, so the next reviewer sees what changed.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import tomlkit

from ..checks import Checker
from ..config import Approval, Language, Project
from ..errors import ConfigError, GateError
from ..extract import English
from ..fileio import atomic_write_text
from ..languages import edit_registry

SNAPSHOT = "approved-source.json"
# Findings about the approval itself: the very thing an approval resolves.
_APPROVAL_CODES = {"not-approved", "approval-stale"}


def approve_language(project: Project, code: str, by: str) -> Approval:
    """Record an approval of the current English; refused while the language has errors."""
    reviewer_name(by)          # before the checks: a bad name is bad input whatever they find
    checker = Checker(project)
    language = project.language(code)
    problems = [f for f in checker.check(language).errors if f.code not in _APPROVAL_CODES]
    if problems:
        first = problems[0]
        raise GateError(f"{code} cannot be approved: {len(problems)} error(s), the first: "
                        f"{first.code}: {first.msgid}", path=first.path, line=first.line,
                        hint=f"run `invoke check --lang {code}` and fix every error first")
    recorded = approve(project, code, by, checker.fingerprint)
    write_snapshot(project, language, checker.english)
    return recorded


def publish_language(project: Project, code: str) -> None:
    publish(project, code, Checker(project).fingerprint)


def snapshot_path(project: Project, language: Language) -> Path:
    return project.locales_dir / language.code / SNAPSHOT


def write_snapshot(project: Project, language: Language, english: English) -> None:
    """Keep the English an approval covers, so later changes can be shown to the next reviewer."""
    leaflets = {name: [s.msgid for s in leaflet.segments()] for name, leaflet in english.leaflets.items()}
    atomic_write_text(snapshot_path(project, language),
                      json.dumps({"fingerprint": english.fingerprint, "leaflets": leaflets}, indent=2,
                                 ensure_ascii=False) + "\n")


def approved_english(project: Project, language: Language, leaflet: str) -> list[str] | None:
    """The English of a leaflet as last approved; None before the first approval."""
    path = snapshot_path(project, language)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))["leaflets"].get(leaflet, [])


def reviewer_name(by: str) -> str:
    """The reviewer's name as recorded: one line of printable text."""
    if not by.strip() or not by.isprintable() or len(by) > 200:
        raise ConfigError(f"the reviewer's name {by[:60]!r} must be one line of printable text",
                          hint='use --by "Full Name"')
    return by.strip()


def approve(project: Project, code: str, by: str, fingerprint: str, now: dt.datetime | None = None) -> Approval:
    """Record that `by` approved `code` for the source with `fingerprint`."""
    language = project.language(code)
    if language.is_source:
        raise ConfigError("the source language is not approved", path=project.languages_file,
                          hint="approve a translation, e.g. --lang cy")
    when = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat()
    approval = Approval(by=reviewer_name(by), at=when, fingerprint=fingerprint)

    def record(document):
        table = tomlkit.inline_table()
        table.update({"by": approval.by, "at": approval.at, "fingerprint": approval.fingerprint})
        document["languages"][language.code]["approval"] = table
    edit_registry(project, record)
    return approval


def publish(project: Project, code: str, fingerprint: str) -> None:
    """Switch a language to published; refused without an approval of the current source."""
    language = project.language(code)
    if not language.approved_for(fingerprint):
        raise ConfigError(
            f"{code} has no approval for the current English source", path=project.languages_file,
            hint=f'a qualified reviewer must first run `invoke approve --lang {code} --by "Name"`')

    def set_published(document):
        document["languages"][language.code]["status"] = "published"
    edit_registry(project, set_published)
