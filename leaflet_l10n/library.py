"""A language's library page (`build/<tag>/index.html`): which leaflets it lists, in which order.

Every leaflet a patient may read in the language, under its title as that language's page
shows it, each with its page, PDF and large-print PDF. The order is the language's own
collation from CLDR, through ICU (PyICU): Welsh files "Cur pen" before "Chwydu" (ch is
a letter after c), Turkish "Çarpıntı" between "Cilt" and "Diyabet", Swedish "Ärr" after "Zon",
Chinese by pinyin. Code-point order (`sorted()`) gets each of these wrong, and so does one
order for every language.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import icu

from .config import BuildPaths, Language, inside
from .errors import ConfigError
from .typography import localise_digits

PAGE = "index.html"                 # a language's library, beside its leaflets' pages
INDEX_LISTS_AT_MOST = 3             # build/index.html lists the leaflets too while there are this few


@dataclass(frozen=True)
class Listed:
    """One leaflet on a library page. The paths are relative to the language's folder."""
    name: str
    title: str                      # as the language's page shows it
    title_lang: str | None          # the source language's tag where the title is shown in English
    title_dir: str | None
    html: str
    pdf: str
    large_print: str


@dataclass(frozen=True)
class Library:
    """A language's library page: where it is written and what it lists, in collation order."""
    page: Path
    folder: str                     # the language's folder, relative to build/
    leaflets: tuple[Listed, ...]

    @property
    def href(self) -> str:
        """The page's address from build/index.html."""
        return f"{self.folder}/{PAGE}"

    @property
    def on_index(self) -> tuple[Listed, ...]:
        """The leaflets build/index.html lists under the language: all while there are few, else none."""
        return self.leaflets if len(self.leaflets) <= INDEX_LISTS_AT_MOST else ()


def library(paths: BuildPaths, language: Language, source: Language,
            titles: dict[str, tuple[str, bool]]) -> Library:
    """The library of `language`: each leaflet (name → its title as its page shows it, and whether
    that is the English) in the language's collation order."""
    page = page_path(paths, language, titles)
    listed = [_listed(paths, language, source, name, title) for name, title in titles.items()]
    key = collation_key(language)
    ordered = sorted(listed, key=lambda item: (key(item.title), item.name))
    return Library(page, paths.relative(page.parent), tuple(ordered))


def _listed(paths: BuildPaths, language: Language, source: Language, name: str,
            title: tuple[str, bool]) -> Listed:
    folder = paths.html(language, name).parent
    files = (path(language, name).relative_to(folder).as_posix()
             for path in (paths.html, paths.pdf, paths.large_print))
    text, english = title
    return Listed(name, text, source.tag if english else None, source.direction if english else None, *files)


def page_path(paths: BuildPaths, language: Language, leaflets: Iterable[str]) -> Path:
    """build/<tag>/index.html; refused while a leaflet's own page would be that file."""
    if PAGE.removesuffix(".html") in leaflets:
        raise ConfigError("a leaflet named 'index' would be overwritten by each language's library page "
                          f"(build/<language>/{PAGE})", path=Path("source/leaflets/index.md"),
                          hint="rename the leaflet, then run `invoke extract update`")
    return inside(paths.root, language.tag, PAGE)


def remove_unlisted(paths: BuildPaths, languages: Iterable[Language], listed: Iterable[Language],
                    leaflets: Iterable[str]) -> None:
    """A language left out of build/index.html (withheld, or failed) keeps no library page either."""
    shown = {language.tag for language in listed}
    for language in languages:
        page = page_path(paths, language, leaflets)
        if language.tag not in shown and page.is_file():
            page.unlink()


def collation_key(language: Language) -> Callable[[str], bytes]:
    """The sort key of CLDR's collation for the language: ICU's tailoring for it, or CLDR's root
    order, which is the right one for a language CLDR gives no tailoring."""
    try:
        return icu.Collator.createInstance(icu.Locale(language.tag)).getSortKey
    except icu.ICUError as exc:
        raise ConfigError(f"ICU cannot collate {language.tag}: {exc}", path=Path("locales/languages.toml"),
                          hint="check the language's code; reinstall PyICU against the system's ICU") from None


def numbers(language: Language, total: int) -> list[str]:
    """0 to `total` in the language's digits, for the search's "N leaflets" (Persian ۳, Bengali ৩)."""
    return [localise_digits(str(n), language.format_locale) for n in range(total + 1)]
