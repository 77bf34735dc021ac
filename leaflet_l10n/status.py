"""Translation status per language and leaflet: counts, findings, approvals, as JSON and HTML.

The JSON schema is documented in the README; `build/reports/` holds both forms.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from .checks import Checker, LanguageReport
from .config import UI_DOMAIN, Project
from .fileio import atomic_write_text

STATES = ("translated", "fuzzy", "missing")
REPORTS_DIR = "reports"


def status(root: Path, reports: list[LanguageReport], fingerprint: str,
           withheld: frozenset[str] = frozenset()) -> dict:
    """The status of every checked language, as documented in the README (JSON schema)."""
    languages = []
    for report in reports:
        language = report.language
        total = {state: {"segments": 0, "words": 0} for state in STATES}
        catalogs = []
        for catalog in report.catalogs:
            counts = {state: dict(catalog.counts.get(state, {"segments": 0, "words": 0})) for state in STATES}
            for state in STATES:
                for unit in ("segments", "words"):
                    total[state][unit] += counts[state][unit]
            catalogs.append({"domain": catalog.domain, "file": catalog.path.relative_to(root).as_posix(),
                             "counts": counts})
        approval = language.approval
        languages.append({
            "code": language.code, "tag": language.tag, "name": language.native_name,
            "dir": language.direction, "status": language.status,
            "back_translated": language.back_translated,
            "approval": None if approval is None else {
                "by": approval.by, "at": approval.at, "fingerprint": approval.fingerprint,
                "current": approval.fingerprint == fingerprint},
            "errors": len(report.errors),
            "withheld": language.code in withheld,
            "catalogs": catalogs, "total": total,
            "findings": [f.to_dict(root) for f in report.all_findings],
        })
    return {"source_fingerprint": fingerprint, "languages": languages}


def blocking(status_data: dict, strict: bool) -> list[str]:
    """Languages whose errors fail `invoke check`: published ones, or every one when strict."""
    return [lang["code"] for lang in status_data["languages"]
            if lang["errors"] and (strict or lang["status"] == "published")]


def status_json(status_data: dict) -> str:
    return json.dumps(status_data, indent=2, ensure_ascii=False) + "\n"


def diff_html(detail: str) -> Markup:
    """'[-old-]{+new+}' word diffs as <del>/<ins>."""
    text = str(escape(detail))
    text = re.sub(r"\[-(.*?)-\]", r"<del>\1</del>", text)
    return Markup(re.sub(r"\{\+(.*?)\+\}", r"<ins>\1</ins>", text))


def status_html(status_data: dict) -> str:
    env = Environment(loader=PackageLoader("leaflet_l10n"), autoescape=True)
    languages = []
    for lang in status_data["languages"]:
        words = sum(lang["total"][s]["words"] for s in STATES) or 1
        outcome = ("withheld" if lang["withheld"] else f"{lang['errors']} error(s)" if lang["errors"] else "ready")
        findings = [{**f, "diff": diff_html(f["detail"]) if f["code"] == "fuzzy" and f["detail"] else ""}
                    for f in lang["findings"]]
        languages.append({**lang, "findings": findings, "outcome": outcome,
                          "total_words": words,
                          "total_segments": sum(lang["total"][s]["segments"] for s in STATES),
                          "percent": {s: round(100 * lang["total"][s]["words"] / words, 1) for s in STATES}})
    return env.get_template("status.html").render(fingerprint=status_data["source_fingerprint"],
                                                  languages=languages)


def write_status(build_dir: Path, status_data: dict) -> Path:
    directory = build_dir / REPORTS_DIR
    atomic_write_text(directory / "status.json", status_json(status_data))
    atomic_write_text(directory / "status.html", status_html(status_data))
    return directory / "status.html"


def check_project(project: Project, codes: list[str] | None = None, leaflets: list[str] | None = None) -> dict:
    """Check the chosen languages (default: every translation) and leaflets, plus the interface."""
    checker = Checker(project)
    languages = [lang for lang in project.select_languages(codes) if not lang.is_source]
    domains = (*project.select_leaflets(leaflets), UI_DOMAIN)
    return status(project.root, [checker.check(lang, domains) for lang in languages], checker.fingerprint)


def statistics(status_data: dict) -> list[dict]:
    """One row per (language, catalogue): segments and words translated, fuzzy and untranslated."""
    return [{"language": lang["code"], "leaflet": catalog["domain"],
             "translated": catalog["counts"]["translated"], "fuzzy": catalog["counts"]["fuzzy"],
             "untranslated": catalog["counts"]["missing"]}
            for lang in status_data["languages"] for catalog in lang["catalogs"]]
