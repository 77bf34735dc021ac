"""What the tasks print: each summary on small, hand-built results."""
import json
import re
from pathlib import Path

from babel import Locale

from leaflet_l10n.build import BuildResult, Output
from leaflet_l10n.catalogs import UpdateResult
from leaflet_l10n.config import Approval, Language
from leaflet_l10n.errors import RenderError
from leaflet_l10n.report import (build_summary, extract_summary, init_summary, stats_json, stats_table,
                                 status_text, update_summary)
from leaflet_l10n.status import CatalogStatus, Count, Finding, LanguageStatus, ProjectStatus, Tally

ROOT = Path("/srv/leaflets")
WELSH = Language(code="cy", status="draft", locale=Locale.parse("cy"))
POLISH = Language(code="pl", status="published", locale=Locale.parse("pl"),
                  approval=Approval(by="Dr Anna Nowak", at="2026-01-02T10:00:00+00:00", fingerprint="sha256:old"))
SAMPLE_PO = ROOT / "locales/cy/LC_MESSAGES/sample.po"
SAMPLE = Tally(translated=Count(6, 40), fuzzy=Count(1, 5), untranslated=Count(1, 11))
UI = Tally(translated=Count(3, 6))

UNTRANSLATED = Finding("error", "untranslated", "cy", "sample", SAMPLE_PO, 30,
                       "This procedure is done <em1>twice a day</em1> for about 30 minutes.", "translate it")
STALE = Finding("error", "fuzzy", "cy", "sample", SAMPLE_PO, 24, "Will I need to stay in hospital?",
                "revise it, then clear the fuzzy flag", detail="[-need-] {+have+}", risk="medium")
OBSOLETE = Finding("warning", "obsolete", "cy", "ui", ROOT / "locales/cy/LC_MESSAGES/ui.po", None, "Old text",
                   "reuse or delete it")


def project_status() -> ProjectStatus:
    welsh = LanguageStatus(WELSH, (CatalogStatus("sample", SAMPLE_PO, SAMPLE, (UNTRANSLATED, STALE)),
                                   CatalogStatus("ui", ROOT / "locales/cy/LC_MESSAGES/ui.po", UI, (OBSOLETE,))),
                           (), approval_current=False)
    polish = LanguageStatus(POLISH, (), (), approval_current=False)
    return ProjectStatus(ROOT, "sha256:now", (welsh, polish))


def test_status_text_gives_counts_approval_and_one_line_per_finding():
    assert status_text(project_status()).splitlines() == [
        "cy (Cymraeg), draft: 9/11 segments translated, 1 fuzzy, 1 untranslated",
        "  approval: none",
        "  error: locales/cy/LC_MESSAGES/sample.po:30: untranslated: "
        "'This procedure is done <em1>twice a day</em1> for about 30 minutes.': translate it",
        "  error: locales/cy/LC_MESSAGES/sample.po:24: fuzzy [medium risk]: "
        "'Will I need to stay in hospital?': revise it, then clear the fuzzy flag",
        "      [-need-] {+have+}",
        "  warning: locales/cy/LC_MESSAGES/ui.po: obsolete: 'Old text': reuse or delete it",
        "",
        "pl (polski), published: 0/0 segments translated, 0 fuzzy, 0 untranslated",
        "  approval: Dr Anna Nowak, 2026-01-02T10:00:00+00:00 (for an older English source)",
        "  no findings",
    ]


def test_status_text_of_a_current_approval_says_nothing_more_and_ends_with_one_newline():
    status = ProjectStatus(ROOT, "sha256:old", (LanguageStatus(POLISH, (), (), approval_current=True),))
    assert status_text(status) == ("pl (polski), published: 0/0 segments translated, 0 fuzzy, 0 untranslated\n"
                                   "  approval: Dr Anna Nowak, 2026-01-02T10:00:00+00:00\n"
                                   "  no findings\n")


def test_stats_json_has_one_row_per_language_and_leaflet():
    assert json.loads(stats_json(project_status())) == [
        {"language": "cy", "leaflet": "sample", "translated": {"segments": 6, "words": 40},
         "fuzzy": {"segments": 1, "words": 5}, "untranslated": {"segments": 1, "words": 11}},
        {"language": "cy", "leaflet": "ui", "translated": {"segments": 3, "words": 6},
         "fuzzy": {"segments": 0, "words": 0}, "untranslated": {"segments": 0, "words": 0}},
    ]


def test_stats_table_names_the_states_and_gives_segments_and_words_per_row():
    lines = stats_table(project_status()).splitlines()
    assert lines[0].split() == ["lang", "leaflet", "translated", "fuzzy", "untranslated"]
    assert lines[1].split() == ["segments", "(words)"] * 3
    rows = [(line.split()[:2], re.findall(r"(\d+) \(\s*(\d+)\)", line)) for line in lines[2:]]
    assert rows == [(["cy", "sample"], [("6", "40"), ("1", "5"), ("1", "11")]),
                    (["cy", "ui"], [("3", "6"), ("0", "0"), ("0", "0")])]


def _right_edges(line: str) -> list[int]:
    return [match.end() for match in re.finditer(r"\)", line)]


def test_stats_table_columns_line_up_under_their_headings():
    lines = stats_table(project_status()).splitlines()
    headings = _right_edges(lines[1])           # where each "segments (words)" ends
    for row in lines[2:]:
        assert _right_edges(row) == headings, row


def test_stats_table_widens_the_leaflet_column_for_a_long_name():
    long_name = "lumbar-neurostimulation"
    status = ProjectStatus(ROOT, "sha256:now", (LanguageStatus(WELSH, (
        CatalogStatus(long_name, SAMPLE_PO, SAMPLE, ()),), (), False),))
    header, _, row = stats_table(status).splitlines()
    assert row.startswith(f"cy       {long_name} ")
    assert header.startswith("lang     leaflet" + " " * (len(long_name) - len("leaflet")) + " ")


def test_build_summary_lists_outputs_then_what_was_withheld_and_what_failed():
    outputs = [Output("sample", "cy", "draft", "cy/sample.html", "cy/sample.pdf", fallbacks=2),
               Output("sample", "en", "source", "en/sample.html", "en/sample.pdf", state="unchanged")]
    withheld = Finding("error", "untranslated", "pl", "sample", ROOT / "locales/pl/LC_MESSAGES/sample.po", 8,
                       "What happens next", "translate it")
    failure = RenderError("no glyph for U+0D9A", path="source/leaflets/sample.md", line=3,
                          hint="install a Sinhala font")
    result = BuildResult(outputs, {"pl": [withheld]}, [failure], ProjectStatus(ROOT, "sha256:now", ()), ROOT)
    assert build_summary(result).splitlines() == [
        "built     cy       cy/sample.html  cy/sample.pdf  (2 shown in English)",
        "unchanged en       en/sample.html  en/sample.pdf",
        "WITHHELD pl: published, but 1 error(s) would reach patients:",
        "  locales/pl/LC_MESSAGES/sample.po:8: untranslated: What happens next: translate it",
        "FAILED source/leaflets/sample.md:3: no glyph for U+0D9A",
        "  hint: install a Sinhala font",
    ]
    assert not result.ok


def test_update_summary_says_what_changed_in_each_catalogue():
    results = [UpdateResult(ROOT / "locales/cy/LC_MESSAGES/sample.po", changed=True,
                            fuzzy=("Will I have to stay?", "What happens now"), obsolete=1, from_memory=3),
               UpdateResult(ROOT / "locales/cy/LC_MESSAGES/ui.po", changed=False, fuzzy=(), obsolete=0)]
    assert update_summary(results, ROOT).splitlines() == [
        "updated   locales/cy/LC_MESSAGES/sample.po  (2 now fuzzy: the English changed)  (1 obsolete kept)"
        "  (3 filled from translation memory, fuzzy)",
        "unchanged locales/cy/LC_MESSAGES/ui.po",
    ]


def test_extract_and_init_summaries_say_what_was_written_and_what_kept():
    assert extract_summary({"sample": True, "ui": False}) == ("wrote     locales/sample.pot\n"
                                                              "unchanged locales/ui.pot")
    assert init_summary([(Path("locales/cy/LC_MESSAGES/sample.po"), True),
                         (Path("locales/cy/LC_MESSAGES/ui.po"), False)]) == (
        "created locales/cy/LC_MESSAGES/sample.po\n"
        "kept    locales/cy/LC_MESSAGES/ui.po")
