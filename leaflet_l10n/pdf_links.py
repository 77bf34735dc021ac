"""Links in a tagged PDF named by their words, not their addresses (PDF/UA: an annotation's /Contents).

WeasyPrint gives every link annotation its URL as /Contents, so a screen reader
reads "https://www.nhs.uk/conditions/consent-to-treatment/" where the page says
"giving consent to treatment". The tag tree holds the links in reading order, as
the HTML does: each /Link element is matched to the next HTML link with the same
target, and its annotations get that link's text.
"""
from __future__ import annotations

import io

import lxml.html
import pikepdf


def name_links(pdf: bytes, html: str) -> bytes:
    """The PDF with each link annotation's /Contents set to the words of its HTML link."""
    anchors = [(a.get("href"), " ".join(a.text_content().split())) for a in lxml.html.fromstring(html).iter("a")
               if a.get("href")]
    with pikepdf.open(io.BytesIO(pdf)) as document:
        position, previous = 0, None
        for link in _links_in_reading_order(document.Root.StructTreeRoot):
            target = str(link[0].A.URI) if "/A" in link[0] else None
            if previous is not None and previous[0] == target:
                text = previous[1]                   # the same link, wrapped onto another line
            else:
                found = next((i for i in range(position, len(anchors)) if anchors[i][0] == target), None)
                if found is None:
                    continue
                position, text = found + 1, anchors[found][1]
            for annotation in link:
                annotation.Contents = pikepdf.String(text)
            previous = (target, text)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def _links_in_reading_order(node) -> list[list]:
    """The annotations of each /Link element of the tag tree, depth first."""
    found = []
    if isinstance(node, pikepdf.Dictionary):
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        if node.get("/S") == "/Link":
            objects = [kid.Obj for kid in kids if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]
            if objects:
                found.append(objects)
        for kid in kids:
            found += _links_in_reading_order(kid)
    return found
