"""A build split across CI machines (`build --shard K/N`) and merged where their build/ folders meet."""
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaflet_l10n import Shard
from leaflet_l10n.errors import ConfigError

from conftest import run_task


@given(count=st.integers(1, 7), outputs=st.lists(st.text(min_size=1, max_size=3), unique=True, max_size=40))
def test_the_shards_of_a_split_cover_every_output_once_and_evenly(count, outputs):
    parts = [Shard(number, count).select(sorted(outputs)) for number in range(1, count + 1)]
    assert sorted(o for part in parts for o in part) == sorted(outputs)
    assert max(map(len, parts)) - min(map(len, parts)) <= 1


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0", "-1/2", "1/2/3", ""])
def test_a_shard_that_is_not_k_of_n_is_refused(text):
    with pytest.raises(ConfigError, match="not a shard"):
        Shard.parse(text)


def _machine(real_copy, tmp_path, name):
    """Another CI machine: the same checkout, its own build/."""
    return shutil.copytree(real_copy, tmp_path / name)


def _gather(machines, target):
    """What a CI merge job does: download every shard's build/ into one."""
    for machine in machines:
        shutil.copytree(machine / "build", target / "build", dirs_exist_ok=True)


def _published(root):
    return {p.relative_to(root / "build").as_posix(): p.read_bytes() for p in (root / "build").rglob("*")
            if p.is_file() and p.suffix in (".html", ".pdf") and "reports" not in p.parts}


def test_three_shards_merged_publish_what_one_build_does(real_copy, tmp_path):
    machines = [_machine(real_copy, tmp_path, f"shard{n}") for n in (1, 2, 3)]
    for number, machine in enumerate(machines, 1):
        run_task(machine, "build", "--shard", f"{number}/3")
        assert not (machine / "build/index.html").exists() and not (machine / "build/manifest.json").exists()
    merger = _machine(real_copy, tmp_path, "merge")
    _gather(machines, merger)
    run_task(merger, "build", "--merge")
    whole = _machine(real_copy, tmp_path, "whole")
    run_task(whole, "build")
    assert _published(merger) == _published(whole)
    assert "unchanged" in run_task(merger, "build").stdout           # the merged manifest is a real one


def test_a_missing_shard_is_refused_by_name(real_copy, tmp_path):
    machines = [_machine(real_copy, tmp_path, f"shard{n}") for n in (1, 2)]
    run_task(machines[0], "build", "--shard", "1/2")
    _gather(machines[:1], machines[1])
    result = run_task(machines[1], "build", "--merge", check=False)
    assert result.returncode == 2 and "shard 2 of 2 is missing" in result.stderr
    assert "2-of-2.json" in result.stderr and not (machines[1] / "build/index.html").exists()


def test_a_shard_built_from_other_inputs_is_not_published(real_copy, tmp_path):
    """A stale shard (its catalogue changed since) must not reach patients through the merge."""
    machines = [_machine(real_copy, tmp_path, f"shard{n}") for n in (1, 2)]
    for number, machine in enumerate(machines, 1):
        run_task(machine, "build", "--shard", f"{number}/2")
    merger = _machine(real_copy, tmp_path, "merge")
    po = merger / "locales/cy/LC_MESSAGES/lumbar-neurostimulation.po"
    po.write_text(po.read_text(encoding="utf-8").replace("30 munud", "20 munud"), encoding="utf-8")
    _gather(machines, merger)
    result = run_task(merger, "build", "--merge", check=False)
    assert result.returncode == 2 and "built from other inputs" in result.stderr and "cy/" in result.stderr
    assert not (merger / "build/index.html").exists()


@pytest.mark.parametrize("record", [b'{"shard": "1/1", "outputs": ["x", 3]}', b'{"shard": "1/1", "outputs": [{"leaflet": "s"}]}',
                                    b'{"shard": 1, "outputs": []}', b'{"shard": "1/1", "outputs": 7}', b"[]",
                                    b"\xff\xfe", b'{"shard": "1/1"}'])
def test_a_damaged_shard_record_is_refused_by_name(real_copy, record):
    (real_copy / "build/shards").mkdir(parents=True)
    (real_copy / "build/shards/1-of-1.json").write_bytes(record)
    result = run_task(real_copy, "build", "--merge", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "1-of-1.json" in result.stderr and not (real_copy / "build/index.html").exists()
