"""A build split across machines, as CI matrices run it: `build --shard K/N`, then `build --merge`.

Shard K of N takes every N-th output of the sorted list of (leaflet, language), starting
at the K-th: the same split on every machine, balanced within one output. A shard
builds its outputs and records them in `build/shards/K-of-N.json` instead of the
manifest. The merge, run where every shard's `build/` has been gathered, reads those
records as the previous build: an output is published only if it is current (built from
the inputs the project has now, its files the bytes recorded), so a missing or stale
shard is refused rather than published.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .errors import ConfigError

_SHARD = re.compile(r"(\d+)/(\d+)")
T = TypeVar("T")


@dataclass(frozen=True)
class Shard:
    number: int              # from 1
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = _SHARD.fullmatch(text.strip())
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise ConfigError(f"not a shard: {text!r}", hint="write K/N with 1 ≤ K ≤ N, e.g. --shard 2/4")
        return cls(int(match.group(1)), int(match.group(2)))

    def select(self, outputs: list) -> list:
        """This shard's part of the outputs, listed in the same order on every machine."""
        return outputs[self.number - 1::self.count]

    def record(self, folder: Path) -> Path:
        return folder / f"{self.number}-of-{self.count}.json"


def shard_records(folder: Path, read: Callable[[dict], T]) -> list[T]:
    """Every shard's outputs, each made by `read` from its record (TypeError if it is not one);
    all N shards of one split must be there."""
    found = {}
    for path in sorted(folder.glob("*-of-*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            found[Shard.parse(str(record["shard"]))] = [read(entry) for entry in record["outputs"]]
        except (OSError, ValueError, KeyError, TypeError, ConfigError) as exc:
            raise ConfigError(f"unreadable shard record: {getattr(exc, 'message', exc)}", path=path,
                              hint="copy that shard's build/ here again, or build the shard again") from None
    counts = {shard.count for shard in found}
    if len(counts) != 1:
        raise ConfigError("no shard records to merge" if not counts else
                          f"shard records of different splits: {', '.join(f'{s.number}/{s.count}' for s in found)}",
                          path=folder, hint="gather the build/ of every shard of one split, then merge")
    count = counts.pop()
    missing = [Shard(number, count) for number in range(1, count + 1) if Shard(number, count) not in found]
    if missing:
        raise ConfigError(f"shard {missing[0].number} of {count} is missing", path=missing[0].record(folder),
                          hint=f"build it (invoke build --shard {missing[0].number}/{count}) or copy its build/ here")
    return [output for outputs in found.values() for output in outputs]
