"""A build job is a pure function: everything it needs travels in its input, and nothing is read or written."""
import dataclasses
import pickle
import shutil

from helpers import pdf_text
from leaflet_l10n import CatalogError, Checker, load_project
from leaflet_l10n.build import Selection, plan_outputs, release_gate
from leaflet_l10n.errors import RenderError
from leaflet_l10n.jobs import PARTS, JobOutput, render_job


def _welsh_job(root):
    project = load_project(root)
    checker = Checker(project)
    selection = Selection((project.language("cy"),), ("sample",))
    plan = plan_outputs(project, checker, release_gate(project, checker), selection, {})
    [(output, job)] = plan.jobs()
    return output, job


def test_a_job_renders_with_the_project_folder_removed(mini, tmp_path):
    _, job = _welsh_job(mini)
    shutil.rmtree(mini)
    result = render_job(pickle.loads(pickle.dumps(job)))      # as it arrives in another process
    assert result.error is None
    html = result.html.decode("utf-8")
    assert '<html lang="cy" dir="ltr">' in html and "Beth sy&#39;n digwydd nesaf" in html
    assert result.fallbacks == 1            # the one paragraph the miniature leaves untranslated
    (tmp_path / "out.pdf").write_bytes(result.pdf)
    assert "Cael triniaeth enghreifftiol" in pdf_text(tmp_path / "out.pdf")
    assert not mini.exists(), "the job wrote nothing back into the project"


def test_a_job_whose_catalogue_cannot_be_read_returns_a_typed_error(mini):
    _, job = _welsh_job(mini)
    broken = dataclasses.replace(job, catalog=dataclasses.replace(job.catalog, data=b'msgid "a"\nmsgstr "b\n'))
    result = render_job(broken)
    assert isinstance(result.error, CatalogError) and result.error.path == job.catalog.path
    assert result.error.line == 2 and (result.html, result.pdf) == (b"", b"")
    copy = pickle.loads(pickle.dumps(result))
    assert str(copy.error) == str(result.error)


def test_every_input_of_a_job_is_in_its_fingerprint(mini):
    before, _ = _welsh_job(mini)
    glossary = mini / "locales/glossary.toml"
    glossary.write_text('do_not_translate = ["NHS 111"]\n')
    after_glossary, _ = _welsh_job(mini)
    (mini / "source/styles/leaflet.css").write_text("body { color: black; }\n")
    after_styles, _ = _welsh_job(mini)
    assert len({before.fingerprint, after_glossary.fingerprint, after_styles.fingerprint}) == 3


def test_an_output_s_parts_joined_are_the_bytes_of_the_whole_job(mini):
    """Each PDF is made by its own job; joined, the parts must be exactly what one job makes."""
    _, job = _welsh_job(mini)
    whole = render_job(job)
    parts = [render_job(dataclasses.replace(job, files=files)) for files in PARTS]
    assert [bool(part.large_print) for part in parts] == [False, True]
    assert [bool(part.pdf) for part in parts] == [True, False]
    assert JobOutput.joined(parts) == whole and whole.large_print and whole.html


def test_one_failed_part_fails_the_output(mini):
    _, job = _welsh_job(mini)
    good = render_job(dataclasses.replace(job, files=PARTS[0]))
    failed = JobOutput(error=RenderError("the large print failed"))
    joined = JobOutput.joined([good, failed])
    assert joined.error is failed.error and (joined.html, joined.pdf) == (b"", b"")
