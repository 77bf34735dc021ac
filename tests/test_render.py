import re
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from helpers import pdf_info, pdf_objects, pdf_text
from leaflet_l10n import MissingGlyphError, build, load_project, render
from leaflet_l10n.render import css_string, page_counter


def test_css_strings_cannot_be_broken_out_of():
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'


def test_page_counter_keeps_the_translated_words_around_live_counters():
    assert page_counter("Tudalen {page} o {pages}") == \
        '"Tudalen " counter(page, decimal) " o " counter(pages, decimal)'
    assert page_counter("{page}/{pages}", "persian") == \
        'counter(page, persian) "/" counter(pages, persian)'


@pytest.fixture
def welsh_html(mini):
    build(load_project(mini), ["cy"], ["sample"])
    return (mini / "build/cy/sample.html").read_text()


def test_page_has_language_direction_and_local_date(welsh_html):
    assert '<html lang="cy" dir="ltr">' in welsh_html
    assert "14 Mawrth 2023" in welsh_html


def test_draft_page_has_notice_and_marks_english_fallbacks(welsh_html):
    assert 'class="draft-notice"' in welsh_html
    fallback = re.search(r'<p class="fallback" lang="en" dir="ltr">This procedure is done '
                         r'<em>twice a day</em> for about 30 minutes\.', welsh_html)
    assert fallback, "the untranslated paragraph must be marked as English"
    assert 'href="https://www.nhs.uk">wefan yr NHS</a>' in welsh_html


def test_a_translation_cannot_inject_markup_through_the_interface(mini):
    po = mini / "locales/cy/LC_MESSAGES/ui.po"
    po.write_text(po.read_text().replace(
        'msgid "Draft translation."\nmsgstr ""', 'msgid "Draft translation."\nmsgstr "<script>alert(1)</script>"'))
    build(load_project(mini), ["cy"], ["sample"])
    html = (mini / "build/cy/sample.html").read_text()
    assert "<script>" not in html and "alert(1)" not in html      # an error: the English shows instead
    assert "<strong>Draft translation.</strong>" in html


def test_pdf_is_tagged_a4_with_title_and_language(mini):
    build(load_project(mini), ["cy"], ["sample"])
    pdf = mini / "build/cy/sample.pdf"
    info = pdf_info(pdf)
    assert info["Tagged"] == "yes"
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert info["Title"].startswith("Cael triniaeth enghreifftiol")
    assert b"/Lang (cy)" in pdf_objects(pdf)
    assert "Page 1 of 1" in pdf_text(pdf) and "14 Mawrth 2023" in pdf_text(pdf)


def test_a_pdf_link_is_named_by_its_words_not_its_address(mini):
    """PDF/UA: a screen reader reads an annotation's /Contents; WeasyPrint writes the URL there."""
    import pikepdf
    build(load_project(mini), ["cy"], ["sample"])
    with pikepdf.open(mini / "build/cy/sample.pdf") as pdf:
        names = {str(a.A.URI): str(a.Contents) for page in pdf.pages for a in page.obj.get("/Annots", [])}
    assert names["https://www.nhs.uk"] == "wefan yr NHS"
    assert names["https://www.nhs.uk/conditions/consent-to-treatment/"] == "gydsyniad"


def test_running_heads_and_page_numbers_are_artifacts_and_every_tag_is_in_the_tree(mini):
    """PDF/UA-1: content is either in the tag tree or an artifact; WeasyPrint left page numbers in neither."""
    import pikepdf

    from leaflet_l10n.pdf_structure import _claimed_content
    build(load_project(mini), ["cy"], ["sample"])
    with pikepdf.open(mini / "build/cy/sample.pdf") as pdf:
        claimed = _claimed_content(pdf.Root.StructTreeRoot, None)
        for page in pdf.pages:
            operations = pikepdf.parse_content_stream(page)
            marked = [int(operands[1].MCID) for operands, operator in operations
                      if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary)]
            assert marked and all((page.objgen, mcid) in claimed for mcid in marked)
            assert any(str(operator) == "BMC" and operands[0] == pikepdf.Name.Artifact
                       for operands, operator in operations)
    assert "Tudalen 1 o 1" in pdf_text(mini / "build/cy/sample.pdf") or "Page 1 of 1" in pdf_text(mini / "build/cy/sample.pdf")


@pytest.fixture
def rich_pages(rich, monkeypatch) -> list[str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")      # the same bytes on both sides
    build(load_project(rich), ["en", "ar", "ur"])
    return [(rich / f"build/{code}/bowel-preparation.html").read_text() for code in ("en", "ar", "ur")]


def test_a_pdf_is_the_one_weasyprint_makes_of_the_page_alone(rich_pages, monkeypatch):
    """Styles parsed once and fonts loaded once change nothing in what a patient gets."""
    ours = [render.pdf_bytes(html, where="page") for html in rich_pages]
    monkeypatch.setattr(render, "_styles_taken", lambda document: None)     # WeasyPrint's own way
    assert ours == [render.pdf_bytes(html, where="page") for html in rich_pages]


def test_the_site_stylesheet_is_parsed_once_for_every_pdf_a_worker_makes(rich_pages, monkeypatch):
    import weasyprint
    parsed, make = [], weasyprint.CSS.__init__
    monkeypatch.setattr(weasyprint.CSS, "__init__",
                        lambda self, *a, **k: parsed.append(k.get("string") or "") or make(self, *a, **k))
    render._stylesheet.cache_clear()
    for html in rich_pages:
        render.pdf_bytes(html, where="page")
    assert sum(".callout" in css for css in parsed) == 1, "leaflet.css, once for three pages"


STYLE_CASES = tomllib.loads((FIXTURES / "style-cases.toml").read_text(encoding="utf-8"))["case"]


@pytest.mark.parametrize("case", STYLE_CASES, ids=[case["name"] for case in STYLE_CASES])
def test_a_page_whose_styles_must_stay_in_place_renders_as_weasyprint_renders_it(case, monkeypatch):
    html = f'<!doctype html><html lang="en"><head><title>t</title>{case["html"]}</body></html>'
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ours = render.pdf_bytes(html, where="page")
    monkeypatch.setattr(render, "_styles_taken", lambda document: None)
    assert ours == render.pdf_bytes(html, where="page")


def test_a_worker_loads_the_installed_fonts_once_for_every_pdf(rich_pages, monkeypatch):
    from weasyprint.text import fonts
    made, make = [], fonts.FontConfiguration.__init__
    monkeypatch.setattr(fonts.FontConfiguration, "__init__", lambda self: made.append(1) or make(self))
    render._fonts.cache_clear()
    render._stylesheet.cache_clear()
    for html in rich_pages:
        render.pdf_bytes(html, where="page")
    assert len(made) == 1


STYLE_FRAGMENTS = [
    "<p>Text</p>", "<h1>Heading</h1>", "<style>p { color: #ff0000 }</style>", "<STYLE>p { color: #00ff00 }</STYLE >",
    "<style>p { color: #0000ff !important }</style>", '<p style="color: #ff00ff">Text</p>',
    "<!-- <style>p { color: #00ffff }</style> -->", "<style>@page { size: A6 }</style>",
    "<template><style>p { color: #ffff00 }</style></template>", "<textarea><style>p { color: #ff8800 }</style></textarea>",
    "<style>p:first-child { color: #008800 }</style>", "<style>@layer b, a;</style>",
    "<style>@layer a { p { color: #8800ff } }</style>", "<style>p { color: #880000 }</style/>"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.lists(st.sampled_from(STYLE_FRAGMENTS), max_size=3),
       body=st.lists(st.sampled_from(STYLE_FRAGMENTS), min_size=1, max_size=4))
def test_any_page_renders_as_weasyprint_renders_it_alone(head, body, monkeypatch):
    """Fuzzing the split of a page from its styles: whatever the fragments, the same PDF."""
    html = (f'<!doctype html><html lang="en"><head><title>t</title>{"".join(head)}</head>'
            f'<body>{"".join(body)}</body></html>')
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ours = render.pdf_bytes(html, where="page")
    with monkeypatch.context() as plain:
        plain.setattr(render, "_styles_taken", lambda document: None)
        assert ours == render.pdf_bytes(html, where="page")


def _private_use_font() -> str:
    """A data: URL of a font whose one glyph is at U+E000, which no installed font has."""
    import base64
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    pen = TTGlyphPen(None)
    for point in ((100, 0), (100, 700), (500, 700), (500, 0)):
        (pen.lineTo if pen.points else pen.moveTo)(point)
    pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "box"])
    builder.setupCharacterMap({0xE000: "box"})
    builder.setupGlyf({".notdef": pen.glyph(), "box": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (600, 100), "box": (600, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Private Use", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    data = io.BytesIO()
    builder.save(data)
    return "data:font/ttf;base64," + base64.b64encode(data.getvalue()).decode()


def test_a_font_one_page_brings_does_not_reach_the_next_page_of_the_worker():
    """Whether a character without a glyph is caught must not hang on what a worker rendered before."""
    def page(style: str, body: str) -> str:
        return f'<!doctype html><html lang="en"><head><title>t</title><style>{style}</style></head><body>{body}</body></html>'
    render.pdf_bytes(page(f"@font-face {{ font-family: Icons; src: url({_private_use_font()}) }} "
                          "p { font-family: Icons }", "<p>\ue000</p>"), where="icons")
    with pytest.raises(MissingGlyphError):
        render.pdf_bytes(page("", "<p>a\ue000b</p>"), where="next")
