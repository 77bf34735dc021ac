"""The image files of figures: the English ones beside the leaflets, and each language's variants.

A figure names `images/<file>` relative to its leaflet. An image with words in
it can have a variant per language, `locales/<lang>/images/<file>`; a language
without one shows the English image. Every file is checked before it is used:
it must be what its name says, and an SVG must be a picture only. Nothing in
it may run (scripts, event handlers) or fetch anything (links outside the file),
since a browser opens an SVG beside the page as a document of the site, and the
PDF renderer would follow its links on the build machine.
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

from lxml import etree

from .config import Language, Project, inside
from .errors import SourceError

MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
MAX_IMAGE_BYTES = 5 * 2**20
_MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_REFUSED_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
_EMBEDDED_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*$")
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)


def english_image(project: Project, src: str) -> Path:
    return inside(project.leaflets_dir, *src.split("/"))


def variant_image(project: Project, language: Language, src: str) -> Path:
    return inside(project.locales_dir, language.code, *src.split("/"))


def image_for(project: Project, language: Language, src: str) -> Path:
    """The file a language shows for a figure: its own variant, or else the English image."""
    variant = variant_image(project, language, src) if language.is_translation else None
    return variant if variant is not None and variant.is_file() else english_image(project, src)


def read_image(path: Path, used_at: tuple[Path, int]) -> bytes:
    """An image's bytes, once they are checked to be a safe image of the type their name says.
    `used_at`: the leaflet and line of the figure, named when the file is missing."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the image {path}: {exc.strerror}", path=used_at[0], line=used_at[1],
                          hint="save the image there, or correct the path in the leaflet") from None
    check_image(data, path)
    return data


def check_image(data: bytes, path: Path) -> None:
    suffix = path.suffix.lower()
    if len(data) > MAX_IMAGE_BYTES:
        raise SourceError(f"the image is larger than {MAX_IMAGE_BYTES // 2**20} MiB", path=path,
                          hint="make it smaller: patients read leaflets on phones")
    if suffix in _MAGIC and not data.startswith(_MAGIC[suffix]):
        raise SourceError(f"this is not a {suffix[1:].upper()} file", path=path,
                          hint="save the image in the format its name says")
    if suffix == ".svg":
        _check_svg(data, path)


def _check_svg(data: bytes, path: Path) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _unsafe_svg(path, "a document type or entity", 1)
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"not a well-formed SVG: {exc.msg}", path=path, line=exc.lineno,
                          hint="export the image again as plain SVG") from None
    if etree.QName(root).localname != "svg":
        raise SourceError("not an SVG image", path=path, line=1, hint="export the image again as plain SVG")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue                                  # a comment or processing instruction
        if etree.QName(element).localname in _REFUSED_ELEMENTS:
            raise _unsafe_svg(path, f"a <{etree.QName(element).localname}> element", element.sourceline)
        for name, value in element.attrib.items():
            attribute = etree.QName(name).localname
            if attribute.lower().startswith("on"):
                raise _unsafe_svg(path, f"an event handler ({attribute})", element.sourceline)
            if attribute == "href" and not (value.startswith("#") or _EMBEDDED_IMAGE.match(value)):
                raise _unsafe_svg(path, f"a link out of the file ({value[:60]!r})", element.sourceline)
            if _EXTERNAL_URL.search(value) or (attribute == "style" and "@import" in value):
                raise _unsafe_svg(path, "a reference to another file in a style", element.sourceline)
    for style in root.iter("{*}style"):
        if _EXTERNAL_URL.search(style.text or "") or "@import" in (style.text or ""):
            raise _unsafe_svg(path, "a reference to another file in a style", style.sourceline)


def _unsafe_svg(path: Path, what: str, line: int | None) -> SourceError:
    return SourceError(f"the SVG contains {what}, which could run or fetch something", path=path, line=line,
                       hint="export the image again as a plain picture, with everything it shows inside the file")


def data_uri(src: str, data: bytes) -> str:
    """The image inside the URL itself, for the PDF: it needs no file and fetches nothing."""
    return f"data:{MEDIA_TYPES[Path(src).suffix.lower()]};base64,{base64.b64encode(data).decode('ascii')}"
