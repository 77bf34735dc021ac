"""The missing-glyph gate: a character no installed font covers fails the build for that language."""
import polib

from conftest import run_task

NO_FONT_HAS_THIS = "\U000F0000"   # Supplementary Private Use Area-A: no system font draws it


def test_a_character_without_a_glyph_fails_that_language_and_names_it(mini):
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    po.write_text(po.read_text().replace("Beth sy'n digwydd nesaf", f"Beth sy'n digwydd nesaf {NO_FONT_HAS_THIS}"))
    result = run_task(mini, "build", check=False)
    assert result.returncode != 0
    assert "U+F0000" in result.stdout and "Beth sy'n digwydd nesaf" in result.stdout
    line = next(e.linenum for e in polib.pofile(str(po)) if e.msgid == "What happens next")
    assert f"sample.po:{line}: no installed font has a glyph" in result.stdout
    assert "built     en" in result.stdout, "other languages still build"
    assert not (mini / "build/cy/sample.pdf").exists()
