"""Where build jobs run: worker processes on this machine, or a Dask cluster.

A job is pure (`jobs.render_job`), so where it runs changes nothing in its output.
Each runner yields one `JobOutput` per job, in the order given; a job that raised,
or whose worker died, comes back as a `RenderError` saying so, and the others go on.

- `local_results`: worker processes forked from this one after it has imported
  WeasyPrint, compiled the templates and started the fonts (`render.warm_up`; 20% of a
  job's CPU was each worker importing WeasyPrint). Workers are replaced
  after WORKER_JOBS jobs each, because WeasyPrint keeps a little memory per document.
  They are forked, not started by a fork server, so that each dies with the build
  (`forks.die_with`); and Python refuses max_tasks_per_child with
  fork, so a new pool is started for each batch instead.
- `cluster_results`: Dask distributed (`pip install '.[cluster]'`). The site (templates,
  styles) is scattered to the workers once; each job carries only its own inputs. A job
  whose worker dies is run again by Dask; one that raises is retried once, then reported.
"""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from .errors import ConfigError, RenderError
from .forks import fork_pool
from .jobs import JobInput, JobOutput, render_job
from .render import warm_up

WORKER_JOBS = 100                   # a job is one PDF: about 100 documents a worker before it is replaced
CLUSTER_JOBS = 500                 # jobs sent to a cluster at a time: their inputs are in memory meanwhile


@dataclass(frozen=True)
class Engine:
    """Where a build's jobs run, and who hears of each one done."""
    workers: int | None = None                    # processes on this machine; default one per core
    scheduler: str | None = None                  # a Dask scheduler's address: run there instead
    progress: Callable[[int, int], None] | None = None   # (done, total) after each job

    def results(self, jobs: Iterable[JobInput], total: int) -> Iterator[JobOutput]:
        """Each job's output, in order; jobs are taken from `jobs` a batch at a time."""
        results = cluster_results(jobs, self.scheduler) if self.scheduler else local_results(jobs, self.workers)
        for done, result in enumerate(results, 1):
            if self.progress:
                self.progress(done, total)
            yield result


def local_results(jobs: Iterable[JobInput], workers: int | None = None,
                  render: Callable[[JobInput], JobOutput] = render_job) -> Iterator[JobOutput]:
    """Each job's output, rendered in worker processes of this machine that die with this one."""
    workers = workers or os.cpu_count() or 1
    remaining = iter(jobs)
    while batch := list(islice(remaining, WORKER_JOBS * workers)):
        warm_up(batch[0].site)              # here, once: every forked worker starts with it
        yield from _pool_results(batch, workers, render)


def _pool_results(jobs: Sequence[JobInput], workers: int, render) -> Iterator[JobOutput]:
    with fork_pool(min(workers, len(jobs))) as pool:
        futures = [pool.submit(render, job) for job in jobs]
        for job, future in zip(jobs, futures):
            try:
                yield future.result()
            except Exception as exc:       # a bug or a dead worker must not stop the other outputs
                yield failed(job, exc)


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
    return render(dataclasses.replace(job, site=site))


def failed(job: JobInput, exc: BaseException) -> JobOutput:
    where = job.catalog.path if job.catalog else job.leaflet.path
    return JobOutput(error=RenderError(
        f"{job.leaflet.name} in {job.language.tag} failed: {type(exc).__name__}: {exc}", path=where,
        hint="build it again; if it fails again, report it with this message"))
