"""Approval, publishing and the release gate, end to end on the miniature project."""
import json

import polib

from conftest import MINI_WELSH, fill, run_task

COMPLETE_WELSH = {**MINI_WELSH, "This procedure is done <em1>twice a day</em1> for about 30 minutes.":
                  "Caiff y driniaeth hon ei gwneud <em1>ddwywaith y dydd</em1> am tua 30 munud."}


def complete(root):
    """Translate everything, so the miniature Welsh passes every check."""
    fill(root / "locales/cy/LC_MESSAGES/sample.po", COMPLETE_WELSH)
    ui = polib.pofile(str(root / "locales/cy/LC_MESSAGES/ui.po"))
    for entry in ui:
        if entry.msgid_plural:
            entry.msgstr_plural = {i: f"{entry.msgid_plural} (cy)" for i in entry.msgstr_plural}
        else:
            entry.msgstr = f"(cy) {entry.msgid}" if "{" not in entry.msgid else entry.msgid.replace("Page", "Tudalen")
    ui.save()


def registry(root) -> str:
    return (root / "locales/languages.toml").read_text()


def test_publish_is_refused_without_an_approval(mini):
    complete(mini)
    result = run_task(mini, "publish", "--lang", "cy", check=False)
    assert result.returncode != 0 and "no approval for the current English source" in result.stderr
    assert 'status = "draft"' in registry(mini)


def test_approval_is_refused_while_the_language_has_errors(mini):
    result = run_task(mini, "approve", "--lang", "cy", "--by", "Dr Rhian Jones", check=False)
    assert result.returncode != 0 and "cannot be approved" in result.stderr
    assert "sample.po:" in result.stderr and "approval" not in registry(mini)


def test_approve_then_publish_then_a_source_change_makes_it_stale(mini):
    complete(mini)
    approved = run_task(mini, "approve", "--lang", "cy", "--by", "Dr Rhian Jones")
    assert "approved cy by Dr Rhian Jones" in approved.stdout
    run_task(mini, "publish", "--lang", "cy")
    text = registry(mini)
    assert 'status = "published"' in text and 'by = "Dr Rhian Jones"' in text and "fingerprint = " in text
    assert "# Miniature project" in text, "hand-written comments survive"

    assert run_task(mini, "check", "--lang", "cy").returncode == 0
    run_task(mini, "build")
    assert (mini / "build/cy/sample.pdf").is_file()

    # The English changes; the approval survives update but no longer covers the source.
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text().replace("Will I need", "Will I have"))
    run_task(mini, "extract", "update")
    assert "Dr Rhian Jones" in registry(mini)
    check = run_task(mini, "check", "--lang", "cy", check=False)
    assert check.returncode == 1
    assert "approval-stale" in check.stdout and "fuzzy" in check.stdout

    build = run_task(mini, "build", check=False)
    assert build.returncode != 0 and "WITHHELD cy" in build.stdout
    assert not (mini / "build/cy/sample.pdf").exists(), "withheld outputs leave the publishable tree"
    assert (mini / "build/withdrawn/cy/sample.pdf").is_file()
    manifest = json.loads((mini / "build/manifest.json").read_text())
    welsh = next(o for o in manifest["outputs"] if o["language"] == "cy")
    assert welsh["state"] == "withdrawn" and any("approval-stale" in r for r in welsh["reasons"])
    assert 'href="cy/' not in (mini / "build/index.html").read_text()
    status = json.loads((mini / "build/reports/status.json").read_text())
    assert status["languages"][0]["withheld"] is True
    assert "withheld" in (mini / "build/reports/status.html").read_text()


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
