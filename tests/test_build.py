"""End to end: the real tasks on a copy of the miniature project."""
import json

from conftest import run_task
from helpers import pdf_info, pdf_text


def test_build_writes_every_language_as_html_and_pdf_and_an_index(mini):
    result = run_task(mini, "build")
    for tag in ("en", "cy"):
        assert (mini / f"build/{tag}/sample.html").is_file()
        assert pdf_info(mini / f"build/{tag}/sample.pdf")["Tagged"] == "yes"
    assert "Darllenwch wefan yr NHS" in pdf_text(mini / "build/cy/sample.pdf")
    index = (mini / "build/index.html").read_text()
    assert 'href="cy/sample.html">Cael triniaeth enghreifftiol</a>' in index
    assert '<section class="language" id="cy" lang="cy" dir="ltr">\n  <h2>Cymraeg' in index
    assert '<a href="#cy" lang="cy" dir="ltr">Cymraeg</a>' in index
    manifest = json.loads((mini / "build/manifest.json").read_text())
    welsh = next(o for o in manifest["outputs"] if o["language"] == "cy")
    assert (welsh["status"], welsh["fallbacks"]) == ("draft", 1)
    assert "(1 shown in English)" in result.stdout


def test_a_second_build_reuses_unchanged_outputs(mini):
    run_task(mini, "build")
    before = (mini / "build/cy/sample.pdf").stat().st_mtime_ns
    result = run_task(mini, "build", "--lang", "cy")
    assert "unchanged cy" in result.stdout
    assert (mini / "build/cy/sample.pdf").stat().st_mtime_ns == before


def test_a_changed_catalogue_rebuilds_that_language(mini):
    run_task(mini, "build")
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    po.write_text(po.read_text().replace("Cael triniaeth", "Cael y driniaeth"))
    result = run_task(mini, "build")
    assert "built     cy" in result.stdout and "unchanged en" in result.stdout
    assert "Cael y driniaeth" in (mini / "build/cy/sample.html").read_text()


def test_build_one_language(mini):
    run_task(mini, "build", "--lang", "cy")
    assert (mini / "build/cy/sample.pdf").is_file()
    assert not (mini / "build/en").exists()


def test_unknown_language_is_a_clear_error_not_a_traceback(mini):
    result = run_task(mini, "build", "--lang", "xx-Nope", check=False)
    assert result.returncode != 0
    assert "unknown language code 'xx-Nope'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_malformed_catalogue_stops_the_build_with_file_and_line(mini):
    run_task(mini, "build")
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    po.write_text(po.read_text().replace('msgstr "Beth', 'msgstr Beth'))
    before = (mini / "build/cy/sample.html").read_bytes()
    result = run_task(mini, "build", check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    line = next(i for i, t in enumerate(po.read_text().splitlines(), 1) if t.startswith("msgstr Beth"))
    assert f"sample.po:{line}: syntax error" in result.stdout + result.stderr
    assert (mini / "build/cy/sample.html").read_bytes() == before


def test_a_published_language_with_a_stale_entry_is_withheld(mini):
    registry = mini / "locales/languages.toml"
    registry.write_text(registry.read_text().replace('status = "draft"', 'status = "published"'))
    result = run_task(mini, "build", check=False)
    assert result.returncode != 0
    assert "WITHHELD cy" in result.stdout
    assert not (mini / "build/cy").exists()
    assert (mini / "build/en/sample.pdf").is_file()
