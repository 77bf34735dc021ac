"""Cross-check with Translate Toolkit: every error pofilter finds, our checks find too."""
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from leaflet_l10n import load_project
from leaflet_l10n.checks import Checker

POFILTER_TESTS = ("variables", "xmltags", "urls", "numbers", "printf", "pythonbraceformat")
POFILTER = Path(sys.executable).with_name("pofilter")

# Faults of the kinds pofilter looks for, each in a different entry.
FAULTS = {
    "lumbar-neurostimulation": {
        "This is usually done": lambda s: s.replace("30", "20"),
        "The <a1>NHS website</a1>": lambda s: s.replace("<a1>", "").replace("</a1>", ""),
        "You should be included": lambda s: s + " https://example.com/other",
        "Your healthcare professionals": lambda s: s + " 24/7",
    },
    "ui": {
        "Published: %(date)s": lambda s: s.replace("%(date)s", "%(dyddiad)s"),
        "Page {page} of {pages}": lambda s: s.replace("{pages}", "{tudalennau}"),
    },
}


def pofilter_flags(po_path: Path) -> set[str]:
    out = po_path.with_suffix(".pofilter.po")
    tests = [arg for name in POFILTER_TESTS for arg in ("-t", name)]
    subprocess.run([str(POFILTER), *tests, "--progress=none", "-i", str(po_path), "-o", str(out)],
                   check=True, capture_output=True)
    return {entry.msgid for entry in polib.pofile(str(out)) if entry.msgid} if out.exists() else set()


def inject(root: Path) -> None:
    for domain, faults in FAULTS.items():
        path = root / f"locales/cy/LC_MESSAGES/{domain}.po"
        catalog = polib.pofile(str(path))
        for entry in catalog:
            for start, fault in faults.items():
                if start in entry.msgid:
                    entry.msgstr = fault(entry.msgstr)
        catalog.save()


@pytest.mark.parametrize("faulty", [False, True], ids=["as-committed", "with-faults"])
def test_every_pofilter_error_is_also_ours(real_copy, faulty):
    if faulty:
        inject(real_copy)
    project = load_project(real_copy)
    ours = {f.msgid.rstrip("…") for f in Checker(project).check(project.language("cy")).errors}
    for domain in project.domains:
        theirs = pofilter_flags(real_copy / f"locales/cy/LC_MESSAGES/{domain}.po")
        if faulty:
            assert theirs, "the injected faults should be visible to pofilter too"
        missed = [msgid for msgid in theirs if not any(msgid.startswith(start) for start in ours)]
        assert not missed, f"pofilter found errors our checks missed: {missed}"
