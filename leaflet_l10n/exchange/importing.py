"""Import a translator's returned work: validate everything first, then merge three ways.

A returned file with any error is refused whole and no catalogue changes. The
merge compares each entry with the exported base: the translator's change is
applied only where the repository still holds the base; an entry changed in the
repository since the export is never overwritten but reported as a conflict; an
entry whose English changed since the export comes back fuzzy.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from babel.messages.catalog import Message

from ..catalogs import catalog_file, msgid_start, read_catalog
from ..checks import ENTRY_CHECKS, Checker, Entry
from ..config import Project
from ..errors import CatalogError, ImportRefused
from ..fileio import write_if_changed
from ..pofile import Catalog, read_po, write_po
from .handoff import HANDOFF_ID, ID_HEADER, RECORD
from .xliff import unit_lines, xliff_to_po

# Problems that make a returned file unsafe to merge at all; the rest are for `invoke check`.
BLOCKING = {"placeholders", "raw-html", "format", "url-added", "hidden-characters"}
XLIFF_SUFFIXES = {".xlf", ".xliff"}
# Limits on a returned package, checked before anything is unpacked (see the README).
MAX_PACKAGE_BYTES = 50 * 2**20          # uncompressed, all files together
MAX_PACKAGE_FILES = 500
MAX_COMPRESSION_RATIO = 100


@dataclass
class Returned:
    """One returned catalogue, parsed, with what it was exported from."""
    name: str                    # how to name it in messages: file, or zip!member
    domain: str
    catalog: Catalog             # each message's lineno is its line in the returned file
    base: Catalog


@dataclass
class Conflict:
    domain: str
    msgid: str
    where: str
    repository: object
    returned: object


@dataclass
class ImportResult:
    updated: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    fuzzy: list[tuple[str, str]] = field(default_factory=list)      # English changed since export
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)    # English no longer exists


def _state(message: Message) -> tuple:
    return message.string, message.fuzzy


def _parse(project: Project, name: str, data: bytes, base_bytes: bytes | None = None,
           base_digest: str | None = None) -> Returned:
    """One returned catalogue and its base: the one kept at export, or else the package's,
    which must then carry the hand-off id whose digest it matches."""
    where = Path(name)
    catalog = _returned_catalog(data, where)
    domain = (catalog.project or where.stem).split(" ")[0]
    if domain not in project.domains:
        raise CatalogError(f"this file is for {domain!r}, which is not a leaflet of this project",
                           path=where, line=1, hint=f"leaflets: {', '.join(project.domains)}")
    code = str(catalog.locale or "")
    registered = {language.code for language in project.languages}
    if code not in registered:
        raise CatalogError(f"the file's language is {code or 'missing'!r}, not a registered translation",
                           path=where, line=1, hint="check that this is the right file, and its Language header")
    handoff_id = catalog.header(ID_HEADER)
    if handoff_id is not None and not HANDOFF_ID.fullmatch(handoff_id):
        raise CatalogError(f"{ID_HEADER} {handoff_id[:60]!r} is not an id that export writes", path=where,
                           line=1, hint=f"keep the {ID_HEADER} header exactly as it was sent")
    base = read_po(_base_bytes(project, where, domain, handoff_id, base_bytes, base_digest),
                   where.with_name(f"base-{domain}.po"))
    if str(base.locale) != code:
        raise CatalogError(f"the file's language is {code!r} but it was exported for {base.locale}",
                           path=where, line=1, hint="send each language back in its own file")
    return Returned(name, domain, catalog, base)


def _returned_catalog(data: bytes, where: Path) -> Catalog:
    """A returned PO or XLIFF file as a catalogue whose entries know their line in that file."""
    if where.suffix.lower() not in XLIFF_SUFFIXES:
        return read_po(data, where)
    catalog = read_po(xliff_to_po(data, where), where)
    lines = unit_lines(data)
    for message in catalog:
        message.lineno = lines.get(message.id, message.lineno)
    return catalog


def _base_bytes(project: Project, where: Path, domain: str, handoff_id: str | None, base_bytes: bytes | None,
                base_digest: str | None) -> bytes:
    """The base to merge against: the one kept at export, else the package's if its id vouches for it."""
    stored = project.build_paths.handoff_base(handoff_id) / f"{domain}.po" if handoff_id else None
    if stored is not None and stored.is_file():
        # The base kept at export decides the merge; one carried back in a package could be forged
        # to make a change made here since the export look like the translator's.
        if base_bytes is not None and base_bytes != stored.read_bytes():
            raise CatalogError("the package's base/ differs from the export it claims to come from", path=where,
                               line=1, hint="import the zip exactly as it was sent; do not edit base/")
        base_bytes = stored.read_bytes()
    elif base_bytes is not None and (handoff_id is None or not handoff_id.endswith(f"-{base_digest}")):
        raise CatalogError(f"the package's base/ is not the export its {ID_HEADER} names", path=where, line=1,
                           hint=f"import the zip exactly as it was sent, with the {ID_HEADER} header kept")
    if base_bytes is None:
        raise CatalogError(f"cannot find the export this file came from ({ID_HEADER}: {handoff_id})",
                           path=where, line=1, hint="import the whole zip that was sent, which carries its base")
    return base_bytes


def read_returned(project: Project, path: Path) -> list[Returned]:
    """Every catalogue in a returned zip, PO or XLIFF file, parsed and matched to its base."""
    if not path.is_file():
        raise CatalogError("file not found", path=path, hint="give the path of the returned zip, .po or .xlf")
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as package:
                _check_package(package, path)
                files = _package_files(package.read(RECORD), path)
                bases = {domain: package.read(f"base/{domain}.po") for domain in files}
                digest = hashlib.sha256(b"".join(bases.values())).hexdigest()[:10]
                returned = [_parse(project, f"{path}!{member}", package.read(member), bases[domain], digest)
                            for domain, member in files.items() if member in package.namelist()]
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError, ValueError,
                RuntimeError) as exc:      # RuntimeError: an encrypted member
            raise CatalogError(f"not a hand-off package ({exc})", path=path,
                               hint="import the zip made by `invoke export`, or a single .po or .xlf") from None
        if not returned:
            raise CatalogError("the package holds no catalogue to import", path=path,
                               hint="import the zip made by `invoke export`")
        return returned
    if path.stat().st_size > MAX_PACKAGE_BYTES:
        raise CatalogError(f"larger than {MAX_PACKAGE_BYTES // 2**20} MiB: not a returned translation", path=path,
                           hint="check that this is the right file")
    return [_parse(project, str(path), path.read_bytes(), None)]


def _check_package(package: zipfile.ZipFile, path: Path) -> None:
    """Refuse a zip bomb or a name leaving the package before anything is decompressed."""
    members = package.infolist()
    total = sum(member.file_size for member in members)
    problem = (f"{len(members)} files (at most {MAX_PACKAGE_FILES})" if len(members) > MAX_PACKAGE_FILES else
               f"{total} bytes uncompressed (at most {MAX_PACKAGE_BYTES})" if total > MAX_PACKAGE_BYTES else None)
    for member in members:
        if problem:
            break
        name = PurePosixPath(member.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or ":" in member.filename:
            problem = f"the name {member.filename!r} leaves the package"
        elif member.flag_bits & 0x1:
            problem = f"{member.filename!r} is encrypted"
        elif member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            problem = f"{member.filename!r} expands more than {MAX_COMPRESSION_RATIO} times"
    if problem:
        raise CatalogError(f"refused before unpacking: {problem}", path=path,
                           hint="import the zip made by `invoke export`; ask the sender for it again")


def _package_files(data: bytes, path: Path) -> dict[str, str]:
    """The domain → file map of handoff.json, checked: a returned package is outside data."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{RECORD} is not UTF-8 JSON ({exc})", path=path,
                           hint="import the zip made by `invoke export`") from None
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise CatalogError(f"{RECORD} has no map of files", path=path, hint="import the zip made by `invoke export`")
    return files


def _validate(project: Project, returned: list[Returned]) -> list[str]:
    checker = Checker(project)
    problems = []
    for item in returned:
        language = project.language(str(item.catalog.locale))
        segments = checker.segments(item.domain)
        for message in item.catalog:
            base = item.base.get(message.id)
            if not message.id or base is None or _state(message) == _state(base):
                continue
            line = message.lineno
            entry = Entry(language, item.domain, Path(item.name), line, message, checker.glossary,
                          segments.get(message.id))
            for check in ENTRY_CHECKS:
                problems += [f"{item.name}:{line}: {f.code}: {f.msgid!r}: {f.message}"
                             for f in check(entry) if f.code in BLOCKING]
    return problems


def _merge(current: Catalog, item: Returned, result: ImportResult) -> None:
    for message in item.catalog:
        base = item.base.get(message.id)
        if not message.id or base is None:
            continue
        theirs = _state(message)
        if theirs == _state(base):
            result.unchanged += 1
            continue
        ours = current.get(message.id)
        if ours is None:
            moved = next((m for m in current if m.previous_id and m.previous_id[0] == message.id), None)
            if moved is None:
                result.skipped.append((item.domain, message.id))
            else:
                moved.string = message.string
                moved.flags.add("fuzzy")
                result.fuzzy.append((item.domain, message.id))
            continue
        if _state(ours) == theirs:
            result.unchanged += 1
        elif _state(ours) == _state(base):
            ours.string = message.string
            if message.fuzzy:
                ours.flags.add("fuzzy")
            else:
                ours.flags.discard("fuzzy")
                ours.previous_id, ours.previous_context = [], None
            result.updated.append((item.domain, message.id))
        else:
            line = message.lineno
            result.conflicts.append(Conflict(item.domain, message.id, f"{item.name}:{line}",
                                             ours.string, message.string))


def import_file(project: Project, path: Path) -> ImportResult:
    """Validate every returned catalogue, then merge them; refuse everything on any error."""
    returned = read_returned(project, path)
    domains = [item.domain for item in returned]
    if len(set(domains)) != len(domains):
        duplicated = sorted({domain for domain in domains if domains.count(domain) > 1})
        raise CatalogError(f"the package holds more than one file for {', '.join(duplicated)}",
                           path=path, hint="send back one file per leaflet")
    problems = _validate(project, returned)
    if problems:
        raise ImportRefused(problems=problems)
    result = ImportResult()
    merged = []
    for item in returned:
        target = catalog_file(project, item.domain).po_path(str(item.catalog.locale))
        current = read_catalog(target)
        _merge(current, item, result)
        merged.append((target, write_po(current)))
    for target, data in merged:     # written only once everything has been merged
        write_if_changed(target, data)
    return result


def import_summary(result: ImportResult) -> str:
    """What an import did, for the terminal."""
    lines = [f"updated {len(result.updated)}, unchanged {result.unchanged}, "
             f"conflicts {len(result.conflicts)}, fuzzy (English changed since export) {len(result.fuzzy)}"]
    lines += [f"  updated   {domain}: {msgid_start(msgid)!r}" for domain, msgid in result.updated]
    lines += [f"  fuzzy     {domain}: {msgid_start(msgid)!r}" for domain, msgid in result.fuzzy]
    lines += [f"  skipped   {domain}: {msgid_start(msgid)!r}: no longer in the English" for domain, msgid in result.skipped]
    for conflict in result.conflicts:
        lines += [f"  CONFLICT  {conflict.where}: {msgid_start(conflict.msgid)!r} changed in the repository "
                  "since the export; kept the repository version",
                  f"      repository: {conflict.repository!r}",
                  f"      returned:   {conflict.returned!r}"]
    return "\n".join(lines)
