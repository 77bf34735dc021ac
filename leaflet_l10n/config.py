"""The project: its layout, its leaflets and its registered languages.

Everything else receives one frozen `Project` instead of building paths by hand.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .errors import ConfigError, UnknownLanguageError

# The folders the pipeline writes to, under the project root.
LOCALES_DIR = "locales"
BUILD_DIR = "build"
LANGUAGES_FILE = "languages.toml"
STATUSES = ("draft", "published")
# Pseudo-locales for testing layout: generated from the templates, never committed,
# never listed or published. Code → (locale for formats, direction, name).
PSEUDO_LOCALES = {
    "en_XA": ("en_GB", "ltr", "English (accented, longer)"),
    "ar_XB": ("en_GB", "rtl", "English (mirrored, right to left)"),
}
UI_DOMAIN = "ui"
_LEAFLET_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def parse_locale(code: str) -> Locale:
    """Accept gettext (`zh_Hans`) or BCP 47 (`zh-Hans`) codes; CLDR decides validity."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise UnknownLanguageError(
            f"unknown language code {code!r}",
            hint="use a CLDR language code such as 'cy', 'pl' or 'zh_Hans'") from exc


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
        return self.code.replace("_", "-")

    @property
    def direction(self) -> str:
        return self.pseudo_direction or self.locale.text_direction

    @property
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


def pseudo_language(code: str) -> Language:
    formats, direction, _ = PSEUDO_LOCALES[code]
    return Language(code=code, status="pseudo", locale=parse_locale(formats), pseudo_direction=direction)


@dataclass(frozen=True)
class Project:
    root: Path
    source_language: Language
    languages: tuple[Language, ...]
    leaflets: tuple[str, ...]

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


def registry_line(text: str, code: str) -> int | None:
    """The line of a language's `[languages.<code>]` table in the registry text."""
    match = re.search(rf"^\[languages\.{re.escape(code)}\]", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _read_language(code: str, entry: dict, path: Path, text: str) -> Language:
    line = registry_line(text, code)
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
        try:
            approval = Approval(by=str(approval["by"]), at=str(approval["at"]),
                                fingerprint=str(approval["fingerprint"]))
        except KeyError as exc:
            raise ConfigError(f"approval of {code!r} lacks {exc.args[0]!r}", path=path, line=line,
                              hint="record approvals with `invoke approve`") from None
    formats = entry.get("formats")
    return Language(code=code, status=status, locale=locale, approval=approval,
                    formats=parse_locale(formats) if formats else None,
                    back_translated=bool(entry.get("back_translated", False)))


def load_project(root: Path | str) -> Project:
    root = Path(root).resolve()
    path = root / LOCALES_DIR / LANGUAGES_FILE
    if not path.is_file():
        raise ConfigError("no language registry", path=path,
                          hint="create it with a line `source = \"en\"`, or run tasks from the project root")
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path,
                          hint="fix the syntax; see the README's 'Adding a language'") from None
    source_code = data.get("source", "en")
    formats = data.get("source_formats")
    source = Language(code=source_code, status="source", locale=parse_locale(source_code),
                      formats=parse_locale(formats) if formats else None)
    languages = tuple(_read_language(code, entry, path, text)
                      for code, entry in sorted(data.get("languages", {}).items()))
    return Project(root=root, source_language=source, languages=languages,
                   leaflets=_discover_leaflets(root / "source" / "leaflets"))


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
