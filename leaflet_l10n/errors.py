"""Typed errors. Each says where the problem is and what to do about it.

Library code raises these; only the task layer prints them and sets exit codes.
"""
from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A problem a user can fix: a file, a line, a message and a hint.

    Every field is a keyword of the constructor, so an error pickles whole and
    crosses a process boundary (a build worker) with everything it says."""

    def __init__(self, message: str, *, path: Path | str | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __reduce__(self):
        fields = {k: v for k, v in self.__dict__.items() if k != "message"}
        return (_rebuild, (type(self), self.message, fields))

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text}\n  hint: {self.hint}" if self.hint else text


def _rebuild(cls, message, fields):
    return cls(message, **fields)


class ConfigError(PipelineError):
    """The project layout or `locales/languages.toml` is wrong."""


class UnknownLanguageError(ConfigError):
    """A language code that is not valid or not registered."""


class ProjectBusy(PipelineError):
    """Another task kept the project locked for longer than this one would wait."""


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

    def __init__(self, message: str, *, character: str, **where) -> None:
        super().__init__(message, **where)
        self.character = character


class GateError(PipelineError):
    """A published language was withheld by the release gate."""


class ImportRefused(PipelineError):
    """A translator's returned work has errors; nothing was changed."""

    def __init__(self, message: str | None = None, *, problems: list[str], **where) -> None:
        super().__init__(message or f"import refused, no catalogue changed: {len(problems)} problem(s)\n  "
                         + "\n  ".join(problems),
                         **{"hint": "fix these in the returned file (or ask the translator to), then import "
                                    "again", **where})
        self.problems = problems
