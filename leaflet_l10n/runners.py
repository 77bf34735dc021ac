"""Where build jobs run: worker processes on this machine, or a Dask cluster.

A job is pure (`jobs.render_job`), so where it runs changes nothing in its output.
Each runner yields one `JobOutput` per job, in the order given; a job that raised,
or whose worker died, comes back as a `RenderError` saying so, and the others go on.

- `local_results`: worker processes of this machine, started by a fork server that has
  imported WeasyPrint and the jobs' code once (20% of a job's CPU was each worker
  importing WeasyPrint). They do not inherit the coordinator's memory, which grows with
  the library. The site is sent to each worker once, not with every job. A worker is
  replaced after WORKER_JOBS jobs, on its own, because WeasyPrint keeps a little memory
  per document (`forks.served_results`).
- `cluster_results`: Dask distributed (`pip install '.[cluster]'`). The site (templates,
  styles) is scattered to the workers once; each job carries only its own inputs. A job
  whose worker dies is run again by Dask; one that raises is retried once, then reported.
"""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice

from .errors import ConfigError, RenderError
from .forks import served_results, start_server
from .jobs import JobInput, JobOutput, render_job
from .render import Site

WORKER_JOBS = 100                   # a job is one PDF: about 100 documents a worker before it is replaced
CLUSTER_JOBS = 500                 # jobs sent to a cluster at a time: their inputs are in memory meanwhile
WORKER_MODULES = ["leaflet_l10n.jobs", "weasyprint"]     # imported once by the fork server, for every worker
_site: Site | None = None           # in a worker: the site its jobs are sent without


@dataclass(frozen=True)
class Engine:
    """Where a build's jobs run, and who hears of each one done."""
    workers: int | None = None                    # processes on this machine; default one per core
    scheduler: str | None = None                  # a Dask scheduler's address: run there instead
    progress: Callable[[int, int], None] | None = None   # (done, total) after each job

    def prepare(self) -> None:
        """Start this machine's worker server, so it imports WeasyPrint while the build checks and plans."""
        if not self.scheduler:
            start_server(WORKER_MODULES)

    def results(self, jobs: Iterable[JobInput], total: int) -> Iterator[JobOutput]:
        """Each job's output, in order; `jobs` is read only a little ahead of the workers."""
        results = cluster_results(jobs, self.scheduler) if self.scheduler else local_results(jobs, self.workers)
        for done, result in enumerate(results, 1):
            if self.progress:
                self.progress(done, total)
            yield result


def local_results(jobs: Iterable[JobInput], workers: int | None = None,
                  render: Callable[[JobInput], JobOutput] = render_job) -> Iterator[JobOutput]:
    """Each job's output, rendered in worker processes of this machine that die with this one."""
    remaining = iter(jobs)
    first = next(remaining, None)
    if first is None:
        return
    sent = (dataclasses.replace(job, site=None) if job.site is first.site else job
            for job in chain([first], remaining))           # each worker is given the site once
    for job, future in served_results(partial(_render_with_site, site=None, render=render), sent,
                                      workers or os.cpu_count() or 1, items_each=WORKER_JOBS,
                                      preload=WORKER_MODULES, start=partial(_keep_site, first.site)):
        try:
            yield future.result()
        except Exception as exc:           # a bug or a dead worker must not stop the other outputs
            yield failed(job, exc)


def _keep_site(site: Site) -> None:
    """In a new worker: keep the site its jobs come without."""
    global _site
    _site = site


def cluster_results(jobs: Iterable[JobInput], scheduler: str,
                    render: Callable[[JobInput], JobOutput] = render_job) -> Iterator[JobOutput]:
    """Each job's output, rendered by the workers of the Dask scheduler at `scheduler`."""
    try:
        from distributed import Client
    except ImportError:
        raise ConfigError("building on a cluster needs Dask: pip install '.[cluster]'",
                          hint="or build here, without --scheduler") from None
    remaining = iter(jobs)
    batch = list(islice(remaining, CLUSTER_JOBS))
    if not batch:
        return
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"no Dask scheduler answers at {scheduler}: {exc}",
                          hint="start one (dask scheduler; dask worker tcp://HOST:8786) or check the address") from None
    with client:
        sites = {}   # id → (site, its future): sent to the workers once, not with every job; kept, so ids stay unique
        while batch:
            for job in batch:
                if id(job.site) not in sites:
                    sites[id(job.site)] = (job.site, client.scatter(job.site, broadcast=True, hash=False))
            futures = client.map(_render_with_site, [dataclasses.replace(job, site=None) for job in batch],
                                 [sites[id(job.site)][1] for job in batch], render=render, pure=False, retries=1)
            for job, future in zip(batch, futures):
                try:
                    yield future.result()
                except Exception as exc:   # raised twice, or its worker lost more often than Dask allows
                    yield failed(job, exc)
            batch = list(islice(remaining, CLUSTER_JOBS))


def _render_with_site(job: JobInput, site, render: Callable[[JobInput], JobOutput]) -> JobOutput:
    """Render a job sent without its site: the site is the one given (by Dask) or kept here."""
    return render(job if job.site is not None else dataclasses.replace(job, site=site or _site))


def failed(job: JobInput, exc: BaseException) -> JobOutput:
    where = job.catalog.path if job.catalog else job.leaflet.path
    return JobOutput(error=RenderError(
        f"{job.leaflet.name} in {job.language.tag} failed: {type(exc).__name__}: {exc}", path=where,
        hint="build it again; if it fails again, report it with this message"))
