"""Where jobs run: a real Dask scheduler and two workers, each its own process on 127.0.0.1,
against a build on this machine. Same outputs, byte for byte, even when a worker is killed."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leaflet_l10n import Engine, build, load_project
from leaflet_l10n.jobs import PARTS
from leaflet_l10n.runners import cluster_results

from conftest import REPO, run_task

pytest.importorskip("distributed", reason="the cluster extra: pip install '.[cluster]' (./run test installs it)")
DASK = [sys.executable, "-m", "dask"]
TESTS = Path(__file__).parent


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers; yields (address, worker processes)."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{TESTS}"}
    common = ["--no-dashboard"]
    scheduler = subprocess.Popen([*DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                  "--scheduler-file", str(scheduler_file), *common],
                                 cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = [subprocess.Popen([*DASK, "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                                 "--nworkers", "1", "--name", f"w{n}", "--no-nanny", *common],
                                cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for n in range(2)]
    try:
        address = _address(scheduler_file)
        yield address, workers
    finally:
        for process in (*workers, scheduler):
            process.kill()
            process.wait()


def _address(scheduler_file: Path) -> str:
    import json

    from distributed import Client
    deadline = time.monotonic() + 60
    while True:               # the scheduler writes its file in place: wait until it is whole
        try:
            address = json.loads(scheduler_file.read_text())["address"]
            break
        except (OSError, ValueError, KeyError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    with Client(address, timeout="30s") as client:
        client.wait_for_workers(2, timeout=60)
    return address


def _project(tmp_path, name) -> Path:
    root = tmp_path / name
    for part in ("source", "locales"):
        shutil.copytree(REPO / part, root / part)
    return root


def _outputs(root: Path) -> dict[str, bytes]:
    """Every file a patient receives: pages, PDFs, images, the index."""
    return {path.relative_to(root / "build").as_posix(): path.read_bytes()
            for path in (root / "build").rglob("*") if path.is_file() and path.suffix in (".html", ".pdf", ".svg", ".png")
            and "reports" not in path.parts}


@pytest.fixture(scope="module")
def local_build(tmp_path_factory) -> dict[str, bytes]:
    root = _project(tmp_path_factory.mktemp("local"), "project")
    assert build(load_project(root)).ok
    return _outputs(root)


def test_a_cluster_build_gives_the_same_bytes_as_a_local_one(cluster, local_build, tmp_path, monkeypatch):
    from distributed import Client
    address, _ = cluster
    root = _project(tmp_path, "project")
    sent, real_map = [], Client.map
    monkeypatch.setattr(Client, "map", lambda self, func, jobs, *more, **options:
                        sent.extend(jobs) or real_map(self, func, jobs, *more, **options))
    result = build(load_project(root), engine=Engine(scheduler=address))
    assert result.ok and {o.state for o in result.outputs} == {"built"}
    assert len(local_build) >= 17 * 3
    assert _outputs(root) == local_build
    assert len(sent) == 17 * len(PARTS) and all(job.site is None for job in sent), "the site travels once"


def test_killing_a_worker_halfway_loses_no_output(cluster, local_build, tmp_path):
    """Dask runs the lost worker's jobs again on the other: nothing is missing, nothing differs."""
    address, workers = cluster
    root = _project(tmp_path, "project")
    victim = workers[1]

    def kill_after_the_first(done, total):
        if done == 3 and victim.poll() is None:
            os.kill(victim.pid, signal.SIGKILL)
    result = build(load_project(root), engine=Engine(scheduler=address, progress=kill_after_the_first))
    assert victim.poll() is not None, "the worker was not killed during the build"
    assert result.ok and {o.state for o in result.outputs} == {"built"}
    assert _outputs(root) == local_build


def _raises(job):
    raise MemoryError(f"out of memory in {job.language.tag}")


def test_a_job_that_fails_twice_comes_back_failed_with_its_reason(cluster, tmp_path):
    from leaflet_l10n.checks import Checker
    from leaflet_l10n.build import Selection, plan_outputs, release_gate
    address, _ = cluster                       # one live worker is enough, even after the kill test
    project = load_project(_project(tmp_path, "project"))
    checker = Checker(project)
    selection = Selection(project.select_languages(["cy"]), project.select_leaflets(None))
    plan = plan_outputs(project, checker, release_gate(project, checker), selection, {})
    [result] = cluster_results([job for _, job in plan.jobs()], address, render=_raises)
    assert "MemoryError: out of memory in cy" in str(result.error)


def test_no_scheduler_at_the_address_is_a_clear_error(real_copy):
    result = run_task(real_copy, "build", "--scheduler", "tcp://127.0.0.1:9", check=False)
    assert result.returncode == 2
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in result.stderr and "Traceback" not in result.stderr


def test_no_jobs_start_no_workers_here_or_on_a_cluster():
    """A no-op build has nothing to run: no pool, no connection to a scheduler that may be down."""
    from leaflet_l10n.runners import local_results
    assert list(local_results([])) == [] and list(Engine().results([], 0)) == []
    assert list(cluster_results([], "tcp://127.0.0.1:9")) == []
