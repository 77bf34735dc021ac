"""One output of the build: a leaflet in one language, rendered by a pure function.

`render_job(JobInput) -> JobOutput` reads no file and writes none: the input
carries everything (the parsed leaflet, the catalogues' bytes, the images, the
templates, the stylesheet and fonts, the glossary), and the output carries the
HTML and PDF bytes and the images to put beside the HTML, or the typed error
that stopped them. So a job can run in another
process or on another machine; only the build's coordinator touches the project.
"""
from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

import segno

from babel.support import NullTranslations, Translations

from . import catalogs, render, textcompare
from .checks import Judge
from .config import UI_DOMAIN, Language
from .errors import CatalogError, MissingGlyphError, PipelineError, RenderError, SourceError
from .glossary import Glossary
from .images import check_image, data_uri
from .pofile import read_po
from .source import Leaflet, check_publishable
from .translate import LocalisedLeaflet, localise


FILES = ("html", "pdf", "large_print")     # an output's files, as JobOutput names them
# The parts of an output that run as separate jobs: its two PDFs take about the same time, so
# one output (a translator's one edit) renders on two cores, and a library's jobs balance better.
PARTS = (("html", "pdf"), ("large_print",))


@dataclass(frozen=True)
class CatalogInput:
    """A catalogue's bytes and the path that names it in messages (it is not read)."""
    path: Path
    data: bytes | None                    # None: the file is missing or unreadable

    def judged(self, language: Language, glossary: Glossary) -> tuple[catalogs.Catalog, Judge | None]:
        """The catalogue, and the judge of which of its translations a patient may see."""
        if self.data is None:
            raise CatalogError("catalogue not found or unreadable", path=self.path,
                               hint="run `invoke extract update` to create it")
        catalog = read_po(self.data, self.path)
        catalog.domain = self.path.stem
        judge = Judge(language, catalog.domain, self.path, glossary) if language.is_translation else None
        return catalog, judge


@dataclass(frozen=True)
class ImageInput:
    """A figure's image as this language shows it: its variant, or the English image."""
    src: str                              # as the leaflet names it: images/x.svg
    path: Path                            # the file it came from, to name it in messages
    data: bytes | None                    # None: the file could not be read


@dataclass(frozen=True)
class JobInput:
    leaflet: Leaflet
    language: Language
    source_language: Language
    catalog: CatalogInput | None          # None: the page is the English source
    ui_catalog: CatalogInput | None
    glossary: Glossary
    site: render.Site
    switcher: tuple[dict, ...]            # the languages a patient can switch to
    images: tuple[ImageInput, ...] = ()
    page_url: str | None = None           # the page on the published site, for the PDFs' QR code
    files: tuple[str, ...] = FILES        # which of the output's files this job makes


@dataclass(frozen=True)
class JobOutput:
    html: bytes = b""
    pdf: bytes = b""
    large_print: bytes = b""              # the PDF again, in large print
    fallbacks: int = 0                    # segments shown in English
    images: tuple[tuple[str, bytes], ...] = ()   # (src, bytes) to write beside the page
    title: str = ""                       # as the page shows it, for the language's library page
    title_in_english: bool = False        # the English title, shown because the translation cannot be
    error: PipelineError | None = None

    @staticmethod
    def joined(parts: list[JobOutput]) -> JobOutput:
        """One output from the jobs that made its parts: the first error, or each file from the part
        that made it."""
        error = next((part.error for part in parts if part.error is not None), None)
        if error is not None:
            return JobOutput(error=error)
        return dataclasses.replace(parts[0], **{name: next((getattr(part, name) for part in parts
                                                            if getattr(part, name)), b"") for name in FILES})


def render_job(job: JobInput) -> JobOutput:
    """The leaflet's HTML and PDF in the job's language; a typed error instead if they cannot be made."""
    try:
        return _render(job)
    except PipelineError as error:
        return JobOutput(error=error)


def _render(job: JobInput) -> JobOutput:
    check_publishable(job.leaflet)
    images = tuple((image.src, _checked(image)) for image in job.images)
    catalog, judge = job.catalog.judged(job.language, job.glossary) if job.catalog else (None, None)
    localised = localise(job.leaflet, catalog, judge)
    interface = _interface(job)

    def page(image_urls, large_print: bool = False, in_print: bool = True) -> str:
        printed = {"page_url": job.page_url, "qr_code": _qr_code(job.page_url)} if in_print and job.page_url else {}
        return render.render_leaflet(job.site, localised, job.language, job.source_language, interface,
                                     render.Surroundings(job.switcher, image_urls, large_print, **printed))
    # images are written beside the page, and embedded in the PDFs
    html = page(tuple((src, src) for src, _ in images), in_print=False) if "html" in job.files else ""
    embedded = tuple((src, data_uri(src, data)) for src, data in images)
    where = job.catalog.path if job.catalog else job.leaflet.path
    try:
        pdfs = [render.pdf_bytes(page(embedded, large_print=name == "large_print"), where=str(where))
                if name in job.files else b"" for name in ("pdf", "large_print")]
    except MissingGlyphError as error:
        raise _located(error, localised, catalog, where) from None
    return JobOutput(html.encode("utf-8"), *pdfs, localised.fallbacks, images, localised.title.plain,
                     localised.title.fallback is not None and not job.language.is_source)


def _qr_code(url: str) -> str:
    """A QR code to the page, as an SVG data: URL (segno); medium error correction survives a crease."""
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=4, border=2, xmldecl=False, nl=False)
    return data_uri("qr.svg", svg.getvalue())


def _checked(image: ImageInput) -> bytes:
    """A variant comes from a translator: it is checked like any outside file."""
    if image.data is None:
        raise SourceError("cannot read the image", path=image.path, hint="check that the file is there and readable")
    check_image(image.data, image.path)
    return image.data


def _interface(job: JobInput):
    return interface(job.ui_catalog, job.language, job.glossary, strict=True)


def interface(ui_catalog: CatalogInput | None, language: Language, glossary: Glossary, *,
              strict: bool = False) -> Translations | NullTranslations:
    """The interface translations a patient may see. One with an error is left out, so the English
    shows; so is a plural with a form missing or rejected, whole: the English then follows the
    English's plural rule (Babel would fill the missing forms by position: "1 parts" in Welsh,
    whose form 1 is "one"). One Python's % would refuse fails the page when `strict`, as a
    leaflet's page must not be made with it, and is left out otherwise (the index)."""
    if ui_catalog is None:
        return NullTranslations()
    catalog, judge = ui_catalog.judged(language, glossary)
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        problem = _format_problem(message)
        if problem and strict:
            raise RenderError(f"the translation of {catalogs.key_of(message.id)!r} breaks the page: {problem}",
                              path=ui_catalog.path, line=message.lineno,
                              hint="fix it; `invoke check` lists such errors")
        incomplete = isinstance(message.string, tuple) and not all(message.string)
        if problem or incomplete or (judge is not None and judge.errors(message, None)):
            message.string = ""
    return catalogs.translations(catalog)


def _format_problem(message) -> str | None:
    """Why Python's % would refuse this translation when Jinja formats it, if it would."""
    return next(filter(None, (textcompare.format_error(source, translation)
                              for source, translation in catalogs.translation_pairs(message))), None)


def _located(error: MissingGlyphError, localised: LocalisedLeaflet, catalog, where: Path) -> MissingGlyphError:
    """Point a missing glyph at the segment it is in, and at that entry's line in the .po file."""
    source = localised.leaflet
    for segment, text in zip(source.segments(), localised.texts()):
        if error.character in text.plain:
            message = catalog.get(segment.msgid) if catalog else None
            return MissingGlyphError(f'{error.message}, in "{text.plain[:60]}"', character=error.character,
                                     path=where if message else source.path,
                                     line=message.lineno if message else segment.line, hint=error.hint)
    return MissingGlyphError(f"{error.message}, in the page around the leaflet ({UI_DOMAIN}.po or a template)",
                             character=error.character, path=error.path, hint=error.hint)
