"""Hand-off packages: what a translator receives from `invoke export`."""
import json
import shutil
import zipfile

from conftest import export, run_task
from leaflet_l10n import load_project
from leaflet_l10n.memory import TranslationMemory


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


def test_export_names_a_missing_catalogue_and_what_to_do(mini):
    shutil.copy(mini / "source/leaflets/sample.md", mini / "source/leaflets/second.md")
    result = run_task(mini, "export", "--lang", "cy", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "locales/cy/LC_MESSAGES/second.po: catalogue not found" in result.stderr
    assert "invoke extract update" in result.stderr


def test_tmx_export_holds_every_confirmed_unit(mini):
    result = run_task(mini, "tm-export", "--lang", "cy")
    tmx = (mini / result.stdout.strip()).read_text()
    assert '<tuv xml:lang="cy">' in tmx and "Fydd angen i mi aros yn yr ysbyty?" in tmx
    assert tmx.count("<tu>") == len(TranslationMemory.from_project(load_project(mini)).units("cy"))
