"""Round trip: a catalogue whose every translation is its own source text
reproduces the English leaflet's HTML body exactly."""
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.support import NullTranslations
from hypothesis import HealthCheck, given, settings, strategies as st

from leaflet_l10n import load_project
from leaflet_l10n.render import Site, render_leaflet
from leaflet_l10n.source import parse_leaflet, read_leaflet
from leaflet_l10n.translate import localise

from conftest import REPO

FRONT = '+++\ntitle = "T"\ndocument_type = "D"\npublished = 2022-09-22\nisbn = "x"\n' \
        'guidance_url = "https://example.org"\npublisher = "NICE"\npublisher_url = "https://example.org"\n+++\n'
WORD = st.builds(str.__add__, st.sampled_from("abcXYZé"),
                 st.text(alphabet="abcXYZ019&\"'>,.?()é", max_size=7))
PHRASE = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
INLINE = st.one_of(
    PHRASE,
    st.builds(lambda t, p: f"[{t}](https://example.org/{p})", PHRASE, st.sampled_from(["a", "b?c=1"])),
    st.builds(lambda t: f"*{t}*", PHRASE),
    st.builds(lambda t: f"**{t}**", PHRASE),
)
LINE = st.lists(INLINE, min_size=1, max_size=4).map(" ".join)
CELL = st.one_of(st.just(""), INLINE)


def _list(items: list, ordered: bool, start: int, indent: str = "") -> str:
    """Markdown for a list whose items may hold a nested list: [(text, nested or None)]."""
    lines = []
    for number, (text, nested) in enumerate(items, start):
        marker = f"{number}." if ordered else "-"
        lines.append(f"{indent}{marker} {text}")
        if nested:
            lines.append(_list(nested[0], nested[1], 1, indent + " " * (len(marker) + 1)))
    return "\n".join(lines)


NESTED = st.tuples(st.lists(st.tuples(LINE, st.none()), min_size=1, max_size=3), st.booleans())
LIST = st.builds(_list, st.lists(st.tuples(LINE, st.one_of(st.none(), NESTED)), min_size=1, max_size=3),
                 st.booleans(), st.integers(1, 12))
TABLE = st.builds(
    lambda columns, rows, caption: (f"Table: {caption}\n\n" if caption else "")
    + "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    + "\n".join("| " + " | ".join((row * len(columns))[:len(columns)]) + " |" for row in rows),
    st.lists(PHRASE, min_size=1, max_size=3), st.lists(st.lists(CELL, min_size=1, max_size=3), max_size=3),
    st.one_of(st.none(), LINE))
CALLOUT = st.one_of(
    st.builds(lambda kind, title, body: f'!!! {kind} "{title}"\n    {body}', st.sampled_from(["urgent", "important",
              "information"]), PHRASE.filter(lambda t: '"' not in t), LINE),
    st.builds(lambda body: f"> {body}", LINE))
FIGURE = st.builds(lambda alt, caption: f'![{alt}](images/x.svg "{caption}")' if caption else f"![{alt}](images/x.svg)",
                   PHRASE.filter(lambda t: not set(t) & set("[]")), st.one_of(st.none(), PHRASE.filter(
                       lambda t: '"' not in t)))
BLOCK = st.one_of(LINE, st.builds(lambda t: f"## {t}", LINE), LIST, TABLE, CALLOUT, FIGURE)
BODY = st.lists(BLOCK, min_size=1, max_size=6).map("\n\n".join)


def identity_catalog(leaflet) -> Catalog:
    catalog = Catalog(locale="cy")
    for segment in leaflet.segments():
        catalog.add(segment.msgid, segment.msgid)
    return catalog


def main_of(html: str) -> str:
    """The leaflet's body: <main> without the draft notice that opens a translation's page."""
    main = re.search(r'<main id="content">.*</main>', html, re.DOTALL).group(0)
    return re.sub(r'<div class="draft-notice" role="note">.*?</div>\n', "", main, count=1, flags=re.DOTALL)


PROJECT = load_project(REPO)
SITE = Site.read(PROJECT)


def body_html(leaflet, catalog, code: str) -> str:
    language = PROJECT.language(code)
    html = render_leaflet(SITE, localise(leaflet, catalog), language, PROJECT.source_language,
                          NullTranslations())
    return main_of(html)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(BODY)
def test_identity_translation_reproduces_the_english_body(body):
    leaflet = parse_leaflet(FRONT + "\n" + body + "\n", Path("generated.md"))
    assert body_html(leaflet, identity_catalog(leaflet), "cy") == body_html(leaflet, None, "en")


def test_identity_translation_of_the_real_leaflet():
    leaflet = read_leaflet(REPO / "source/leaflets/lumbar-neurostimulation.md")
    english = body_html(leaflet, None, "en")
    assert body_html(leaflet, identity_catalog(leaflet), "cy") == english
    assert 'href="https://www.nhs.uk/conditions/consent-to-treatment/"' in english
