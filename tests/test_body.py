"""The Markdown body: data-driven parser cases, and a leaflet with every kind of block, end to end."""
import tomllib
from pathlib import Path

import re
import subprocess

import polib
import pytest

from conftest import run_task, unpack
from helpers import pdf_tags, pdf_text
from leaflet_l10n import build, check_project, load_project, markup
from leaflet_l10n.catalogs import accented
from leaflet_l10n.errors import SourceError
from leaflet_l10n.source import parse_leaflet, read_leaflet

FRONT = """+++
title = "A title"
document_type = "Information for the public"
published = 2022-09-22
+++
"""


def parse(body: str):
    return parse_leaflet(FRONT + body, Path("x.md"))


CASES = tomllib.loads((Path(__file__).parent / "fixtures/markdown/cases.toml").read_text(encoding="utf-8"))


def outline(block) -> str:
    """A block tree in one line: kind, what the source owns (order, start, type, image, alignment), children."""
    own = [block.kind, "ordered" if block.ordered else "", f"start={block.start}" if block.start != 1 else "",
           block.style, block.src, "header" if block.header else ""]
    text = " ".join(part for part in own if part)
    return f"{text} ({', '.join(outline(child) for child in block.children)})" if block.children else text


@pytest.mark.parametrize("case", [c for c in CASES["case"] if "outline" in c], ids=lambda case: case["name"])
def test_the_structure_is_the_sources(case):
    assert [outline(block) for block in parse(case["body"]).blocks] == case["outline"]


@pytest.mark.parametrize("case", CASES["case"], ids=lambda case: case["name"])
def test_markdown_becomes_the_expected_segments_and_html(case):
    leaflet = parse(case["body"])
    title, document_type, *body = leaflet.segments()
    assert (title.kind, title.line, document_type.kind, document_type.line) == ("title", 2, "document_type", 3)
    found = [{"kind": s.kind, "line": s.line, "msgid": s.msgid,
              "html": str(markup.to_html(s.msgid, s.placeholders)), "comments": list(s.comments)}
             for s in body]
    expected = [{**s, "comments": s.get("comments", found[i]["comments"] if i < len(found) else None)}
                for i, s in enumerate(case["segments"])]
    assert found == expected


@pytest.mark.parametrize("case", CASES["refused"], ids=lambda case: case["name"])
def test_unsupported_markdown_is_an_error_with_its_line(case):
    with pytest.raises(SourceError, match=re.escape(case["message"])) as caught:
        parse(case["body"])
    assert caught.value.line == case.get("line") and caught.value.path == Path("x.md")


# -- a leaflet with every kind of block, end to end ------------------------------------------

RICH = "bowel-preparation"
ALT = "A small box under the skin with two thin wires"


def _built(root, *codes):
    result = build(load_project(root), list(codes) or None)
    assert result.ok, result.failures or result.withheld
    return result


def test_every_piece_of_text_is_a_segment_of_the_template(rich):
    msgids = {entry.msgid for entry in polib.pofile(str(rich / f"locales/{RICH}.pot"))}
    assert {ALT, "The device and its wires", "Call 999 if:", "you have severe pain or bleeding.",
            "Stop taking iron tablets 7 days before.", "drink clear fluids only", "take the first sachet at 5pm",
            "What you can eat", "Day", "Breakfast", "Lunch", "2 days before", "White fish", "Nothing",
            "Bring this leaflet with you.",
            "A colonoscopy looks inside your bowel. Your bowel must be empty & clean.",
            "Take the second sachet if your stool is < 2 hours old."} <= msgids


def test_the_english_page_keeps_the_structure_the_source_owns(rich):
    _built(rich, "en")
    html = (rich / f"build/en/{RICH}.html").read_text(encoding="utf-8")
    assert re.search(r'<figure class="figure">\s*<img src="images/device.svg" alt="' + ALT + r'">\s*'
                     r'<figcaption>The device and its wires</figcaption>', html)
    assert re.search(r'<div class="callout callout-urgent">\s*<h2 class="callout-heading"><span class="callout-label">'
                     r'Urgent:</span> <span>Call 999 if:</span></h2>', html)
    assert re.search(r"<ol>\s*<li><span>Stop taking.*?<li><span>The day before:</span>\s*<ul>\s*<li>"
                     r"<span>drink clear fluids only</span>", html, re.DOTALL)
    assert re.search(r'<table>\s*<caption>What you can eat</caption>\s*<thead><tr><th scope="col">Day</th>'
                     r'<th scope="col">Breakfast</th><th scope="col">Lunch</th></tr></thead>', html)
    assert "<td>White fish</td>" in html and '<div class="callout callout-note">' in html
    assert "empty &amp; clean" in html and "is &lt; 2 hours old" in html
    source = rich / "source/leaflets/images/device.svg"
    assert (rich / "build/en/images/device.svg").read_bytes() == source.read_bytes()


def test_the_pdf_tags_the_table_and_describes_the_figure(rich, tmp_path):
    _built(rich, "en")
    pdf = rich / f"build/en/{RICH}.pdf"
    text = " ".join(pdf_text(pdf).split())
    assert "Urgent: Call 999 if: you have severe pain or bleeding." in text
    assert "Day Breakfast Lunch 2 days before Toast White fish" in text
    tags = pdf_tags(pdf)
    assert ("/Figure", ALT) in tags
    assert {"/Table", "/TH", "/TD", "/Caption"} <= {tag for tag, _ in tags}


def test_the_pseudo_locale_shows_every_piece_of_text_pseudo_translated(rich):
    _built(rich, "en-XA")
    html = (rich / f"build/en-XA/{RICH}.html").read_text(encoding="utf-8")
    for segment in read_leaflet(rich / f"source/leaflets/{RICH}.md").segments():
        assert str(markup.to_html(accented(segment.msgid), segment.placeholders)) in html, segment.msgid


@pytest.mark.parametrize("code", ["ar", "ur"])
def test_right_to_left_pages_build_with_every_kind_of_block(rich, code):
    _built(rich, code)
    html = (rich / f"build/{code}/{RICH}.html").read_text(encoding="utf-8")
    assert f'<html lang="{code}" dir="rtl">' in html and 'class="fallback"' not in html
    assert html.count("<th scope=\"col\">") == 3 and "<figcaption>" in html


def test_a_language_shows_its_own_image_and_the_others_are_told_they_show_the_english(rich):
    variant = rich / "locales/ar/images/device.svg"
    variant.parent.mkdir()
    variant.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="9">جهاز</text></svg>')
    first = {o.language: o for o in _built(rich).outputs}
    assert (rich / "build/ar/images/device.svg").read_bytes() == variant.read_bytes()
    assert (rich / "build/ur/images/device.svg").read_bytes() == \
        (rich / "source/leaflets/images/device.svg").read_bytes()
    status = check_project(load_project(rich))
    warnings = {(s.language.code, f.code) for s in status.languages for f in s.all_findings}
    assert ("ur", "image-in-english") in warnings and ("ar", "image-in-english") not in warnings
    variant.write_text(variant.read_text().replace("جهاز", "الجهاز"))
    second = {o.language: o for o in _built(rich).outputs}
    assert second["ar"].state == "built" and second["ur"].state == "unchanged"
    assert second["ar"].fingerprint != first["ar"].fingerprint


def test_a_translated_image_that_could_run_a_script_is_never_published(rich):
    variant = rich / "locales/ar/images/device.svg"
    variant.parent.mkdir()
    variant.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    result = build(load_project(rich))
    assert [error.path for error in result.failures] == [variant]
    assert not (rich / "build/ar/images/device.svg").exists()
    assert {o.language: o.state for o in result.outputs}["ur"] == "built"
    codes = {f.code for s in check_project(load_project(rich), ["ar"]).languages for f in s.errors}
    assert "image" in codes


def test_a_second_leaflet_with_a_nested_list_goes_through_memory_export_and_import(rich, tmp_path):
    second = rich / "source/leaflets/after-the-test.md"
    second.write_text(read_leaflet(rich / f"source/leaflets/{RICH}.md").path.read_text(encoding="utf-8")
                      .split("+++\n\n", 1)[0] + "+++\n\n- Rest today:\n  - drink clear fluids only\n"
                      "  - do not drive\n\nBring this leaflet with you.\n")
    run_task(rich, "extract", "update")
    po = polib.pofile(str(rich / "locales/ar/LC_MESSAGES/after-the-test.po"))
    remembered = po.find("drink clear fluids only")
    assert remembered.msgstr == "اشرب السوائل الصافية فقط" and "fuzzy" in remembered.flags
    package = rich / run_task(rich, "export", "--lang", "ar", "--leaflet", "after-the-test").stdout.strip()
    returned = unpack(package, tmp_path / "returned") / "after-the-test.po"
    catalog = polib.pofile(str(returned))
    catalog.find("do not drive").msgstr = "لا تقد السيارة"
    for entry in catalog:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()
    run_task(rich, "import", str(returned))
    merged = polib.pofile(str(rich / "locales/ar/LC_MESSAGES/after-the-test.po"))
    assert merged.find("do not drive").msgstr == "لا تقد السيارة"
    assert "fuzzy" not in merged.find("drink clear fluids only").flags


def _word_boxes(pdf) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) of every word, as poppler lays them out."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    boxes, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
            width = float(re.search(r'width="([\d.]+)"', line)[1])
        elif match := re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line):
            boxes.append((page, *map(float, match.groups()[:4]), match[5]))
    assert page and width == pytest.approx(595.28, abs=0.5), "A4"
    return boxes


@pytest.mark.parametrize("code", ["en", "ar", "ur"])
def test_a_long_table_never_leaves_the_page_and_never_splits_a_row(rich, code):
    leaflet = rich / f"source/leaflets/{RICH}.md"
    rows = "\n".join(f"| row{n}start | {'Pneumonoultramicroscopicsilicovolcanoconiosis' * 2} | "
                     f"{'a long sentence that wraps over several lines of its cell ' * 2} row{n}end |"
                     for n in range(40))
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + f"\n| A | B | C |\n|---|---|---|\n{rows}\n")
    run_task(rich, "extract", "update")
    _built(rich, code)
    boxes = _word_boxes(rich / f"build/{code}/{RICH}.pdf")
    assert max(page for page, *_ in boxes) >= 2, "the table runs over pages"
    margin = 18 * 72 / 25.4 - 1                  # the stylesheet's 18 mm side margins, less a point
    assert all(margin <= x_min and x_max <= 595.28 - margin for _, x_min, _, x_max, _, _ in boxes)
    pages = {word: page for page, *_, word in boxes}
    for n in range(40):
        assert pages[f"row{n}start"] == pages[f"row{n}end"], f"row {n} is split across a page break"


@pytest.mark.parametrize("target", ["device.svg", "/etc/passwd"], ids=["loop", "outside"])
def test_a_translated_image_that_is_a_bad_link_fails_only_its_language(rich, target):
    variant = rich / "locales/ar/images/device.svg"
    variant.parent.mkdir()
    variant.symlink_to(target)
    result = build(load_project(rich))
    assert [f.path.name for f in result.failures] == ["device.svg"]
    states = {o.language: o.state for o in result.outputs}
    assert states["ar"] == "failed" and states["ur"] == states["en"] == "built"
    findings = [f for s in check_project(load_project(rich), ["ar"]).languages for f in s.errors]
    assert [f.code for f in findings] == ["image"] and "symbolic link" in findings[0].message \
        or "outside" in findings[0].message
