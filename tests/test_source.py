"""A leaflet file's front matter."""
from pathlib import Path

import pytest

from leaflet_l10n.errors import SourceError
from leaflet_l10n.source import parse_leaflet


def test_front_matter_problems_name_the_file():
    with pytest.raises(SourceError, match="front matter lacks 'published'"):
        parse_leaflet('+++\ntitle = "t"\ndocument_type = "d"\n+++\n', Path("y.md"))
    with pytest.raises(SourceError, match="must start with TOML front matter"):
        parse_leaflet("# Title\n", Path("y.md"))
