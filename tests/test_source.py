from pathlib import Path

import pytest

from leaflet_l10n.errors import SourceError
from leaflet_l10n.source import parse_leaflet

FRONT = """+++
title = "A title"
document_type = "Information for the public"
published = 2022-09-22
+++
"""


def parse(body: str):
    return parse_leaflet(FRONT + body, Path("x.md"))


def test_segments_are_whole_blocks_with_kinds_and_lines():
    leaflet = parse("\nOne. Two.\nThree.\n\n## Heading\n\n- item one\n- item two\n")
    kinds = [(s.kind, s.msgid, s.line) for s in leaflet.segments()]
    assert kinds == [
        ("title", "A title", 2),
        ("document_type", "Information for the public", 3),
        ("paragraph", "One. Two. Three.", 7),
        ("heading", "Heading", 10),
        ("list_item", "item one", 12),
        ("list_item", "item two", 13),
    ]


def test_link_targets_stay_out_of_msgids_and_go_into_notes():
    segment = parse("\nSee the [NHS website](https://www.nhs.uk) *now*.\n").segments()[2]
    assert segment.msgid == "See the <a1>NHS website</a1> <em1>now</em1>."
    assert "https" not in segment.msgid
    assert "<a1>…</a1> links to https://www.nhs.uk" in segment.comments
    assert segment.comments[0] == "Paragraph."


def test_translator_note_attaches_to_the_next_block():
    leaflet = parse("\n<!-- translators: keep it short -->\nHello.\n\nBye.\n")
    hello, bye = leaflet.segments()[2:]
    assert "Note: keep it short" in hello.comments
    assert not any(c.startswith("Note:") for c in bye.comments)


@pytest.mark.parametrize("body, line, message", [
    ("\n<div>raw</div>\n", 7, "raw HTML"),
    ("\n# Second title\n", 7, "level-1 heading"),
    ("\n- a\n  - b\n", 8, "nested lists"),
    ("\n> quoted\n", 7, "unsupported Markdown block"),
    ("\nSome `code` here.\n", 7, "unsupported inline Markdown"),
    ("\nAn <b>inline</b> tag.\n", 7, "unsupported inline Markdown"),
    ("\nText \\<a1> that looks like a tag.\n", 7, "looks like markup"),
])
def test_unsupported_markdown_is_an_error_with_its_line(body, line, message):
    with pytest.raises(SourceError, match=message) as caught:
        parse(body)
    assert caught.value.line == line and caught.value.path == Path("x.md")


def test_front_matter_problems_name_the_file():
    with pytest.raises(SourceError, match="front matter lacks 'published'"):
        parse_leaflet('+++\ntitle = "t"\ndocument_type = "d"\n+++\n', Path("y.md"))
    with pytest.raises(SourceError, match="must start with TOML front matter"):
        parse_leaflet("# Title\n", Path("y.md"))
