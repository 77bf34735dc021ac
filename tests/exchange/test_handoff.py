"""The translator's round trip: export, edit, import."""
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import polib
import pytest

from conftest import fill, run_task

EDITS = {"Will I need to stay in hospital?": "A fydd rhaid i mi aros dros nos yn yr ysbyty?",
         "What happens next": "Beth fydd yn digwydd nesaf"}


def export(root, *options) -> Path:
    return root / run_task(root, "export", "--lang", "cy", *options).stdout.strip()


def unpack(package: Path, target: Path) -> Path:
    with zipfile.ZipFile(package) as z:
        z.extractall(target)
    return target


def test_the_package_holds_everything_a_translator_needs(mini):
    package = export(mini)
    assert package.name.startswith("cy-") and package.suffix == ".zip"
    names = set(zipfile.ZipFile(package).namelist())
    assert {"sample.po", "ui.po", "base/sample.po", "preview/sample.pdf", "glossary.csv",
            "wordcount.csv", "README.txt", "handoff.json"} <= names
    record = json.loads(zipfile.ZipFile(package).read("handoff.json"))
    assert record["language"] == "cy" and record["id"].startswith("cy-")
    assert f"X-Handoff-Id: {record['id']}" in zipfile.ZipFile(package).read("sample.po").decode()
    counts = zipfile.ZipFile(package).read("wordcount.csv").decode().splitlines()
    assert counts[0].startswith("leaflet,untranslated segments,untranslated words") and counts[1].startswith("sample,1,")


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


def test_xliff_round_trips_through_translate_toolkit(mini, tmp_path):
    returned = unpack(export(mini, "--format", "xliff"), tmp_path / "back")
    xlf = returned / "sample.xlf"
    xliff2po = Path(sys.executable).with_name("xliff2po")
    subprocess.run([str(xliff2po), "-i", str(xlf), "-o", str(tmp_path / "via-toolkit.po")], check=True,
                   capture_output=True)
    original = {e.msgid: e for e in polib.pofile(str(returned / "base/sample.po"))}
    converted = {e.msgid: e for e in polib.pofile(str(tmp_path / "via-toolkit.po"))}
    assert set(converted) == set(original)
    for msgid, entry in original.items():
        assert converted[msgid].comment == entry.comment, "notes for translators survive"
        assert converted[msgid].occurrences == entry.occurrences, "locations survive"
        assert converted[msgid].msgstr == entry.msgstr and converted[msgid].fuzzy == entry.fuzzy

    text = xlf.read_text().replace("Beth sy'n digwydd nesaf", "Beth fydd yn digwydd nesaf")
    xlf.write_text(text)
    result = run_task(mini, "import", str(xlf))
    assert "updated 1," in result.stdout
    assert "Beth fydd yn digwydd nesaf" in (mini / "locales/cy/LC_MESSAGES/sample.po").read_text()


def test_a_broken_xliff_is_refused_at_its_line(mini, tmp_path):
    returned = unpack(export(mini, "--format", "xliff"), tmp_path / "back")
    xlf = returned / "sample.xlf"
    lines = xlf.read_text().splitlines()
    target = next(i for i, line in enumerate(lines) if "<target" in line and "</target>" in line)
    lines[target] = lines[target].replace("</target>", "")
    xlf.write_text("\n".join(lines))
    result = run_task(mini, "import", str(xlf), check=False)
    assert result.returncode != 0 and "not well-formed XLIFF" in result.stderr and "sample.xlf:" in result.stderr


def test_export_names_a_missing_catalogue_and_what_to_do(mini):
    shutil.copy(mini / "source/leaflets/sample.md", mini / "source/leaflets/second.md")
    result = run_task(mini, "export", "--lang", "cy", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "locales/cy/LC_MESSAGES/second.po: catalogue not found" in result.stderr
    assert "invoke extract update" in result.stderr


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


def test_preview_of_one_language_ignores_another_withheld_language(mini):
    run_task(mini, "init", "--lang", "pl")
    registry = mini / "locales/languages.toml"
    registry.write_text(registry.read_text().replace('[languages.pl]\nstatus = "draft"',
                                                     '[languages.pl]\nstatus = "published"'))
    result = run_task(mini, "preview", "--lang", "cy")
    assert "cy/sample-1.png" in result.stdout
