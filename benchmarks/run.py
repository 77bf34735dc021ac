"""The performance figures, each measured side by side with its anchor in one run, as ratios.

    .venv/bin/python benchmarks/run.py [--sizes 20,40,100] [--repeat 3] [--record FILE]

Anchors:
- Sphinx with sphinx-intl and MyST (HTML only), and Translate Toolkit's pofilter with its
  default tests, each in its own environment (benchmarks/.anchors, made on first use);
- raw WeasyPrint rendering our own print HTML, in this process.

The corpus is `benchmarks/corpus.py`'s library of N leaflets in every registered language
(kept in benchmarks/.work/). Each figure prints the medians, min–max and the ratio; --record
writes every figure as JSON. Timings live here and in benchmarks/README.md, never in tests.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".work"
ANCHORS = REPO / "benchmarks" / ".anchors"
PYTHON = sys.executable
PDF_REPEAT = 7               # a PDF takes a fifth of a second, and single runs vary by a third
RAW_SAMPLE = 60              # leaflet-languages timed for the per-core anchor: about a minute
EIGHT = ["cy", "pl", "ro", "pt", "es", "tr", "ar", "zh_Hans"]
OURS = """
import re, sys, resource
from multiprocessing import forkserver
import leaflet_l10n as p
from leaflet_l10n import runners
if "--html-only" in sys.argv:
    import html_only                                    # here, and in every worker:
    runners.WORKER_MODULES.append("html_only")
project = p.load_project(".")
langs = [a for a in sys.argv[1:] if not a.startswith("--")] or None
if "--extract" in sys.argv:
    p.extract(project); p.update(project, langs)
if "--check" in sys.argv:
    p.check_project(project)
else:
    workers = int(next((a.split("=")[1] for a in sys.argv if a.startswith("--workers=")), 0)) or None
    assert p.build(project, langs, engine=p.Engine(workers)).ok
forkserver._forkserver._stop()     # the workers' server: once it is reaped, so are they, and their peak counts
peak = re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)   # ru_maxrss would count
print(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)    # the benchmark that started this one
"""


def corpus(leaflets: int) -> Path:
    """The corpus of this size, made once and kept."""
    folder = WORK / f"corpus-{leaflets}"
    if not (folder / "source").is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        make_corpus(folder, leaflets)
    return folder


def copy(folder: Path, target: Path) -> Path:
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("build"))
    return target


def ours(project: Path, *arguments: str) -> tuple[float, int, int]:
    """Seconds of one run of our pipeline, and the peak memory in KiB of the coordinator and of
    its largest worker."""
    start = time.perf_counter()
    out = subprocess.run([PYTHON, "-c", OURS, *arguments], cwd=project, check=True, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'benchmarks'}"}).stdout
    coordinator, worker = out.split()[-2:]
    return time.perf_counter() - start, int(coordinator), int(worker)


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def figure(name: str, ours_times: list[float], anchor_times: list[float], goal: str) -> dict:
    mine, theirs = statistics.median(ours_times), statistics.median(anchor_times)
    print(f"{name}\n  ours   median {mine:8.3f} s  ({min(ours_times):.3f}–{max(ours_times):.3f})"
          f"\n  anchor median {theirs:8.3f} s  ({min(anchor_times):.3f}–{max(anchor_times):.3f})"
          f"\n  ratio ours/anchor {mine / theirs:.3f}   goal: {goal}", flush=True)
    return {"figure": name, "ours": ours_times, "anchor": anchor_times, "ratio": mine / theirs, "goal": goal}


def anchors() -> Path:
    """The anchors' own environment."""
    if not (ANCHORS / "bin" / "sphinx-intl").exists():
        subprocess.run([sys.executable, "-m", "venv", str(ANCHORS)], check=True)
        subprocess.run([ANCHORS / "bin" / "pip", "install", "-q", "sphinx>=8", "sphinx-intl", "myst-parser",
                        "translate-toolkit"], check=True)
    return ANCHORS / "bin"


def sphinx_project(project: Path, target: Path) -> Path:
    """The same leaflets as a Sphinx + MyST site, translated through sphinx-intl."""
    source = target / "src"
    source.mkdir(parents=True)
    (source / "conf.py").write_text("extensions = ['myst_parser']\nlocale_dirs = ['../locales']\n"
                                    "gettext_compact = False\nproject = 'leaflets'\n")
    names = sorted(path.stem for path in (project / "source/leaflets").glob("*.md"))
    for name in names:
        text = (project / "source/leaflets" / f"{name}.md").read_text(encoding="utf-8")
        front, body = text.split("+++\n", 2)[1:]
        title = next(line for line in front.splitlines() if line.startswith("title")).split("=", 1)[1].strip(' "')
        (source / f"{name}.md").write_text(f"# {title}\n\n{body}", encoding="utf-8")
    (source / "index.md").write_text("# Leaflets\n\n```{toctree}\n" + "\n".join(names) + "\n```\n")
    return target


def sphinx_build(site: Path, languages: list[str]) -> float:
    """sphinx-build gettext, sphinx-intl update, then an HTML build per language."""
    bin_ = anchors()
    shutil.rmtree(site / "out", ignore_errors=True)
    shutil.rmtree(site / "locales", ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([bin_ / "sphinx-build", "-q", "-b", "gettext", "src", "out/gettext"], cwd=site, check=True)
    subprocess.run([bin_ / "sphinx-intl", "update", "-p", "out/gettext", "-d", "locales",
                    *(f"-l{code}" for code in languages)], cwd=site, check=True, capture_output=True)
    for code in languages:
        subprocess.run([bin_ / "sphinx-build", "-q", "-b", "html", "-D", f"language={code}", "src",
                        f"out/html/{code}"], cwd=site, check=True)
    return time.perf_counter() - start


def against_sphinx(tmp: Path, repeat: int, leaflets: int) -> list[dict]:
    base = corpus(leaflets)
    site = sphinx_project(base, tmp / "sphinx")
    full, html, anchor = [], [], []
    for round_ in range(repeat):
        full.append(ours(copy(base, tmp / f"full{round_}"), *EIGHT, "--extract")[0])
        html.append(ours(copy(base, tmp / f"html{round_}"), *EIGHT, "--extract", "--html-only")[0])
        anchor.append(sphinx_build(site, EIGHT))
    return [figure(f"extract + update + HTML and PDF, 8 languages, {leaflets} leaflets, against Sphinx HTML",
                   full, anchor, "HTML alone >= 10x faster than Sphinx"),
            figure(f"extract + update + HTML only, 8 languages, {leaflets} leaflets, against Sphinx HTML",
                   html, anchor, "ratio <= 0.1")]


def rebuilds(tmp: Path, repeat: int, leaflets: int) -> list[dict]:
    project = copy(corpus(leaflets), tmp / "rebuilds")
    cold, noop, one = [], [], []
    po = project / "locales/cy/LC_MESSAGES/leaflet-00001.po"
    original = po.read_text(encoding="utf-8")
    for round_ in range(repeat):
        shutil.rmtree(project / "build", ignore_errors=True)
        cold.append(ours(project)[0])
        noop.append(ours(project)[0])
        po.write_text(original.replace("y llyfrgell.", "y llyfrgell hon.") if round_ % 2 == 0 else original,
                      encoding="utf-8")
        one.append(ours(project)[0])
    jobs = leaflets * 17
    print(f"  one job's share of the cold build: {statistics.median(cold) / jobs:.3f} s")
    return [figure(f"no-op rebuild against a cold build, {leaflets} leaflets", noop, cold, "ratio <= 0.05"),
            figure(f"one .po edited against a cold build, {leaflets} leaflets", one, cold,
                   f"ratio <= 1/{jobs} + 0.05 = {1 / jobs + 0.05:.3f}")]


def against_pofilter(tmp: Path, repeat: int, leaflets: int = 100) -> list[dict]:
    project = copy(corpus(leaflets), tmp / "check")
    cold, warm, anchor = [], [], []
    for _ in range(repeat):
        shutil.rmtree(project / "build", ignore_errors=True)
        cold.append(ours(project, "--check")[0])
        warm.append(ours(project, "--check")[0])
        out = tmp / "pofilter-out"
        shutil.rmtree(out, ignore_errors=True)
        anchor.append(timed([str(anchors() / "pofilter"), "--progress=none", "-i", "locales", "-o", str(out)], project))
    return [figure(f"check, {leaflets} leaflets x 16 languages, no cache, against pofilter", cold, anchor,
                   "< 3 s and ratio <= 0.2"),
            figure(f"check, {leaflets} leaflets x 16 languages, unchanged since the last check, against pofilter",
                   warm, anchor, "< 3 s and ratio <= 0.2")]


def print_pages(project: Path, codes: list[str] | None, leaflets: list[str] | None) -> dict[tuple[str, str], list[str]]:
    """The print HTML of both editions of each (leaflet, language) a build of these would render."""
    from leaflet_l10n import Checker, load_project, render
    from leaflet_l10n.build import Selection, plan_outputs, release_gate
    from leaflet_l10n.jobs import render_job
    loaded = load_project(project)
    checker = Checker(loaded)
    plan = plan_outputs(loaded, checker, release_gate(loaded, checker),
                        Selection(loaded.select_languages(codes), loaded.select_leaflets(leaflets)), {})
    pages: dict[tuple[str, str], list[str]] = {}
    real = render.pdf_bytes
    try:
        for _, job in plan.jobs():
            key = (job.leaflet.name, job.language.tag)
            render.pdf_bytes = lambda html, where, key=key: pages.setdefault(key, []).append(html) or b""
            render_job(job)
    finally:
        render.pdf_bytes = real
    return pages


def raw_pdfs(htmls: list[str]) -> None:
    """WeasyPrint alone, as its documentation shows it, on each page."""
    from weasyprint import HTML, URLFetcher

    from leaflet_l10n import render
    for html in htmls:
        HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf(
            **render.PDF_OPTIONS)


def raw_weasyprint(project: Path, codes: list[str], repeat: int) -> list[dict]:
    """Our PDF (tagging and repair included) against WeasyPrint alone on the same print HTML."""
    from leaflet_l10n import render
    results = []
    for (_, tag), htmls in sorted(print_pages(project, codes, ["leaflet-00001"]).items()):
        mine, theirs = [], []
        for html in htmls:       # untimed: whichever ran first would pay for loading the script's fonts
            render.pdf_bytes(html, where=tag)
        raw_pdfs(htmls)
        for _ in range(repeat):           # a sample: both editions' PDFs, one side then the other
            gc.collect()                  # neither side pays for the other's garbage
            start = time.perf_counter()
            for html in htmls:
                render.pdf_bytes(html, where=tag)
            mine.append(time.perf_counter() - start)
            gc.collect()
            start = time.perf_counter()
            raw_pdfs(htmls)
            theirs.append(time.perf_counter() - start)
        results.append(figure(f"the PDFs of a leaflet in {tag}, against raw WeasyPrint on the same HTML", mine, theirs,
                              "ratio <= 1.15"))
    return results


def raw_per_leaflet_language(project: Path, sample: int) -> float:
    """Raw WeasyPrint's seconds for a leaflet-language's two PDFs, over a seeded sample of the
    corpus's leaflet-languages: its leaflets differ in length (leaflet-00001 is half the mean),
    so one leaflet is no anchor for a build of all of them."""
    pages = print_pages(project, None, None)
    chosen = random.Random(13).sample(sorted(pages), min(sample, len(pages)))
    raw_pdfs(pages[chosen[0]])            # fonts and imports loaded before the clock starts
    gc.collect()
    start = time.perf_counter()
    for key in chosen:
        raw_pdfs(pages[key])
    seconds = (time.perf_counter() - start) / len(chosen)
    print(f"raw WeasyPrint on {len(chosen)} of {len(pages)} leaflet-languages, both editions: "
          f"{seconds * 1000:.0f} ms each", flush=True)
    return seconds


def scaling(tmp: Path, sizes: list[int]) -> list[dict]:
    results = []
    for leaflets in sizes:
        project = copy(corpus(leaflets), tmp / f"scale{leaflets}")
        seconds, coordinator, worker = ours(project)
        per = seconds / (leaflets * 17)
        print(f"clean build, {leaflets} leaflets x 17 languages: {seconds:.1f} s wall, {per * 1000:.0f} ms per "
              f"leaflet-language, coordinator {coordinator / 1024:.0f} MiB, largest worker {worker / 1024:.0f} MiB",
              flush=True)
        results.append({"figure": f"clean build {leaflets} leaflets", "seconds": seconds, "per_output": per,
                        "coordinator_kib": coordinator, "largest_worker_kib": worker})
    return results


def per_core_against_raw(builds: list[dict], raw: float) -> list[dict]:
    """Each clean build's time per leaflet-language against raw WeasyPrint's for the same two PDFs,
    shared out over this machine's cores."""
    per_core = raw / (os.cpu_count() or 1)
    results = []
    for build in builds:
        ratio = build["per_output"] / per_core
        print(f"{build['figure']}: {build['per_output'] * 1000:.0f} ms per leaflet-language against raw WeasyPrint "
              f"{per_core * 1000:.0f} ms per core: ratio {ratio:.3f}   goal: ratio <= 1.15", flush=True)
        results.append({"figure": f"{build['figure']} against raw WeasyPrint per core", "ours": [build["per_output"]],
                        "anchor": [per_core], "ratio": ratio, "goal": "ratio <= 1.15"})
    return results


def workers(tmp: Path, repeat: int, leaflets: int) -> dict:
    project = copy(corpus(leaflets), tmp / "workers")
    one, two = [], []
    for _ in range(repeat):
        shutil.rmtree(project / "build", ignore_errors=True)
        one.append(ours(project, "--workers=1")[0])
        shutil.rmtree(project / "build", ignore_errors=True)
        two.append(ours(project, "--workers=2")[0])
    return figure(f"clean build with 2 workers, against 1 worker, {leaflets} leaflets", two, one, "ratio <= 0.556")


def relocated(tmp: Path, leaflets: int) -> dict:
    """A checkout with its build/ copied to another folder: how many outputs are built again."""
    project = copy(corpus(leaflets), tmp / "here" / "project")
    shutil.copytree(REPO / "leaflet_l10n", tmp / "here" / "leaflet_l10n",
                    ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([PYTHON, "-c", OURS], cwd=project, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(tmp / "here")})
    shutil.copytree(tmp / "here", tmp / "there")
    subprocess.run([PYTHON, "-c", OURS], cwd=tmp / "there/project", check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(tmp / "there")})
    built = json.loads((tmp / "there/project/build/manifest.json").read_text())["outputs"]
    rebuilt = sum(output["state"] == "built" for output in built)
    print(f"a checkout moved with its build/: {rebuilt} of {len(built)} outputs built again", flush=True)
    return {"figure": "relocated checkout", "rebuilt": rebuilt, "outputs": len(built)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,40,100", help="leaflets in each clean build (default: 20,40,100)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side of a figure (default: 3)")
    parser.add_argument("--check-leaflets", type=int, default=100, help="leaflets in the check figure (default: 100)")
    parser.add_argument("--record", type=Path, help="write every figure to this JSON file")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    small = sizes[0]
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pdfs = raw_weasyprint(corpus(small), None, max(args.repeat, PDF_REPEAT))
        raw = raw_per_leaflet_language(corpus(small), RAW_SAMPLE)
        builds = scaling(tmp, sizes)
        results = [*against_sphinx(tmp, args.repeat, small), *rebuilds(tmp, args.repeat, small),
                   *against_pofilter(tmp, args.repeat, args.check_leaflets), *pdfs, *builds,
                   *per_core_against_raw(builds, raw), workers(tmp, args.repeat, small), relocated(tmp, small)]
    if args.record:
        args.record.write_text(json.dumps({"machine": platform.node(), "cores": os.cpu_count(),
                                           "figures": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
