"""PO files: the one reader and the one writer of every catalogue and template.

The pipeline's model is Babel's `Catalog`, because Babel merges and compiles.
Babel's own reader is not used: it reads a previous msgid (`#|`) as a translator
comment, drops unknown headers and counts lines from 0. polib parses and writes
instead, since it keeps every field gettext defines; this module converts between
the two and fixes the gaps of both, so no other module touches PO syntax.

Round trip: for any file this module wrote, `write_po(read_po(data)) == data`.
"""
from __future__ import annotations

import gettext
import re
from functools import lru_cache
from pathlib import Path

import polib
from babel.messages import catalog as babel_catalog
from babel.messages.catalog import Message

from .config import parse_locale
from .errors import CatalogError, UnknownLanguageError

LINE_WIDTH = 76
# Both Babel and polib quietly repair a broken line by dropping characters, which in
# medical text can change a meaning; so every line must be one of these, or be refused.
# A string's escapes are those polib decodes: any other (\e, \101, \x41) would be read as text.
_STRING = r'"(?:[^"\\]|\\[\\"ntrvbf])*"'
_PO_LINE = re.compile(
    rf'^(?P<prefix>#~\|?\s*|#\|\s*)?(?:(?P<keyword>msgctxt|msgid|msgid_plural|msgstr(?:\[(?P<index>0|[1-9]\d*)\])?)\s+)?'
    rf'{_STRING}\s*$|^(?P<comment>#(?![|~]).*)$|^\s*$')
# The order of keywords, as msgfmt requires: state → keyword → next state, from "" (no
# entry yet), for an entry and for the previous msgid (#|) in its comments.
_ENTRY_ORDER = {"": {"msgctxt": "msgctxt", "msgid": "msgid"},
                "msgctxt": {"msgid": "msgid"},
                "msgid": {"msgid_plural": "msgid_plural", "msgstr": "msgstr"},
                "msgid_plural": {"msgstr[]": "msgstr[]"},
                "msgstr": {"msgctxt": "msgctxt", "msgid": "msgid"},
                "msgstr[]": {"msgctxt": "msgctxt", "msgid": "msgid", "msgstr[]": "msgstr[]"}}
_PREVIOUS_ORDER = {"": {"msgctxt": "msgctxt", "msgid": "msgid"},
                   "msgctxt": {"msgid": "msgid"},
                   "msgid": {"msgid_plural": "msgid_plural"},
                   "msgid_plural": {}}
_WANTED_NEXT = {"msgctxt": "msgid", "msgid": "msgstr", "msgid_plural": "msgstr[0]"}
_PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*(?P<count>\d+)\s*;\s*plural\s*=\s*(?P<expression>[^;]+);?\s*")
_OBSOLETE_PREVIOUS = re.compile(r"^#~\|", re.MULTILINE)
_POLIB_LINE = re.compile(r"\(line (\d+)\)")
_RESERVED = re.compile("[\x00\x04]")     # end of string and context separator in compiled catalogues
_EMPTY_COMMENT = re.compile(r"^# $", re.MULTILINE)    # polib writes "# "; gettext tools write "#"
# gettext joins a line ending in a backslash to the next; after a comment, a space prevents it.
_SPLICING_COMMENT = re.compile(r"^(#(?![~|]).*\\)$", re.MULTILINE)
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
    _check_language(entries, text, path)
    _check_plural_forms(entries, text, path)
    _check_duplicates(entries, path)
    try:
        return _to_catalog(entries)
    except (ValueError, TypeError) as exc:     # e.g. a date header Babel cannot parse
        raise CatalogError(f"cannot read the header: {exc}", path=path, line=1, hint=SYNTAX_HINT) from None


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")        # a byte-order mark, as some Windows tools write, is dropped
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError("not UTF-8", path=path, line=line,
                           hint="save the file as UTF-8 in your translation tool") from None


def _check_lines(text: str, path: Path) -> None:
    """Every line well-formed, and each entry's keywords in gettext's order."""
    entry = _KeywordOrder(_ENTRY_ORDER, ("", "msgstr", "msgstr[]"), path, "")
    previous = _KeywordOrder(_PREVIOUS_ORDER, ("", "msgid", "msgid_plural"), path, "#| ")
    unattached = None              # the line of a previous msgid no entry has followed yet
    loose_comment = None           # the line of a comment no entry has followed yet
    for number, line in enumerate(text.split("\n"), start=1):
        match = _well_formed(line, number, path)
        prefix = match["prefix"] or ""
        current, other = (previous, entry) if "|" in prefix else (entry, previous)
        other.end()
        if match["keyword"]:
            obsolete = prefix.startswith("#~")
            if unattached and current is entry and obsolete != previous.obsolete:
                raise CatalogError("syntax error: a previous msgid (#| or #~|) on an entry of the other kind",
                                   path=path, line=unattached, hint="use #~| before an obsolete entry, #| before "
                                   "an active one")
            current.keyword(match["keyword"], match["index"], number, obsolete)
            unattached = number if current is previous else None
            loose_comment = None
        elif match["comment"] is not None and line.endswith("\\"):
            raise CatalogError("syntax error: gettext joins a comment ending in a backslash to the next line",
                               path=path, line=number, hint="add a space after the backslash")
        elif match["comment"] is not None and unattached:
            raise CatalogError("syntax error: a comment between a previous msgid (#|) and its entry",
                               path=path, line=number, hint="move the comment above the #| lines")
        elif match["comment"] is not None or not line.strip():
            current.end()
            loose_comment = loose_comment or (number if match["comment"] is not None else None)
        else:
            current.continuation(number, prefix.startswith("#~"))
    entry.end()
    previous.end()
    _check_end(unattached, loose_comment, path)


def _well_formed(line: str, number: int, path: Path) -> re.Match:
    reserved = _RESERVED.search(line)
    if reserved:
        raise CatalogError(f"syntax error: the control character U+{ord(reserved[0]):04X} cannot be in a "
                           "catalogue (gettext reserves it)", path=path, line=number,
                           hint="delete it; it is invisible in most editors")
    match = _PO_LINE.match(line)
    if not match:
        raise CatalogError(f"syntax error: {line.strip()[:60]!r} is not a keyword with a quoted string",
                           path=path, line=number,
                           hint='each line is like msgstr "text", with inner quotes written \\"')
    return match


def _check_end(unattached: int | None, loose_comment: int | None, path: Path) -> None:
    if unattached:
        raise CatalogError("syntax error: a previous msgid (#|) with no entry after it", path=path, line=unattached,
                           hint="delete it, or move it above the entry it belongs to")
    if loose_comment:     # gettext tools, polib included, would drop it without a word
        raise CatalogError("a comment after the last entry belongs to no entry", path=path, line=loose_comment,
                           hint="move it above the entry it is about, or delete it")


class _KeywordOrder:
    """Follows one order table line by line; refuses a keyword out of order, with its line."""

    def __init__(self, order: dict, finished: tuple[str, ...], path: Path, prefix: str) -> None:
        self.order, self.finished, self.path, self.prefix = order, finished, path, prefix
        self.state, self.line, self.plural_index, self.obsolete = "", 0, -1, False

    def keyword(self, keyword: str, index: str | None, number: int, obsolete: bool) -> None:
        if self.state not in self.finished:             # within an entry
            self._same_entry_kind(number, obsolete)
        kind = "msgstr[]" if index is not None else keyword
        position = int(index) if index is not None else -1
        if kind not in self.order[self.state] or (kind == "msgstr[]" and position != self.plural_index + 1):
            self.end()
            raise CatalogError(f"syntax error: {self.prefix}{keyword} cannot come here", path=self.path,
                               line=number, hint="each entry is msgid, then msgstr (or msgid_plural, then "
                               "msgstr[0], msgstr[1]…); compare it with the entries around it")
        self.state, self.line, self.plural_index = self.order[self.state][kind], number, position
        self.obsolete = obsolete

    def continuation(self, number: int, obsolete: bool) -> None:
        if not self.state:
            raise CatalogError("syntax error: a quoted string outside any entry", path=self.path, line=number,
                               hint="join it to the msgid or msgstr it belongs to")
        self._same_entry_kind(number, obsolete)       # continues the string before it

    def _same_entry_kind(self, number: int, obsolete: bool) -> None:
        if obsolete != self.obsolete:
            raise CatalogError("syntax error: an entry mixes obsolete (#~) lines and active lines", path=self.path,
                               line=number, hint="start every line of an obsolete entry with #~, or none")

    def end(self) -> None:
        if self.state not in self.finished:
            wanted = _WANTED_NEXT[self.state]
            raise CatalogError(f"syntax error: the entry has {self.prefix}{self.state} but no {self.prefix}{wanted}",
                               path=self.path, line=self.line,
                               hint=f"add the {wanted} line; compare it with the entries around it")
        self.state = ""


def _parse(text: str, path: Path) -> polib.POFile:
    """polib's parser, fed lines split at "\n" only: `polib.pofile` splits at every Unicode
    line break (U+2028, U+0085…), cutting a string that holds one; and given text that
    names an existing file, it would read that file instead."""
    parser = polib._POFileParser("", encoding="utf-8")
    parser.fhandle = _OBSOLETE_PREVIOUS.sub("#|", text).split("\n")
    try:
        entries = parser.parse()
    except (OSError, ValueError) as exc:
        found = _POLIB_LINE.search(str(exc))
        _, _, reason = str(exc).partition("): ")
        raise CatalogError(f"syntax error: {reason or 'this line cannot follow the one before it'}",
                           path=path, line=int(found.group(1)) if found else None, hint=SYNTAX_HINT) from None
    entries.wrapwidth = LINE_WIDTH
    return entries


def _check_charset(entries: polib.POFile, path: Path) -> None:
    charset = entries.metadata.get("Content-Type", "charset=utf-8").rpartition("charset=")[2].strip()
    if charset.lower() not in ("utf-8", "utf8"):
        raise CatalogError(f"the header declares charset {charset}, the file must be UTF-8", path=path, line=1,
                           hint="set Content-Type: text/plain; charset=UTF-8 and save as UTF-8")


def _check_language(entries: polib.POFile, text: str, path: Path) -> None:
    """A Language header passes the one gate for language codes, like every code that enters."""
    code = entries.metadata.get("Language", "").strip()
    if code:
        try:
            parse_locale(code)
        except UnknownLanguageError as exc:
            raise CatalogError(f"the Language header: {exc.message}", path=path,
                               line=_header_line(text, "Language"), hint=exc.hint) from None


def _header_line(text: str, name: str) -> int:
    return next((number for number, line in enumerate(text.split("\n"), start=1)
                 if line.lstrip('"').startswith(f"{name}:")), 1)


@lru_cache(maxsize=64)
def _plural_forms_used(expression: str) -> frozenset[int] | None:
    """The forms an expression picks for n from 0 to 1000; None if gettext cannot compile it.
    Kept per expression: a library's catalogues share a few."""
    try:
        plural = gettext.c2py(expression)
        return frozenset(plural(n) for n in range(1001))
    except (ValueError, RecursionError, ArithmeticError, TypeError):
        return None


def _check_plural_forms(entries: polib.POFile, text: str, path: Path) -> None:
    """A Plural-Forms header gettext can use; the expression is parsed, never evaluated by us."""
    value = entries.metadata.get("Plural-Forms")
    if value is None:
        return
    line = _header_line(text, "Plural-Forms")
    hint = "run `invoke update`, which writes the header from CLDR, or copy it from another catalogue"
    match = _PLURAL_FORMS.fullmatch(value)
    if not match or not 1 <= int(match["count"]) <= 6:
        raise CatalogError(f"the Plural-Forms header {value[:60]!r} is not 'nplurals=N; plural=EXPRESSION;' "
                           "with N from 1 to 6", path=path, line=line, hint=hint)
    forms = _plural_forms_used(match["expression"])
    if forms is None:
        raise CatalogError(f"the plural expression {match['expression'][:60]!r} is not a C expression "
                           "of n that gettext can evaluate", path=path, line=line, hint=hint)
    if not forms <= set(range(int(match["count"]))):
        raise CatalogError(f"the plural expression {match['expression'][:60]!r} gives forms outside "
                           f"0 to {int(match['count']) - 1}", path=path, line=line, hint=hint)


def _check_duplicates(entries: polib.POFile, path: Path) -> None:
    """msgfmt refuses two entries for one text, even when one of them is obsolete."""
    first: dict[tuple, int] = {}
    for entry in entries:
        if not entry.msgid:
            raise CatalogError("a second header, or an entry with an empty msgid", path=path, line=entry.linenum,
                               hint="keep one header at the top; every other entry needs its English")
        key = (entry.msgctxt, entry.msgid)
        if key in first:
            what = "an obsolete (#~) copy" if entry.obsolete else "a second entry"
            raise CatalogError(f"{what} of {entry.msgid[:50]!r} (the first is on line {first[key]})",
                               path=path, line=entry.linenum,
                               hint="keep one entry per English text; merge the two translations")
        first[key] = entry.linenum


def _to_catalog(entries: polib.POFile) -> Catalog:
    catalog = Catalog(charset="utf-8", fuzzy=False)
    # What Babel does with the empty msgid's entry, but from polib's fields: Babel would join them
    # into text and parse it again as an e-mail header (a tenth of reading a catalogue).
    catalog.mime_headers = entries.ordered_metadata()
    catalog.header_comment = "\n".join(f"# {line}".rstrip() for line in entries.header.split("\n")) \
        if entries.header else ""
    catalog.fuzzy = bool(entries.metadata_is_fuzzy)
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
    text = _EMPTY_COMMENT.sub("#", str(po) + "\n")
    return _SPLICING_COMMENT.sub(r"\1 ", text).encode("utf-8")


def _flags(message: Message) -> list[str]:
    """Babel adds python-format to any msgid that looks like a % format; an entry that says
    no-python-format (leaflet text with a %) must not say both, or msgfmt -c checks it."""
    flags = set(message.flags)
    if "no-python-format" in flags:
        flags.discard("python-format")
    return sorted(flags)


def _to_entry(message: Message, obsolete: bool = False) -> polib.POEntry:
    """One entry; an obsolete one keeps no locations or extracted comments, as in msgmerge."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    previous = message.previous_id or ()
    entry = polib.POEntry(
        msgid=ids[0], msgctxt=message.context, obsolete=obsolete,
        occurrences=[] if obsolete else [(path, str(line) if line else "") for path, line in message.locations],
        comment="" if obsolete else "\n".join(message.auto_comments), tcomment="\n".join(message.user_comments),
        flags=_flags(message), previous_msgctxt=previous_context(message) if previous else None,
        previous_msgid=previous[0] if previous else None,
        previous_msgid_plural=previous[1] if len(previous) > 1 else None)
    if len(ids) > 1:
        entry.msgid_plural = ids[1]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        entry.msgstr_plural = {index: text or "" for index, text in enumerate(strings)}
    else:
        entry.msgstr = message.string or ""
    return entry
