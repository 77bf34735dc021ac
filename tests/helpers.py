"""Reading outputs as a patient's tools would: PDF text, metadata and objects."""
from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import zlib
from pathlib import Path


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, value in
            (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pdf_fonts(path: Path) -> list[str]:
    """Names of the fonts embedded in the PDF, as pdffonts lists them."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def pdf_objects(path: Path) -> bytes:
    """The PDF's bytes with every compressed stream inflated, to look for catalogue entries."""
    data = path.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(parts)


def package_modules(package) -> list:
    """Every module of a package, its subpackages' included."""
    return [package, *(importlib.import_module(info.name)
                       for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."))]


def pdf_tags(path: Path) -> list[tuple[str, str | None]]:
    """(tag, alt text) of every element of a PDF's tag tree, depth first, as a screen reader meets them."""
    import pikepdf

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                yield str(node.S), (str(node.Alt) if "/Alt" in node else None)
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                yield from walk(kid)
    with pikepdf.open(path) as document:
        return list(walk(document.Root.StructTreeRoot))
