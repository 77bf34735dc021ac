"""Approvals: a reviewer's sign-off of a language against one version of the English.

The fingerprint covers every translatable English string, so any change to
the source after approval makes the language stale until it is approved again.
"""
from __future__ import annotations

import datetime as dt
import hashlib

import tomlkit
from babel.messages.catalog import Catalog

from .catalogs import ids_of
from .config import Approval, Language, Project
from .errors import ConfigError
from .languages import edit_registry


def source_fingerprint(templates: dict[str, Catalog]) -> str:
    digest = hashlib.sha256()
    for domain in sorted(templates):
        for message in templates[domain]:
            if message.id:
                digest.update("\x1f".join((domain, *ids_of(message))).encode("utf-8") + b"\x1e")
    return "sha256:" + digest.hexdigest()[:32]


def is_current(language: Language, fingerprint: str) -> bool:
    return language.approval is not None and language.approval.fingerprint == fingerprint


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
    if not is_current(language, fingerprint):
        raise ConfigError(
            f"{code} has no approval for the current English source", path=project.languages_file,
            hint=f'a qualified reviewer must first run `invoke approve --lang {code} --by "Name"`')

    def set_published(document):
        document["languages"][language.code]["status"] = "published"
    edit_registry(project, set_published)
