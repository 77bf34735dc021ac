"""Each language's library page (build/<lang>/index.html) and the top index that links them, built by
the real tasks: six leaflets in English, Welsh, Turkish and Arabic (tests/fixtures/library-collation.toml),
and the miniature project for languages that fail or are withheld."""
from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path

import icu
import lxml.html
import polib
import pytest

from conftest import FIXTURES, REPO, ROOTS, copy_project, fill, run_task
from leaflet_l10n import extract, init_language, load_project

CASES = tomllib.loads((FIXTURES / "library-collation.toml").read_text(encoding="utf-8"))
LEAFLETS: dict[str, dict[str, str]] = CASES["leaflets"]
ORDER: dict[str, list[str]] = CASES["order"]
TRANSLATED = ("cy", "tr", "ar")
BROWSER = Path(__file__).parent / "browser"


@pytest.fixture(scope="module")
def shelf(tmp_path_factory) -> Path:
    """The six leaflets, their titles translated, the interface words as the real project has them; built."""
    root = copy_project(ROOTS / "mini", tmp_path_factory.mktemp("library") / "mini")
    sample = root / "source/leaflets/sample.md"
    for name, titles in LEAFLETS.items():
        text = re.sub(r'^title = ".*"$', f'title = "{titles["en"]}"', sample.read_text(encoding="utf-8"),
                      flags=re.MULTILINE)
        (root / f"source/leaflets/{name}.md").write_text(text, encoding="utf-8")
    sample.unlink()
    project = load_project(root)
    extract(project)
    for code in TRANSLATED:
        init_language(project, code)
    for code in TRANSLATED:
        for name, titles in LEAFLETS.items():
            fill(root / f"locales/{code}/LC_MESSAGES/{name}.po", {titles["en"]: titles[code]})
        _real_interface(root, code)
    run_task(root, "build")
    return root


def _real_interface(root: Path, code: str) -> None:
    real = {e.msgid: e for e in polib.pofile(str(REPO / f"locales/{code}/LC_MESSAGES/ui.po"))}
    ui = polib.pofile(str(root / f"locales/{code}/LC_MESSAGES/ui.po"))
    for entry in ui:
        entry.msgstr, entry.msgstr_plural = real[entry.msgid].msgstr, dict(real[entry.msgid].msgstr_plural)
    ui.save()


def _page(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def _listed(page) -> list[str]:
    return [a.text_content() for a in page.xpath('//ul[@id="leaflets"]/li/a[@class="library-title"]')]


def _ui(code: str, msgid: str) -> polib.POEntry:
    return next(e for e in polib.pofile(str(REPO / f"locales/{code}/LC_MESSAGES/ui.po")) if e.msgid == msgid)


# -- the order ------------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(ORDER))
def test_the_fixture_s_order_is_neither_code_point_nor_one_order_for_every_language(code):
    root_order = sorted(ORDER[code], key=icu.Collator.createInstance(icu.Locale("")).getSortKey)
    assert ORDER[code] != sorted(ORDER[code]) and ORDER[code] != root_order


@pytest.mark.parametrize("code", sorted(ORDER))
def test_a_language_s_library_lists_its_leaflets_in_its_own_collation_order(shelf, code):
    assert _listed(_page(shelf / f"build/{code}/index.html")) == ORDER[code]


# -- what each page lists, in which language ---------------------------------------

@pytest.mark.parametrize("code", ["en", *TRANSLATED])
def test_every_leaflet_appears_once_with_its_page_and_both_pdfs(shelf, code):
    page_path = shelf / f"build/{code}/index.html"
    page = _page(page_path)
    items = page.xpath('//ul[@id="leaflets"]/li')
    assert sorted(_listed(page)) == sorted(titles[code] for titles in LEAFLETS.values())
    hrefs = [[a.get("href") for a in item.xpath(".//a")] for item in items]
    assert sorted(h[0] for h in hrefs) == sorted(f"{name}.html" for name in LEAFLETS)
    for html, pdf, large_print in hrefs:
        name = html.removesuffix(".html")
        assert (pdf, large_print) == (f"{name}.pdf", f"{name}-large-print.pdf")
        assert all((page_path.parent / href).is_file() for href in (html, pdf, large_print))


def test_an_arabic_library_is_right_to_left_in_arabic_fonts_and_words(shelf):
    page = _page(shelf / "build/ar/index.html")
    root = page.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert '"Noto Naskh Arabic"' in page.xpath("//style")[0].text
    assert page.xpath('//label[@for="search-words"]')[0].text_content() == _ui("ar", "Find a leaflet").msgstr
    assert page.xpath("//h1")[0].text_content() == _ui("ar", "Patient information leaflets").msgstr
    assert page.xpath('//div[@class="draft-notice"]')       # every language here is a draft


def test_the_search_status_follows_each_language_s_plural_forms(shelf):
    """One status a number of leaflets from 0 to all of them, in the catalogue's own plural form."""
    said = {code: [span.text_content() for span in _page(shelf / f"build/{code}/index.html").xpath(
        '//template[@id="search-counts"]/span')] for code in ("en", *TRANSLATED)}
    assert said["en"] == ["0 leaflets", "1 leaflet", *(f"{n} leaflets" for n in range(2, 7))]
    welsh = _ui("cy", "%(number)s leaflet").msgstr_plural          # zero, one, two, few, many, other
    assert said["cy"] == [welsh[i].replace("%(number)s", str(n)) for n, i in enumerate((0, 1, 2, 3, 5, 5, 4))]
    assert said["cy"][6] == "6 thaflen"
    assert said["tr"] == [f"{n} broşür" for n in range(7)]


def test_an_english_title_on_a_translated_page_is_marked_english(mini):
    run_task(mini, "build")
    page = _page(mini / "build/cy/index.html")
    assert page.xpath('//a[@class="library-title"]')[0].get("lang") is None     # the mini's title is translated
    fill(mini / "locales/cy/LC_MESSAGES/sample.po", {"Having a sample procedure": ""})
    run_task(mini, "build")
    title = _page(mini / "build/cy/index.html").xpath('//a[@class="library-title"]')[0]
    assert (title.text_content(), title.get("lang"), title.get("dir")) == ("Having a sample procedure", "en", "ltr")


# -- the top index ----------------------------------------------------------------------

def test_the_top_index_names_every_language_in_its_own_language_and_links_its_library(shelf):
    page = _page(shelf / "build/index.html")
    for language in load_project(shelf).all_languages:
        link, = page.xpath(f'//a[@href="{language.tag}/index.html"]')
        assert (link.text_content(), link.get("lang"), link.get("dir")) == (
            language.native_name, language.tag, language.direction)
    assert not page.xpath('//a[contains(@href, ".pdf")]')          # six leaflets: the libraries list them


def test_a_small_project_s_index_lists_the_leaflets_and_links_each_library(mini):
    run_task(mini, "build")
    page = _page(mini / "build/index.html")
    for tag in ("en", "cy"):
        section, = page.xpath(f'//section[@id="{tag}"]')
        assert section.xpath(f'.//a[@href="{tag}/index.html"]') and section.xpath(f'.//a[@href="{tag}/sample.html"]')


def _set_welsh_ui(root: Path, english: str, welsh: str) -> None:
    entries = polib.pofile(str(root / "locales/cy/LC_MESSAGES/ui.po"))
    next(e for e in entries if e.msgid == english).msgstr = welsh
    entries.save()


def test_a_failed_language_gets_no_library_and_no_link(mini):
    run_task(mini, "build")
    assert (mini / "build/cy/index.html").is_file()
    _set_welsh_ui(mini, "Published: %(date)s", "Cyhoeddwyd: %(date)s %y")      # breaks the Welsh pages
    assert run_task(mini, "build", check=False).returncode == 1
    hrefs = _page(mini / "build/index.html").xpath("//a/@href")
    assert "en/index.html" in hrefs and not [href for href in hrefs if href.startswith("cy/")]
    assert not (mini / "build/cy/index.html").exists() and (mini / "build/en/index.html").is_file()
    assert "../cy/index.html" not in (mini / "build/en/index.html").read_text(encoding="utf-8")


def test_a_withheld_language_gets_no_library_and_no_link(mini):
    run_task(mini, "build")
    registry = mini / "locales/languages.toml"
    registry.write_text(registry.read_text().replace('status = "draft"', 'status = "published"'))
    result = run_task(mini, "build", check=False)
    assert result.returncode != 0 and "WITHHELD cy" in result.stdout
    assert "cy/index.html" not in _page(mini / "build/index.html").xpath("//a/@href")
    assert not (mini / "build/cy/index.html").exists()


def test_a_leaflet_named_index_is_refused_before_a_library_page_overwrites_it(mini):
    sample = mini / "source/leaflets/sample.md"
    sample.rename(sample.with_name("index.md"))
    run_task(mini, "extract")
    result = run_task(mini, "build", "--lang", "en", check=False)
    assert result.returncode == 2 and "a leaflet named 'index'" in result.stdout + result.stderr


# -- in a browser ---------------------------------------------------------------------------

SEARCH = """
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
                                        args: ["--no-sandbox", "--disable-gpu"] });
const results = [];
try {
  for (const { file, typed, script } of JSON.parse(process.env.SEARCHES)) {
    const context = await browser.newContext({ javaScriptEnabled: script });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    for (const text of typed) await page.fill("#search-words", text);
    await page.waitForTimeout(700);                     // the status waits for the typing to pause
    results.push(await page.evaluate(() => ({
      box: !document.getElementById("search").hidden,
      shown: Array.from(document.querySelectorAll("#leaflets > li")).filter((li) => li.offsetParent !== null)
        .map((li) => li.querySelector("a").textContent),
      status: document.getElementById("search-status").textContent })));
    await context.close();
  }
} finally { await browser.close(); }
console.log(JSON.stringify(results));
"""


def _browse(searches: list[dict]) -> list[dict]:
    assert (BROWSER / "node_modules" / "playwright-core").is_dir(), \
        "the browser checks are not installed: run ./run test, which installs them"
    out = subprocess.run(["node", "--input-type=module"], input=SEARCH, cwd=BROWSER, capture_output=True, text=True,
                         timeout=300, env={**os.environ, "SEARCHES": json.dumps(searches)}, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_search_filters_as_the_patient_types_ignoring_case_and_accents(shelf):
    page = {code: str(shelf / f"build/{code}/index.html") for code in ("en", *TRANSLATED)}
    searches = [
        {"file": page["tr"], "typed": ["GÖZ kurulugu"], "script": True},     # Turkish case, ö and ğ
        {"file": page["tr"], "typed": ["c"], "script": True},                # c finds ç too
        {"file": page["cy"], "typed": ["llygaid SYCH"], "script": True},
        {"file": page["cy"], "typed": ["xyz"], "script": True},
        {"file": page["ar"], "typed": ["القَيء"], "script": True},          # a vowel mark typed
        {"file": page["en"], "typed": ["vom", ""], "script": True},          # cleared: everything again
        {"file": page["en"], "typed": [], "script": False},                  # no JavaScript: the whole list
    ]
    found = [(r["box"], r["shown"], r["status"]) for r in _browse(searches)]
    assert found == [
        (True, ["Göz kuruluğu"], "1 broşür"),
        (True, ["Cilt bakımı", "Çarpıntı"], "2 broşür"),
        (True, ["Llygaid sych"], "1 daflen"),
        (True, [], "0 taflen"),
        (True, ["القيء"], _ui("ar", "%(number)s leaflet").msgstr_plural[1].replace("%(number)s", "1")),
        (True, _listed(_page(shelf / "build/en/index.html")), "6 leaflets"),
        (False, _listed(_page(shelf / "build/en/index.html")), ""),
    ]


def test_the_index_of_many_leaflets_and_the_libraries_pass_axe_and_reflow(shelf):
    """The accessibility tests check a one-leaflet project's index; this is the index of many."""
    pages = [shelf / "build/index.html", shelf / "build/tr/index.html"]
    out = subprocess.run(["node", str(BROWSER / "axe.mjs"), *map(str, pages)], capture_output=True, text=True,
                         timeout=600, check=False)
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    assert [(r["file"], r["width"], v["id"], v["nodes"]) for r in results for v in r.get("violations", [])] == []
    assert all(r["sideways"] == 0 for r in results if "sideways" in r)
