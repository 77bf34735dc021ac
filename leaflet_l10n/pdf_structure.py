"""Repairs to WeasyPrint's tagged PDF where it falls short of PDF/UA, made with pikepdf.

- Links: WeasyPrint gives every link annotation its URL as /Contents, so a screen
  reader reads "https://www.nhs.uk/conditions/consent-to-treatment/" where the page
  says "giving consent to treatment". The tag tree holds the links in reading order,
  as the HTML does: each /Link element is matched to the next HTML link with the same
  target, and its annotations get that link's text.
- Running heads and page numbers: WeasyPrint tags the page-margin boxes but leaves
  their tags out of the tree (pdf/tags.py says an Artifact there needs PDF 2.0). Their
  marked content is made an Artifact, as PDF/UA-1 asks, so a screen reader skips them.
"""
from __future__ import annotations

import io

import lxml.html
import pikepdf


def repair(pdf: bytes, html: str) -> bytes:
    """The PDF with its links named by their words and its page margins as artifacts."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        name_links(document, html)
        mark_artifacts(document)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def name_links(document: pikepdf.Pdf, html: str) -> None:
    """Set each link annotation's /Contents to the words of its HTML link."""
    anchors = [(a.get("href"), " ".join(a.text_content().split())) for a in lxml.html.fromstring(html).iter("a")
               if a.get("href")]
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


def _links_in_reading_order(node) -> list[list]:
    """The annotations of each /Link element of the tag tree, depth first."""
    found = []
    if isinstance(node, pikepdf.Dictionary):
        kids = _kids(node)
        if node.get("/S") == "/Link":
            objects = [kid.Obj for kid in kids if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]
            if objects:
                found.append(objects)
        for kid in kids:
            found += _links_in_reading_order(kid)
    return found


def mark_artifacts(document: pikepdf.Pdf) -> None:
    """Turn marked content that no element of the tag tree claims into /Artifact."""
    claimed = _claimed_content(document.Root.StructTreeRoot, None)
    for page in document.pages:
        operations, changed = list(pikepdf.parse_content_stream(page)), False
        for index, (operands, operator) in enumerate(operations):
            properties = operands[1] if str(operator) == "BDC" and len(operands) == 2 else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties \
                    and (page.objgen, int(properties.MCID)) not in claimed:
                operations[index] = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
                changed = True
        if changed:
            page.Contents = document.make_stream(pikepdf.unparse_content_stream(operations))


def _claimed_content(node, page) -> set[tuple[tuple[int, int], int]]:
    """(page, MCID) of every marked content an element of the tag tree points at."""
    claimed = set()
    if isinstance(node, pikepdf.Dictionary):
        page = node.get("/Pg", page)
        for kid in _kids(node):
            if isinstance(kid, int):
                claimed.add((page.objgen, kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                claimed.add((kid.get("/Pg", page).objgen, int(kid.MCID)))
            else:
                claimed |= _claimed_content(kid, page)
    return claimed


def _kids(node: pikepdf.Dictionary) -> list:
    """A tag-tree element's children: /K holds one child, an array of them, or nothing."""
    kids = node.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
