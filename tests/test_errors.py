"""Typed errors keep everything they say when they cross a process boundary (build workers)."""
import pickle

import pytest

from leaflet_l10n import CatalogError, ImportRefused, MissingGlyphError


def test_an_error_set_up_after_construction_keeps_its_fields_through_pickle():
    error = MissingGlyphError("no glyph", path="locales/cy/LC_MESSAGES/ui.po", line=12, hint="install a font")
    error.character = "ꯀ"
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.character, copy.line, str(copy.path), copy.hint) == \
        (MissingGlyphError, "ꯀ", 12, "locales/cy/LC_MESSAGES/ui.po", "install a font")


@pytest.mark.parametrize("error", [ImportRefused(["x.po:3: placeholders: …"]),
                                   CatalogError("not UTF-8", path="x.po", line=2, hint="save as UTF-8")])
def test_every_typed_error_reads_the_same_after_pickle(error):
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
