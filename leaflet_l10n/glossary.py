"""The glossary (`locales/glossary.toml`): names never translated, terms each language must use."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import key_line, read_toml
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
    data, text = read_toml(path, "see the README's glossary section")
    keep = data.get("do_not_translate", [])
    terms = data.get("terms", {})
    if not isinstance(keep, list) or not all(isinstance(t, str) and t for t in keep):
        raise ConfigError("do_not_translate must be a list of names", path=path,
                          line=key_line(text, "do_not_translate"), hint='write do_not_translate = ["NICE", "NHS"]')
    if not isinstance(terms, dict) or not all(
            isinstance(entries, dict) and all(isinstance(k, str) and isinstance(v, str) and k and v
                                              for k, v in entries.items()) for entries in terms.values()):
        raise ConfigError("terms must be tables of English term = required term, one table per language",
                          path=path, line=key_line(text, "terms"),
                          hint='write [terms.cy] and, below it, "twice a day" = "dwywaith y dydd"')
    # Longest first, so "NHS 111" is reported rather than its part "NHS".
    return Glossary(tuple(sorted(keep, key=len, reverse=True)),
                    {code: dict(entries) for code, entries in terms.items()})
