"""Page previews: each PDF page as a PNG, so a reviewer can check layout without a PDF reader."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ..build import build
from ..config import Project
from ..errors import RenderError

RESOLUTION = 100  # dots per inch: an A4 page is 827 × 1169 pixels


def preview(project: Project, code: str, leaflets: list[str] | None = None) -> list[Path]:
    """Build the language's PDFs if needed, then write build/previews/<lang>/<leaflet>-<page>.png."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RenderError("pdftoppm is not installed", hint="install poppler-utils (`./run` does it for you)")
    language = project.language(code)
    names = project.select_leaflets(leaflets)
    result = build(project, [code], list(names))
    if language.code in result.withheld or result.failures:     # other languages' withholding is no matter
        problem = result.failures[0] if result.failures else result.withheld[language.code][0]
        raise RenderError(f"{code} could not be built, so there is nothing to preview: {problem}",
                          hint=f"run `invoke check --lang {code}` or `invoke build --lang {code}`")
    pages: list[Path] = []
    directory = project.build_paths.previews(language)
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        for old in directory.glob(f"{name}-*.png"):
            old.unlink()
        pdf = project.build_paths.pdf(language, name)
        subprocess.run([pdftoppm, "-png", "-r", str(RESOLUTION), str(pdf), str(directory / name)],
                       check=True, capture_output=True)
        pages.extend(sorted(directory.glob(f"{name}-*.png")))
    return pages
