"""Approval, publishing and the release gate, end to end on the miniature project."""
import json

from conftest import complete, run_task


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
