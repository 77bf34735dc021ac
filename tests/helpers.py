"""Reading outputs as a patient's tools would (PDF text, metadata and objects), and the
processes a run leaves behind."""
from __future__ import annotations

import importlib
import os
import pkgutil
import re
import subprocess
import zlib
from pathlib import Path


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, value in
            (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pdf_fonts(path: Path) -> list[str]:
    """Names of the fonts embedded in the PDF, as pdffonts lists them."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def pdf_objects(path: Path) -> bytes:
    """The PDF's bytes with every compressed stream inflated, to look for catalogue entries."""
    data = path.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def package_modules(package) -> list:
    """Every module of a package, its subpackages' included."""
    return [package, *(importlib.import_module(info.name)
                       for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."))]


def pdf_tags(path: Path) -> list[tuple[str, str | None]]:
    """(tag, alt text) of every element of a PDF's tag tree, depth first, as a screen reader meets them."""
    import pikepdf

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                yield str(node.S), (str(node.Alt) if "/Alt" in node else None)
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                yield from walk(kid)
    with pikepdf.open(path) as document:
        return list(walk(document.Root.StructTreeRoot))


def letters(text: str) -> list[str]:
    import unicodedata
    return [char for char in text if unicodedata.category(char)[0] in "LMN"]


def letter_match(expected: str, found: str, *, ordered: bool = True) -> float:
    """The share of the expected letters found: in the same order, or anywhere when not ordered."""
    import difflib
    from collections import Counter
    want, got = letters(expected), letters(found)
    if not want:
        return 1.0
    if ordered:
        matched = sum(block.size for block in difflib.SequenceMatcher(None, want, got, autojunk=False)
                      .get_matching_blocks())
    else:
        matched = sum((Counter(want) & Counter(got)).values())
    return matched / len(want)


def tag_tree(node, page=None):
    """(element, its page) for every element of a tag tree, depth first: a screen reader's order."""
    import pikepdf
    from leaflet_l10n.pdf_structure import _kids
    if isinstance(node, pikepdf.Dictionary):
        page = node.get("/Pg", page)
        if "/S" in node:
            yield node, page
        for kid in _kids(node):
            yield from tag_tree(kid, page)


def pdf_ua_problems(pdf: Path, html: Path) -> list[str]:
    """What a screen reader would get wrong in the PDF, measured against the HTML it was made from:
    untagged content, links named by URL, fallbacks without /Lang, split lists, wrong text."""
    import lxml.html
    import pikepdf
    page = lxml.html.fromstring(html.read_bytes())
    printed = page.xpath("//main | //footer")
    shown = " ".join(part.text_content() for part in printed)
    lists = sum(len(part.xpath(".//ul | .//ol")) for part in printed)
    foreign = " ".join(element.text_content() for part in printed for element in part.xpath(".//*[@lang]")
                       if element.get("lang") != page.get("lang"))
    link_words = {" ".join(a.text_content().split()) for a in page.iter("a")}
    problems = []
    with pikepdf.open(pdf) as document:
        elements = list(tag_tree(document.Root.StructTreeRoot))
        texts = [(str(element.ActualText), str(element.get("/Lang", ""))) for element, _ in elements
                 if "/ActualText" in element]
        claimed = {(p.objgen, kid) for element, p in elements for kid in _mcids(element)}
        for number, pdf_page in enumerate(document.pages, 1):
            for operands, operator in pikepdf.parse_content_stream(pdf_page):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/MCID" in operands[1] and (pdf_page.objgen, int(operands[1].MCID)) not in claimed:
                    problems.append(f"page {number}: marked content {operands[1].MCID} is neither tagged nor an artifact")
            for annotation in pdf_page.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link" and str(annotation.get("/Contents", "")) not in link_words:
                    problems.append(f"page {number}: a link is named {str(annotation.get('/Contents', ''))!r}")
        found_lists = sum(1 for element, _ in elements if element.get("/S") == "/L")
    if found_lists != lists:
        problems.append(f"{found_lists} lists in the tag tree, {lists} in the HTML")
    checks = {"tag tree text": letter_match(shown, "".join(text for text, _ in texts)),
              "text of other languages with their /Lang": letter_match(
                  foreign, "".join(text for text, lang in texts if lang and lang != page.get("lang"))),
              "pdftotext letters": letter_match(shown, pdf_text(pdf), ordered=False)}
    problems += [f"{name}: {score:.4f} of the HTML's letters" for name, score in checks.items() if score < 0.995]
    return problems


def _mcids(element) -> list[int]:
    import pikepdf
    from leaflet_l10n.pdf_structure import _kids
    return [kid if isinstance(kid, int) else int(kid.MCID) for kid in _kids(element)
            if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR")]


def processes(*, group: int | None = None, parent: int | None = None) -> list[int]:
    """Live processes (not zombies) of a process group, or children of a process."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path("/proc", name, "stat").read_text()
            except OSError:
                continue
            state, ppid, pgrp = stat.rpartition(")")[2].split()[:3]
            if state != "Z" and (int(pgrp) == group or int(ppid) == parent):
                found.append(int(name))
    return found


def peak_memory_mib() -> int:
    """This process's peak resident memory (VmHWM), in MiB."""
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) >> 10
