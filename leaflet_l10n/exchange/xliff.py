"""PO ⇄ XLIFF 1.1 through Translate Toolkit, keeping notes, context, locations and state."""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from translate.convert.po2xliff import po2xliff
from translate.convert.xliff2po import xliff2po
from translate.storage import po

from ..errors import CatalogError


def po_to_xliff(po_bytes: bytes, name: str) -> bytes:
    store = po.pofile(po_bytes)
    store.filename = name
    return po2xliff().convertstore(store)


# XLIFF needs no document type: refusing one keeps entity expansion and external entities out.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ELEMENT = re.compile(rb"<[A-Za-z_]")


def xliff_to_po(data: bytes, path: Path) -> bytes:
    """The XLIFF as PO bytes; an XML error is reported at its line."""
    _refuse_doctype(data, path)
    try:
        tree = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise CatalogError(f"not well-formed XLIFF: {exc.msg}", path=path, line=exc.lineno,
                           hint="fix the XML, or export the file again from your CAT tool") from None
    if tree.getroottree().docinfo.doctype:       # one the byte search missed (another encoding)
        raise CatalogError("XLIFF with a document type (<!DOCTYPE>) is refused", path=path, line=1,
                           hint="export the file again from your CAT tool, without a DOCTYPE")
    try:
        return bytes(xliff2po().convertstore(data))
    except Exception as exc:          # Translate Toolkit raises many kinds on odd input
        raise CatalogError(f"Translate Toolkit cannot read this XLIFF: {type(exc).__name__}: {exc}", path=path,
                           hint="export the file again from your CAT tool as XLIFF 1.1 or 1.2") from None


def _refuse_doctype(data: bytes, path: Path) -> None:
    """Refuse a document type before any XML parser sees it: entities are declared there."""
    doctype = _DOCTYPE.search(data)
    first_element = _ELEMENT.search(data)
    if doctype and (first_element is None or doctype.start() < first_element.start()):
        raise CatalogError("XLIFF with a document type (<!DOCTYPE>) is refused", path=path,
                           line=data.count(b"\n", 0, doctype.start()) + 1,
                           hint="export the file again from your CAT tool, without a DOCTYPE")


def unit_lines(data: bytes) -> dict[str, int]:
    """The line of each trans-unit, by its source text, so findings can point into the XLIFF."""
    lines: dict[str, int] = {}
    for unit in etree.fromstring(data, _PARSER).iter("{*}trans-unit"):
        source = unit.find("{*}source")
        if source is not None:
            lines.setdefault("".join(source.itertext()), unit.sourceline)
    return lines
