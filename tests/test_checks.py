"""Every check in both directions: a case it must flag, and a close one it must not."""
import tomllib
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Message

from leaflet_l10n import checks
from leaflet_l10n.config import Language
from leaflet_l10n.glossary import Glossary
from leaflet_l10n.markup import Placeholder
from leaflet_l10n.body import Segment

WELSH = Language("cy", "draft", locale=Locale.parse("cy"))
GLOSSARY = Glossary(("NHS 111", "NHS", "NICE"), {"cy": {"twice a day": "dwywaith y dydd"}})
LINK = (Placeholder("a1", "a", "https://www.nhs.uk"),)


def run(check, msgid, msgstr, *, placeholders=None, flags=(), previous=None, leaflet=True):
    message = Message(msgid, msgstr, flags=flags, previous_id=previous)
    segment = Segment(msgid if isinstance(msgid, str) else msgid[0], "paragraph", 1, placeholders or ()) \
        if leaflet else None
    entry = checks.Entry(WELSH, "x", Path("x.po"), 7, message, GLOSSARY, segment)
    return [f.code for f in check(entry)]


CASES = [
    # check, English, flagged translation, close translation that passes, options
    (checks.check_untranslated, "Hello.", "", "Helo.", {}),
    (checks.check_placeholders, "Read the <a1>NHS website</a1>.", "Darllenwch wefan yr NHS.",
     "Darllenwch <a1>wefan yr NHS</a1>.", {"placeholders": LINK}),
    (checks.check_markup, "Draft translation.", "Cyfieithiad <b>drafft</b>.", "Cyfieithiad drafft.",
     {"leaflet": False}),
    (checks.check_urls, "See www.nhs.uk today.", "Gweler www.nhs.cymru heddiw.",
     "Gweler www.nhs.uk heddiw.", {}),
    (checks.check_numbers, "for about 30 minutes.", "am tua 20 munud.", "am tua 30 munud.", {}),
    (checks.check_do_not_translate, "Call NHS 111.", "Ffoniwch GIG 111.", "Ffoniwch NHS 111.", {}),
    (checks.check_glossary, "Do it twice a day.", "Gwnewch hyn ddwywaith.", "Gwnewch hyn ddwywaith y dydd.", {}),
    (checks.check_format, "Page {page} of {pages}", "Tudalen {page} o {tudalennau}",
     "Tudalen {page} o {pages}", {"leaflet": False}),
    (checks.check_format, "Published: %(date)s", "Cyhoeddwyd: %(dyddiad)s", "Cyhoeddwyd: %(date)s",
     {"leaflet": False}),
    (checks.check_whitespace, "Hello.", " Helo.", "Helo.", {}),
    (checks.check_hidden_characters, "Take 2 tablets.", "Cymerwch \u202e2 dabled\u202c.",
     "Cymerwch 2 dabled.", {}),
    (checks.check_hidden_characters, "Mental health.", "سلامت\u202eروان.", "سلامت\u200cروان.", {}),
    (checks.check_identical, "Some questions.", "Some questions.", "Rhai cwestiynau.", {}),
    (checks.check_sentences, "It can cause problems. So it needs care.", "Gall achosi problemau.",
     "Gall achosi problemau. Felly mae angen gofal.", {}),
]


@pytest.mark.parametrize("check, english, bad, good, options", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_check_flags_the_fault_and_passes_the_close_case(check, english, bad, good, options):
    assert run(check, english, bad, **options), f"{check.__name__} missed {bad!r}"
    assert run(check, english, good, **options) == [], f"{check.__name__} wrongly flagged {good!r}"


def test_native_digits_count_as_the_same_number():
    assert run(checks.check_numbers, "for about 30 minutes.", "لمدة ٣٠ دقيقة تقريبًا.") == []
    assert run(checks.check_numbers, "for about 30 minutes.", "لمدة ٢٠ دقيقة تقريبًا.") == ["numbers"]


def test_tag_numbers_are_not_read_as_numbers():
    assert run(checks.check_numbers, "See <a1>this</a1>.", "Gweler <a1>hwn</a1>.", placeholders=LINK) == []


def test_fuzzy_entry_reports_a_word_diff_and_its_risk():
    message = Message("for about 20 minutes.", "am tua 30 munud.", flags=["fuzzy"],
                      previous_id=["for about 30 minutes."])
    entry = checks.Entry(WELSH, "x", Path("x.po"), 7, message, GLOSSARY)
    [finding] = checks.check_fuzzy(entry)
    assert (finding.code, finding.risk, finding.detail) == ("fuzzy", "high", "for about [-30-] {+20+} minutes.")
    assert finding.location == "x.po:7"


def test_a_fuzzy_translation_is_not_checked_as_if_it_were_shown():
    assert run(checks.check_numbers, "for 30 minutes.", "am 20 munud.", flags=["fuzzy"]) == []


def test_plural_forms_are_each_compared_with_the_english():
    msgid = ("%(count)s part is in English.", "%(count)s parts are in English.")
    assert run(checks.check_format, msgid, ("%(count)s rhan.", "rhan."), leaflet=False) == ["format"]
    assert run(checks.check_format, msgid, ("%(count)s rhan.", "%(count)s ran."), leaflet=False) == []


def test_plural_entries_need_one_form_per_cldr_category():
    msgid = ("%(count)s part.", "%(count)s parts.")
    assert "plural-forms" in run(checks.check_untranslated, msgid, ("%(count)s rhan.",) * 2, leaflet=False)
    assert run(checks.check_untranslated, msgid, ("%(count)s rhan.",) * 6, leaflet=False) == []


def test_a_flag_waives_one_check_for_one_entry(mini):
    from leaflet_l10n import load_project
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    po.write_text(po.read_text().replace('msgstr "Beth sy\'n digwydd nesaf"', 'msgstr "What happens next"'))
    project = load_project(mini)
    codes = [f.code for f in checks.Checker(project).check(project.language("cy")).all_findings]
    assert "identical" in codes
    po.write_text(po.read_text().replace('msgid "What happens next"', '#, allow-identical\nmsgid "What happens next"'))
    codes = [f.code for f in checks.Checker(project).check(project.language("cy")).all_findings]
    assert "identical" not in codes


FORMAT_CASES = tomllib.loads((Path(__file__).parent / "fixtures/format-cases.toml").read_text(encoding="utf-8"))


def _format_findings(english: str, welsh: str) -> list[checks.Finding]:
    entry = checks.Entry(WELSH, "ui", Path("ui.po"), 7, Message(english, welsh), GLOSSARY, None)
    return list(checks.check_format(entry))


@pytest.mark.parametrize("case", FORMAT_CASES["refused"], ids=lambda case: case["welsh"])
def test_an_interface_string_python_would_refuse_to_format_is_an_error(case):
    findings = _format_findings(case["english"], case["welsh"])
    assert [f.code for f in findings] == ["format"] and case["says"] in findings[0].message


@pytest.mark.parametrize("case", FORMAT_CASES["accepted"], ids=lambda case: case["welsh"])
def test_an_interface_string_python_formats_passes(case):
    assert _format_findings(case["english"], case["welsh"]) == []


def test_a_percent_sign_in_leaflet_text_is_text_not_a_format():
    """'50% of' is not a % format in a leaflet, which is never formatted: Polish moves the %."""
    assert run(checks.check_format, "Take 50% of the dose.", "Weź 50% dawki.") == []
    assert run(checks.check_format, "Take 50% of the dose.", "Przyjmij połowę (50 %) dawki.") == []


def test_an_entry_repeated_in_another_catalogue_is_reported_where_each_copy_is():
    """Repeated entries are judged once a run; each finding must still name its own file and line."""
    judgements = checks.EntryJudgements()
    message = Message("for about 30 minutes.", "am tua 20 munud.")
    first, second = (checks.Entry(WELSH, domain, Path(f"{domain}.po"), line, message, GLOSSARY,
                                  Segment(message.id, "paragraph", 1)) for domain, line in (("one", 7), ("two", 40)))
    assert [(f.code, f.domain, f.path, f.line) for f in judgements.findings(first)] == [
        ("numbers", "one", Path("one.po"), 7)]
    assert [(f.code, f.domain, f.path, f.line) for f in judgements.findings(second)] == [
        ("numbers", "two", Path("two.po"), 40)]
    assert judgements.findings(second) == checks.entry_findings(second)


def test_checking_in_forked_workers_says_what_checking_here_says(mini, monkeypatch):
    from conftest import fill
    from leaflet_l10n import forks, load_project
    fill(mini / "locales/cy/LC_MESSAGES/sample.po", {
        "Read the <a1>NHS website</a1> or call <strong1>NHS 111</strong1>.":
            "Darllenwch <a1>wefan yr NHS</a1> neu ffoniwch <strong1>NHS 112</strong1>."})
    project = load_project(mini)
    here = checks.Checker(project).check_all(project.languages, workers=1)
    monkeypatch.setattr(forks, "FORK_AT_LEAST", 1)
    (mini / "build/.cache/checks/cy.json").unlink()
    there = checks.Checker(project).check_all(project.languages, workers=2)
    assert there == here and any(f.code == "numbers" for status in there for f in status.errors)
