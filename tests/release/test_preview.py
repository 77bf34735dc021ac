"""Page previews: each PDF page as a PNG, for checking layout without a PDF reader."""
from conftest import run_task


def test_preview_of_one_language_ignores_another_withheld_language(mini):
    run_task(mini, "init", "--lang", "pl")
    registry = mini / "locales/languages.toml"
    registry.write_text(registry.read_text().replace('[languages.pl]\nstatus = "draft"',
                                                     '[languages.pl]\nstatus = "published"'))
    result = run_task(mini, "preview", "--lang", "cy")
    assert "cy/sample-1.png" in result.stdout
