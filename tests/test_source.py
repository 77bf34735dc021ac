import tomllib
from pathlib import Path

import pytest

from leaflet_l10n import markup
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
    with pytest.raises(SourceError, match=case["message"]) as caught:
        parse(case["body"])
    assert caught.value.line == case.get("line") and caught.value.path == Path("x.md")


def test_front_matter_problems_name_the_file():
    with pytest.raises(SourceError, match="front matter lacks 'published'"):
        parse_leaflet('+++\ntitle = "t"\ndocument_type = "d"\n+++\n', Path("y.md"))
    with pytest.raises(SourceError, match="must start with TOML front matter"):
        parse_leaflet("# Title\n", Path("y.md"))
