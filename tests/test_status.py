"""The status model (tallies, findings, who blocks) and its two forms, JSON and HTML;
`invoke check` end to end on the miniature project."""
import json
from pathlib import Path

import pytest
from babel import Locale

from conftest import run_task
from leaflet_l10n.catalogs import EntryState
from leaflet_l10n.config import Approval, Language
from leaflet_l10n.status import (CatalogStatus, Count, Finding, LanguageStatus, ProjectStatus, Tally, as_html,
                                 as_json)

ROOT = Path("/srv/leaflets")
WELSH = Language(code="cy", status="draft", locale=Locale.parse("cy"))
POLISH = Language(code="pl", status="published", locale=Locale.parse("pl"),
                  approval=Approval(by="Dr Anna Nowak", at="2026-01-02T10:00:00+00:00", fingerprint="sha256:old"))
ARABIC = Language(code="ar", status="published", locale=Locale.parse("ar"),
                  approval=Approval(by="Dr Layla Haddad", at="2026-02-03T11:00:00+00:00", fingerprint="sha256:now"))


def po(code: str, domain: str = "sample") -> Path:
    return ROOT / "locales" / code / "LC_MESSAGES" / f"{domain}.po"


def finding(language: str = "cy", *, severity: str = "error", code: str = "untranslated", line: int | None = 12,
            path: Path | None = None, msgid: str = "What happens next", message: str = "translate it",
            detail: str = "", risk: str = "") -> Finding:
    return Finding(severity, code, language, "sample", path or po(language), line, msgid, message, detail, risk)


def language_status(language: Language, *findings: Finding, tally: Tally = Tally(), approval_current: bool = False,
                    language_wide: tuple[Finding, ...] = ()) -> LanguageStatus:
    return LanguageStatus(language, (CatalogStatus("sample", po(language.code), tally, tuple(findings)),),
                          language_wide, approval_current)


# --- Tally ------------------------------------------------------------------------------------

def test_counted_adds_one_segment_and_its_words_to_one_state_only():
    empty = Tally()
    tally = empty.counted(EntryState.TRANSLATED, 3).counted(EntryState.TRANSLATED, 4).counted(EntryState.FUZZY, 5)
    assert tally == Tally(translated=Count(2, 7), fuzzy=Count(1, 5), untranslated=Count(0, 0))
    assert empty == Tally(Count(0, 0), Count(0, 0), Count(0, 0)), "counted leaves the original alone"


def test_tallies_and_counts_add_state_by_state():
    first = Tally(translated=Count(1, 2), fuzzy=Count(3, 4), untranslated=Count(5, 6))
    second = Tally(translated=Count(10, 20), untranslated=Count(1, 1))
    assert first + second == Tally(Count(11, 22), Count(3, 4), Count(6, 7))
    assert sum([first, second], Tally()) == first + second
    assert Count(2, 9) + Count(1, 1) == Count(3, 10)


def test_total_sums_every_state():
    assert Tally(Count(1, 2), Count(3, 4), Count(5, 6)).total == Count(9, 12)
    assert Tally().total == Count(0, 0)


def test_a_tally_is_indexed_by_entry_state_or_its_name():
    tally = Tally(translated=Count(1, 2), fuzzy=Count(3, 4), untranslated=Count(5, 6))
    assert [tally[state] for state in EntryState] == [Count(1, 2), Count(3, 4), Count(5, 6)]
    assert tally["untranslated"] == Count(5, 6)
    with pytest.raises(ValueError):
        tally["done"]


# --- who blocks, who is withheld ---------------------------------------------------------------

def _three_languages() -> ProjectStatus:
    return ProjectStatus(ROOT, "sha256:now", (
        language_status(WELSH, finding("cy")),                                    # draft with an error
        language_status(POLISH, language_wide=(finding("pl", code="approval-stale", path=ROOT / "locales/languages.toml",
                                                       line=5, msgid="", message="approve it again"),)),
        language_status(ARABIC, finding("ar", severity="warning", code="obsolete"), approval_current=True),
    ))


def test_only_published_languages_with_errors_block_unless_strict():
    status = _three_languages()
    assert status.blocking(strict=False) == ["pl"], "a language-wide error counts; a warning never blocks"
    assert status.blocking(strict=True) == ["cy", "pl"]


def test_withholding_marks_exactly_the_named_languages_on_a_new_status():
    status = _three_languages()
    withheld = status.withholding(["pl"])
    assert [(s.language.code, s.withheld) for s in withheld.languages] == [("cy", False), ("pl", True), ("ar", False)]
    assert [s.outcome for s in withheld.languages] == ["1 error(s)", "withheld", "ready"]
    assert not any(s.withheld for s in status.languages), "the status it came from is unchanged"
    again = withheld.withholding({"ar"})
    assert [s.language.code for s in again.languages if s.withheld] == ["ar"]


# --- as_json -------------------------------------------------------------------------------------

LANGUAGE_KEYS = {"code", "tag", "name", "dir", "status", "back_translated", "approval", "errors", "withheld",
                 "catalogs", "total", "findings"}
FINDING_KEYS = {"severity", "code", "language", "domain", "file", "line", "msgid", "message", "detail", "risk"}
COUNT = {"segments", "words"}
STATES = {"translated", "fuzzy", "untranslated"}


def test_as_json_has_exactly_the_documented_keys_and_paths_relative_to_the_project():
    tally = Tally(translated=Count(6, 40), fuzzy=Count(1, 5), untranslated=Count(1, 11))
    leaflet = finding("cy", line=30, detail="[-30-] {+20+}", risk="high", code="fuzzy")
    english = finding("cy", code="not-in-catalogue", path=ROOT / "source/leaflets/sample.md", line=21,
                      msgid="A new paragraph.", message="run update")
    whole_file = finding("cy", severity="warning", code="obsolete", line=None)
    status = ProjectStatus(ROOT, "sha256:now", (language_status(WELSH, leaflet, english, whole_file, tally=tally),))
    text = as_json(status)
    assert text.endswith("}\n")
    data = json.loads(text)

    assert set(data) == {"source_fingerprint", "languages"} and data["source_fingerprint"] == "sha256:now"
    [welsh] = data["languages"]
    assert set(welsh) == LANGUAGE_KEYS
    assert {key: welsh[key] for key in ("code", "tag", "name", "dir", "status", "back_translated", "approval",
                                        "errors", "withheld")} == {
        "code": "cy", "tag": "cy", "name": "Cymraeg", "dir": "ltr", "status": "draft", "back_translated": False,
        "approval": None, "errors": 2, "withheld": False}
    [catalog] = welsh["catalogs"]
    assert catalog == {"domain": "sample", "file": "locales/cy/LC_MESSAGES/sample.po", "counts": {
        "translated": {"segments": 6, "words": 40}, "fuzzy": {"segments": 1, "words": 5},
        "untranslated": {"segments": 1, "words": 11}}}
    assert welsh["total"] == catalog["counts"]
    assert all(set(counts) == COUNT for counts in welsh["total"].values()) and set(welsh["total"]) == STATES

    assert [set(f) for f in welsh["findings"]] == [FINDING_KEYS] * 3
    assert welsh["findings"][0] == {
        "severity": "error", "code": "fuzzy", "language": "cy", "domain": "sample",
        "file": "locales/cy/LC_MESSAGES/sample.po", "line": 30, "msgid": "What happens next",
        "message": "translate it", "detail": "[-30-] {+20+}", "risk": "high"}
    assert [(f["file"], f["line"]) for f in welsh["findings"][1:]] == [
        ("source/leaflets/sample.md", 21), ("locales/cy/LC_MESSAGES/sample.po", None)]
    assert str(ROOT) not in text, "no absolute path of this machine in the report"


def test_as_json_says_whether_the_approval_covers_the_current_english():
    status = ProjectStatus(ROOT, "sha256:now", (language_status(POLISH, approval_current=False),
                                                 language_status(ARABIC, approval_current=True)))
    polish, arabic = json.loads(as_json(status))["languages"]
    assert polish["approval"] == {"by": "Dr Anna Nowak", "at": "2026-01-02T10:00:00+00:00",
                                  "fingerprint": "sha256:old", "current": False}
    assert arabic["approval"]["current"] is True and arabic["approval"]["by"] == "Dr Layla Haddad"
    assert (arabic["name"], arabic["dir"], arabic["status"]) == ("العربية", "rtl", "published")
    assert "العربية" in as_json(status), "names are written as text, not \\u escapes"


def test_as_json_totals_every_catalogue_of_a_language():
    sample = CatalogStatus("sample", po("cy"), Tally(Count(2, 10), Count(1, 3), Count(0, 0)), ())
    ui = CatalogStatus("ui", po("cy", "ui"), Tally(Count(4, 8), Count(0, 0), Count(1, 2)), ())
    status = ProjectStatus(ROOT, "sha256:now", (LanguageStatus(WELSH, (sample, ui), (), False),))
    [welsh] = json.loads(as_json(status))["languages"]
    assert [c["file"] for c in welsh["catalogs"]] == ["locales/cy/LC_MESSAGES/sample.po",
                                                      "locales/cy/LC_MESSAGES/ui.po"]
    assert welsh["total"] == {"translated": {"segments": 6, "words": 18}, "fuzzy": {"segments": 1, "words": 3},
                              "untranslated": {"segments": 1, "words": 2}}


# --- as_html -------------------------------------------------------------------------------------

def test_as_html_escapes_whatever_a_catalogue_or_a_reviewer_wrote():
    hostile = finding("cy", code="fuzzy", msgid='<script>alert("msgid")</script>',
                      message="<img src=x onerror=alert(1)>", detail="[-<b>30</b>-] {+<script>20</script>+}")
    reviewer = Language(code="cy", status="draft", locale=Locale.parse("cy"),
                        approval=Approval(by="<script>alert('by')</script>", at="2026-01-02T10:00:00+00:00",
                                          fingerprint="sha256:old"))
    html = as_html(ProjectStatus(ROOT, "sha256:now", (language_status(reviewer, hostile),)))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<del>&lt;b&gt;30&lt;/b&gt;</del>" in html, "the word diff is marked up, its words escaped"
    assert "<ins>&lt;script&gt;20&lt;/script&gt;</ins>" in html


def test_as_html_shows_which_languages_were_withheld():
    html = as_html(_three_languages().withholding(["pl"]))
    assert html.count('<td class="state-blocked">withheld</td>') == 1
    polish_row = html[html.index('href="#pl"'):]
    assert polish_row[:polish_row.index("</tr>")].count("withheld") == 1
    assert "Dr Anna Nowak, 2026-01-02 <strong>(older source)</strong>" in html
    assert '<section id="pl">' in html and "polski (pl), published" in html


# --- invoke check, end to end --------------------------------------------------------------------

def test_check_exit_status_and_strict(mini):
    draft = run_task(mini, "check", check=False)
    assert draft.returncode == 0 and "untranslated" in draft.stdout
    strict = run_task(mini, "check", "--strict", check=False)
    assert strict.returncode == 1 and "errors in cy" in strict.stderr


def test_check_json_follows_the_documented_schema(mini):
    result = run_task(mini, "check", "--format", "json")
    data = json.loads(result.stdout)
    [welsh] = data["languages"]
    assert set(welsh) >= {"code", "tag", "name", "status", "approval", "errors", "withheld", "catalogs",
                          "total", "findings"}
    finding = welsh["findings"][0]
    assert set(finding) == {"severity", "code", "language", "domain", "file", "line", "msgid", "message",
                            "detail", "risk"}
    assert finding["file"].startswith("locales/cy/") and isinstance(finding["line"], int)
    counts = welsh["total"]
    assert counts["untranslated"]["segments"] >= 1 and counts["translated"]["words"] > 0


def test_a_forgotten_update_is_reported_at_the_english_line(mini):
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text() + "\nA new paragraph.\n")
    result = run_task(mini, "check", "--lang", "cy")
    assert "source/leaflets/sample.md:21: not-in-catalogue: 'A new paragraph.'" in result.stdout


def test_obsolete_entries_are_a_warning_and_header_problems_errors(mini):
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text().replace("## What happens next\n", ""))
    run_task(mini, "extract", "update")
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    po.write_text(po.read_text().replace('"Language: cy\\n"', '"Language: pl\\n"'))
    result = run_task(mini, "check", "--lang", "cy")
    assert "warning: locales/cy/LC_MESSAGES/sample.po:" in result.stdout and ": obsolete:" in result.stdout
    assert "sample.po:1: language:" in result.stdout
