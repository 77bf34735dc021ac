"""A clean build of every language, timed against the same build by another revision of the package.

    .venv/bin/python benchmarks/build_all.py [--against REV] [--repeat N]

Each build runs on a copy of its own revision's source and locales, alternating,
each in a fresh process, and the script prints each median and the ratio
(this tree ÷ REV): below 1 is faster. Timings live here, never in tests: they
depend on the machine. Without Debian's libharfbuzz-subset0, WeasyPrint subsets
fonts with fontTools and the CJK and Nastaliq PDFs take many times longer.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = "import sys; from leaflet_l10n import build, load_project; sys.exit(0 if build(load_project(sys.argv[1])).ok else 1)"


def copy_project(tree: Path, target: Path) -> Path:
    for part in ("source", "locales"):
        shutil.copytree(tree / part, target / part)
    return target


def checkout(revision: str, target: Path) -> Path:
    """The package and project as they were at `revision`, without touching this work tree."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "leaflet_l10n", "source", "locales"],
                             capture_output=True, check=True).stdout
    target.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def clean_build(package_parent: Path, project: Path) -> float:
    shutil.rmtree(project / "build", ignore_errors=True)
    environment = {**os.environ, "PYTHONPATH": str(package_parent)}
    start = time.perf_counter()
    # From the project's folder: run from this repository, `python -c` would import its package first.
    subprocess.run([sys.executable, "-c", BUILD, str(project)], env=environment, cwd=project, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="the revision to compare with (default: HEAD)")
    parser.add_argument("--repeat", type=int, default=3, help="clean builds of each (default: 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trees = {"this tree": REPO, args.against: checkout(args.against, tmp / "anchor")}
        projects = {name: copy_project(tree, tmp / f"project-{index}") for index, (name, tree) in enumerate(trees.items())}
        times: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():
                times[name].append(clean_build(tree, projects[name]))
        for name, runs in times.items():
            print(f"{name:>12}: clean build of every language, median {statistics.median(runs):.2f} s "
                  f"({', '.join(f'{t:.2f}' for t in runs)})")
        ratio = statistics.median(times["this tree"]) / statistics.median(times[args.against])
        print(f"ratio this tree / {args.against}: {ratio:.2f}")


if __name__ == "__main__":
    main()
