"""Untrusted input stays inert: each hostile case in fixtures/hostile-input/ is refused by the
real task with one clear message and exit status 2, without a traceback, without changing a
catalogue and without writing outside the project. Drafts show English, never a hidden
character or a swapped link, and the parsers meet arbitrary bytes with typed errors only."""
from __future__ import annotations

import io
import re
import tomllib
import zipfile
from pathlib import Path

import lxml.html
import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, fill, run_task
from helpers import pdf_objects
from leaflet_l10n import PipelineError, load_project
from leaflet_l10n.exchange.importing import read_returned
from leaflet_l10n.source import parse_leaflet

HOSTILE = Path(__file__).parent / "fixtures" / "hostile-input"
CASES = tomllib.loads((HOSTILE / "cases.toml").read_text(encoding="utf-8"))


def _zip(spec: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        if "bomb" in spec:
            package.writestr("sample.po", b"\0" * spec["bomb"])
        for name, text in spec.get("members", {}).items():
            package.writestr(name, text.encode("latin-1" if spec.get("latin1") else "utf-8"))
    data = bytearray(buffer.getvalue())
    if spec.get("encrypted"):            # set the "encrypted" bit in each local and central header
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.find(signature)
            while start != -1:
                data[start + offset] |= 0x1
                start = data.find(signature, start + 1)
    return bytes(data)


def _prepare(root: Path, case: dict) -> None:
    for name, source in case.get("copy", {}).items():
        (root / name).write_bytes((root / source).read_bytes())
    for name, text in case.get("files", {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text.lstrip("\n"), encoding="utf-8")
    for name, hexadecimal in case.get("bytes", {}).items():
        (root / name).write_bytes(bytes.fromhex(hexadecimal))
    for name, text in case.get("append", {}).items():
        with (root / name).open("a", encoding="utf-8") as handle:
            handle.write(text)
    for name, (old, new) in case.get("replace", {}).items():
        text = (root / name).read_text(encoding="utf-8")
        assert old in text, f"{name} has no {old!r} to replace"
        (root / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    for name, spec in case.get("zip", {}).items():
        (root / name).write_bytes(_zip(spec))
    if "directory" in case:
        (root / case["directory"]).unlink()
        (root / case["directory"]).mkdir()


def _catalogues(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in (root / "locales").rglob("*.po") if path.is_file()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_refused_with_one_clear_message(mini, name):
    case = CASES[name]
    _prepare(mini, case)
    catalogues = _catalogues(mini)
    outside = set(mini.parent.iterdir())
    result = run_task(mini, *case["task"], check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output and case["says"] in output, output
    assert output.count("error:") == 1
    assert _catalogues(mini) == catalogues
    assert set(mini.parent.iterdir()) == outside, "something was written outside the project"
    for page in (mini / "build").rglob("*.html"):
        assert set(_SCRIPT.findall(page.read_text(encoding="utf-8"))) <= OUR_SCRIPTS, f"a script in {page}"


# The only script a page may carry: the library's search, as its template writes it.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
OUR_SCRIPTS = set(_SCRIPT.findall((REPO / "source/templates/library.html").read_text(encoding="utf-8")))


# -- what a draft shows -----------------------------------------------------------

READ_NHS = "Read the <a1>NHS website</a1> or call <strong1>NHS 111</strong1>."
TWO_LINKS_MSGID = "Read the <a1>NHS website</a1> or ask about <a2>consent</a2>."


def _confirm(po: Path, msgid: str, text: str, *flags: str) -> None:
    """What a translator does in Poedit: write the translation and confirm it."""
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgid == msgid)
    entry.msgstr, entry.flags, entry.previous_msgid = text, list(flags), None
    catalog.save()
TWO_LINKS = "Read the [NHS website](https://www.nhs.uk) or ask about [consent](https://www.nhs.uk/conditions/consent-to-treatment/)."


@pytest.mark.parametrize("character", ["\u202e", "\u200b", "\u2060", "\U000e0041", "\u2066"])
def test_a_draft_shows_english_where_a_translation_hides_characters(mini, character):
    fill(mini / "locales/cy/LC_MESSAGES/sample.po",
         {READ_NHS: f"Darllenwch <a1>wefan yr {character}NHS</a1> neu ffoniwch <strong1>NHS 111</strong1>."})
    checked = run_task(mini, "check", "--lang", "cy").stdout
    assert "hidden-characters" in checked and f"U+{ord(character):04X}" in checked
    run_task(mini, "build", "--lang", "cy")
    page = (mini / "build/cy/sample.html").read_text(encoding="utf-8")
    assert character not in page and "wefan yr" not in page
    assert 'lang="en"' in page and "NHS website" in page


def test_swapped_links_are_an_error_and_the_draft_shows_english(mini):
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + f"\n{TWO_LINKS}\n", encoding="utf-8")
    run_task(mini, "extract", "update")
    _confirm(mini / "locales/cy/LC_MESSAGES/sample.po", TWO_LINKS_MSGID,
             "Gofynnwch am <a2>wefan yr NHS</a2> neu darllenwch am <a1>ganiatâd</a1>.")
    checked = run_task(mini, "check", "--lang", "cy").stdout
    assert "placeholder-order" in checked and "<a1> → https://www.nhs.uk" in checked
    run_task(mini, "build", "--lang", "cy")
    page = (mini / "build/cy/sample.html").read_text(encoding="utf-8")
    assert "ganiatâd" not in page and '<a href="https://www.nhs.uk">NHS website</a>' in page


def test_a_waived_placeholder_order_is_shown(mini):
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + f"\n{TWO_LINKS}\n", encoding="utf-8")
    run_task(mini, "extract", "update")
    _confirm(mini / "locales/cy/LC_MESSAGES/sample.po", TWO_LINKS_MSGID,
             "Am <a2>gydsyniad</a2>, darllenwch <a1>wefan yr NHS</a1>.", "allow-placeholder-order")
    run_task(mini, "build", "--lang", "cy")
    assert '<a href="https://www.nhs.uk/conditions/consent-to-treatment/">gydsyniad</a>' in \
        (mini / "build/cy/sample.html").read_text(encoding="utf-8")


# -- fuzzing the parsers of outside input -------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=600).map(lambda text: ("+++\n" + text).encode("utf-8", "replace")))
def test_the_leaflet_parser_meets_any_bytes_with_a_typed_error(data):
    try:
        parse_leaflet(data.decode("utf-8", "replace"), Path("fuzz.md"))
    except PipelineError:
        pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".zip", ".po", ".xlf"]))
def test_import_meets_any_bytes_with_a_typed_error(mini, tmp_path, data, suffix):
    path = tmp_path / f"returned{suffix}"
    path.write_bytes(data)
    try:
        read_returned(load_project(mini), path)
    except PipelineError:
        pass


_member_names = st.sampled_from(["handoff.json", "sample.po", "ui.po", "base/sample.po", "base/ui.po",
                                 "../x.po", "/abs.po", "sample.xlf"])
_member_data = st.binary(max_size=300) | st.sampled_from([
    b'{"files": {"sample": "sample.po"}}', b'{"files": {"sample": "../x.po"}}', b'[]', b'{"files": 5}',
    (Path(__file__).parent / "fixtures/every-field.po").read_bytes()])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(members=st.dictionaries(_member_names, _member_data, max_size=5))
def test_import_meets_any_package_with_a_typed_error(mini, tmp_path, members):
    path = tmp_path / "returned.zip"
    with zipfile.ZipFile(path, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    try:
        read_returned(load_project(mini), path)
    except PipelineError:
        pass


def test_a_flag_cannot_waive_a_safety_check_and_the_index_shows_english_too(mini):
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    _confirm(po, "Having a sample procedure", "Cael triniaeth \u202eenghreifftiol", "allow-hidden-characters")
    assert "hidden-characters" in run_task(mini, "check", "--lang", "cy").stdout
    run_task(mini, "build")
    for page in ("cy/sample.html", "index.html"):
        text = (mini / "build" / page).read_text(encoding="utf-8")
        assert "\u202e" not in text and "Having a sample procedure" in text, page


def test_a_relative_link_stays_relative_in_the_pdf(mini):
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + "\nSee [the consent page](consent.html).\n",
                       encoding="utf-8")
    run_task(mini, "build", "--lang", "en")
    targets = re.findall(rb"/URI \(([^)]*)\)", pdf_objects(mini / "build/en/sample.pdf"))
    assert b"consent.html" in targets and not any(t.startswith(b"file:") for t in targets)


def test_a_translation_that_carries_a_script_reaches_no_page_as_one(mini):
    """A title is shown on the leaflet page, the index and the library page: everywhere as text."""
    fill(mini / "locales/cy/LC_MESSAGES/sample.po", {
        "Having a sample procedure": "Cael triniaeth <script>alert(1)</script>",
        "Will I need to stay in hospital?": '<img src=x onerror="alert(1)">Fydd angen aros?'})
    run_task(mini, "build", check=False)
    pages = list((mini / "build").rglob("*.html"))
    assert any(page.match("cy/index.html") for page in pages) and len(OUR_SCRIPTS) == 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        handlers = [name for element in lxml.html.fromstring(text).iter() for name in element.attrib
                    if name.lower().startswith("on")]
        assert set(_SCRIPT.findall(text)) <= OUR_SCRIPTS and not handlers, page


@pytest.mark.parametrize("forms", ["rejected", "incomplete"])
def test_a_plural_a_patient_may_not_see_shows_the_english_plural_whole(mini, forms):
    """Welsh has six plural forms, and form 1 is "one". A rejected or half-translated plural must
    not become the English by position: the draft notice read "1 parts ... are shown"."""
    po = mini / "locales/cy/LC_MESSAGES/ui.po"
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgid_plural and "part of this leaflet" in e.msgid)
    hidden = " \u202e" if forms == "rejected" else ""      # a bidi override: an error the judge rejects
    entry.msgstr_plural = {index: "" if forms == "incomplete" and index == 1 else f"%(count)s rhan{hidden} o'r daflen"
                           for index in entry.msgstr_plural}
    catalog.save()
    run_task(mini, "build", check=False)
    page = (mini / "build/cy/sample.html").read_text(encoding="utf-8")
    assert "1 part of this leaflet is shown in English" in page and "1 parts" not in page
