"""Summaries for the terminal: what each task did, and the translation status as text."""
from __future__ import annotations

from pathlib import Path

from .build import BuildResult
from .catalogs import UpdateResult
from .checks import msgid_start
from .importing import ImportResult
from .status import STATES


def extract_summary(changed: dict[str, bool]) -> str:
    return "\n".join(f"{'wrote    ' if did else 'unchanged'} locales/{domain}.pot"
                     for domain, did in changed.items())


def init_summary(created: list[tuple[Path, bool]]) -> str:
    return "\n".join(f"{'created' if made else 'kept   '} {path}" for path, made in created)


def update_summary(results: list[UpdateResult], root: Path) -> str:
    lines = []
    for result in results:
        state = "updated  " if result.changed else "unchanged"
        line = f"{state} {result.path.relative_to(root)}"
        if result.fuzzy:
            line += f"  ({len(result.fuzzy)} now fuzzy: the English changed)"
        if result.obsolete:
            line += f"  ({result.obsolete} obsolete kept)"
        if result.from_memory:
            line += f"  ({result.from_memory} filled from translation memory, fuzzy)"
        lines.append(line)
    return "\n".join(lines)


def build_summary(result: BuildResult) -> str:
    lines = [f"{o.state:9} {o.language:8} {o.html}  {o.pdf}"
             + (f"  ({o.fallbacks} shown in English)" if o.fallbacks else "")
             for o in result.outputs]
    for code, findings in result.withheld.items():
        lines.append(f"WITHHELD {code}: published, but {len(findings)} error(s) would reach patients:")
        lines.extend(f"  {f.location_in(result.root)}: {f.code}: {f.msgid}: {f.message}" for f in findings)
    lines.extend(f"FAILED {failure}" for failure in result.failures)
    return "\n".join(lines)


def status_text(status_data: dict) -> str:
    lines = []
    for lang in status_data["languages"]:
        total = lang["total"]
        segments = sum(total[s]["segments"] for s in STATES)
        lines.append(f"{lang['code']} ({lang['name']}), {lang['status']}: "
                     f"{total['translated']['segments']}/{segments} segments translated, "
                     f"{total['fuzzy']['segments']} fuzzy, {total['missing']['segments']} missing")
        approval = lang["approval"]
        lines.append("  approval: " + ("none" if approval is None else
                                        f"{approval['by']}, {approval['at']}"
                                        + ("" if approval["current"] else " (for an older English source)")))
        if not lang["findings"]:
            lines.append("  no findings")
        for f in lang["findings"]:
            where = f"{f['file']}:{f['line']}" if f["line"] else f["file"]
            risk = f" [{f['risk']} risk]" if f["risk"] else ""
            lines.append(f"  {f['severity']}: {where}: {f['code']}{risk}: {f['msgid']!r}: {f['message']}")
            if f["detail"]:
                lines.append(f"      {f['detail']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def stats_table(rows: list[dict]) -> str:
    """A fixed-width table: segments (words) per state, one row per language and leaflet."""
    states = ("translated", "fuzzy", "untranslated")
    width = max([len(row["leaflet"]) for row in rows] + [7])
    lines = [f"{'lang':8} {'leaflet':{width}} " + " ".join(f"{s:>18}" for s in states),
             f"{'':8} {'':{width}} " + " ".join(f"{'segments (words)':>18}" for _ in states)]
    for row in rows:
        cells = " ".join(f"{row[s]['segments']:>9} ({row[s]['words']:>5})  " for s in states)
        lines.append(f"{row['language']:8} {row['leaflet']:{width}} {cells}")
    return "\n".join(lines)


def import_summary(result: ImportResult) -> str:
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
