"""The project: its layout, its leaflets and its registered languages.

Everything else receives one frozen `Project` instead of building paths by hand.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError, localedata

from .errors import ConfigError, UnknownLanguageError
from .markup import unsafe_url

# The folders the pipeline writes to, under the project root.
LOCALES_DIR = "locales"
BUILD_DIR = "build"
LANGUAGES_FILE = "languages.toml"
WITHDRAWN_DIR = "withdrawn"
STATUSES = ("draft", "published")
# Pseudo-locales for testing layout: generated from the templates, never committed,
# never listed or published. Code → (locale for formats, direction, name).
PSEUDO_LOCALES = {
    "en_XA": ("en_GB", "ltr", "English (accented, longer)"),
    "ar_XB": ("en_GB", "rtl", "English (mirrored, right to left)"),
}
UI_DOMAIN = "ui"
# ll[_Script][_RR or _419][@variant], in any letter case (Babel normalises it).
_LOCALE_CODE = re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z]{4})?(?:_(?:[A-Za-z]{2}|\d{3}))?(?:@[A-Za-z0-9]{1,8})?")
_LEAFLET_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def parse_locale(code: str) -> Locale:
    """The one gate for language codes, wherever one enters (command line, registry, catalogue
    header): gettext (`zh_Hans`) or BCP 47 (`zh-Hans`) form of a CLDR locale Babel knows, with
    at most a short alphanumeric `@variant`. Codes become paths and CSS, so nothing else passes:
    Babel alone would keep any `@modifier` as typed."""
    candidate = code.replace("-", "_") if isinstance(code, str) else ""
    try:
        locale = Locale.parse(candidate) if _LOCALE_CODE.fullmatch(candidate) else None
    except (UnknownLocaleError, ValueError):
        locale = None
    if locale is None or not _LOCALE_CODE.fullmatch(str(locale)):
        closest = difflib.get_close_matches(re.split(r"[^A-Za-z_]", candidate)[0], localedata.locale_identifiers(), n=1)
        suggestion = f"did you mean {closest[0]!r}? " if closest else ""
        raise UnknownLanguageError(f"unknown language code {code!r}",
                                   hint=suggestion + "use a CLDR language code such as 'cy', 'pl' or 'zh_Hans'")
    return locale


@dataclass(frozen=True)
class Approval:
    by: str
    at: str
    fingerprint: str


@dataclass(frozen=True)
class Language:
    code: str                 # gettext form, as in locales/: zh_Hans
    status: str               # draft | published
    back_translated: bool = False
    approval: Approval | None = None
    locale: Locale = field(compare=False, repr=False, default=None)
    formats: Locale | None = field(compare=False, repr=False, default=None)
    pseudo_direction: str | None = None     # only for pseudo-locales

    @property
    def format_locale(self) -> Locale:
        """The locale for dates and numbers: `formats = "en_GB"` in the registry, else the language."""
        return self.formats or self.locale

    @property
    def tag(self) -> str:
        """BCP 47 form for HTML `lang`, URLs and build/: zh-Hans."""
        return self.code.replace("_", "-").replace("@", "-")

    @property
    def direction(self) -> str:
        return self.pseudo_direction or self.locale.text_direction

    @cached_property                  # Babel looks it up each time; a library's pages list every language
    def native_name(self) -> str:
        if self.is_pseudo:
            return PSEUDO_LOCALES[self.code][2]
        return self.locale.get_display_name(self.locale)

    @property
    def is_source(self) -> bool:
        return self.status == "source"

    @property
    def is_pseudo(self) -> bool:
        return self.status == "pseudo"

    @property
    def is_translation(self) -> bool:
        """A registered language that translators work on: not the source, not a pseudo-locale."""
        return not (self.is_source or self.is_pseudo)

    def approved_for(self, fingerprint: str) -> bool:
        """Whether a reviewer approved this language for the English with `fingerprint`."""
        return self.approval is not None and self.approval.fingerprint == fingerprint

    def __reduce__(self):
        # A Locale pickles with all the CLDR data it has loaded (some 180 KB a language, sent with
        # every build job); its identifier is enough to load the data again on the other side.
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return (_unpickled_language, ({**fields, "locale": str(self.locale),
                                       "formats": self.formats and str(self.formats)},))


def _unpickled_language(fields: dict) -> Language:
    return Language(**{**fields, "locale": Locale.parse(fields["locale"]),
                       "formats": fields["formats"] and Locale.parse(fields["formats"])})


def pseudo_language(code: str) -> Language:
    formats, direction, _ = PSEUDO_LOCALES[code]
    return Language(code=code, status="pseudo", locale=parse_locale(formats), pseudo_direction=direction)


@dataclass(frozen=True)
class Project:
    root: Path
    source_language: Language
    languages: tuple[Language, ...]
    leaflets: tuple[str, ...]
    site_url: str | None = None          # where build/ is published; PDFs then carry a QR code to the page

    def page_url(self, language: Language, leaflet: str) -> str | None:
        return f"{self.site_url.rstrip('/')}/{language.tag}/{leaflet}.html" if self.site_url else None

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def leaflets_dir(self) -> Path:
        return self.source_dir / "leaflets"

    @property
    def templates_dir(self) -> Path:
        return self.source_dir / "templates"

    @property
    def styles_dir(self) -> Path:
        return self.source_dir / "styles"

    @property
    def locales_dir(self) -> Path:
        return self.root / LOCALES_DIR

    @property
    def languages_file(self) -> Path:
        return self.locales_dir / LANGUAGES_FILE

    @property
    def build_dir(self) -> Path:
        return self.root / BUILD_DIR

    @property
    def build_paths(self) -> "BuildPaths":
        return BuildPaths(self.build_dir)

    @property
    def domains(self) -> tuple[str, ...]:
        return (*self.leaflets, UI_DOMAIN)

    @property
    def all_languages(self) -> tuple[Language, ...]:
        """The source language first, then the registered translations."""
        return (self.source_language, *self.languages)

    def leaflet_path(self, name: str) -> Path:
        return self.leaflets_dir / f"{name}.md"

    def language(self, code: str) -> Language:
        if code.replace("-", "_") in PSEUDO_LOCALES:
            return pseudo_language(code.replace("-", "_"))
        wanted = str(parse_locale(code))
        for language in self.all_languages:
            if language.code == wanted:
                return language
        known = ", ".join(lang.code for lang in self.all_languages)
        raise UnknownLanguageError(
            f"language {code!r} is not registered (registered: {known})",
            path=self.languages_file,
            hint=f"run `invoke init --lang {code}` to add it")

    def select_languages(self, codes: list[str] | None) -> tuple[Language, ...]:
        if not codes:
            return self.all_languages
        return tuple(self.language(code) for code in codes)

    def select_leaflets(self, names: list[str] | None) -> tuple[str, ...]:
        if not names:
            return self.leaflets
        for name in names:
            if name not in self.leaflets:
                raise ConfigError(
                    f"no leaflet named {name!r} (leaflets: {', '.join(self.leaflets)})",
                    path=self.leaflet_path(name),
                    hint="leaflets are the Markdown files in source/leaflets/")
        return tuple(names)


@dataclass(frozen=True)
class BuildPaths:
    """Every path the pipeline writes under build/, in one place (as `CatalogFile` is for locales/)."""
    root: Path

    def html(self, language: Language, leaflet: str) -> Path:
        return inside(self.root, language.tag, f"{leaflet}.html")

    def pdf(self, language: Language, leaflet: str) -> Path:
        return inside(self.root, language.tag, f"{leaflet}.pdf")

    def large_print(self, language: Language, leaflet: str) -> Path:
        return inside(self.root, language.tag, f"{leaflet}-large-print.pdf")

    def image(self, language: Language, src: str) -> Path:
        """A figure's image beside the language's pages: `images/x.svg` as the leaflet names it."""
        return inside(self.root, language.tag, *src.split("/"))

    def relative(self, path: Path) -> str:
        """How the manifest names a file: its path below build/."""
        return path.relative_to(self.root).as_posix()

    def withdrawn(self, relative: str) -> Path:
        """Where a withheld language's earlier output is moved: out of the publishable tree."""
        return self.root / WITHDRAWN_DIR / relative

    @staticmethod
    def is_withdrawn(relative: str) -> bool:
        return Path(relative).parts[:1] == (WITHDRAWN_DIR,)

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def index(self) -> Path:
        return self.root / "index.html"

    @property
    def shards(self) -> Path:
        """Where each shard of a split build records its outputs, for the merge."""
        return self.root / "shards"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def previews(self, language: Language) -> Path:
        return inside(self.root, "previews", language.tag)

    def review(self, language: Language) -> Path:
        return inside(self.root, "review", language.tag)

    @property
    def handoff(self) -> Path:
        return self.root / "handoff"

    def handoff_base(self, handoff_id: str) -> Path:
        """The catalogues as exported, kept so the returned work can be merged three ways."""
        return inside(self.handoff, "bases", handoff_id)


def inside(directory: Path, *parts: str) -> Path:
    """`directory / parts`, refused unless it stays inside `directory`: paths are built from
    codes and names that came from outside, and none may lead out of the project."""
    path = directory.joinpath(*parts)
    try:
        resolved = path.resolve()
    except (RuntimeError, OSError):           # a symbolic link that loops
        raise ConfigError(f"{'/'.join(parts)!r} is a symbolic link that leads nowhere", path=path,
                          hint="replace the link by the file itself") from None
    if not resolved.is_relative_to(directory.resolve()):
        raise ConfigError(f"{'/'.join(parts)!r} would lead outside {directory}", path=directory,
                          hint="use a registered language code and a leaflet name")
    return path


def registry_line(text: str, code: str) -> int | None:
    """The line of a language's `[languages.<code>]` table in the registry text."""
    match = re.search(rf"^\[languages\.{re.escape(code)}\]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_toml(path: Path, hint: str) -> tuple[dict, str]:
    """A TOML configuration file and its text; any fault is a ConfigError with its line."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8", path=path, line=data.count(b"\n", 0, exc.start) + 1,
                          hint="save the file as UTF-8") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+)", str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path=path, line=int(found[1]) if found else None,
                          hint=f"fix the syntax; {hint}") from None


def key_line(text: str, key: str) -> int | None:
    """The first line that sets `key` or opens a table of that name, for error messages."""
    match = re.search(rf"^\s*\[?(?:[\w.]*\.)?{re.escape(key)}\b", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _read_language(code: str, entry, path: Path, text: str) -> Language:
    line = registry_line(text, code)
    if not isinstance(entry, dict):
        raise ConfigError(f"language {code!r} must be a table with a status", path=path, line=line,
                          hint=f'write [languages.{code}] and, below it, status = "draft"')
    try:
        locale = parse_locale(code)
    except UnknownLanguageError as exc:
        raise UnknownLanguageError(exc.message, path=path, line=line, hint=exc.hint) from None
    if str(locale) != code:
        raise ConfigError(f"language code {code!r} should be written {str(locale)!r}",
                          path=path, line=line, hint="use the gettext form of the code")
    status = entry.get("status")
    if status not in STATUSES:
        raise ConfigError(f"language {code!r} has status {status!r}", path=path, line=line,
                          hint='set status = "draft" or status = "published"')
    approval = entry.get("approval")
    if approval is not None:
        if not isinstance(approval, dict) or not all(isinstance(approval.get(key), str)
                                                     for key in ("by", "at", "fingerprint")):
            raise ConfigError(f"the approval of {code!r} needs the texts by, at and fingerprint", path=path,
                              line=line, hint="record approvals with `invoke approve`, not by hand")
        approval = Approval(by=approval["by"], at=approval["at"], fingerprint=approval["fingerprint"])
    try:
        formats = parse_locale(entry["formats"]) if "formats" in entry else None
    except UnknownLanguageError as exc:
        raise UnknownLanguageError(f"formats of {code!r}: {exc.message}", path=path, line=line,
                                   hint=exc.hint) from None
    if not isinstance(entry.get("back_translated", False), bool):
        raise ConfigError(f"back_translated of {code!r} must be true or false", path=path, line=line,
                          hint="write back_translated = true")
    return Language(code=code, status=status, locale=locale, approval=approval, formats=formats,
                    back_translated=entry.get("back_translated", False))


def load_project(root: Path | str) -> Project:
    root = Path(root).resolve()
    path = root / LOCALES_DIR / LANGUAGES_FILE
    if not path.is_file():
        raise ConfigError("no language registry", path=path,
                          hint="create it with a line `source = \"en\"`, or run tasks from the project root")
    data, text = read_toml(path, "see the README's 'Adding a language'")
    try:
        source = Language(code=data.get("source", "en"), status="source",
                          locale=parse_locale(data.get("source", "en")),
                          formats=parse_locale(data["source_formats"]) if "source_formats" in data else None)
    except UnknownLanguageError as exc:
        raise UnknownLanguageError(exc.message, path=path, line=key_line(text, "source"), hint=exc.hint) from None
    registered = data.get("languages", {})
    if not isinstance(registered, dict):
        raise ConfigError("`languages` must be tables such as [languages.cy]", path=path,
                          line=key_line(text, "languages"), hint="see the README's 'Adding a language'")
    languages = tuple(_read_language(code, entry, path, text) for code, entry in sorted(registered.items()))
    tags: dict[str, str] = {source.tag: source.code}
    for language in languages:      # the tag names the build folder: two codes must not share one
        if tags.setdefault(language.tag, language.code) != language.code:
            raise ConfigError(f"{language.code!r} and {tags[language.tag]!r} would both be built as "
                              f"{language.tag!r}", path=path, line=registry_line(text, language.code),
                              hint="register the language once, in the form ll_Script_RR")
    return Project(root=root, source_language=source, languages=languages,
                   leaflets=_discover_leaflets(root / "source" / "leaflets"), site_url=_site_url(data, path, text))


def _site_url(data: dict, path: Path, text: str) -> str | None:
    """The published site's address: https only, since patients scan it from paper."""
    url = data.get("site_url")
    if url is None:
        return None
    if not isinstance(url, str) or not url.startswith("https://") or unsafe_url(url) or "?" in url or "#" in url:
        raise ConfigError(f"site_url {str(url)[:80]!r} is not an https:// address", path=path,
                          line=key_line(text, "site_url"), hint='write site_url = "https://leaflets.example.org"')
    return url


def valid_leaflet_name(name: str) -> bool:
    """Lower-case words joined by hyphens: a leaflet's name is its file, its URL and its catalogue."""
    return bool(_LEAFLET_NAME.match(name)) and name != UI_DOMAIN


def _discover_leaflets(directory: Path) -> tuple[str, ...]:
    names = []
    for path in sorted(directory.glob("*.md")):
        if not _LEAFLET_NAME.match(path.stem):
            raise ConfigError(f"leaflet name {path.stem!r} is not lower-case words joined by hyphens",
                              path=path, hint="rename the file, e.g. `knee-replacement.md`")
        if path.stem == UI_DOMAIN:
            raise ConfigError("a leaflet cannot be called 'ui': that is the interface's catalogue",
                              path=path, hint="rename the file")
        names.append(path.stem)
    return tuple(names)
