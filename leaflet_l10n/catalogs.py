"""Catalogue files: where they live, how they are read, merged and written.

Babel reads catalogues and does the fuzzy merging; polib writes them and
supplies what Babel does not keep (line numbers, multi-line previous msgids).
Every write is atomic, and a catalogue the pipeline wrote reads back to the same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from .config import Language, Project
from .errors import CatalogError
from .fileio import atomic_write_bytes, write_if_changed
from .plurals import plural_forms

HEADER_COMMENT = """\
# Translations of {domain}.
# Translate the msgstr lines only. Keep tags such as <a1>…</a1> around
# the words they mark. Lines starting '#.' say what each string is.
#"""
LINE_WIDTH = 76
# Both Babel and polib quietly repair a broken line by dropping characters, which in
# medical text can change a meaning; so every line must be one of these, or be refused.
_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf'^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$'
    r'|^#.*$|^\s*$')


@dataclass(frozen=True)
class CatalogFile:
    """Paths of one domain's catalogues, as Sphinx's CatalogInfo does."""
    locales_dir: Path
    domain: str

    @property
    def pot_path(self) -> Path:
        return self.locales_dir / f"{self.domain}.pot"

    def po_path(self, code: str) -> Path:
        return self.locales_dir / code / "LC_MESSAGES" / f"{self.domain}.po"


def catalog_file(project: Project, domain: str) -> CatalogFile:
    return CatalogFile(project.locales_dir, domain)


def _now() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def new_template(project: Project, domain: str) -> Catalog:
    return Catalog(domain=domain, project=domain, version=project.source_language.code,
                   header_comment=HEADER_COMMENT.format(domain=domain),
                   creation_date=_now(), charset="utf-8", fuzzy=False)


def ids_of(message: Message) -> tuple[str, ...]:
    """A message's msgid, and msgid_plural if it has one, always as a tuple."""
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings_of(message: Message) -> tuple[str, ...]:
    """A message's msgstr, or its plural msgstr[N], always as a tuple of strings."""
    return message.string if isinstance(message.string, tuple) else (message.string or "",)


def key_of(msgid) -> str:
    """The singular msgid: how entries are looked up and located."""
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _entry(message: Message, obsolete: bool = False) -> polib.POEntry:
    ids = ids_of(message)
    previous = message.previous_id or ()
    entry = polib.POEntry(
        msgid=ids[0], msgctxt=message.context, obsolete=obsolete,
        occurrences=[(path, str(line) if line else "") for path, line in message.locations],
        comment="\n".join(message.auto_comments), tcomment="\n".join(message.user_comments),
        flags=sorted(message.flags), previous_msgid=previous[0] if previous else None,
        previous_msgid_plural=previous[1] if len(previous) > 1 else None)
    if len(ids) > 1:
        entry.msgid_plural = ids[1]
        entry.msgstr_plural = {index: text or "" for index, text in enumerate(strings_of(message))}
    else:
        entry.msgstr = message.string or ""
    return entry


def serialise(catalog: Catalog) -> bytes:
    """The catalogue as PO text. Babel merges; polib writes, because Babel's writer
    breaks a long previous msgid (`#|`) across lines that no tool can read back."""
    po = polib.POFile(wrapwidth=LINE_WIDTH)
    po.header = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                          for line in catalog.header_comment.splitlines())
    po.metadata = {name: value.rstrip("\n") for name, value in catalog.mime_headers}
    po.extend(_entry(message) for message in catalog if message.id)
    po.extend(_entry(message, obsolete=True) for message in catalog.obsolete.values())
    return (str(po) + "\n").encode("utf-8")


def read_catalog(path: Path) -> Catalog:
    """Read a `.po`/`.pot`, refusing a malformed one with its file and line."""
    catalog, _ = read_catalog_with_lines(path)
    return catalog


def read_catalog_with_lines(path: Path) -> tuple[Catalog, dict[str, int]]:
    """The catalogue, and the line of each entry's msgid (which Babel does not keep)."""
    if not path.is_file():
        raise CatalogError("catalogue not found", path=path,
                           hint="run `invoke extract update` to create it")
    return parse_catalog(path.read_bytes(), path)


def parse_catalog(data: bytes, path: Path) -> tuple[Catalog, dict[str, int]]:
    """Parse PO bytes strictly; `path` names them in errors."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError("not UTF-8", path=path, line=line,
                           hint="save the file as UTF-8 in your translation tool") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.match(line):
            raise CatalogError(f"syntax error: {line.strip()[:60]!r} is not a keyword with a quoted string",
                               path=path, line=number,
                               hint='each line is like msgstr "text", with inner quotes written \\"')
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as exc:
        raise CatalogError(f"syntax error: {exc.args[0].rsplit(' on ', 1)[0]}", path=path,
                           line=exc.lineno, hint="fix the line, or re-save the file in Poedit") from None
    entries = _polib_entries(path, text)
    _restore_previous_ids(catalog, entries)
    return catalog, _lines(entries, path)


def _polib_entries(path: Path, text: str) -> polib.POFile:
    try:
        entries = polib.pofile(text)
    except (OSError, ValueError) as exc:
        message = str(exc)
        line = int(message.rsplit("line ", 1)[1].split(")")[0]) if "(line " in message else None
        raise CatalogError(f"syntax error: {message}", path=path, line=line,
                           hint="fix the line, or re-save the file in Poedit") from None
    charset = entries.metadata.get("Content-Type", "charset=utf-8").rpartition("charset=")[2].strip()
    if charset.lower() not in ("utf-8", "utf8"):
        raise CatalogError(f"the header declares charset {charset}, the file must be UTF-8", path=path, line=1,
                           hint="set Content-Type: text/plain; charset=UTF-8 and save as UTF-8")
    return entries


def _restore_previous_ids(catalog: Catalog, entries: polib.POFile) -> None:
    """Babel's reader drops a previous msgid (#|) that spans several lines; polib keeps it."""
    for entry in entries:
        if entry.previous_msgid:
            message = catalog.obsolete.get(entry.msgid) if entry.obsolete else catalog.get(entry.msgid)
            if message is not None:
                message.previous_id = [entry.previous_msgid] + (
                    [entry.previous_msgid_plural] if entry.previous_msgid_plural else [])


def _lines(entries: polib.POFile, path: Path) -> dict[str, int]:
    lines: dict[str, int] = {}
    for entry in entries:
        if entry.msgid in lines:
            raise CatalogError(f"a second entry for {entry.msgid[:50]!r} (the first is on line "
                               f"{lines[entry.msgid]})", path=path, line=entry.linenum,
                               hint="keep one entry per English text; merge the two translations")
        lines[entry.msgid] = entry.linenum
    for entry in entries.obsolete_entries():
        lines.setdefault(entry.msgid, entry.linenum)
    return lines


def write_template(project: Project, domain: str, template: Catalog) -> bool:
    """Write `<domain>.pot`, unless only its creation date would change."""
    path = catalog_file(project, domain).pot_path
    if path.is_file():
        template.creation_date = read_catalog(path).creation_date
        if serialise(template) == path.read_bytes():
            return False
        template.creation_date = _now()
    atomic_write_bytes(path, serialise(template))
    return True


def new_catalog(language: Language, domain: str, template: Catalog) -> Catalog:
    """A fresh catalogue for `language`: headers and plural forms from CLDR."""
    catalog = Catalog(locale=language.locale, domain=domain, project=template.project,
                      version=template.version, header_comment=template.header_comment,
                      creation_date=template.creation_date, revision_date=_now(),
                      language_team=f"{language.native_name} ({language.code})",
                      charset="utf-8", fuzzy=False)
    catalog.mime_headers = [("Plural-Forms", plural_forms(language.locale))]
    catalog.update(template, update_creation_date=False)
    _fit_plurals(catalog)
    return catalog


def init_catalog(project: Project, language: Language, domain: str, memory=None) -> tuple[Path, bool]:
    """Create `locales/<lang>/LC_MESSAGES/<domain>.po`; never replaces an existing one.
    `memory` (a TranslationMemory) pre-fills sentences already translated elsewhere."""
    files = catalog_file(project, domain)
    path = files.po_path(language.code)
    if path.exists():
        return path, False
    catalog = new_catalog(language, domain, read_catalog(files.pot_path))
    if memory is not None:
        memory.fill(catalog, language.code)
    atomic_write_bytes(path, serialise(catalog))
    return path, True


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    changed: bool
    fuzzy: tuple[str, ...]      # msgids matched fuzzily to a changed source
    obsolete: int
    from_memory: int = 0        # entries pre-filled from translation memory


def _fit_plurals(catalog: Catalog) -> None:
    """Give every plural entry one msgstr per plural form of the language (Babel gives two):
    pad with empty forms, and drop surplus forms only while they are empty."""
    wanted = catalog.num_plurals
    for message in catalog:
        if message.id and isinstance(message.id, tuple):
            strings = strings_of(message)
            while len(strings) > wanted and not strings[-1]:
                strings = strings[:-1]
            message.string = strings + ("",) * (wanted - len(strings))


def merge(catalog: Catalog, template: Catalog) -> tuple[str, ...]:
    """Merge the template in; returns the msgids that became fuzzy by matching."""
    before = {message.id for message in catalog if message.id and message.fuzzy}
    previous = {message.id: message.previous_id for message in catalog if message.previous_id}
    catalog.update(template, update_creation_date=True)
    for message in catalog:
        # Babel rebuilds each entry from the template, dropping the #| of one still fuzzy.
        if message.fuzzy and not message.previous_id and message.id in previous:
            message.previous_id = previous[message.id]
    _fit_plurals(catalog)
    return tuple(message.id for message in catalog
                 if message.id and message.fuzzy and message.id not in before)


def update_catalog(project: Project, language: Language, domain: str, memory=None) -> UpdateResult:
    """Merge the current template into a language's catalogue, keeping every translation.
    `memory` (a TranslationMemory) pre-fills sentences already translated elsewhere."""
    files = catalog_file(project, domain)
    path = files.po_path(language.code)
    template = read_catalog(files.pot_path)
    if not path.exists():
        catalog = new_catalog(language, domain, template)
        newly_fuzzy: tuple[str, ...] = ()
    else:
        catalog = read_catalog(path)
        newly_fuzzy = merge(catalog, template)
    filled = memory.fill(catalog, language.code) if memory is not None else 0
    changed = write_if_changed(path, serialise(catalog))
    return UpdateResult(path, changed, newly_fuzzy, len(catalog.obsolete), filled)


def translations(catalog: Catalog) -> Translations:
    """gettext translations for Jinja2, compiled in memory so no stale `.mo` can exist.

    Fuzzy entries are left out, as msgfmt does: an outdated string must not show."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=catalog.domain)


def translated_string(message: Message | None) -> str | None:
    """The usable translation of a message: None when missing or fuzzy."""
    if message is None or message.fuzzy or not message.string:
        return None
    return strings_of(message)[0] or None
