"""Every page the pipeline writes, checked as patients' browsers and screen readers meet it:
axe-core (WCAG 2.2 AA and best practice) in Debian's Chromium at phone and desktop width, and
reflow at 320 CSS px and at 200% zoom without sideways scrolling."""
import json
import subprocess
from pathlib import Path

import pytest

from conftest import run_task

BROWSER_CHECKS = Path(__file__).parent / "browser"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    """The leaflet with every kind of block in English, Arabic, Urdu and both pseudo-locales, the index,
    the library pages of English, Arabic and Urdu, the status report and a review sheet, built by the real
    tasks."""
    from conftest import _rich_project
    root = _rich_project(tmp_path_factory.mktemp("accessibility"))
    run_task(root, "build", "--lang", "en", "--lang", "ar", "--lang", "ur", "--lang", "en-XA", "--lang", "ar-XB")
    run_task(root, "build")                           # the index and status report of every language
    run_task(root, "review-sheet", "--lang", "ar")
    found = sorted((root / "build").rglob("*.html"))
    libraries = [root / "build" / tag / "index.html" for tag in ("en", "ar", "ur")]
    assert all(library in found for library in libraries)
    assert len(found) == 11        # five leaflet pages, the index, three libraries, the status report, a review sheet
    return found


@pytest.fixture(scope="module")
def results(pages) -> list[dict]:
    assert (BROWSER_CHECKS / "node_modules" / "axe-core").is_dir(), \
        "the browser checks are not installed: run ./run test, which installs them"
    out = subprocess.run(["node", str(BROWSER_CHECKS / "axe.mjs"), *map(str, pages)], capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_every_page_at_every_width_has_no_axe_violation(results):
    checked = [r for r in results if "violations" in r]
    assert len({r["file"] for r in checked}) == 11 and {r["width"] for r in checked} == {390, 1280}
    violations = [f"{Path(r['file']).parent.name}/{Path(r['file']).name} at {r['width']}px: {v['id']} "
                  f"({v['impact']}) {v['nodes']}" for r in checked for v in r["violations"]]
    assert violations == []


def test_no_page_scrolls_sideways_at_320_px_or_at_200_percent(results):
    reflowed = [r for r in results if "sideways" in r]
    assert reflowed and all(r["sideways"] == 0 for r in reflowed), \
        [(r["file"], r["width"], r["zoom"], r["sideways"]) for r in reflowed if r["sideways"]]


def test_the_skip_link_lands_on_the_draft_notice_first(pages):
    arabic = next(p for p in pages if p.parent.name == "ar" and p.name == "bowel-preparation.html")
    html = arabic.read_text(encoding="utf-8")
    main = html.index('<main id="content">')
    assert 'href="#content"' in html and main < html.index('class="draft-notice"') < html.index("</main>")
    assert '<link rel="alternate" hreflang="x-default" href="../en/bowel-preparation.html">' in html
    assert '<link rel="alternate" type="application/pdf" href="bowel-preparation.pdf">' in html


def test_every_pdf_of_the_leaflet_with_every_block_reads_as_its_html(pages):
    """Tables, figures, callouts, nested lists and English fallbacks, in both editions of every language:
    the PDF/UA points a machine can check (see helpers.pdf_ua_problems)."""
    from helpers import pdf_ua_problems
    leaflet_pages = [page for page in pages if page.with_name(f"{page.stem}-large-print.pdf").exists()]
    pdfs = [(pdf, page) for page in leaflet_pages for pdf in sorted(page.parent.glob(f"{page.stem}*.pdf"))]
    assert len(pdfs) == 2 * len(leaflet_pages) == 10
    assert {str(pdf.relative_to(pdf.parents[1])): pdf_ua_problems(pdf, page) for pdf, page in pdfs} == {
        str(pdf.relative_to(pdf.parents[1])): [] for pdf, _ in pdfs}
