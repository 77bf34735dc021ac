"""Check results kept by the bytes they come from: reused only while every input is the same."""
import json
import shutil

import pytest

from leaflet_l10n import checks, check_project, load_project
from leaflet_l10n.status import as_json

from conftest import fill


@pytest.fixture
def reads(monkeypatch):
    """How many catalogues the checks parse."""
    count = []
    real = checks.read_catalog

    def counting(path):
        count.append(path.name)
        return real(path)
    monkeypatch.setattr(checks, "read_catalog", counting)
    return count


def _status(root):
    return json.loads(as_json(check_project(load_project(root))))


def test_a_second_check_parses_no_catalogue_and_says_the_same(mini, reads):
    first = _status(mini)
    assert reads
    reads.clear()
    assert _status(mini) == first
    assert reads == []


def test_an_edited_catalogue_is_checked_again_and_only_it(mini, reads):
    _status(mini)
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Beth sy'n digwydd nesaf", "Beth sy'n digwydd wedyn"),
                  encoding="utf-8")
    reads.clear()
    cached = _status(mini)
    assert reads == ["sample.po"]
    shutil.rmtree(mini / "build/.cache")
    assert cached == _status(mini)                     # what a check without any cache says


@pytest.mark.parametrize("change", ["english", "glossary"])
def test_a_change_to_the_english_or_the_glossary_checks_everything_again(mini, reads, change):
    _status(mini)
    if change == "english":
        leaflet = mini / "source/leaflets/sample.md"
        leaflet.write_text(leaflet.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    else:
        (mini / "locales/glossary.toml").write_text('[terms.cy]\n"consent" = "cydsyniad"\n', encoding="utf-8")
    reads.clear()
    status = _status(mini)
    assert "sample.po" in reads
    if change == "english":
        assert any(f["code"] == "not-in-catalogue" for lang in status["languages"] for f in lang["findings"])


@pytest.mark.parametrize("tamper", ["{", '{"schema": 1, "key": "x"}', "[]", '{"schema": 1}', "\u0000"])
def test_a_damaged_or_foreign_cache_is_recomputed_not_trusted(mini, reads, tamper):
    first = _status(mini)
    for record in (mini / "build/.cache/checks").rglob("*.json"):
        record.write_text(tamper, encoding="utf-8")
    reads.clear()
    assert _status(mini) == first and reads


def test_a_record_kept_for_other_bytes_is_never_served(mini):
    """A changed number must be found, though the catalogue's old result is in the cache."""
    _status(mini)
    fill(mini / "locales/cy/LC_MESSAGES/sample.po", {
        "Read the <a1>NHS website</a1> or call <strong1>NHS 111</strong1>.":
            "Darllenwch <a1>wefan yr NHS</a1> neu ffoniwch <strong1>NHS 112</strong1>."})
    status = _status(mini)
    assert any(f["code"] == "numbers" for lang in status["languages"] for f in lang["findings"])


def test_a_project_moved_with_its_cache_reuses_it(mini, tmp_path, reads):
    first = _status(mini)
    moved = shutil.move(mini, tmp_path / "moved")
    reads.clear()
    second = _status(moved)
    assert reads == []
    assert json.dumps(second).replace(str(moved), "ROOT") == json.dumps(first).replace(str(mini), "ROOT")
