"""PO files: the one reader and the one writer of every catalogue and template.

The pipeline's model is Babel's `Catalog`, because Babel merges and compiles.
Babel's own reader is not used: it reads a previous msgid (`#|`) as a translator
comment, drops unknown headers and counts lines from 0. polib parses and writes
instead, since it keeps every field gettext defines; this module converts between
the two and fixes the gaps of both, so no other module touches PO syntax.

Round trip: for any file this module wrote, `write_po(read_po(data)) == data`.
"""
from __future__ import annotations

import re
from pathlib import Path

import polib
from babel.messages import catalog as babel_catalog
from babel.messages.catalog import Message

from .errors import CatalogError

LINE_WIDTH = 76
# Both Babel and polib quietly repair a broken line by dropping characters, which in
# medical text can change a meaning; so every line must be one of these, or be refused.
_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf'^(?:#~\|?\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$'
    r'|^#.*$|^\s*$')
# polib skips the previous msgid of an obsolete entry (`#~|`), but reads it as `#|`.
_OBSOLETE_PREVIOUS = re.compile(r"^#~\|", re.MULTILINE)
_POLIB_LINE = re.compile(r"\(line (\d+)\)")
# Headers Babel rebuilds itself; any other header (X-Generator, X-Handoff-Id) is kept as read.
_BABEL_HEADERS = {"project-id-version", "report-msgid-bugs-to", "pot-creation-date", "po-revision-date",
                  "last-translator", "language", "language-team", "plural-forms", "mime-version",
                  "content-type", "content-transfer-encoding", "generated-by"}
# Not Babel's version: upgrading Babel must not rewrite every catalogue.
GENERATED_BY = "leaflet-l10n"
SYNTAX_HINT = "fix the line, or re-save the file in Poedit"


class Catalog(babel_catalog.Catalog):
    """Babel's catalogue, which also keeps the headers Babel does not know."""

    def __init__(self, *args, **kwargs) -> None:
        self.extra_headers: list[tuple[str, str]] = []
        super().__init__(*args, **kwargs)

    def _set_mime_headers(self, headers) -> None:
        headers = list(headers)
        super()._set_mime_headers(headers)
        self.extra_headers = [(name, value) for name, value in headers if name.lower() not in _BABEL_HEADERS]

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        babel_headers = [(name, GENERATED_BY if name == "Generated-By" else value)
                         for name, value in super()._get_mime_headers()]
        return [*babel_headers, *self.extra_headers]

    mime_headers = property(_get_mime_headers, _set_mime_headers)

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.mime_headers if key.lower() == name.lower()), None)


def previous_context(message: Message) -> str | None:
    """The msgctxt an entry had before its English changed (`#| msgctxt`); Babel has no field for it."""
    return getattr(message, "previous_context", None)


# -- reading ------------------------------------------------------------------

def read_po(data: bytes, path: Path) -> Catalog:
    """Parse PO bytes strictly; `path` names them in errors. Every message keeps its
    line (`Message.lineno`, counted from 1, the first line of its entry)."""
    text = _decode(data, path)
    _check_lines(text, path)
    entries = _parse(text, path)
    _check_charset(entries, path)
    _check_duplicates(entries, path)
    try:
        return _to_catalog(entries)
    except (ValueError, TypeError) as exc:     # e.g. a header value Babel cannot parse
        raise CatalogError(f"cannot read the header: {exc}", path=path, line=1, hint=SYNTAX_HINT) from None


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError("not UTF-8", path=path, line=line,
                           hint="save the file as UTF-8 in your translation tool") from None


def _check_lines(text: str, path: Path) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not _PO_LINE.match(line):
            raise CatalogError(f"syntax error: {line.strip()[:60]!r} is not a keyword with a quoted string",
                               path=path, line=number,
                               hint='each line is like msgstr "text", with inner quotes written \\"')


def _parse(text: str, path: Path) -> polib.POFile:
    try:
        return polib.pofile(_OBSOLETE_PREVIOUS.sub("#|", text), wrapwidth=LINE_WIDTH)
    except (OSError, ValueError) as exc:
        found = _POLIB_LINE.search(str(exc))
        reason = str(exc).split("): ", 1)[-1]
        raise CatalogError(f"syntax error: {reason}", path=path, line=int(found.group(1)) if found else None,
                           hint=SYNTAX_HINT) from None


def _check_charset(entries: polib.POFile, path: Path) -> None:
    charset = entries.metadata.get("Content-Type", "charset=utf-8").rpartition("charset=")[2].strip()
    if charset.lower() not in ("utf-8", "utf8"):
        raise CatalogError(f"the header declares charset {charset}, the file must be UTF-8", path=path, line=1,
                           hint="set Content-Type: text/plain; charset=UTF-8 and save as UTF-8")


def _check_duplicates(entries: polib.POFile, path: Path) -> None:
    """msgfmt refuses two entries for one text, even when one of them is obsolete."""
    first: dict[tuple, int] = {}
    for entry in entries:
        key = (entry.msgctxt, entry.msgid)
        if key in first:
            what = "an obsolete (#~) copy" if entry.obsolete else "a second entry"
            raise CatalogError(f"{what} of {entry.msgid[:50]!r} (the first is on line {first[key]})",
                               path=path, line=entry.linenum,
                               hint="keep one entry per English text; merge the two translations")
        first[key] = entry.linenum


def _to_catalog(entries: polib.POFile) -> Catalog:
    catalog = Catalog(charset="utf-8", fuzzy=False)
    # Babel's own way of taking a header: the empty msgid's entry.
    catalog[""] = Message("", "".join(f"{name}: {value}\n" for name, value in entries.ordered_metadata()),
                          user_comments=entries.header.split("\n") if entries.header else (),
                          flags=("fuzzy",) if entries.metadata_is_fuzzy else ())
    for entry in entries:
        message = _to_message(entry)
        if entry.obsolete:
            catalog.obsolete[catalog._key_for(message.id, message.context)] = message
        else:
            catalog[message.id] = message
    return catalog


def _to_message(entry: polib.POEntry) -> Message:
    if entry.msgid_plural:
        msgid = (entry.msgid, entry.msgid_plural)
        string = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    else:
        msgid, string = entry.msgid, entry.msgstr
    previous = [entry.previous_msgid] if entry.previous_msgid is not None else []
    if entry.previous_msgid_plural is not None:
        previous.append(entry.previous_msgid_plural)
    message = Message(msgid, string, context=entry.msgctxt, lineno=entry.linenum, previous_id=previous,
                      locations=[(file, int(line) if line.isdigit() else None)
                                 for file, line in entry.occurrences],
                      auto_comments=entry.comment.split("\n") if entry.comment else (),
                      user_comments=entry.tcomment.split("\n") if entry.tcomment else ())
    message.flags = set(entry.flags)       # Babel would add or drop python-format by guessing
    message.previous_context = entry.previous_msgctxt
    return message


# -- writing ------------------------------------------------------------------

def write_po(catalog: babel_catalog.Catalog) -> bytes:
    """The catalogue as PO text, wrapped at 76 columns as gettext tools do."""
    po = polib.POFile(wrapwidth=LINE_WIDTH)
    po.header = "\n".join(line[2:] if line.startswith("# ") else line[1:]
                          for line in catalog.header_comment.split("\n"))
    po.metadata = {name: value.rstrip("\n") for name, value in catalog.mime_headers}
    po.metadata_is_fuzzy = catalog.fuzzy
    po.extend(_to_entry(message) for message in catalog if message.id)
    po.extend(_to_entry(message, obsolete=True) for message in catalog.obsolete.values())
    return (str(po) + "\n").encode("utf-8")


def _to_entry(message: Message, obsolete: bool = False) -> polib.POEntry:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    previous = message.previous_id or ()
    entry = polib.POEntry(
        msgid=ids[0], msgctxt=message.context, obsolete=obsolete,
        occurrences=[(path, str(line) if line else "") for path, line in message.locations],
        comment="\n".join(message.auto_comments), tcomment="\n".join(message.user_comments),
        flags=sorted(message.flags), previous_msgctxt=previous_context(message),
        previous_msgid=previous[0] if previous else None,
        previous_msgid_plural=previous[1] if len(previous) > 1 else None)
    if len(ids) > 1:
        entry.msgid_plural = ids[1]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        entry.msgstr_plural = {index: text or "" for index, text in enumerate(strings)}
    else:
        entry.msgstr = message.string or ""
    return entry
