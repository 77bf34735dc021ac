"""The glossary (`locales/glossary.toml`): names never translated, terms each language must use."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

FILE = "glossary.toml"


@dataclass(frozen=True)
class Glossary:
    do_not_translate: tuple[str, ...] = ()
    terms: dict[str, dict[str, str]] = field(default_factory=dict)   # lang → English → required

    def required_terms(self, code: str) -> dict[str, str]:
        return self.terms.get(code, {})


def load_glossary(locales_dir: Path) -> Glossary:
    path = locales_dir / FILE
    if not path.is_file():
        return Glossary()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path, hint="fix the syntax") from None
    keep = data.get("do_not_translate", [])
    terms = data.get("terms", {})
    if not isinstance(keep, list) or not all(isinstance(t, str) for t in keep):
        raise ConfigError("do_not_translate must be a list of strings", path=path,
                          hint='write do_not_translate = ["NICE", "NHS"]')
    # Longest first, so "NHS 111" is reported rather than its part "NHS".
    return Glossary(tuple(sorted(keep, key=len, reverse=True)),
                    {code: dict(entries) for code, entries in terms.items()})
