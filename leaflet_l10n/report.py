"""Summaries for the terminal: what each task did, and the translation status as text."""
from __future__ import annotations

import json
from pathlib import Path

from .build import BuildResult
from .catalogs import EntryState, UpdateResult
from .status import ProjectStatus, Tally


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


def status_text(status: ProjectStatus) -> str:
    lines = []
    for language_status in status.languages:
        language, total = language_status.language, language_status.tally
        lines.append(f"{language.code} ({language.native_name}), {language.status}: "
                     f"{total.translated.segments}/{total.total.segments} segments translated, "
                     f"{total.fuzzy.segments} fuzzy, {total.untranslated.segments} untranslated")
        approval = language.approval
        lines.append("  approval: " + ("none" if approval is None else f"{approval.by}, {approval.at}"
                                        + ("" if language_status.approval_current else
                                           " (for an older English source)")))
        if not language_status.all_findings:
            lines.append("  no findings")
        for f in language_status.all_findings:
            risk = f" [{f.risk} risk]" if f.risk else ""
            lines.append(f"  {f.severity}: {f.location_in(status.root)}: {f.code}{risk}: {f.msgid!r}: {f.message}")
            if f.detail:
                lines.append(f"      {f.detail}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _statistics(status: ProjectStatus) -> list[tuple[str, str, Tally]]:
    return [(s.language.code, c.domain, c.tally) for s in status.languages for c in s.catalogs]


def stats_json(status: ProjectStatus) -> str:
    """One row per (language, catalogue): segments and words in each entry state."""
    return json.dumps([{"language": code, "leaflet": domain,
                        **{state.value: {"segments": tally[state].segments, "words": tally[state].words}
                           for state in EntryState}}
                       for code, domain, tally in _statistics(status)], indent=2)


def stats_table(status: ProjectStatus) -> str:
    """A fixed-width table: segments (words) per entry state, one row per language and leaflet."""
    rows = _statistics(status)
    width = max([len(domain) for _, domain, _ in rows] + [7])
    lines = [f"{'lang':8} {'leaflet':{width}} " + " ".join(f"{s.value:>18}" for s in EntryState),
             f"{'':8} {'':{width}} " + " ".join(f"{'segments (words)':>18}" for _ in EntryState)]
    for code, domain, tally in rows:
        cells = " ".join(f"{tally[s].segments:>10} ({tally[s].words:>5})" for s in EntryState)
        lines.append(f"{code:8} {domain:{width}} {cells}")
    return "\n".join(lines)
