"""Plain-text summaries for the task layer to print."""
from __future__ import annotations

from pathlib import Path

from .build import BuildResult
from .catalogs import UpdateResult


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
        lines.append(line)
    return "\n".join(lines)


def build_summary(result: BuildResult) -> str:
    lines = [f"{o.state:9} {o.language:8} {o.html}  {o.pdf}"
             + (f"  ({o.fallbacks} shown in English)" if o.fallbacks else "")
             for o in result.outputs]
    for code, findings in result.withheld.items():
        lines.append(f"WITHHELD {code}: published, but {len(findings)} error(s) would reach patients:")
        lines.extend(f"  {f.location}: {f.code}: {f.msgid}: {f.message}" for f in findings)
    lines.extend(f"FAILED {failure}" for failure in result.failures)
    return "\n".join(lines)
