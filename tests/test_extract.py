import subprocess
import sys
from importlib.metadata import entry_points

import polib
import pytest

import leaflet_l10n
from leaflet_l10n import extract, load_project, source
from leaflet_l10n.extract import extract_leaflet


def test_leaflet_extractor_is_registered_with_babel():
    names = {ep.name: ep.value for ep in entry_points(group="babel.extractors")}
    assert names["leaflet"] == "leaflet_l10n.extract:extract_leaflet"
    assert extract_leaflet.__module__ == "leaflet_l10n.extract"


def test_every_entry_has_location_kind_and_link_targets(mini):
    pot = polib.pofile(str(mini / "locales/sample.pot"))
    by_id = {e.msgid: e for e in pot}
    link = by_id["Read the <a1>NHS website</a1> or call <strong1>NHS 111</strong1>."]
    assert link.occurrences == [("source/leaflets/sample.md", "16")]
    assert "Paragraph." in link.comment
    assert "<a1>…</a1> links to https://www.nhs.uk" in link.comment
    assert all(e.occurrences and e.comment for e in pot)
    assert not any("http" in e.msgid for e in pot)


def test_template_strings_are_extracted_with_their_notes(mini):
    ui = {e.msgid: e for e in polib.pofile(str(mini / "locales/ui.pot"))}
    published = ui["Published: %(date)s"]
    assert published.occurrences[0][0] == "source/templates/leaflet.html"
    assert "publication date" in published.comment
    assert "python-format" in published.flags
    assert ui["Page {page} of {pages}"].msgid


def test_extract_again_leaves_files_byte_identical(mini):
    before = {p.name: p.read_bytes() for p in (mini / "locales").glob("*.pot")}
    changed = extract(load_project(mini))
    assert changed == {"sample": False, "ui": False}
    assert {p.name: p.read_bytes() for p in (mini / "locales").glob("*.pot")} == before


def test_a_source_change_rewrites_the_template(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text().replace("Will I need", "Will I have"))
    assert extract(load_project(mini))["sample"] is True
    pot = (mini / "locales/sample.pot").read_text()
    assert 'msgid "Will I have to stay in hospital?"' in pot
    assert "POT-Creation-Date: 2023-11-14 22:13+0000" in pot


def test_a_broken_template_stops_extraction_instead_of_losing_its_strings(mini):
    import pytest
    from leaflet_l10n import SourceError

    template = mini / "source/templates/leaflet.html"
    template.write_text(template.read_text().replace("{{ meta.isbn }}", "{{ meta.isbn }"))
    before = (mini / "locales/ui.pot").read_bytes()
    with pytest.raises(SourceError, match="template syntax error") as caught:
        extract(load_project(mini))
    assert caught.value.path == template and caught.value.line
    assert (mini / "locales/ui.pot").read_bytes() == before


@pytest.mark.parametrize("task", [
    lambda project: leaflet_l10n.build(project),
    lambda project: leaflet_l10n.check_project(project),
    lambda project: leaflet_l10n.export(project, "cy"),
    lambda project: leaflet_l10n.extract(project),
], ids=["build", "check", "export", "extract"])
def test_each_leaflet_is_parsed_once_per_task(mini, monkeypatch, task):
    parsed = []
    real = source.parse_leaflet
    monkeypatch.setattr(source, "parse_leaflet", lambda text, path: parsed.append(path.name) or real(text, path))
    task(load_project(mini))
    assert parsed == ["sample.md"]


def test_leaflet_text_with_a_percent_sign_is_not_a_python_format(mini):
    """Babel flags any msgid like '50% of' python-format, and msgfmt -c would then refuse a correct
    translation that moves the %: leaflet text is never formatted, and says so."""
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text() + "\nTake 50% of the dose.\n")
    extract(load_project(mini))
    [entry] = [e for e in polib.pofile(str(mini / "locales/sample.pot")) if e.msgid == "Take 50% of the dose."]
    assert entry.flags == ["no-python-format"]
    po = mini / "locales/pl.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: pl\\n"\n\n'
                  '#, no-python-format\nmsgid "Take 50% of the dose."\nmsgstr "Przyjmij połowę (50 %) dawki."\n')
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True).returncode == 0


def test_a_library_english_is_read_a_few_leaflets_at_a_time(mini, monkeypatch):
    """A thousand parsed leaflets held for a whole task made a check's memory grow with the
    library; an English keeps only the last few, and reads the others again when asked."""
    import gc

    from leaflet_l10n.extract import read_english
    from leaflet_l10n.source import Leaflet
    def leaflets_alive() -> int:
        gc.collect()
        return sum(isinstance(thing, Leaflet) for thing in gc.get_objects())
    text = (mini / "source/leaflets/sample.md").read_text()
    before = leaflets_alive()              # what other tests left alive
    for n in range(6):
        (mini / f"source/leaflets/copy{n}.md").write_text(text.replace("# ", f"# Copy {n}: ", 1))
    project = load_project(mini)
    whole = read_english(project)
    monkeypatch.setattr(sys.modules["leaflet_l10n.extract"], "KEPT_LEAFLETS", 2)
    english = read_english(project)
    titles, held = {}, []
    for name, leaflet in english.leaflets.items():
        titles[name] = leaflet.title.msgid
        del leaflet
        held.append(leaflets_alive() - before - len(whole.leaflets))
    assert titles == {name: leaflet.title.msgid for name, leaflet in whole.leaflets.items()} and len(titles) == 7
    assert max(held) <= 2 < len(titles)
    assert english.fingerprint == whole.fingerprint and english.images == whole.images
    assert {d: [(m.id, m.locations, m.auto_comments) for m in english.templates[d]] for d in english.templates} \
        == {d: [(m.id, m.locations, m.auto_comments) for m in whole.templates[d]] for d in whole.templates}
