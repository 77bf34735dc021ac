from babel.messages.catalog import Catalog

from leaflet_l10n.source import parse_leaflet
from leaflet_l10n.translate import Fallback, localise

SOURCE = """+++
title = "Title"
document_type = "Type"
published = 2022-09-22
+++

See the [NHS website](https://www.nhs.uk).

Translated.

Stale.

Missing.
"""


def test_each_segment_is_translated_or_falls_back_with_a_reason(tmp_path):
    leaflet = parse_leaflet(SOURCE, tmp_path / "x.md")
    catalog = Catalog(locale="cy")
    catalog.add("Title", "Teitl")
    catalog.add("Type", "Math")
    catalog.add("See the <a1>NHS website</a1>.", "Gweler <a1>gwefan</a1> <b>yr NHS</b>.")
    catalog.add("Translated.", "Wedi'i gyfieithu.")
    catalog.add("Stale.", "Hen.", flags=["fuzzy"])
    catalog.add("Missing.", "")
    texts = localise(leaflet, catalog).texts()
    assert [(t.plain, t.fallback) for t in texts] == [
        ("Teitl", None), ("Math", None),
        ("See the NHS website.", Fallback.UNSAFE),
        ("Wedi'i gyfieithu.", None),
        ("Stale.", Fallback.FUZZY),
        ("Missing.", Fallback.UNTRANSLATED),
    ]
    assert texts[2].html == 'See the <a href="https://www.nhs.uk">NHS website</a>.'


def test_without_a_catalogue_the_english_is_shown_unmarked(tmp_path):
    localised = localise(parse_leaflet(SOURCE, tmp_path / "x.md"), None)
    assert localised.fallbacks == 0
