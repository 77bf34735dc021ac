"""Every shipped language built from this project, read as its patients' tools would."""
import re
import shutil
import unicodedata

import pytest

from leaflet_l10n import build, load_project
from leaflet_l10n.typography import script_of

from conftest import REPO
from helpers import pdf_fonts, pdf_text, pdf_ua_problems

PROJECT = load_project(REPO)
LEAFLET = "lumbar-neurostimulation"
# A letter of each script, by its Unicode name: what a PDF of that script must contain.
SCRIPT_NAMES = {"Arab": "ARABIC", "Beng": "BENGALI", "Guru": "GURMUKHI", "Gujr": "GUJARATI",
                "Ethi": "ETHIOPIC", "Hans": "CJK UNIFIED IDEOGRAPH", "Latn": "LATIN"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("all") / "project"
    for part in ("source", "locales"):
        shutil.copytree(REPO / part, root / part)
    result = build(load_project(root))
    assert result.ok, result.failures or result.withheld
    return root / "build"


@pytest.mark.parametrize("code", [lang.code for lang in PROJECT.languages])
def test_pdf_text_is_in_the_languages_script(built, code):
    language = PROJECT.language(code)
    text = pdf_text(built / language.tag / f"{LEAFLET}.pdf")
    script = SCRIPT_NAMES[script_of(language.locale)]
    letters = [ch for ch in text if ch.isalpha() and unicodedata.name(ch, "").startswith(script)]
    assert len(letters) > 500, f"{code}: only {len(letters)} {script} letters in the PDF text"


@pytest.mark.parametrize("edition", ["", "-large-print"])
@pytest.mark.parametrize("code", [lang.code for lang in PROJECT.languages])
def test_pdf_reads_as_its_html_for_a_screen_reader_and_for_text_extraction(built, code, edition):
    """PDF/UA points a machine can check: nothing untagged, links named by their words, other languages
    marked, one list per list, and the tag tree's and pdftotext's letters those of the HTML (≥ 99.5%)."""
    folder = built / PROJECT.language(code).tag
    assert pdf_ua_problems(folder / f"{LEAFLET}{edition}.pdf", folder / f"{LEAFLET}.html") == []


@pytest.mark.parametrize("code", [lang.code for lang in PROJECT.languages])
def test_html_declares_language_and_direction(built, code):
    language = PROJECT.language(code)
    html = (built / language.tag / f"{LEAFLET}.html").read_text()
    expected = "rtl" if code in ("ar", "ur", "fa") else "ltr"
    assert f'<html lang="{language.tag}" dir="{expected}">' in html


def test_chinese_pdf_embeds_a_cjk_font(built):
    fonts = pdf_fonts(built / "zh-Hans" / f"{LEAFLET}.pdf")
    assert any(re.fullmatch(r"[A-Z]{6}\+Noto-Sans-CJK-SC(-Bold)?", name) for name in fonts), fonts


def test_persian_and_bengali_dates_and_pages_use_their_digits(built):
    assert "۲۰۲۲" in (built / "fa" / f"{LEAFLET}.html").read_text()
    assert "counter(page, persian)" in (built / "fa" / f"{LEAFLET}.html").read_text()
    assert "২০২২" in pdf_text(built / "bn" / f"{LEAFLET}.pdf")


def test_index_lists_every_language_by_its_native_name(built):
    index = (built / "index.html").read_text()
    for language in PROJECT.all_languages:
        assert f'lang="{language.tag}"' in index and language.native_name in index
