"""The translator's work coming back: import round trips, refusals, conflicts, fuzzy entries."""
import json
import shutil
import zipfile

import polib
import pytest

from conftest import export, fill, run_task, unpack
from leaflet_l10n.exchange.importing import Conflict, ImportResult, import_summary

EDITS = {"Will I need to stay in hospital?": "A fydd rhaid i mi aros dros nos yn yr ysbyty?",
         "What happens next": "Beth fydd yn digwydd nesaf"}


def test_round_trip_changes_exactly_the_edited_entries(mini, tmp_path):
    run_task(mini, "update")   # catalogues in the project's own layout, as committed
    before = (mini / "locales/cy/LC_MESSAGES/sample.po").read_text().splitlines()
    returned = unpack(export(mini), tmp_path / "back")
    fill(returned / "sample.po", EDITS)
    result = run_task(mini, "import", str(returned / "sample.po"))
    assert "updated 2, unchanged" in result.stdout and "conflicts 0" in result.stdout
    after = (mini / "locales/cy/LC_MESSAGES/sample.po").read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and len(changed) == 2
    assert all(any(new in b for new in EDITS.values()) for _, b in changed)


def test_the_whole_zip_can_come_back(mini, tmp_path):
    run_task(mini, "update")
    package = export(mini)
    work = unpack(package, tmp_path / "work")
    fill(work / "sample.po", EDITS)
    returned = tmp_path / "returned.zip"
    with zipfile.ZipFile(returned, "w") as z:
        for path in work.rglob("*"):
            if path.is_file():
                z.write(path, path.relative_to(work).as_posix())
    shutil.rmtree(mini / "build/handoff/bases")   # the zip carries its own base
    assert "updated 2" in run_task(mini, "import", str(returned)).stdout


@pytest.mark.parametrize("damage, message", [
    (lambda t: t.replace("<a1>wefan yr NHS</a1>", "wefan yr NHS"), "placeholders"),
    (lambda t: t.replace('"Language: cy\\n"', '"Language: pl\\n"'), "language"),
    (lambda t: t.replace('msgstr "Cael triniaeth', 'msgstr Cael triniaeth'), "syntax error"),
    (lambda t: t.replace("Cael triniaeth enghreifftiol", "Cael <script>x</script>"), "placeholders"),
])
def test_a_faulty_return_is_refused_and_nothing_changes(mini, tmp_path, damage, message):
    returned = unpack(export(mini), tmp_path / "back")
    fill(returned / "sample.po", EDITS)          # good edits alongside the fault
    po = returned / "sample.po"
    po.write_text(damage(po.read_text()))
    snapshot = {p: p.read_bytes() for p in (mini / "locales").rglob("*.po")}
    result = run_task(mini, "import", str(po), check=False)
    assert result.returncode != 0 and message in result.stderr
    assert "sample.po:" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (mini / "locales").rglob("*.po")} == snapshot


def test_an_entry_changed_in_the_repository_since_export_is_a_conflict(mini, tmp_path):
    returned = unpack(export(mini), tmp_path / "back")
    fill(mini / "locales/cy/LC_MESSAGES/sample.po", {"What happens next": "Beth nesaf (newer, in the repository)"})
    fill(returned / "sample.po", EDITS)
    result = run_task(mini, "import", str(returned / "sample.po"), check=False)
    assert result.returncode == 1 and "CONFLICT" in result.stdout
    assert "Beth nesaf (newer, in the repository)" in result.stdout and "Beth fydd yn digwydd nesaf" in result.stdout
    po = (mini / "locales/cy/LC_MESSAGES/sample.po").read_text()
    assert "Beth nesaf (newer, in the repository)" in po and "A fydd rhaid i mi aros dros nos" in po


def test_an_entry_whose_english_changed_since_export_comes_back_fuzzy(mini, tmp_path):
    returned = unpack(export(mini), tmp_path / "back")
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text().replace("Will I need to stay in hospital?", "Will I need to stay in hospital overnight?"))
    run_task(mini, "extract", "update")
    fill(returned / "sample.po", EDITS)
    result = run_task(mini, "import", str(returned / "sample.po"))
    assert "fuzzy (English changed since export) 1" in result.stdout
    entry = next(e for e in polib.pofile(str(mini / "locales/cy/LC_MESSAGES/sample.po"))
                 if e.msgid == "Will I need to stay in hospital overnight?")
    assert entry.fuzzy and entry.msgstr == EDITS["Will I need to stay in hospital?"]


def test_a_package_without_its_handoff_id_cannot_bring_its_own_base(mini, tmp_path):
    exported = mini / run_task(mini, "export", "--lang", "cy").stdout.strip()
    shutil.rmtree(mini / "build/handoff/bases")            # as on another machine: no stored base
    returned = tmp_path / "returned.zip"
    with zipfile.ZipFile(exported) as package, zipfile.ZipFile(returned, "w") as out:
        for name in package.namelist():
            data = package.read(name)
            if name == "sample.po":
                data = b"\n".join(line for line in data.split(b"\n") if b"X-Handoff-Id" not in line)
            out.writestr(name, data)
    result = run_task(mini, "import", str(returned), check=False)
    assert result.returncode == 2 and "base/ is not the export its X-Handoff-Id names" in result.stderr


def test_a_package_with_two_files_for_one_leaflet_is_refused_whole(mini, tmp_path):
    """Two returned versions of the same leaflet: merging both would let the second silently
    overwrite the first, so neither is taken."""
    exported = export(mini)
    returned = tmp_path / "returned.zip"
    with zipfile.ZipFile(exported) as package, zipfile.ZipFile(returned, "w") as out:
        record = json.loads(package.read("handoff.json"))
        record["files"]["sample-again"] = "sample-again.po"   # a second file whose header says: sample
        for name in package.namelist():
            out.writestr(name, json.dumps(record) if name == "handoff.json" else package.read(name))
        again = package.read("sample.po").replace(b'msgstr "Beth sy\'n digwydd nesaf"',
                                                  b'msgstr "Beth fydd yn digwydd nesaf"')
        assert b"Beth fydd yn digwydd nesaf" in again      # a real edit, which must not be merged
        out.writestr("sample-again.po", again)
        out.writestr("base/sample-again.po", package.read("base/sample.po"))
    snapshot = {p: p.read_bytes() for p in (mini / "locales").rglob("*.po")}
    result = run_task(mini, "import", str(returned), check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "more than one file for sample" in result.stderr and "returned.zip" in result.stderr
    assert {p: p.read_bytes() for p in (mini / "locales").rglob("*.po")} == snapshot


def test_import_summary_counts_and_names_every_entry_it_touched():
    long_english = "Ask your doctor or nurse about every risk and benefit before you agree to it."
    result = ImportResult(
        updated=[("sample", "What happens next"), ("sample", long_english)],
        unchanged=4,
        fuzzy=[("sample", "Will I need to stay in hospital overnight?")],
        conflicts=[Conflict("ui", "Draft translation", "back/ui.po:12", "Drafft", "Cyfieithiad drafft")],
        skipped=[("sample", "A sentence no longer in the leaflet.")])
    assert import_summary(result).splitlines() == [
        "updated 2, unchanged 4, conflicts 1, fuzzy (English changed since export) 1",
        "  updated   sample: 'What happens next'",
        # a long English is cut to 60 characters, the last an ellipsis
        "  updated   sample: 'Ask your doctor or nurse about every risk and benefit befor…'",
        "  fuzzy     sample: 'Will I need to stay in hospital overnight?'",
        "  skipped   sample: 'A sentence no longer in the leaflet.': no longer in the English",
        "  CONFLICT  back/ui.po:12: 'Draft translation' changed in the repository since the export; "
        "kept the repository version",
        "      repository: 'Drafft'",
        "      returned:   'Cyfieithiad drafft'",
    ]


def test_import_summary_of_an_import_that_changed_nothing_is_one_line():
    assert import_summary(ImportResult(unchanged=7)) == \
        "updated 0, unchanged 7, conflicts 0, fuzzy (English changed since export) 0"
