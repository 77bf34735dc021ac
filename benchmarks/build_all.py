"""Time a clean build of every language, then an incremental one, on a copy of the project.

    .venv/bin/python benchmarks/build_all.py [--repeat N]

Prints wall-clock seconds. Timings live here, never in tests: they depend on the
machine. Without Debian's libharfbuzz-subset0, WeasyPrint subsets fonts with
fontTools and the CJK and Nastaliq PDFs take many times longer.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from leaflet_l10n import build, load_project
from leaflet_l10n.build import build_one

REPO = Path(__file__).resolve().parent.parent


def copy_project(target: Path) -> Path:
    for part in ("source", "locales"):
        shutil.copytree(REPO / part, target / part)
    return target


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of the clean build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        project = load_project(root)
        for run in range(args.repeat):
            shutil.rmtree(root / "build", ignore_errors=True)
            print(f"clean build, {len(project.all_languages)} languages: {timed(build, project):.2f} s")
        print(f"incremental build, nothing changed: {timed(build, project):.2f} s")
        leaflet = project.leaflets[0]
        print("one PDF + HTML per language, single process:")
        for language in project.all_languages:
            print(f"  {language.code:8} {timed(build_one, str(root), leaflet, language.code, []):.2f} s")


if __name__ == "__main__":
    main()
