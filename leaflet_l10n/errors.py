"""Typed errors. Each says where the problem is and what to do about it.

Library code raises these; only the task layer prints them and sets exit codes.
"""
from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A problem a user can fix: a file, a line, a message and a hint."""

    def __init__(self, message: str, *, path: Path | str | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __reduce__(self):
        # Keep the keyword fields, and any set later (MissingGlyphError.character), when an
        # error crosses a process boundary.
        extra = {k: v for k, v in self.__dict__.items() if k not in ("message", "path", "line", "hint")}
        return (_rebuild, (type(self), self.message, self.path, self.line, self.hint), extra or None)

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class ConfigError(PipelineError):
    """The project layout or `locales/languages.toml` is wrong."""


class UnknownLanguageError(ConfigError):
    """A language code that is not valid or not registered."""


class SourceError(PipelineError):
    """A leaflet's Markdown uses something the pipeline cannot translate safely."""


class CatalogError(PipelineError):
    """A `.po` or `.pot` file cannot be read or written."""


class PlaceholderError(PipelineError):
    """A translation's tags do not match its source's placeholders."""


class RenderError(PipelineError):
    """HTML or PDF output could not be produced."""


class MissingGlyphError(RenderError):
    """A character in the output has no glyph in the fonts chosen for it."""


class GateError(PipelineError):
    """A published language was withheld by the release gate."""


class ImportRefused(PipelineError):
    """A translator's returned work has errors; nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"import refused, no catalogue changed: {len(problems)} problem(s)\n  "
                         + "\n  ".join(problems),
                         hint="fix these in the returned file (or ask the translator to), then import again")
        self.problems = problems

    def __reduce__(self):
        return (ImportRefused, (self.problems,))


def _rebuild(cls, message, path, line, hint):
    return cls(message, path=path, line=line, hint=hint)
