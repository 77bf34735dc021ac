"""Catalogue files: where they live, how they are created, merged and compiled,
and the one rule that decides an entry's state.

Every read and write goes through `pofile` (one parser, one writer). Merging is
Babel's `Catalog.update`, made to behave like gettext's msgmerge: idempotent,
and reversible (English that comes back takes back its obsolete translation).
Every write is atomic.

Pseudo-locales get generated catalogues that show layout problems before real
translations arrive. en-XA: every letter accented and the text about 35% longer,
in brackets, so clipped, concatenated or hard-coded text stands out. ar-XB: each
word mirrored on a right-to-left page, so an unmirrored layout stands out. Tags
and placeholders are kept, so the pseudo-text renders like a real translation.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.support import Translations

from . import markup
from .config import Language, Project, inside
from .errors import CatalogError
from .fileio import atomic_write_bytes
from .plurals import plural_count, plural_forms, same_plural_rule
from .pofile import Catalog, previous_context, read_po, write_po
from .textcompare import FORMAT_PLACEHOLDER

HEADER_COMMENT = """\
# Translations of {domain}.
# Translate the msgstr lines only. Keep tags such as <a1>…</a1> around
# the words they mark. Lines starting '#.' say what each string is.
#"""


@dataclass(frozen=True)
class CatalogFile:
    """Paths of one domain's catalogues, as Sphinx's CatalogInfo does."""
    locales_dir: Path
    domain: str

    @property
    def pot_path(self) -> Path:
        return self.locales_dir / f"{self.domain}.pot"

    def po_path(self, code: str) -> Path:
        return inside(self.locales_dir, code, "LC_MESSAGES", f"{self.domain}.po")


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


def translation_pairs(message: Message) -> Iterator[tuple[str, str]]:
    """(English, translation) for each form translated; plural forms after the first
    go with the English plural."""
    sources = ids_of(message)
    for index, translation in enumerate(strings_of(message)):
        if translation:
            yield sources[0 if index == 0 else -1], translation


class EntryState(str, Enum):
    """What a translator still has to do for an entry; the one vocabulary of code, JSON and reports."""
    TRANSLATED = "translated"
    FUZZY = "fuzzy"                # translated, but the English changed since (or a person must confirm it)
    UNTRANSLATED = "untranslated"  # absent, empty, or with an empty plural form


def entry_state(message: Message | None) -> EntryState:
    """The one rule for an entry's state, shared by checks, statistics, review sheets and rendering."""
    if message is None or not all(strings_of(message)):
        return EntryState.UNTRANSLATED
    return EntryState.FUZZY if message.fuzzy else EntryState.TRANSLATED


def key_of(msgid) -> str:
    """The singular msgid: how entries are looked up and located."""
    return msgid[0] if isinstance(msgid, tuple) else msgid


def msgid_start(msgid, width: int = 60) -> str:
    """The start of a msgid, to name its entry in a message."""
    text = key_of(msgid)
    return text if len(text) <= width else text[:width - 1] + "…"


def read_catalog(path: Path) -> Catalog:
    """Read a `.po`/`.pot`, refusing a missing, unreadable or malformed one with its file and line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("catalogue not found", path=path,
                           hint="run `invoke extract update` to create it") from None
    except OSError as exc:
        raise CatalogError(f"cannot read the catalogue: {exc.strerror}", path=path,
                           hint="check that it is a file you can read") from None
    catalog = read_po(data, path)
    catalog.domain = path.stem              # gettext's convention: the file is named after its domain
    return catalog


def write_template(project: Project, domain: str, template: Catalog) -> bool:
    """Write `<domain>.pot`, unless only its creation date would change."""
    path = catalog_file(project, domain).pot_path
    if path.is_file():
        template.creation_date = read_catalog(path).creation_date
        if write_po(template) == path.read_bytes():
            return False
        template.creation_date = _now()
    atomic_write_bytes(path, write_po(template))
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
    atomic_write_bytes(path, write_po(catalog))
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
    """Merge the template in, as msgmerge does; returns the msgids that became fuzzy.

    Fixes the gaps of Babel's `Catalog.update`: it leaves an obsolete entry beside
    the same English come back (a duplicate msgfmt refuses); it rebuilds each entry
    from the template, dropping the `#|` of one still fuzzy and collapsing repeated
    lines of a translator's comment; and when English changes twice before anyone
    revises it, it records the in-between English as `#|`, hiding the first change.
    As in msgmerge, `#|` stays the English the translation was made from."""
    before = {message.id for message in catalog if message.id and message.fuzzy}
    _revive_obsolete(catalog, template)
    kept = {_key(catalog, message): message for message in catalog if message.id}
    by_msgid = {key_of(message.id): message for message in kept.values()}
    catalog.update(template, update_creation_date=True)
    for message in catalog:
        if not message.id:
            continue
        old = kept.get(_key(catalog, message))
        if old is not None:
            message.user_comments = list(old.user_comments)
        # The entry this one came from: the same English, or the English Babel fuzzily matched.
        origin = old if old is not None else by_msgid.get(message.previous_id[0]) if message.previous_id else None
        if origin is not None and message.fuzzy and origin.fuzzy and origin.previous_id:
            message.previous_id, message.previous_context = origin.previous_id, previous_context(origin)
    _fit_plurals(catalog)
    return tuple(message.id for message in catalog
                 if message.id and message.fuzzy and message.id not in before)


def _key(catalog: Catalog, message: Message):
    return catalog._key_for(message.id, message.context)


def _revive_obsolete(catalog: Catalog, template: Catalog) -> None:
    """English that is back in the template takes back its obsolete translation, fuzzy,
    so that a person confirms it is still right."""
    for message in template:
        key = _key(template, message)
        if message.id and key in catalog.obsolete and catalog.get(message.id, message.context) is None:
            revived = catalog.obsolete.pop(key)
            revived.flags.add("fuzzy")
            catalog[revived.id] = revived


def merged_catalog(project: Project, language: Language, domain: str) -> tuple[Path, Catalog, tuple[str, ...]]:
    """A language's catalogue with the current template merged in (a new one if it has none),
    not yet written; and the msgids that became fuzzy."""
    files = catalog_file(project, domain)
    path = files.po_path(language.code)
    template = read_catalog(files.pot_path)
    if not path.exists():
        return path, new_catalog(language, domain, template), ()
    catalog = read_catalog(path)
    became_fuzzy = merge(catalog, template)
    return path, catalog, became_fuzzy + restore_plural_rule(catalog, language)


def restore_plural_rule(catalog: Catalog, language: Language) -> tuple[str, ...]:
    """CLDR's Plural-Forms header back where a tool wrote another (Poedit writes gettext's three
    forms for Lithuanian; CLDR has four). Each translated plural entry becomes fuzzy, its forms
    kept: they were written for the other rule, and a person must put each in its place."""
    if catalog.num_plurals == plural_count(language.locale) and catalog.plural_expr \
            and same_plural_rule(catalog.plural_expr, language.locale):
        return ()
    headers = [(name, value) for name, value in catalog.mime_headers if name.lower() != "plural-forms"]
    catalog.mime_headers = [*headers, ("Plural-Forms", plural_forms(language.locale))]
    revised = []
    for message in catalog:
        if message.id and isinstance(message.id, tuple) and any(strings_of(message)) and not message.fuzzy:
            message.flags.add("fuzzy")
            revised.append(message.id)
    _fit_plurals(catalog)
    return tuple(revised)


def translations(catalog: Catalog) -> Translations:
    """gettext translations for Jinja2, compiled in memory so no stale `.mo` can exist.

    Fuzzy entries are left out, as msgfmt does: an outdated string must not show."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=catalog.domain)


# -- pseudo-locales -------------------------------------------------------------

_ACCENTED = str.maketrans("aceinosuyACEINOSUYz", "áçéîñöšüýÅÇÉÎÑÖŠÜÝž")
_KEPT = re.compile(f"{markup.TAG.pattern}|{FORMAT_PLACEHOLDER.pattern}|https?://\\S+|www\\.\\S+")
_FILLER = "one two three four five six seven eight nine ten".split()
_RLO, _PDF = "\u202e", "\u202c"   # right-to-left override, pop directional formatting


def _map_text(text: str, change) -> str:
    """Apply `change` to the words only, never to tags, placeholders or addresses."""
    parts, position = [], 0
    for match in _KEPT.finditer(text):
        parts += [change(text[position:match.start()]), match.group(0)]
        position = match.end()
    return "".join(parts) + change(text[position:])


def accented(text: str) -> str:
    plain_length = len(markup.to_plain(text))
    filler = []
    while len(" ".join(filler)) < math.ceil(plain_length * 0.35):
        filler.append(_FILLER[len(filler) % len(_FILLER)])
    padding = (" " + " ".join(filler)) if filler else ""
    return f"[{_map_text(text, lambda piece: piece.translate(_ACCENTED))}{padding}]"


def mirrored(text: str) -> str:
    return _map_text(text, lambda piece: re.sub(r"\S+", lambda m: f"{_RLO}{m.group(0)}{_PDF}", piece))


def pseudo_catalog(template: Catalog, language: Language) -> Catalog:
    transform = accented if language.code == "en_XA" else mirrored
    catalog = Catalog(locale=language.locale, domain=template.domain)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(transform(i) for i in message.id), flags=message.flags)
        else:
            catalog.add(message.id, transform(message.id), flags=message.flags)
    return catalog
