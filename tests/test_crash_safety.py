"""Crash safety: a writing task killed with SIGKILL at a random moment loses nothing.

A kill loop over a copy of the miniature project (plus a second leaflet): each round
gives `update`, `import` or `build` real work, starts the task in a subprocess, kills
its whole process group with SIGKILL at a random moment of the work, then checks the
promises of fileio.py and lock.py:

1. every catalogue still parses (our strict reader, and `msgfmt --check`);
2. every file under locales/ is byte for byte either what it was before the killed run
   or what the next complete run leaves (no half-merged or truncated catalogue);
3. build/manifest.json still parses; after the next complete run every built output's
   files are whole and are the bytes the manifest records;
4. no translation a person wrote (seeded, imported or edited) is ever lost;
5. after the next complete run no partial file is left, and that run took the lock over
   at once, reporting the dead holder and the partial files it removed.

Half the kills come at a moment drawn uniformly over the work's duration (measured by a
first run of each kind of work that is not killed); since writes take well under 1% of
that time, the other half come as soon as the n-th partial file of the run is seen, so
that many kills land while a file is being written.

LEAFLET_KILL_ROUNDS (default 30) sets the number of kills, split across the three
operations; LEAFLET_KILL_SEED (default fixed) the random seed. A failure message names
the seed, round and kill moment, so `LEAFLET_KILL_SEED=<seed>` reproduces its sequence
(kill moments are wall-clock times, so the landing point is close but not exact).

The last test kills only the build's own process, as `kill -9 <pid>` or the OOM killer
would: its worker processes must die with it and write nothing afterwards.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import polib
import pytest

from conftest import fill
from helpers import processes
from leaflet_l10n import extract, load_project, update
from leaflet_l10n.errors import CatalogError
from leaflet_l10n.fileio import PARTIAL_SUFFIX, partial_files
from leaflet_l10n.lock import LOCK_FILE
from leaflet_l10n.pofile import read_po

DEFAULT_ROUNDS = 30
DEFAULT_SEED = 20251126
NEXT_RUN_TIMEOUT = 120          # seconds; the next run must never wait for a dead holder
OPERATIONS = ("update", "import", "build")

# The task process: imports everything first, so that the kill delay, counted from
# "ready", falls in the task's own work and not in Python's start-up.
CHILD = """\
import sys, time
import leaflet_l10n
from invoke.main import program
print("ready", time.monotonic(), flush=True)
program.run(["invoke", *sys.argv[1:]])
"""

AFTERCARE = """\
+++
title = "Looking after yourself at home"
document_type = "Information for the public"
published = 2024-01-09
isbn = "000-0-0000-0000-1"
guidance_url = "https://www.nice.org.uk/guidance"
publisher = "NICE"
publisher_url = "https://www.nice.org.uk"
+++

Most people feel back to normal within *two or three days*.

## Pain relief

Take paracetamol if you need it and follow the instructions on the packet.

## When to get help

- You have a high temperature.
- The wound is red, swollen or leaking.
- You feel unwell and it is getting worse.

Call **NHS 111** or go to [NHS 111 online](https://111.nhs.uk).
"""

AFTERCARE_WELSH = {
    "Looking after yourself at home": "Gofalu amdanoch eich hun gartref",
    "Most people feel back to normal within <em1>two or three days</em1>.":
        "Mae'r rhan fwyaf o bobl yn teimlo'n iawn eto o fewn <em1>dau neu dri diwrnod</em1>.",
    "Pain relief": "Lleddfu poen",
    "When to get help": "Pryd i gael help",
    "You have a high temperature.": "Mae gennych dymheredd uchel.",
    "The wound is red, swollen or leaking.": "Mae'r clwyf yn goch, wedi chwyddo neu'n gollwng.",
}

# What an author appends to a block when they edit it (edits keep links and emphasis).
EDITS = (" Ask your care team if you are not sure.", " Most people find this helps.",
         " Tell us if anything changes.")
DELETED = "deleted"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        pytest.fail(f"{name}={value!r} is not a whole number")


# -- running a task -------------------------------------------------------------

def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["LEAFLET_LOCK_TIMEOUT"] = "20"    # a lock never released fails fast, not after 600 s
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def _start(root: Path, args: tuple[str, ...]) -> tuple[subprocess.Popen, float]:
    """Start `invoke <args>` in its own process group; returns it and its monotonic 'ready' time."""
    process = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=root, env=_child_env(),
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    line = process.stdout.readline()
    if not line.startswith("ready "):
        _kill_group(process)
        out, err = process.communicate()
        raise AssertionError(f"invoke {' '.join(args)} did not start:\n{line}{out}\n{err}")
    return process, float(line.split()[1])


def _kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the task and the build's worker processes with it: nothing of the run survives."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _complete(root: Path, args: tuple[str, ...], context: str) -> tuple[str, str, float]:
    """Run a task to completion: exit 0, no traceback, within the timeout. Returns stdout,
    stderr and the seconds from 'ready' to exit."""
    process, ready = _start(root, args)
    try:
        out, err = process.communicate(timeout=NEXT_RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        out, err = process.communicate()
        raise AssertionError(f"{context}: invoke {' '.join(args)} hung for {NEXT_RUN_TIMEOUT} s "
                             f"(a dead holder's lock not taken over?)\n{out}\n{err}") from None
    duration = time.monotonic() - ready
    assert process.returncode == 0, f"{context}: invoke {' '.join(args)} exited {process.returncode}\n{out}\n{err}"
    assert "Traceback" not in out + err, f"{context}: invoke {' '.join(args)} printed a traceback\n{out}\n{err}"
    return out, err, duration


def _killed(root: Path, args: tuple[str, ...], delay: float | None = None,
            nth_write: int | None = None) -> tuple[bool, int, str]:
    """Run a task and SIGKILL it either `delay` seconds into its work, or as soon as the
    `nth_write`-th partial file has been seen (a write is under way). Returns whether the
    kill landed (False: the task had finished), its pid and its output."""
    watched = [] if nth_write is None else _watched_dirs(root)
    process, ready = _start(root, args)
    if nth_write is None:
        remaining = ready + delay - time.monotonic()
        if remaining > 0:
            time.sleep(remaining)
    else:
        _wait_for_writes(process, watched, nth_write)
    _kill_group(process)
    out, err = process.communicate(timeout=60)
    return process.returncode == -signal.SIGKILL, process.pid, out + err


def _wait_for_writes(process: subprocess.Popen, watched: list[str], count: int,
                     seconds: float = float("inf")) -> None:
    """Poll until `count` different partial files have been seen, the process ended or
    `seconds` have passed."""
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    while len(seen) < count and process.poll() is None and time.monotonic() < deadline:
        for directory in watched:
            try:
                with os.scandir(directory) as entries:
                    seen.update(e.path for e in entries if e.name.endswith(PARTIAL_SUFFIX))
            except FileNotFoundError:
                pass


def _watched_dirs(root: Path) -> list[str]:
    """Where the killed tasks write: locales/ and build/ (not the hand-off packages)."""
    found = []
    for top in (root / "locales", root / "build"):
        for directory, subdirectories, _ in os.walk(top):
            subdirectories[:] = [d for d in subdirectories if d != "handoff"]
            found.append(directory)
    return found


# -- the project ----------------------------------------------------------------

class Source:
    """The English leaflets, as blocks an author edits, deletes and restores."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.leaflets: dict[str, tuple[str, list[dict]]] = {}
        for path in sorted((root / "source/leaflets").glob("*.md")):
            front, _, body = path.read_text(encoding="utf-8").partition("+++\n\n")
            units = []
            for block in body.strip().split("\n\n"):
                lines = block.split("\n")
                if all(line.startswith("- ") for line in lines):
                    units += [{"text": line, "list": True, "state": None} for line in lines]
                else:
                    editable = not block.startswith(("#", "<!--"))
                    units.append({"text": block, "list": False, "state": None if editable else "fixed"})
            self.leaflets[path.stem] = (front + "+++\n\n", units)

    def change(self, rng) -> str:
        """Edit, delete or restore one or two blocks; returns what changed."""
        done = []
        for _ in range(rng.randint(1, 2)):
            name = rng.choice(sorted(self.leaflets))
            units = [u for u in self.leaflets[name][1] if u["state"] != "fixed"]
            unit = rng.choice(units)
            unit["state"] = rng.choice([s for s in (None, 0, 1, 2, DELETED) if s != unit["state"]])
            done.append(f"{name}: {unit['text'][:30]!r} -> {unit['state']}")
            self._write(name)
        return "; ".join(done)

    def _write(self, name: str) -> None:
        front, units = self.leaflets[name]
        text, previous = front, None
        for unit in units:
            if unit["state"] == DELETED:
                continue
            body = unit["text"] + (EDITS[unit["state"]] if isinstance(unit["state"], int) else "")
            if previous is not None:
                text += "\n" if previous["list"] and unit["list"] else "\n\n"
            text += body
            previous = unit
        (self.root / "source/leaflets" / f"{name}.md").write_text(text + "\n", encoding="utf-8")


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file under locales/ except partial files, by relative path."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted((root / "locales").rglob("*"))
            if path.is_file() and not path.name.endswith(PARTIAL_SUFFIX)}


def _all_strings(path: Path) -> set[str]:
    catalog = read_po(path.read_bytes(), path)
    strings = set()
    for message in [*catalog, *catalog.obsolete.values()]:
        if message.id:
            value = message.string
            strings.update(value if isinstance(value, tuple) else (value,))
    return strings - {"", None}


def _translate(entry: polib.POEntry, text: str) -> str:
    """What a translator does in Poedit: write the text, confirm it (no fuzzy, no #|)."""
    old = entry.msgstr
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    return old


def _editable(entries) -> list[polib.POEntry]:
    return [e for e in entries if e.msgid and not e.obsolete and not e.msgid_plural]


# -- the promises -----------------------------------------------------------------

def check_catalogues(root: Path, context: str) -> None:
    """Promise 1: every catalogue parses, strictly and for msgfmt."""
    for path in sorted((root / "locales").rglob("*.po*")):
        if path.name.endswith(PARTIAL_SUFFIX):
            continue
        try:
            read_po(path.read_bytes(), path)
        except CatalogError as exc:
            pytest.fail(f"{context}: {path.relative_to(root)} no longer parses: {exc}")
        if path.suffix == ".po":
            result = subprocess.run(["msgfmt", "--check-format", "--check-header", "--check-domain",
                                     "-o", os.devnull, str(path)], capture_output=True, text=True)
            assert result.returncode == 0, \
                f"{context}: msgfmt refuses {path.relative_to(root)}:\n{result.stderr}"


def check_same_or_next(before: dict, killed: dict, after: dict, context: str) -> None:
    """Promise 2: each file is the version before the killed run or the one after the next."""
    for name in sorted(before.keys() | killed.keys() | after.keys()):
        state = killed.get(name)
        assert state == before.get(name) or state == after.get(name), (
            f"{context}: after the kill {name} is neither its version before the killed run nor "
            f"the one the next complete run left")


def check_build_readable(root: Path, context: str) -> None:
    """Promise 3, right after the kill: the manifest parses, and every HTML or PDF a
    reader (or a web server) can open is whole."""
    build = root / "build"
    path = build / "manifest.json"
    if path.exists():
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            pytest.fail(f"{context}: build/manifest.json is not JSON after the kill: {exc}")
    for pattern, ending in (("*.html", b"</html>"), ("*.pdf", b"%%EOF")):
        for output in build.glob(f"*/{pattern}"):
            assert output.read_bytes().rstrip().endswith(ending), \
                f"{context}: {output.relative_to(root)} is truncated after the kill"


def check_outputs(root: Path, expected: int, context: str) -> None:
    """Promise 3: every output the manifest calls current is whole and is the recorded bytes."""
    build = root / "build"
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    states = Counter(output["state"] for output in manifest["outputs"])
    assert states["built"] + states["unchanged"] == expected == len(manifest["outputs"]), \
        f"{context}: unexpected output states in the manifest: {dict(states)}"
    for output in manifest["outputs"]:
        for kind, ending in (("html", b"</html>"), ("pdf", b"%%EOF")):
            path = build / output[kind]
            assert path.is_file(), f"{context}: {output[kind]} is in the manifest but missing"
            data = path.read_bytes()
            assert hashlib.sha256(data).hexdigest() == output[f"{kind}_sha256"], \
                f"{context}: {output[kind]} ({output['state']}) is not the file the manifest recorded"
            assert data.rstrip().endswith(ending), f"{context}: {output[kind]} is truncated"
    assert (build / "index.html").read_bytes().rstrip().endswith(b"</html>"), f"{context}: index.html truncated"
    json.loads((build / "reports" / "status.json").read_text(encoding="utf-8"))


def check_translations_kept(root: Path, written: dict[str, set[str]], context: str) -> None:
    """Promise 4: every translation a person wrote is still in its catalogue (maybe fuzzy or obsolete)."""
    for domain, values in written.items():
        present = _all_strings(root / "locales/cy/LC_MESSAGES" / f"{domain}.po")
        lost = sorted(values - present)
        assert not lost, f"{context}: translations lost from cy/{domain}.po: {lost}"


def check_takeover(root: Path, pid: int, holder: dict | None, left: list[Path], err: str, context: str) -> None:
    """Promise 5 (lock): the next run took the lock over at once and removed what the dead run left."""
    assert "waiting for" not in err, f"{context}: the next run waited for a dead holder:\n{err}"
    if holder is not None and holder.get("pid") == pid:
        assert "stopped before finishing" in err and f"removed {len(left)} partial file(s)" in err, \
            f"{context}: the next run did not report taking over from the killed run ({len(left)} partial):\n{err}"
    else:        # partial files are only ever written while the holder is recorded
        assert not left, f"{context}: partial files without a recorded holder: {left}"
    remaining = partial_files(root / "locales", root / "build")
    assert not remaining, f"{context}: partial files remain after the next complete run: {remaining}"


def _holder(root: Path) -> dict | None:
    try:
        return json.loads((root / LOCK_FILE).read_bytes() or b"null")
    except (OSError, ValueError):
        return None


# -- the loop ---------------------------------------------------------------------

class KillLoop:
    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.seed = seed
        self.rng = random.Random(seed)
        self.source = Source(root)
        self.written: dict[str, set[str]] = defaultdict(set)     # domain → cy texts a person wrote
        self.durations: dict[str, float] = {}
        self.kills = Counter()
        self.misses = Counter()
        self.partials = 0                 # kills that left partial files
        self.changed = 0                  # files under locales/ a killed run had already replaced
        self.log: list[str] = []
        self.outputs = len(load_project(root).leaflets) * 2       # English and Welsh
        for path in (root / "locales/cy/LC_MESSAGES").glob("*.po"):
            self.written[path.stem] |= _all_strings(path)
        self.returned_dir = root.parent / "returned"
        self.returned_dir.mkdir()

    # Each `prepare_*` gives the operation real work and returns its arguments, a description,
    # a function to call once a complete run has done that work, what kind of work it is
    # (each kind is timed once, by a run that is not killed) and how many files it writes.

    def prepare_update(self, label: str):
        what = self.source.change(self.rng)
        _complete(self.root, ("extract",), label)
        writes = len({part.split(":")[0] for part in what.split("; ")})      # one catalogue per leaflet
        return ("update",), what, lambda: None, "update", writes

    def prepare_build(self, label: str):
        what = []
        if self.rng.random() < 0.5:           # every output must be rebuilt
            with (self.root / "source/styles/leaflet.css").open("a", encoding="utf-8") as css:
                css.write(f"/* {label} */\n")
            what.append("style changed")
        if not what or self.rng.random() < 0.5:
            domain = self.rng.choice(sorted(load_project(self.root).leaflets))
            path = self.root / "locales/cy/LC_MESSAGES" / f"{domain}.po"
            catalog = polib.pofile(str(path))
            entry = self.rng.choice(_editable(catalog))
            text = f"Newid {label}: {entry.msgid}"
            old = _translate(entry, text)
            catalog.save()                    # as a translator's editor would save it
            self.written[domain].discard(old)
            self.written[domain].add(text)
            what.append(f"cy/{domain}.po edited")
        # HTML and PDF of each output built, then the index, manifest and status report
        if "style changed" in what:
            kind, writes = "build, all outputs", 2 * self.outputs + 4
        else:
            kind, writes = "build, Welsh outputs", 2 + 4
        return ("build",), ", ".join(what), lambda: None, kind, writes

    def prepare_import(self, label: str):
        out, _, _ = _complete(self.root, ("export", "--lang", "cy"), label)
        exported = self.root / out.strip().splitlines()[-1]
        returned = self.returned_dir / f"{label}.zip"
        with zipfile.ZipFile(exported) as package:
            record = json.loads(package.read("handoff.json"))
            members = {name: package.read(name) for name in package.namelist()}
        catalogs = {domain: polib.pofile(members[member].decode("utf-8"))
                    for domain, member in record["files"].items()}
        candidates = [(domain, entry) for domain, catalog in sorted(catalogs.items())
                      for entry in _editable(catalog)]
        changes = []
        for number, (domain, entry) in enumerate(self.rng.sample(candidates, self.rng.randint(1, 4))):
            text = f"Cyfieithiad {label}.{number}: {entry.msgid}"
            changes.append((domain, _translate(entry, text), text))
        for domain, member in record["files"].items():
            members[member] = str(catalogs[domain]).encode("utf-8") + b"\n"
        with zipfile.ZipFile(returned, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in members.items():
                package.writestr(name, data)

        def imported():
            for domain, old, new in changes:
                self.written[domain].discard(old)
                self.written[domain].add(new)
        domains = sorted({domain for domain, _, _ in changes})
        return ("import", str(returned)), f"{len(changes)} entries of {', '.join(domains)} translated", \
            imported, "import", len(domains)

    def round(self, operation: str, number: int) -> str:
        """One round: "timed" (not killed), "killed", or "late" (the task finished first)."""
        label = f"r{number}"
        args, what, done, kind, writes = getattr(self, f"prepare_{operation}")(label)
        if kind not in self.durations:
            how, killing = "not killed: timing run", {}
        elif self.rng.random() < 0.5:
            delay = self.rng.uniform(0, self.durations[kind])
            how, killing = f"killed {delay:.3f} s into {self.durations[kind]:.3f} s", {"delay": delay}
        else:
            nth = self.rng.randint(1, writes)
            how, killing = f"killed at the write of partial file {nth}", {"nth_write": nth}
        context = f"LEAFLET_KILL_SEED={self.seed} round {number} ({operation}: {what}; {how})"
        before = _snapshot(self.root)
        landed, pid, _ = _killed(self.root, args, **killing) if killing else (False, 0, "")
        holder, left = _holder(self.root), partial_files(self.root / "locales", self.root / "build")
        killed = _snapshot(self.root)
        check_catalogues(self.root, context)
        check_build_readable(self.root, context)

        out, err, duration = _complete(self.root, args, context + ", next run")
        if not killing:
            self.durations[kind] = duration
        done()
        after = _snapshot(self.root)
        if killing:
            check_same_or_next(before, killed, after, context)
            check_takeover(self.root, pid, holder if landed else None, left, err, context)
        check_catalogues(self.root, context + ", after the next run")
        check_outputs(self.root, self.outputs, context + ", after the next run")
        check_translations_kept(self.root, self.written, context + ", after the next run")
        if killing:
            (self.kills if landed else self.misses)[operation] += 1
            self.partials += bool(left)
            self.changed += sum(killed.get(name) != before.get(name) for name in killed.keys() | before.keys())
        outcome = "timed" if not killing else "killed" if landed else "late"
        self.log.append(f"{context}: {outcome}" + (f", {len(left)} partial file(s) left" if left else ""))
        return outcome


@pytest.fixture
def project(mini) -> Path:
    """The miniature project with a second leaflet, partly translated into Welsh, built once."""
    (mini / "source/leaflets/aftercare.md").write_text(AFTERCARE, encoding="utf-8")
    extract(load_project(mini))
    update(load_project(mini))
    fill(mini / "locales/cy/LC_MESSAGES/aftercare.po", AFTERCARE_WELSH)
    _complete(mini, ("build",), "first build")
    return mini


@pytest.mark.slow
def test_killed_writing_tasks_lose_nothing(project):
    rounds = _env_int("LEAFLET_KILL_ROUNDS", DEFAULT_ROUNDS)
    seed = _env_int("LEAFLET_KILL_SEED", DEFAULT_SEED)
    print(f"kill loop: LEAFLET_KILL_SEED={seed} LEAFLET_KILL_ROUNDS={rounds}")
    loop = KillLoop(project, seed)
    wanted = {operation: rounds // len(OPERATIONS) + (index < rounds % len(OPERATIONS))
              for index, operation in enumerate(OPERATIONS)}
    started = time.monotonic()
    order = [operation for operation, count in wanted.items() for _ in range(count)]
    loop.rng.shuffle(order)
    number = 0
    for operation in order:
        misses = 0
        while True:
            number += 1
            outcome = loop.round(operation, number)
            if outcome == "killed":
                break
            misses += outcome == "late"
            if misses >= 5:
                pytest.fail(f"LEAFLET_KILL_SEED={seed}: five kills of {operation} in a row came too late")
    print("\n".join(loop.log))
    print(f"kills landed: {dict(loop.kills)}, came too late: {dict(loop.misses)}; "
          f"{loop.partials} kills left partial files, {loop.changed} catalogue writes had completed; "
          f"timing runs: { {k: round(v, 3) for k, v in loop.durations.items()} }; "
          f"{time.monotonic() - started:.1f} s")
    assert sum(loop.kills.values()) >= rounds
    assert all(loop.kills[operation] >= count for operation, count in wanted.items())


@pytest.mark.slow
def test_killing_the_build_process_stops_its_workers(project):
    """`kill -9 <pid>` of a build (or the OOM killer) kills only that process. Its worker
    processes must not outlive it: they hold no project lock, so whatever they write
    afterwards can land after the next build recorded its manifest."""
    with (project / "source/styles/leaflet.css").open("a", encoding="utf-8") as css:
        css.write("/* every output must be rebuilt */\n")
    watched = _watched_dirs(project)
    process, _ = _start(project, ("build",))
    try:
        deadline = time.monotonic() + 60
        while not processes(parent=process.pid) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        _wait_for_writes(process, watched, 1, seconds=1.0)    # let them render: until one writes
        if process.poll() is not None or not processes(parent=process.pid):
            raise RuntimeError("the build finished before its workers could be caught working")
        os.kill(process.pid, signal.SIGKILL)      # the task's own process only
        process.wait(timeout=60)                  # not communicate(): the workers hold its pipes open
        killed_at = time.time()
        deadline = time.monotonic() + 5
        while processes(group=process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = processes(group=process.pid)
        written = sorted(path.relative_to(project).as_posix() for path in (project / "build").rglob("*")
                         if path.is_file() and path.stat().st_mtime > killed_at)
        assert not survivors, (f"{len(survivors)} worker process(es) of the killed build still run 5 s later "
                               f"(pids {survivors}); after the build died they wrote {written}")
        assert not written, f"files written after the build was killed: {written}"
    finally:
        _kill_group(process)
        process.communicate(timeout=60)
