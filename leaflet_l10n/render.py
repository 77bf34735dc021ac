"""Rendering: Jinja2 (autoescaped) to HTML, WeasyPrint to tagged A4 PDF."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations, Translations
from jinja2 import DictLoader, Environment, StrictUndefined, TemplateError
from markupsafe import Markup, escape

from .config import Language, Project
from .errors import MissingGlyphError, RenderError
from .markup import link_target
from .pdf_structure import repair
from .pdf_tagging import tagging
from .typography import counter_style, font_stack, localise_digits, typography
from .translate import LocalisedLeaflet

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
STYLESHEET = "leaflet.css"
LARGE_PRINT_SUFFIX = "-large-print"
_NOTDEF = re.compile(r'unsupported by fonts: "(.*)" \(U\+([0-9A-F]+)\)', re.DOTALL)
_PAGE_FIELDS = re.compile(r"\{(page|pages)\}")
_PAGE_LANGUAGE = re.compile(r'<html[^>]*\slang="([^"]*)"')
# What a stylesheet shares with the page's other stylesheets, or with later pages through the
# fonts: a stylesheet holding any of these stays in its page (see `_styles_taken`).
_SHARED_AT_RULES = {"import", "font-face", "layer", "counter-style", "color-profile"}
_EMPTY_PSEUDO_CLASSES = {"empty", "blank"}        # a <style> taken out is left empty


def css_string(text: str) -> str:
    """A CSS string literal that no translation can break out of."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n\r' else ch for ch in text)
    return f'"{escaped}"'


def css_string_filter(text: str) -> Markup:
    return Markup(css_string(str(text)))


def page_counter(template: str, counter_style: str = "decimal") -> Markup:
    """'Page {page} of {pages}' as a CSS `content` value with live counters."""
    parts = _PAGE_FIELDS.split(str(Markup(template).unescape()))
    pieces = [f"counter({part}, {counter_style})" if index % 2 else css_string(part)
              for index, part in enumerate(parts) if index % 2 or part]
    return Markup(" ".join(pieces))


@dataclass(frozen=True)
class PageLanguage:
    """What a template needs to know about the language of the page."""
    lang: str
    dir: str
    font_stack: Markup
    line_height: float
    heading_line_height: float
    counter_style: str = "decimal"
    font_scale: float = 1.0

    @classmethod
    def of(cls, language: Language) -> "PageLanguage":
        script = typography(language.locale)
        return cls(language.tag, language.direction, Markup(font_stack(language.locale)),
                   script.line_height, script.heading_line_height, counter_style(language.format_locale),
                   script.font_scale)


@dataclass(frozen=True)
class Site:
    """What every page is made with: the templates, the stylesheet and each language's fonts.
    The coordinator reads them once; a job renders from them without touching a file."""
    templates_dir: Path                  # only to name a template in an error
    templates: tuple[tuple[str, str], ...]   # (file name, text)
    stylesheet: Markup                   # leaflet.css, then each language's fonts

    @classmethod
    def read(cls, project: Project) -> Site:
        templates = tuple((path.relative_to(project.templates_dir).as_posix(), path.read_text(encoding="utf-8"))
                          for path in sorted(project.templates_dir.rglob("*.html")))
        css = (project.styles_dir / STYLESHEET).read_text(encoding="utf-8")
        return cls(project.templates_dir, templates, Markup(css) + "\n" + language_fonts(project.all_languages))

    def render(self, template: str, translations: NullTranslations, **context) -> str:
        env = _environment(self)
        install_translations(env, translations)       # each render installs its own language
        try:
            return env.get_template(template).render(stylesheet=self.stylesheet, **context)
        except TemplateError as exc:
            raise RenderError(f"template error: {exc}", path=self.templates_dir / template,
                              line=getattr(exc, "lineno", None),
                              hint="fix the template; run `invoke extract` after changing its strings") from None


@lru_cache(maxsize=4)
def _environment(site: Site) -> Environment:
    """The templates compiled once per process and site: a worker renders many jobs."""
    env = Environment(loader=DictLoader(dict(site.templates)), autoescape=True, undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.policies["ext.i18n.trimmed"] = True
    env.filters["page_counter"] = page_counter
    env.filters["css_string"] = css_string_filter
    env.filters["link"] = link_target      # every href a template makes passes the allow-list
    return env


def install_translations(env: Environment, translations: NullTranslations) -> None:
    """Like Jinja's own, but a translation is escaped: it is text, never markup."""
    env.install_gettext_callables(
        gettext=lambda message: escape(translations.gettext(message)),
        ngettext=lambda singular, plural, n: escape(translations.ngettext(singular, plural, n)),
        newstyle=True)


def language_fonts(languages: tuple[Language, ...]) -> Markup:
    """Each language's fonts for text marked with its `lang` (language names in the
    switcher and the index, English fallbacks on other pages, review sheets)."""
    return Markup("\n".join(f":lang({language.tag}) {{ font-family: {font_stack(language.locale)}; }}"
                             for language in languages))


@dataclass(frozen=True)
class Surroundings:
    """What a leaflet's page links to: the languages to switch to, and each figure's image URL."""
    switcher: tuple[dict, ...] = ()
    image_urls: tuple[tuple[str, str], ...] = ()      # (src as the leaflet names it, URL on this page)
    large_print: bool = False                          # the large-print edition's page
    page_url: str | None = None                        # printed with a QR code, in the PDFs only
    qr_code: str = ""                                  # that QR code, as a data: URL

    def image_url(self, src: str) -> str:
        return dict(self.image_urls).get(src, src)


def render_leaflet(site: Site, localised: LocalisedLeaflet, language: Language, source_language: Language,
                   translations: Translations | NullTranslations, around: Surroundings = Surroundings()) -> str:
    """The leaflet's HTML page in `language`, with a switcher to the other languages."""
    return site.render(
        "leaflet.html", translations,
        page=PageLanguage.of(language), source=PageLanguage.of(source_language),
        leaflet=localised, meta=localised.leaflet.metadata,
        published=localise_digits(format_date(localised.leaflet.published, "long", locale=language.format_locale),
                                  language.format_locale),
        draft=language.status in ("draft", "pseudo"), fallbacks=localised.fallbacks, languages=list(around.switcher),
        image_url=around.image_url, pdf_href=f"{localised.leaflet.name}.pdf", large_print=around.large_print,
        page_url=around.page_url, qr_code=around.qr_code,
        large_print_href=f"{localised.leaflet.name}{LARGE_PRINT_SUFFIX}.pdf")


@contextmanager
def _glyph_watch() -> Iterator[list[tuple[str, str]]]:
    """Collect WeasyPrint's '.notdef glyph rendered' warnings while rendering."""
    missing: list[tuple[str, str]] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            match = _NOTDEF.search(record.getMessage())
            if match:
                missing.append((match.group(1), match.group(2)))

    logger = logging.getLogger("weasyprint")
    handler = Handler(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield missing
    finally:
        logger.removeHandler(handler)


def pdf_bytes(html: str, *, where: str) -> bytes:
    """Tagged PDF/UA bytes; MissingGlyphError (with `.character`) when a character has no glyph."""
    from weasyprint import HTML  # slow import: only when a PDF is wanted

    page_language = _PAGE_LANGUAGE.search(html)
    with _glyph_watch() as missing, tagging(page_language.group(1) if page_language else "") as record:
        # No base URL: a relative link stays relative, as in the HTML beside the PDF, instead of
        # becoming a file:// link to the build machine. Styles and fonts need none.
        # Nothing is fetched: images travel inside the page as data: URLs.
        document = HTML(string=html, base_url=None, url_fetcher=_data_urls_only())
        taken = _styles_taken(document)
        kept = {"stylesheets": taken, "font_config": _fonts()} if taken is not None else {}
        data = document.write_pdf(**kept, **PDF_OPTIONS)
    if missing:
        char, code = missing[0]
        raise MissingGlyphError(
            f"no installed font has a glyph for {char!r} (U+{code})", character=char, path=where,
            hint="install the font for this script (fonts-noto-core, fonts-noto-cjk) "
                 "or remove the character from the translation")
    return repair(data, html, record.texts)


def _styles_taken(document) -> list | None:
    """The page's stylesheets, each parsed once per process, taken out of the page: parsing the
    site's stylesheet was a tenth of every PDF. Each <style> is left in place, empty, so selectors
    see the same elements; as user stylesheets, with every author style among them, the cascade is
    unchanged. None, and WeasyPrint's own way, for a page where this could change what it shows
    (tests/fixtures/style-cases.toml)."""
    found = [wrapper.etree_element for wrapper in document.wrapper_element.query_all("style", "link")]
    styles = [element for element in found if element.tag == "style"]      # as WeasyPrint reads them
    if any("stylesheet" in element.get("rel", "").lower().split() for element in found if element.tag == "link") \
            or any(element.attrib or len(element) for element in styles) \
            or any("style" in element.attrib for element in document.etree_element.iter()):
        return None             # a linked stylesheet, a <style> with a media or type, a style attribute
    sheets = [_stylesheet(element.text or "") for element in styles]
    if None in sheets:
        return None
    for element in styles:
        element.text = None
    return sheets


@lru_cache(maxsize=8)
def _stylesheet(text: str):
    """`text` parsed as a user stylesheet; None if it holds what it would share (`_SHARED_AT_RULES`)
    or selects a <style> by its emptiness."""
    import tinycss2
    from weasyprint import CSS
    if _shares_or_sees_empty(tinycss2.parse_stylesheet(text)):
        return None
    return CSS(string=text, base_url=None, url_fetcher=_data_urls_only())


def _data_urls_only():
    """The PDF's one way to fetch: data: URLs only, so nothing a page names is read from disk or network."""
    from weasyprint import URLFetcher
    return URLFetcher(allowed_protocols={"data"})


def _shares_or_sees_empty(nodes) -> bool:
    previous = None
    for node in nodes:
        if node.type == "at-rule" and node.lower_at_keyword in _SHARED_AT_RULES \
                or node.type == "at-keyword" and node.lower_value in _SHARED_AT_RULES \
                or node.type == "ident" and node.lower_value in _EMPTY_PSEUDO_CLASSES \
                and previous is not None and previous.type == "literal" and previous.value == ":":
            return True
        if any(_shares_or_sees_empty(getattr(node, part, None) or ()) for part in ("prelude", "content", "arguments")):
            return True
        previous = node
    return False


@lru_cache(maxsize=1)
def _fonts():
    """One font configuration per process. WeasyPrint's default, a new one per document, loads
    every installed font again with Pango's caches cold: a seventh of the time, and a third
    more memory after a hundred PDFs."""
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()
