"""The benchmark corpus keeps its promises: the same bytes from the same seed, nothing for
`update` to change and no error for `check` to find, so that timings measure a clean library."""
import hashlib
import sys

from leaflet_l10n import check_project, load_project, update

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import make_corpus  # noqa: E402


def _digest(root):
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_a_small_corpus_is_clean_and_made_the_same_way_twice(tmp_path):
    first, second = make_corpus(tmp_path / "a", 2), make_corpus(tmp_path / "b", 2)
    assert _digest(first) == _digest(second)
    project = load_project(first)
    assert not any(result.changed for result in update(project))
    status = check_project(project)
    assert [(lang.language.code, f.code) for lang in status.languages for f in lang.errors] == []
