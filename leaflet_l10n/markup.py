"""The placeholder language of msgids: inline markup as numbered tags.

A link in the source becomes `<a1>link text</a1>` in the msgid; emphasis
becomes `<em1>…</em1>` and strong emphasis `<strong1>…</strong1>`. The tag
names carry no target: where a link points stays in the source, so a
translator can move and reword the words but never change the destination.

`to_html` is the only way a msgid or msgstr becomes HTML: text is escaped,
and only the source's own placeholders become elements.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from .errors import PlaceholderError

# Anything shaped like an HTML tag, so stray markup is caught, not passed through.
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*)?)(/?)>")
SAFE_SCHEMES = ("https", "http", "mailto", "tel")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def unsafe_url(url) -> str | None:
    """Why a link target cannot be given to patients, or None. Allowed: https, http, mailto
    and tel, or a relative path. Control characters and spaces are refused too: browsers
    drop them, so "java\tscript:" would otherwise pass as a relative path."""
    if not isinstance(url, str) or not url.strip():
        return "it is empty"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in url):
        return "it contains spaces, backslashes or control characters"   # browsers read "/\" as "//"
    scheme = _SCHEME.match(url)
    if scheme and scheme[1].lower() not in SAFE_SCHEMES:
        return f"{scheme[1]}: links are not allowed (only {', '.join(SAFE_SCHEMES)} or a relative path)"
    if not scheme and url.startswith("//"):
        return "a link starting with // leaves the site without saying how"
    return None


def link_target(url) -> str:
    """A link target checked against the allow-list; every link the pipeline makes goes through it."""
    problem = unsafe_url(url)
    if problem:
        raise PlaceholderError(f"unsafe link target {str(url)[:80]!r}: {problem}",
                               hint="link to an https:// address or a page of this site")
    return url


@dataclass(frozen=True)
class Placeholder:
    name: str                 # a1, em1, strong1
    element: str              # a, em, strong
    href: str | None = None   # only for links

    @property
    def opening(self) -> str:
        return f"<{self.name}>"

    @property
    def closing(self) -> str:
        return f"</{self.name}>"

    def open_html(self) -> str:
        if self.element == "a":
            return f'<a href="{escape(link_target(self.href))}">'
        return f"<{self.element}>"

    def close_html(self) -> str:
        return f"</{self.element}>"


def tags_in(text: str) -> list[str]:
    """Every tag in the text, in order, as written: ['<a1>', '</a1>']."""
    return [match.group(0) for match in TAG.finditer(text)]


def placeholder_tags(placeholders: tuple[Placeholder, ...]) -> list[str]:
    return sorted(tag for p in placeholders for tag in (p.opening, p.closing))


def validate(text: str, placeholders: tuple[Placeholder, ...]) -> None:
    """Raise PlaceholderError unless the text uses exactly the source's tags, well nested."""
    by_name = {p.name: p for p in placeholders}
    stack: list[str] = []
    seen: list[str] = []
    for match in TAG.finditer(text):
        closing, name, attrs, selfclosing = match.groups()
        tag = match.group(0)
        if name not in by_name or attrs or selfclosing:
            raise PlaceholderError(
                f"{tag} is not one of the source's placeholders "
                f"({', '.join(placeholder_tags(placeholders)) or 'none'})",
                hint="remove it; markup and link targets come from the English source")
        if closing:
            if not stack or stack[-1] != name:
                raise PlaceholderError(f"{tag} closes a tag that is not open",
                                       hint="keep each pair of tags in order, e.g. <a1>words</a1>")
            stack.pop()
        else:
            if name in seen:
                raise PlaceholderError(f"{tag} appears more than once",
                                       hint="use each placeholder exactly once")
            stack.append(name)
            seen.append(name)
    if stack:
        raise PlaceholderError(f"<{stack[-1]}> is never closed", hint=f"add </{stack[-1]}>")
    missing = sorted(set(by_name) - set(seen))
    if missing:
        raise PlaceholderError(
            f"placeholder {', '.join(f'<{n}>' for n in missing)} is missing",
            hint="keep every tag of the English, around the words that mean the same")


def to_html(text: str, placeholders: tuple[Placeholder, ...]) -> Markup:
    """Escape the text and turn the source's placeholders into their elements."""
    validate(text, placeholders)
    by_name = {p.name: p for p in placeholders}
    parts: list[str] = []
    position = 0
    for match in TAG.finditer(text):
        parts.append(str(escape(text[position:match.start()])))
        placeholder = by_name[match.group(2)]
        parts.append(placeholder.close_html() if match.group(1) else placeholder.open_html())
        position = match.end()
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))


def to_plain(text: str) -> str:
    """The words only, without tags: for word counts and PDF metadata."""
    return TAG.sub("", text)
