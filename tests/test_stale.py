"""Stale detection on a copy of the real project, as a publisher would meet it."""
import polib

from conftest import run_task

LEAFLET = "source/leaflets/lumbar-neurostimulation.md"
OLD = "This is usually done twice a day for about 30 minutes."
NEW = "This is usually done twice a day for about 20 minutes."


def _publish_welsh(root):
    registry = root / "locales/languages.toml"
    text = registry.read_text()
    registry.write_text(text.replace('[languages.cy]\nstatus = "draft"', '[languages.cy]\nstatus = "published"'))


def _edit_english(root):
    path = root / LEAFLET
    path.write_text(path.read_text().replace(OLD, NEW))


def test_one_edited_sentence_makes_exactly_that_welsh_entry_fuzzy(real_copy):
    _edit_english(real_copy)
    run_task(real_copy, "extract", "update")
    po = polib.pofile(str(real_copy / "locales/cy/LC_MESSAGES/lumbar-neurostimulation.po"))
    fuzzy = [entry for entry in po if entry.fuzzy]
    assert len(fuzzy) == 1
    assert NEW in fuzzy[0].msgid and OLD in fuzzy[0].previous_msgid
    assert "30 munud" in fuzzy[0].msgstr


def test_the_previous_msgid_survives_later_updates_and_shows_as_a_diff(real_copy):
    _edit_english(real_copy)
    run_task(real_copy, "extract", "update")
    run_task(real_copy, "update")
    po = polib.pofile(str(real_copy / "locales/cy/LC_MESSAGES/lumbar-neurostimulation.po"))
    assert [OLD in e.previous_msgid for e in po if e.fuzzy] == [True]
    report = run_task(real_copy, "check", "--lang", "cy").stdout
    assert "fuzzy [high risk]" in report and "about [-30-] {+20+} minutes." in report


def test_the_gate_names_the_stale_entry_of_a_published_language(real_copy):
    _edit_english(real_copy)
    run_task(real_copy, "extract", "update")
    _publish_welsh(real_copy)
    result = run_task(real_copy, "build", check=False)
    assert result.returncode != 0 and "WITHHELD cy" in result.stdout
    assert "lumbar-neurostimulation.po:" in result.stdout and ": fuzzy: Low back pain" in result.stdout


def test_a_forgotten_update_cannot_hide_a_changed_sentence(real_copy):
    _edit_english(real_copy)          # no extract, no update
    _publish_welsh(real_copy)
    result = run_task(real_copy, "build", check=False)
    assert result.returncode != 0
    assert "not-in-catalogue: Low back pain" in result.stdout
    check = run_task(real_copy, "check", "--lang", "cy", check=False).stdout
    assert "not-in-catalogue [high risk]" in check and "[-30-] {+20+}" in check
