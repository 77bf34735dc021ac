"""Repairs to WeasyPrint's tagged PDF where it falls short of PDF/UA, made with pikepdf.

- Links: WeasyPrint gives every link annotation its URL as /Contents, so a screen
  reader reads "https://www.nhs.uk/conditions/consent-to-treatment/" where the page
  says "giving consent to treatment". The tag tree holds the links in reading order,
  as the HTML does: each /Link element is matched to the next HTML link with the same
  target, and its annotations get that link's text.
- Running heads and page numbers: WeasyPrint tags the page-margin boxes but leaves
  their tags out of the tree (pdf/tags.py says an Artifact there needs PDF 2.0). Their
  marked content is made an Artifact, as PDF/UA-1 asks, so a screen reader skips them.
- Text and language: what `pdf_tagging` noted of each text goes onto its element: the
  logical text as /ActualText, and /Lang where it differs from the page's.
- Split elements: the pieces of one HTML element, one per page, become one element again,
  so a list across a page break is one list.
"""
from __future__ import annotations

import io
import re

import lxml.html
import pikepdf

from .pdf_tagging import ELEMENT

# Marked content as pydyf writes it for WeasyPrint: "/Span\n<</MCID 7>>\nBDC". Rewritten as
# bytes: parsing every operator of every page cost more than the rest of the repair.
_MARKED_CONTENT = re.compile(rb"/[A-Za-z]+\s*<</MCID (\d+)>>\s*BDC")


def repair(pdf: bytes, html: str, texts: dict[tuple[int, int], tuple[str, str | None]]) -> bytes:
    """The PDF with its links named by their words, its page margins as artifacts, split elements
    joined, and each text's words and language ({(page index, MCID): (text, language)}) on its element."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        name_links(document, html)
        mark_artifacts(document)
        join_split_elements(document)
        label_texts(document.Root.StructTreeRoot, None,
                    {(document.pages[page].objgen, mcid): text for (page, mcid), text in texts.items()})
        out = io.BytesIO()
        document.save(out, deterministic_id=True)      # the same page, the same bytes
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
        def artifact(match: re.Match) -> bytes:
            return match.group(0) if (page.objgen, int(match.group(1))) in claimed else b"/Artifact BMC"
        page.contents_coalesce()                     # one stream, however WeasyPrint split it
        content = page.Contents.read_bytes()
        marked = _MARKED_CONTENT.sub(artifact, content)
        if marked != content:
            page.Contents = document.make_stream(marked)


def label_texts(node, page, texts: dict) -> None:
    """Give each element of marked content the /ActualText and /Lang of its texts."""
    if not isinstance(node, pikepdf.Dictionary):
        return
    page = node.get("/Pg", page)
    own = []
    for kid in _kids(node):
        if isinstance(kid, int):
            own.append(texts.get((page.objgen, kid)))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            own.append(texts.get((kid.get("/Pg", page).objgen, int(kid.MCID))))
        else:
            label_texts(kid, page, texts)
    own = [text for text in own if text is not None]
    if own:
        node.ActualText = pikepdf.String("".join(text for text, _ in own))
        languages = {language for _, language in own}
        if len(languages) == 1 and None not in languages:
            node.Lang = pikepdf.String(languages.pop())


def join_split_elements(document: pikepdf.Pdf) -> None:
    """Join the pieces of an element that WeasyPrint tagged page by page, and drop ELEMENT."""
    joined: dict[tuple[int, int], pikepdf.Dictionary] = {}
    _join_kids(document.Root.StructTreeRoot, joined)
    if joined:
        _repoint_parent_tree(document.Root.StructTreeRoot.ParentTree, joined)


def _join_kids(node, joined: dict) -> None:
    kids, kept = _kids(node), []
    for kid in kids:
        previous = kept[-1] if kept else None
        if _same_element(previous, kid):
            _move_kids(kid, previous)
            joined[kid.objgen] = previous
        else:
            kept.append(kid)
    if len(kept) != len(kids):
        node.K = pikepdf.Array(kept)
    for kid in kept:
        if isinstance(kid, pikepdf.Dictionary):
            _join_kids(kid, joined)
            if f"/{ELEMENT}" in kid:
                del kid[f"/{ELEMENT}"]


def _same_element(first, second) -> bool:
    return all(isinstance(node, pikepdf.Dictionary) and f"/{ELEMENT}" in node for node in (first, second)) \
        and first[f"/{ELEMENT}"] == second[f"/{ELEMENT}"] and first.get("/S") == second.get("/S")


def _move_kids(piece: pikepdf.Dictionary, whole: pikepdf.Dictionary) -> None:
    """Append a later piece's children to the whole; marked content keeps its own page."""
    kids = _kids(whole)
    for kid in _kids(piece):
        if isinstance(kid, int):
            kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=piece.Pg, MCID=kid)
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            kid.P = whole
        kids.append(kid)
    whole.K = pikepdf.Array(kids)


def _repoint_parent_tree(parent_tree: pikepdf.Dictionary, joined: dict) -> None:
    """Marked content and annotations of a joined piece now belong to the whole."""
    def whole(element):
        while isinstance(element, pikepdf.Dictionary) and element.objgen in joined:
            element = joined[element.objgen]
        return element

    nums = parent_tree.Nums
    for index in range(1, len(nums), 2):
        if isinstance(nums[index], pikepdf.Array):
            nums[index] = pikepdf.Array([whole(element) for element in nums[index]])
        else:
            nums[index] = whole(nums[index])


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
