"""Leaflets a publisher already has (Word, OpenDocument, a saved web page) as new Markdown leaflets.

pandoc reads the document into its syntax tree. Everything the pipeline can keep
safely is kept: headings, paragraphs, lists (two levels), block quotes, simple
tables, images (SVG, PNG, JPEG), links, emphasis. Everything else is dropped or
unwrapped, and reported with where it was, so the publisher can check the result
against the original: text boxes and styled sections, colours, footnotes, code,
raw HTML, merged table cells, deeper lists. pandoc then writes the kept tree as
Markdown, which the leaflet parser must accept before anything is written.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from ..body import ALT_TO_WRITE, IMAGE_SUFFIXES, IMAGES_DIR, MAX_LIST_DEPTH
from ..config import Project, inside, valid_leaflet_name
from ..errors import ConfigError, SourceError
from ..fileio import atomic_write_bytes, atomic_write_text
from ..images import check_image
from ..markup import unsafe_url
from ..source import parse_leaflet

READERS = {".docx": "docx", ".odt": "odt", ".html": "html", ".htm": "html"}
MAX_UNPACKED_BYTES, MAX_RATIO = 200 * 2**20, 100
# What a browser does not show, or shows from elsewhere: never leaflet text.
_INVISIBLE = {
    "script(s), style(s) and form(s)": ".//script | .//style | .//form | .//nav",
    "hidden element(s) (hidden, display: none)": ".//*[@hidden] | .//*[contains(translate(@style, ' ', ''), "
                                                 "'display:none')] | .//*[contains(translate(@style, ' ', ''), "
                                                 "'visibility:hidden')] | .//template | .//noscript",
    "embedded page(s) or object(s)": ".//iframe | .//frame | .//object | .//embed",
}
DOCUMENT_TYPE = "Information for the public"
# Inline wrappers whose words are kept and whose styling goes (with a word in the report).
_UNWRAPPED_INLINES = {"Underline": "underlining", "Strikeout": "crossing out", "Superscript": "superscript",
                      "Subscript": "subscript", "SmallCaps": "small capitals", "Span": "styling (colour, font)"}
_DROPPED_INLINES = {"Note": "a footnote", "RawInline": "raw markup", "Math": "a formula"}
_SPACE = {"t": "Space"}


@dataclass(frozen=True)
class Dropped:
    where: str              # e.g. block 12, under "What happens next"
    what: str


@dataclass(frozen=True)
class Conversion:
    path: Path
    images: tuple[Path, ...]
    dropped: tuple[Dropped, ...]

    @property
    def ready(self) -> bool:
        """Whether the leaflet can be extracted as it is: no image description is left to write."""
        return not any(ALT_TO_WRITE in item.what for item in self.dropped)


def new_leaflet(project: Project, name: str, document: Path, today: dt.date | None = None) -> Conversion:
    """Write source/leaflets/<name>.md (and its images) from an existing document; never overwrites."""
    target = _target(project, name)
    reader = READERS.get(document.suffix.lower())
    if reader is None:
        raise ConfigError(f"cannot read {document.suffix or 'this'} files", path=document,
                          hint=f"save the leaflet as one of: {', '.join(sorted(READERS))}")
    if not document.is_file():
        raise ConfigError("file not found", path=document, hint="give the path of the document to convert")
    with tempfile.TemporaryDirectory() as scratch:
        media = Path(scratch) / "media"
        converter = _Converter(name, media, document.parent)
        source = _visible_content(document, Path(scratch), converter) if reader == "html" else _unzipped(document)
        # --sandbox: pandoc reads the one file it is given; it fetches nothing, local or remote.
        tree = _pandoc(["--sandbox", "-f", reader, "-t", "json", f"--extract-media={media}", str(source)], document)
        tree["blocks"] = converter.blocks(tree["blocks"])
        markdown = _pandoc(["--sandbox", "-f", "json", "-t", "gfm", "--wrap=none"], document, json.dumps(tree))
        text = _front_matter(converter.title or name.replace("-", " ").capitalize(),
                             converter.published or today) + markdown
        _check(text.replace(ALT_TO_WRITE, "an image"), target, document)
        images = converter.save_images(project)
    atomic_write_text(target, text)
    return Conversion(target, images, tuple(converter.dropped))


def _visible_content(document: Path, scratch: Path, converter: _Converter) -> Path:
    """What a patient sees of a saved web page: its main content, without what is hidden or embedded."""
    try:
        page = lxml.html.parse(str(document)).getroot()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, OSError):
        return document                       # pandoc says what is wrong with it
    if page is None:
        return document
    main = next(iter(page.xpath("//main | //*[@role='main'] | //article")), None)
    if main is not None:
        converter.drop(f"everything outside its <{main.tag}>: navigation, banners, footer", where="the page")
    kept = main if main is not None else page
    for what, path in _INVISIBLE.items():
        found = kept.xpath(path)
        for element in found:
            element.drop_tree()
        if found:
            converter.drop(f"{len(found)} {what}", where="the page")
    visible = scratch / "visible.html"
    visible.write_bytes(b"<!DOCTYPE html><html><body>" + lxml.html.tostring(kept, encoding="utf-8") + b"</body></html>")
    return visible


def _unzipped(document: Path) -> Path:
    """An office document is a zip: refuse one that would unpack to far more than it is."""
    try:
        with zipfile.ZipFile(document) as package:
            total = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, OSError):
        return document                       # pandoc says what is wrong with it
    if total > MAX_UNPACKED_BYTES or total > MAX_RATIO * max(document.stat().st_size, 1):
        raise SourceError(f"the document would unpack to {total} bytes", path=document,
                          hint="save it again from its editor, without embedded files")
    return document


def _target(project: Project, name: str) -> Path:
    if not valid_leaflet_name(name):
        raise ConfigError(f"leaflet name {name!r} is not lower-case words joined by hyphens",
                          hint="choose a name such as bowel-preparation")
    target = inside(project.leaflets_dir, f"{name}.md")
    if target.exists():
        raise ConfigError("a leaflet of that name exists already", path=target,
                          hint="choose another name, or delete the old leaflet first")
    return target


def _pandoc(arguments: list[str], document: Path, stdin: str | None = None):
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise ConfigError("pandoc is not installed", hint="install Debian's pandoc (`./run` does it for you)")
    result = subprocess.run([pandoc, *arguments], input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise SourceError(f"pandoc cannot read this document: {result.stderr.strip()[:300]}", path=document,
                          hint="open it in its editor and save it again, or save it as .docx or .html")
    return json.loads(result.stdout) if "json" in arguments[arguments.index("-t") + 1] else result.stdout


def _front_matter(title: str, today: dt.date | None) -> str:
    return (f'+++\ntitle = {json.dumps(title, ensure_ascii=False)}\ndocument_type = "{DOCUMENT_TYPE}"\n'
            f"published = {(today or dt.date.today()).isoformat()}\n"
            "# Fill these in: the build refuses a leaflet without them.\n"
            '# publisher = "…"\n# publisher_url = "https://…"\n# guidance_url = "https://…"\n# isbn = "…"\n'
            "+++\n\n")


def _check(text: str, target: Path, document: Path) -> None:
    """The leaflet parser has the last word: nothing it would refuse is written."""
    try:
        parse_leaflet(text, target)
    except SourceError as exc:
        line = text.splitlines()[exc.line - 1] if exc.line and exc.line <= len(text.splitlines()) else ""
        raise SourceError(f"the converted leaflet would be refused: {exc.message} ({line[:80]!r})", path=document,
                          hint="simplify that part of the document, or write it in Markdown by hand") from None


class _Converter:
    """Keeps what the pipeline supports of pandoc's tree, and says what it dropped and where."""

    def __init__(self, name: str, media: Path, folder: Path) -> None:
        self.name, self.media, self.folder = name, media, folder   # folder: a saved page's own files
        self.title: str | None = None
        self.published: dt.date | None = None       # a "Published: 22 September 2022" line, if any
        self.dropped: list[Dropped] = []
        self.images: dict[Path, str] = {}          # extracted file → its name under images/
        self.block_number, self.heading = 0, ""

    def drop(self, what: str, where: str | None = None) -> None:
        under = f', under "{self.heading}"' if self.heading else ""
        self.dropped.append(Dropped(where or f"block {self.block_number}{under}", what))

    def blocks(self, blocks: list[dict], depth: int = 0) -> list[dict]:
        kept: list[dict] = []
        for block in blocks:
            if depth == 0:
                self.block_number += 1
            new = self.block(block, depth)
            if new and kept and _repeats(kept[-1], new[0]):
                kept.pop()                  # a caption paragraph that Word also keeps as the caption
            if new and kept and _repeats(new[0], kept[-1]):
                new.pop(0)                  # a figure's caption written again under it
            kept += new
        return kept

    def block(self, block: dict, depth: int) -> list[dict]:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            return self.paragraph(kind, content)
        if kind == "Header":
            return self.header(content)
        if kind in ("BulletList", "OrderedList"):
            return self.list_block(kind, content, depth)
        if kind == "BlockQuote":
            return self.quote(content, depth)
        if kind == "Table":
            return self.table(content)
        if kind == "Div" and "footnotes" in content[0][1]:
            self.drop("the footnotes: add what matters to the text by hand")
            return []
        if kind == "Div":
            if _styled(content[0]):
                self.drop("a text box or styled section: its text is kept, its box and styling are not")
            return self.blocks(content[1], depth)
        if kind == "LineBlock":
            return [{"t": "Para", "c": self.inlines(line)} for line in content]
        self.drop({"CodeBlock": "a block of code", "RawBlock": "raw markup", "HorizontalRule": "a dividing line",
                   "DefinitionList": "a definition list"}.get(kind, f"a {kind}"))
        return []

    def quote(self, content: list, depth: int) -> list[dict]:
        """A call-out box holds paragraphs and lists; a heading in it becomes a paragraph."""
        kept, after = [], []
        for block in self.blocks(content, depth):
            if block["t"] in ("Para", "Plain", "BulletList", "OrderedList"):
                kept.append(block)
            elif block["t"] == "Header":
                self.drop("a heading inside a quoted box: made a paragraph")
                kept.append({"t": "Para", "c": block["c"][2]})
            else:
                self.drop(f"a {block['t']} inside a quoted box: moved after the box")
                after.append(block)
        return ([{"t": "BlockQuote", "c": kept}] if kept else []) + after

    def header(self, content: list) -> list[dict]:
        level, attr, inlines = content
        text = self.inlines(inlines)
        self.heading = _plain(text)
        if level == 1 and self.title is None:
            self.title = self.heading
            return []
        if level == 1:
            self.drop("a second main heading: made a section heading")
        return [{"t": "Header", "c": [max(level, 2), ["", [], []], text]}]

    def paragraph(self, kind: str, content: list) -> list[dict]:
        if self.title is None and _plain(content).strip() == DOCUMENT_TYPE:
            return []                         # the page's own label: the front matter has it
        if self.published is None and (date := _published(_plain(content))):
            self.published = date
            return []
        images = [i for i in content if i["t"] == "Image"]
        if images and len(images) == 1 and all(i["t"] in ("Image", "Space", "SoftBreak") for i in content):
            return self.figure(images[0])
        text = self.inlines(content)
        return [{"t": "Para", "c": text}] if _plain(text).strip() else []

    def figure(self, image: dict) -> list[dict]:
        attr, alt, (src, title) = image["c"]
        path = self.image_file(src)
        if path is None:
            self.drop(f"an image the document only links to ({src[:60]}): save it and add it by hand")
            return []
        try:
            check_image(path.read_bytes(), path.with_name(f"image{path.suffix}"))
        except SourceError as exc:
            self.drop(f"an image that is not safe to show ({exc.message}): add a plain one by hand")
            return []
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            self.drop(f"an image in a format the leaflet cannot show ({path.suffix or 'unknown'}): "
                      "save it as SVG, PNG or JPEG and add it by hand")
            return []
        name = self.images.setdefault(path, f"{self.name}-{len(self.images) + 1}{path.suffix.lower()}")
        alt_text = self.inlines(alt) or [{"t": "Str", "c": ALT_TO_WRITE}]
        if not alt:
            self.drop(f"an image without a description: write one where it says {ALT_TO_WRITE}; "
                      "the build refuses the leaflet until then")
        return [{"t": "Para", "c": [{"t": "Image", "c": [["", [], []], alt_text,
                                                          [f"{IMAGES_DIR}/{name}", title.removeprefix("fig:")]]}]}]

    def image_file(self, src: str) -> Path | None:
        """An image the document carries (extracted by pandoc), or one saved with a web page in its
        folder; never a file elsewhere on this machine, never the network."""
        if ":" in src or src.startswith("/") and not src.startswith(str(self.media)):
            return None
        path = (Path(src) if src.startswith(str(self.media)) else self.folder / src).resolve()
        inside = path.is_relative_to(self.media.resolve()) or path.is_relative_to(self.folder.resolve())
        return path if inside and path.is_file() else None

    def list_block(self, kind: str, content: list, depth: int) -> list[dict]:
        items = content[1] if kind == "OrderedList" else content
        if depth >= MAX_LIST_DEPTH:
            self.drop(f"a list nested more than {MAX_LIST_DEPTH} levels: its items became plain paragraphs")
            return [b for item in items for b in self.blocks(item, depth)]
        kept = []
        for item in items:
            blocks = self.blocks(item, depth + 1)
            text = [b for b in blocks if b["t"] in ("Para", "Plain")]
            nested = [b for b in blocks if b["t"] in ("BulletList", "OrderedList")]
            joined = [x for i, b in enumerate(text) for x in ([_SPACE] if i else []) + b["c"]]
            if len(text) > 1:
                self.drop("a list item of several paragraphs: joined into one")
            kept.append([{"t": "Plain", "c": joined}, *nested] if joined else nested)
        if kind == "BulletList":
            return [{"t": kind, "c": kept}]
        return [{"t": kind, "c": [[content[0][0], {"t": "Decimal"}, {"t": "Period"}], kept]}]

    def table(self, content: list) -> list[dict]:
        attr, caption, colspecs, head, bodies, foot = content
        if not head[1] and bodies and bodies[0][3]:
            head[1] = [bodies[0][3].pop(0)]
            self.drop("a table without a header row: its first row became the header, check it")
        rows = [row for row in head[1]] + [row for body in bodies for row in body[2] + body[3]] + foot[1]
        cells = [cell for row in rows for cell in row[1]]
        if any(cell[2] != 1 or cell[3] != 1 for cell in cells):
            self.drop("merged table cells: each now stands alone, check the table")
        for cell in cells:
            cell[2], cell[3], cell[4] = 1, 1, [{"t": "Plain", "c": self.cell_text(cell[4])}]
        caption_text = [x for b in caption[1] if b["t"] in ("Para", "Plain") for x in self.inlines(b["c"])]
        table = {"t": "Table", "c": [attr, [None, []], colspecs, head, bodies, foot]}
        if not caption_text:
            return [table]
        return [{"t": "Para", "c": [{"t": "Str", "c": "Table:"}, _SPACE, *caption_text]}, table]

    def cell_text(self, blocks: list[dict]) -> list[dict]:
        """A table cell is one line of text: paragraphs and list items are joined with semicolons."""
        parts = []
        for block in blocks:
            if block["t"] in ("Para", "Plain"):
                parts.append(self.inlines(block["c"]))
            elif block["t"] in ("BulletList", "OrderedList"):
                self.drop("a list inside a table cell: its items were joined with semicolons")
                items = block["c"] if block["t"] == "BulletList" else block["c"][1]
                parts += [self.cell_text(item) for item in items]
            else:
                self.drop(f"a {block['t']} inside a table cell")
        joined = []
        for part in (p for p in parts if p):
            joined += ([{"t": "Str", "c": ";"}, _SPACE] if joined else []) + part
        return joined

    def inlines(self, inlines: list[dict]) -> list[dict]:
        kept = []
        for inline in inlines:
            kind, content = inline["t"], inline.get("c")
            if kind in ("Str", "Space", "SoftBreak"):
                kept.append(inline)
            elif kind in ("Emph", "Strong"):
                kept.append({"t": kind, "c": self.inlines(content)})
            elif kind == "Link":
                kept += self.link(content)
            elif kind == "Span":
                if _styled(content[0]):
                    self.drop(f"{_UNWRAPPED_INLINES[kind]}: the words are kept")
                kept += self.inlines(content[1])
            elif kind in _UNWRAPPED_INLINES:
                self.drop(f"{_UNWRAPPED_INLINES[kind]}: the words are kept")
                kept += self.inlines(content)
            else:
                kept += self.other_inline(kind, content)
        return kept

    def link(self, content: list) -> list[dict]:
        attr, words, (url, title) = content
        if "footnote-ref" in attr[1]:
            self.drop("a footnote reference")
            return []
        if url.startswith("#"):
            self.drop("a link to another part of the original page: its words are kept")
            return self.inlines(words)
        if unsafe_url(url):
            self.drop(f"a link to {url[:60]!r} ({unsafe_url(url)}): its words are kept")
            return self.inlines(words)
        return [{"t": "Link", "c": [["", [], []], self.inlines(words), [url, ""]]}]

    def other_inline(self, kind: str, content) -> list[dict]:
        if kind == "LineBreak":
            return [_SPACE]
        if kind == "Quoted":
            mark = "“" if content[0]["t"] == "DoubleQuote" else "‘"
            close = "”" if mark == "“" else "’"
            return [{"t": "Str", "c": mark}, *self.inlines(content[1]), {"t": "Str", "c": close}]
        if kind == "Code":
            self.drop("code formatting: the text is kept")
            return [{"t": "Str", "c": content[1]}]
        if kind == "Cite":
            return self.inlines(content[1])
        self.drop({"Image": "an image inside a line of text", **_DROPPED_INLINES}.get(kind, f"a {kind}"))
        return []

    def save_images(self, project: Project) -> tuple[Path, ...]:
        saved = []
        for source, name in self.images.items():
            target = inside(project.leaflets_dir, IMAGES_DIR, name)
            atomic_write_bytes(target, source.read_bytes())
            saved.append(target)
        return tuple(saved)


def _styled(attr: list) -> bool:
    """Whether an element carries styling (classes, a style, a colour), not just an anchor or a language."""
    identifier, classes, attributes = attr
    return bool(classes) or any(key not in ("role", "lang", "dir") for key, _ in attributes)


def _published(text: str) -> dt.date | None:
    """The date of a line such as "Published: 22 September 2022", as publishers print it."""
    label, _, date = text.partition(":")
    if label.strip().lower() not in ("published", "date published", "last updated"):
        return None
    for pattern in ("%d %B %Y", "%B %d, %Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(date.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _repeats(paragraph: dict, captioned: dict) -> bool:
    """Whether `paragraph` only repeats the caption or alt text of the table or figure `captioned`."""
    if paragraph["t"] != "Para" or captioned["t"] != "Para" or not captioned["c"] \
            or any(inline["t"] == "Image" for inline in paragraph["c"]):
        return False
    text = _plain(paragraph["c"]).strip()
    if not text:
        return False
    first = captioned["c"][0]
    if first["t"] == "Str" and first["c"] == "Table:":          # a table's caption paragraph
        return text == _plain(captioned["c"][2:]).strip()
    if first["t"] == "Image":
        return text in (_plain(first["c"][1]).strip(), first["c"][2][1].strip())
    return False


def _plain(inlines: list[dict]) -> str:
    """The words of inline elements, for headings, dates and messages."""
    words = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str":
            words.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            words.append(" ")
        elif kind in ("Link", "Span", "Quoted", "Cite"):
            words.append(_plain(content[1]))
        elif isinstance(content, list) and all(isinstance(item, dict) for item in content):
            words.append(_plain(content))           # Emph, Strong, Underline and the like
    return "".join(words)


def conversion_summary(conversion: Conversion, root: Path) -> str:
    """What a conversion wrote and what it left out, for the terminal."""
    lines = [f"wrote {conversion.path.relative_to(root)}",
             *(f"wrote {image.relative_to(root)}" for image in conversion.images)]
    if conversion.dropped:
        lines.append(f"left out or changed {len(conversion.dropped)} thing(s); check them against the original:")
        lines += [f"  {item.where}: {item.what}" for item in conversion.dropped]
    lines.append("next: fill in the front matter (publisher, links, ISBN), then `invoke build`" if conversion.ready
                 else f"next: write each image description ({ALT_TO_WRITE}) and fill in the front matter, "
                      "then run `invoke extract update`")
    return "\n".join(lines)
