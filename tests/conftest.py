"""Shared fixtures: the real project, and a miniature one copied into tmp_path; helpers the
exchange and release tests share (a complete Welsh, export and unpack a hand-off)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import polib
import pytest

from leaflet_l10n import extract, init_language, load_project

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVOKE = [sys.executable, "-m", "invoke"]

# Welsh for the miniature leaflet; one paragraph is deliberately left untranslated.
MINI_WELSH = {
    "Having a sample procedure": "Cael triniaeth enghreifftiol",
    "Information for the public": "Gwybodaeth i'r cyhoedd",
    "What happens next": "Beth sy'n digwydd nesaf",
    "Read the <a1>NHS website</a1> or call <strong1>NHS 111</strong1>.":
        "Darllenwch <a1>wefan yr NHS</a1> neu ffoniwch <strong1>NHS 111</strong1>.",
    "Will I need to stay in hospital?": "Fydd angen i mi aros yn yr ysbyty?",
    "Ask about <a1>consent</a1> before you agree.": "Gofynnwch am <a1>gydsyniad</a1> cyn i chi gytuno.",
}
# The miniature Welsh with its one untranslated paragraph translated too.
COMPLETE_WELSH = {**MINI_WELSH, "This procedure is done <em1>twice a day</em1> for about 30 minutes.":
                  "Caiff y driniaeth hon ei gwneud <em1>ddwywaith y dydd</em1> am tua 30 munud."}


def copy_project(source: Path, target: Path) -> Path:
    """A project copy with the real templates, styles and tasks.py."""
    shutil.copytree(source, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("build", ".venv", "*.mo", "__pycache__"))
    for shared in ("source/templates", "source/styles"):
        if not (target / shared).exists():
            shutil.copytree(REPO / shared, target / shared)
    shutil.copy(REPO / "tasks.py", target / "tasks.py")
    return target


def fill(po_path: Path, translations: dict[str, str]) -> None:
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
    catalog.save()


@pytest.fixture
def mini(tmp_path) -> Path:
    """A miniature project: one short leaflet, Welsh registered as draft and mostly translated."""
    root = copy_project(ROOTS / "mini", tmp_path / "mini")
    project = load_project(root)
    extract(project)
    init_language(project, "cy")
    fill(root / "locales/cy/LC_MESSAGES/sample.po", MINI_WELSH)
    return root


@pytest.fixture
def rich(tmp_path) -> Path:
    """A leaflet with every kind of block (figure, call-outs, nested numbered list, table), with draft
    Arabic and Urdu for all of it; the interface strings as the real project translates them."""
    return _rich_project(tmp_path)


def _rich_project(tmp_path: Path) -> Path:
    root = copy_project(ROOTS / "rich", tmp_path / "rich")
    project = load_project(root)
    extract(project)
    translations = tomllib.loads((FIXTURES / "rich-translations.toml").read_text(encoding="utf-8"))
    for code, pairs in translations.items():
        init_language(project, code)
        fill(root / f"locales/{code}/LC_MESSAGES/bowel-preparation.po", pairs)
        real = {e.msgid: e for e in polib.pofile(str(REPO / f"locales/{code}/LC_MESSAGES/ui.po"))}
        ui = polib.pofile(str(root / f"locales/{code}/LC_MESSAGES/ui.po"))
        for entry in ui:
            entry.msgstr, entry.msgstr_plural = real[entry.msgid].msgstr, dict(real[entry.msgid].msgstr_plural)
        ui.save()
    return root


@pytest.fixture
def real_copy(tmp_path) -> Path:
    """A copy of the real project, to change without touching the repository."""
    root = tmp_path / "project"
    for part in ("source", "locales"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "tasks.py", root / "tasks.py")
    return root


def run_task(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*INVOKE, *args], cwd=root, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"invoke {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def complete(root):
    """Translate everything, so the miniature Welsh passes every check."""
    fill(root / "locales/cy/LC_MESSAGES/sample.po", COMPLETE_WELSH)
    ui = polib.pofile(str(root / "locales/cy/LC_MESSAGES/ui.po"))
    for entry in ui:
        if entry.msgid_plural:
            entry.msgstr_plural = {i: f"{entry.msgid_plural} (cy)" for i in entry.msgstr_plural}
        else:
            entry.msgstr = f"(cy) {entry.msgid}" if "{" not in entry.msgid else entry.msgid.replace("Page", "Tudalen")
    ui.save()


def export(root, *options) -> Path:
    """Export the miniature Welsh with `invoke export`; the hand-off zip's path."""
    return root / run_task(root, "export", "--lang", "cy", *options).stdout.strip()


def unpack(package: Path, target: Path) -> Path:
    with zipfile.ZipFile(package) as z:
        z.extractall(target)
    return target
