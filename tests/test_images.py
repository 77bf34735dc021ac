"""Images: a picture is let through only when it can neither run nor fetch anything."""
import tomllib
from pathlib import Path

import pytest

from leaflet_l10n.errors import SourceError
from leaflet_l10n.images import check_image, read_image

HOSTILE = Path(__file__).parent / "fixtures" / "hostile-images"
CASES = tomllib.loads((HOSTILE / "cases.toml").read_text(encoding="utf-8"))

PICTURES = {
    "gradient.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g">'
                    '<stop offset="0" stop-color="#fff"/></linearGradient></defs>'
                    '<rect width="10" height="10" fill="url(#g)" style="stroke: url( \'#g\' )"/></svg>',
    "inkscape.svg": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
                    ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><metadata><rdf:RDF/></metadata>'
                    '<g inkscape:label="Layer 1"><text x="1" y="5">Tube</text></g><!-- a comment --></svg>',
    "reuse.svg": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                 '<symbol id="s"><circle r="1"/></symbol><use xlink:href="#s"/><use href="#s"/></svg>',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_image_is_refused_with_what_is_wrong(name):
    with pytest.raises(SourceError) as refused:
        check_image((HOSTILE / name).read_bytes(), HOSTILE / name)
    assert CASES[name] in refused.value.message and refused.value.path == HOSTILE / name


def test_every_hostile_image_file_has_a_case():
    assert {p.name for p in HOSTILE.iterdir()} - {"cases.toml"} == set(CASES)


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_an_ordinary_picture_passes(tmp_path, name):
    path = tmp_path / name
    path.write_text(PICTURES[name])
    assert read_image(path, (tmp_path / "x.md", 3)) == path.read_bytes()


def test_a_fifo_or_a_missing_file_is_named_at_the_figure_not_read(tmp_path):
    import os
    os.mkfifo(tmp_path / "pipe.svg")
    for name in ("pipe.svg", "missing.svg"):
        with pytest.raises(SourceError) as refused:
            read_image(tmp_path / name, (tmp_path / "leaflet.md", 12))     # would hang on a FIFO
        assert refused.value.path == tmp_path / "leaflet.md" and refused.value.line == 12
