"""The package's shape, as docs/architecture.md promises it: small functions, stages in layers."""
import ast
import importlib
from pathlib import Path

import pytest

import leaflet_l10n
from helpers import package_modules

PACKAGE = Path(leaflet_l10n.__file__).parent
SUBPACKAGES = ("exchange", "release")
MAX_LINES, MAX_PARAMETERS = 40, 6
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_function_is_longer_than_40_lines_or_takes_more_than_6_parameters(path):
    too_big = []
    for node in _functions(path):
        lines = node.end_lineno - node.lineno + 1
        arguments = node.args
        parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        parameters = [p for p in parameters if p.arg not in ("self", "cls")]
        if lines > MAX_LINES or len(parameters) > MAX_PARAMETERS:
            too_big.append(f"{node.name}: {lines} lines, {len(parameters)} parameters")
    assert too_big == []


def _imports(path: Path) -> set[str]:
    """The package modules a file imports, as dotted names below leaflet_l10n."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
            found |= {target} if node.module else {f"{base}.{alias.name}" for alias in node.names}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found |= {name for name in names if name and name.startswith("leaflet_l10n")}
    return found


def test_nothing_in_the_core_imports_a_subpackage():
    core = [p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    crossing = {p.name: sorted(name for name in _imports(p)
                               if any(name.startswith(f"leaflet_l10n.{sub}") for sub in SUBPACKAGES))
                for p in core}
    assert {name: found for name, found in crossing.items() if found} == {}


def test_the_subpackages_do_not_import_each_other():
    for sub, other in (SUBPACKAGES, SUBPACKAGES[::-1]):
        for path in (PACKAGE / sub).glob("*.py"):
            assert not any(name.startswith(f"leaflet_l10n.{other}") for name in _imports(path)), path


def test_the_architecture_document_names_every_module_and_package():
    document = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in package_modules(leaflet_l10n):
        name = module.__name__.removeprefix("leaflet_l10n.")
        if name != "leaflet_l10n":
            assert f"`{name.replace('.', '/')}" in document, f"docs/architecture.md does not name {name}"


def test_the_public_api_hands_out_no_module():
    exported = [getattr(leaflet_l10n, name) for name in leaflet_l10n.__all__]
    assert not [value for value in exported if type(value) is type(importlib)]
