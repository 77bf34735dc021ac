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
MAX_SVG_ELEMENTS = 20_000               # counting each <use> as the elements it copies
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
# Editors' namespaces that carry no behaviour (Inkscape's, metadata's): allowed, never rendered.
_INERT_NAMESPACES = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://purl.org/dc/elements/1.1/",
                     "http://creativecommons.org/ns#", "http://www.inkscape.org/namespaces/inkscape",
                     "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"}
# The SVG elements a picture needs. Not here, so refused: script, foreignObject, animation (which
# can set a link), feImage and anything else that fetches, runs or embeds a document.
_SVG_ELEMENTS = frozenset("""svg g defs title desc metadata symbol use path rect circle ellipse line polyline
    polygon text tspan textPath image linearGradient radialGradient stop pattern clipPath mask marker filter
    feGaussianBlur feOffset feBlend feColorMatrix feComposite feFlood feMerge feMergeNode feMorphology
    feTurbulence feDropShadow feComponentTransfer feFuncR feFuncG feFuncB feFuncA style""".split())
_MAGIC = {".png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
_SVG_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_EMBEDDED_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*$")
_URL = re.compile(r"url\(\s*['\"]?", re.IGNORECASE)
_CSS_FETCHES = re.compile(r"@import|@font-face|image-set\(|expression\(|\\", re.IGNORECASE)


def english_image(project: Project, src: str) -> Path:
    return inside(project.leaflets_dir, *src.split("/"))


def variant_image(project: Project, language: Language, src: str) -> Path:
    return inside(project.locales_dir, language.code, *src.split("/"))


def variant_place(project: Project, language: Language, src: str) -> Path:
    """Where a translator puts a language's copy of an image, not yet resolved: it may be a bad link."""
    return project.locales_dir / language.code / src


def has_variant(project: Project, language: Language, src: str) -> bool:
    """Whether a translator put something there, even a link that leads nowhere (the job refuses it)."""
    place = variant_place(project, language, src)
    return language.is_translation and (place.exists() or place.is_symlink())


def image_for(project: Project, language: Language, src: str) -> Path:
    """The file a language shows for a figure: its own variant, or else the English image."""
    if has_variant(project, language, src):
        return variant_image(project, language, src)    # whatever it is: the job checks it
    return english_image(project, src)


def read_image(path: Path, used_at: tuple[Path, int]) -> bytes:
    """An image's bytes, once they are checked to be a safe image of the type their name says.
    `used_at`: the leaflet and line of the figure, named when the file is missing."""
    if not path.is_file():
        what = "it is not a regular file" if path.exists() else "there is no such file"
        raise SourceError(f"cannot read the image {path}: {what}", path=used_at[0], line=used_at[1],
                          hint="save the image there, or correct the path in the leaflet")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the image {path}: {exc.strerror}", path=used_at[0], line=used_at[1],
                          hint="check that the file is readable") from None
    check_image(data, path)
    return data


def check_image(data: bytes, path: Path) -> None:
    suffix = path.suffix.lower()
    if len(data) > MAX_IMAGE_BYTES:
        raise SourceError(f"the image is larger than {MAX_IMAGE_BYTES // 2**20} MiB", path=path,
                          hint="make it smaller: patients read leaflets on phones")
    if suffix in _MAGIC and not (data.startswith(_MAGIC[suffix]) and (suffix == ".png" or data.endswith(b"\xff\xd9"))):
        raise SourceError(f"this is not a whole {suffix[1:].upper()} file", path=path,
                          hint="save the image again, in the format its name says")
    if suffix == ".svg":
        _check_svg(data, path)


def _check_svg(data: bytes, path: Path) -> None:
    """A picture and nothing else: SVG elements a picture needs, no document type, entity,
    processing instruction, script, animation or event handler, and no link out of the file."""
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"not a well-formed SVG: {exc.msg}", path=path, line=exc.lineno,
                          hint="export the image again as plain SVG") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _unsafe_svg(path, "a document type", 1)
    if root.tag != f"{{{SVG}}}svg":
        raise SourceError("not an SVG image (its root is not <svg> in the SVG namespace)", path=path, line=1,
                          hint="export the image again as plain SVG")
    for node in [*root.itersiblings(preceding=True), *root.itersiblings(), *root.iter()]:
        _check_svg_node(node, path)
    if _expanded_size(root) > MAX_SVG_ELEMENTS:
        raise _unsafe_svg(path, f"more than {MAX_SVG_ELEMENTS} elements once its <use> copies are made", 1)


def _check_svg_node(node, path: Path) -> None:
    if isinstance(node, etree._Comment):
        return
    if not isinstance(node.tag, str):              # an entity or a processing instruction
        raise _unsafe_svg(path, "an entity or a processing instruction", node.sourceline)
    name = etree.QName(node)
    if name.namespace not in _INERT_NAMESPACES and (name.namespace != SVG or name.localname not in _SVG_ELEMENTS):
        raise _unsafe_svg(path, f"a <{name.localname}> element", node.sourceline)
    for attribute, value in node.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            raise _unsafe_svg(path, f"an event handler ({local})", node.sourceline)
        if local == "href" and not (value.startswith("#") or _EMBEDDED_IMAGE.match(value)):
            raise _unsafe_svg(path, f"a link out of the file ({value[:60]!r})", node.sourceline)
        _check_css(value, path, node.sourceline)
    if name.localname == "style":
        if len(node):
            raise _unsafe_svg(path, "a style with something inside it other than text", node.sourceline)
        _check_css(node.text or "", path, node.sourceline)


def _check_css(text: str, path: Path, line: int | None) -> None:
    """Styles may point at parts of the same file, url(#id), and nothing else."""
    if _CSS_FETCHES.search(text) or any(not text[m.end():].startswith("#") for m in _URL.finditer(text)):
        raise _unsafe_svg(path, "a style that reaches outside the file", line)


def _expanded_size(root) -> int:
    """How many elements the picture has once every <use> is replaced by what it copies."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    sizes: dict = {}                                  # element → its expanded size (the key keeps it alive)

    def size(element, depth: int = 0) -> int:
        if depth > 50:
            return MAX_SVG_ELEMENTS + 1                # a loop of <use>s
        if element not in sizes:
            target = by_id.get((element.get("href") or element.get(f"{{{XLINK}}}href") or "").lstrip("#")) \
                if etree.QName(element).localname == "use" else None
            sizes[element] = 1 + sum(size(child, depth + 1) for child in element if isinstance(child.tag, str)) \
                + (size(target, depth + 1) if target is not None else 0)
        return sizes[element]
    return size(root)


def _unsafe_svg(path: Path, what: str, line: int | None) -> SourceError:
    return SourceError(f"the SVG contains {what}, which could run or fetch something", path=path, line=line,
                       hint="export the image again as a plain picture, with everything it shows inside the file")


def data_uri(src: str, data: bytes) -> str:
    """The image inside the URL itself, for the PDF: it needs no file and fetches nothing."""
    return f"data:{MEDIA_TYPES[Path(src).suffix.lower()]};base64,{base64.b64encode(data).decode('ascii')}"
