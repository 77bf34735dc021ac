"""End to end: the real tasks on a copy of the miniature project."""
import hashlib
import json
import os
import re
import statistics
import subprocess

import polib
import pytest

from conftest import run_task
from helpers import pdf_info, pdf_tags, pdf_text, peak_memory_mib


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


def test_a_build_with_nothing_changed_parses_no_leaflet_catalogue(mini, monkeypatch):
    """A no-op run reads and hashes; the library pages take each title from the manifest."""
    from leaflet_l10n import build, load_project, pofile
    build(load_project(mini))
    parsed, real = [], pofile.read_po
    monkeypatch.setattr(pofile, "read_po", lambda data, path: parsed.append(path.name) or real(data, path))
    monkeypatch.setattr("leaflet_l10n.jobs.read_po", pofile.read_po)
    monkeypatch.setattr("leaflet_l10n.catalogs.read_po", pofile.read_po, raising=False)
    library = (mini / "build/cy/index.html").read_bytes()
    result = build(load_project(mini))
    assert {output.state for output in result.outputs} == {"unchanged"}
    assert [name for name in parsed if name != "ui.po"] == []
    assert (mini / "build/cy/index.html").read_bytes() == library


def test_a_checkout_moved_to_another_folder_with_its_build_rebuilds_nothing(mini, tmp_path):
    """A cached build/ restored in CI at another path: fingerprints hash contents, not where they are."""
    import shutil
    import sys

    from conftest import REPO
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "leaflet_l10n", checkout / "leaflet_l10n", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(mini, checkout / "project")
    program = "from leaflet_l10n import build, load_project; print(*sorted({o.state for o in build(load_project('.')).outputs}))"

    def states(where):
        return subprocess.run([sys.executable, "-c", program], cwd=where / "project", capture_output=True, text=True,
                              env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"}, check=True).stdout.split()
    assert states(checkout) == ["built"]
    shutil.move(checkout, tmp_path / "moved")
    assert states(tmp_path / "moved") == ["unchanged"]


@pytest.mark.parametrize("manifest", ['{"outputs": ["x", 3]}', '{"outputs": [{"leaflet": "sample"}]}', "[]", "\u0000"])
def test_a_damaged_manifest_means_building_everything_again_not_a_traceback(mini, manifest):
    run_task(mini, "build")
    (mini / "build/manifest.json").write_text(manifest, encoding="utf-8")
    result = run_task(mini, "build")
    assert "Traceback" not in result.stderr and "unchanged" not in result.stdout and "built" in result.stdout


@pytest.mark.parametrize("field, value", [("title", 5), ("title_in_english", "yes"), ("fallbacks", [1])])
def test_a_manifest_value_of_the_wrong_type_means_building_again_not_a_traceback(mini, field, value):
    run_task(mini, "build")
    path = mini / "build/manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for output in manifest["outputs"]:
        output[field] = value
    path.write_text(json.dumps(manifest), encoding="utf-8")
    result = run_task(mini, "build", check=False)
    assert result.returncode == 0 and "Traceback" not in result.stderr and "unchanged" not in result.stdout


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


def _set_welsh_ui(root, english, welsh):
    po = root / "locales/cy/LC_MESSAGES/ui.po"
    entries = polib.pofile(str(po))
    entry = next(e for e in entries if e.msgid == english)
    entry.msgstr = welsh
    entries.save()
    return po, entry.linenum


def test_one_draft_s_broken_placeholder_fails_only_its_own_output(mini):
    run_task(mini, "build")
    index_before = (mini / "build/index.html").read_text()
    po, line = _set_welsh_ui(mini, "Published: %(date)s", "Cyhoeddwyd: %(date)s %y")
    checked = run_task(mini, "check", "--lang", "cy", check=False)
    assert f"locales/cy/LC_MESSAGES/ui.po:{line}: format" in checked.stdout
    result = run_task(mini, "build", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"FAILED {po}:{line}: the translation of 'Published: %(date)s' breaks the page" in result.stdout
    manifest = {o["language"]: o for o in json.loads((mini / "build/manifest.json").read_text())["outputs"]}
    assert manifest["cy"]["state"] == "failed" and f"ui.po:{line}" in manifest["cy"]["reasons"][0]
    assert manifest["en"]["state"] == "unchanged"
    index = (mini / "build/index.html").read_text()
    assert index != index_before and 'id="cy"' not in index       # rewritten, without the failed language
    status = json.loads((mini / "build/reports/status.json").read_text())
    assert any(f["code"] == "format" for lang in status["languages"] for f in lang["findings"])


def _render_failing_in_welsh(job):
    from leaflet_l10n.jobs import render_job
    if job.language.code == "cy":
        raise MemoryError("out of memory")
    return render_job(job)


def test_an_unexpected_error_in_one_job_leaves_every_other_output_built(mini, monkeypatch):
    from functools import partial

    from leaflet_l10n import build, load_project, runners
    monkeypatch.setattr(runners, "local_results", partial(runners.local_results, render=_render_failing_in_welsh))
    result = build(load_project(mini))
    states = {o.language: o.state for o in result.outputs}
    assert states == {"en": "built", "cy": "failed"}
    assert "MemoryError: out of memory" in str(result.failures[0])
    assert result.failures[0].path == mini / "locales/cy/LC_MESSAGES/sample.po"
    assert json.loads((mini / "build/manifest.json").read_text())["outputs"]


def _report_where_it_ran(job):
    from leaflet_l10n.errors import RenderError
    from leaflet_l10n.jobs import JobOutput
    return JobOutput(error=RenderError(f"parent {os.getppid()}, {peak_memory_mib()} MiB"))


def test_a_build_renders_in_workers_that_do_not_carry_the_coordinator_memory(mini, monkeypatch):
    """The coordinator's memory grows with the library (its manifest and plan); a worker forked
    from it carried all of it, and a 1,000-leaflet library's workers reached 715 MiB."""
    from functools import partial

    from leaflet_l10n import build, load_project, runners
    monkeypatch.setattr(runners, "local_results", partial(runners.local_results, render=_report_where_it_ran))
    ballast = bytearray(os.urandom(1)) * (300 << 20)          # 300 MiB, resident: a library's coordinator
    failures = [str(error) for error in build(load_project(mini)).failures]
    assert ballast[0] == ballast[-1] and len(failures) == 2
    parents = {int(re.search(r"parent (\d+)", failure).group(1)) for failure in failures}
    peaks = [int(re.search(r"(\d+) MiB", failure).group(1)) for failure in failures]
    assert os.getpid() not in parents and max(peaks) < 250, failures


def test_an_output_changed_since_the_manifest_was_written_is_made_again(mini):
    run_task(mini, "build")
    page = mini / "build/cy/sample.html"
    made = page.read_bytes()
    page.write_bytes(made.replace(b"Cael triniaeth", b"Cael hen driniaeth"))   # e.g. a run killed mid-way
    result = run_task(mini, "build")
    assert "built     cy" in result.stdout and page.read_bytes() == made


def _median_word_height(pdf) -> float:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return statistics.median(float(y1) - float(y0) for y0, y1 in
                             re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out))


def test_every_language_has_a_tagged_large_print_edition_at_16_points(mini):
    from leaflet_l10n import build, load_project
    result = build(load_project(mini))
    assert result.ok
    manifest = json.loads((mini / "build/manifest.json").read_text())
    for output in manifest["outputs"]:
        large = mini / "build" / output["large_print"]
        assert large.name.endswith("-large-print.pdf") and pdf_info(large)["Tagged"] == "yes"
        assert output["large_print_sha256"] == hashlib.sha256(large.read_bytes()).hexdigest()
    # Body text is 11 pt in the standard PDF: the large print's words stand at least 16/11 as tall.
    ratio = _median_word_height(mini / "build/en/sample-large-print.pdf") / _median_word_height(mini / "build/en/sample.pdf")
    assert ratio >= 16 / 11 * 0.97
    html = (mini / "build/cy/sample.html").read_text()
    assert 'href="sample-large-print.pdf"' in html
    assert 'href="cy/sample-large-print.pdf"' in (mini / "build/index.html").read_text()


def test_every_pdf_ends_by_naming_the_other_languages_it_is_in(mini):
    from leaflet_l10n import build, load_project
    assert build(load_project(mini)).ok
    welsh, english = pdf_text(mini / "build/cy/sample.pdf"), pdf_text(mini / "build/en/sample.pdf")
    assert "English" in welsh.split("ISBN")[-1] and "Cymraeg" in english.split("ISBN")[-1]
    assert "This leaflet is also available in: Cymraeg" in " ".join(english.split())


def test_with_a_site_url_every_pdf_carries_a_qr_code_to_its_page(mini):
    from leaflet_l10n import build, load_project
    registry = mini / "locales/languages.toml"
    registry.write_text('site_url = "https://leaflets.example.org"\n' + registry.read_text())
    assert build(load_project(mini)).ok
    for pdf in ("cy/sample.pdf", "cy/sample-large-print.pdf"):
        assert "https://leaflets.example.org/cy/sample.html" in pdf_text(mini / "build" / pdf)
        alts = [alt for _, alt in pdf_tags(mini / "build" / pdf) if alt]
        assert any("QR" in alt for alt in alts), alts
    assert "leaflets.example.org" not in (mini / "build/cy/sample.html").read_text(), "the page needs no QR code"


def test_a_build_holds_the_inputs_of_the_jobs_running_not_of_every_job(real_copy):
    """Memory stays flat as a library grows: each job's input is read when its turn comes."""
    import gc

    from leaflet_l10n import Engine, build, load_project
    from leaflet_l10n.errors import RenderError
    from leaflet_l10n.jobs import PARTS, JobInput, JobOutput
    live = []

    def inputs_alive() -> int:       # garbage other tests left is not alive: collect it first
        gc.collect()
        return sum(isinstance(thing, JobInput) for thing in gc.get_objects())

    class Counting(Engine):
        def results(self, jobs, total):
            for _ in jobs:
                live.append(inputs_alive() - before)
                yield JobOutput(error=RenderError("not rendered: this test counts inputs"))
    before = inputs_alive()
    result = build(load_project(real_copy), engine=Counting())
    assert len(live) == len(PARTS) * len(result.outputs) == len(PARTS) * 17
    assert max(live) <= 2                           # an output's input and the part being run
