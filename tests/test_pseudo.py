from leaflet_l10n import load_project
from leaflet_l10n.catalogs import accented, mirrored

from conftest import run_task


def test_accented_is_longer_and_keeps_tags_placeholders_and_addresses():
    source = "Read the <a1>NHS website</a1> at www.nhs.uk on %(date)s."
    text = accented(source)
    assert "<a1>" in text and "</a1>" in text and "%(date)s" in text and "www.nhs.uk" in text
    assert "ŠÜ" not in source and "wébšîté" in text
    assert len(text) >= 1.35 * len("Read the NHS website at www.nhs.uk on %(date)s.")


def test_mirrored_wraps_words_in_right_to_left_overrides():
    assert mirrored("Page {page}") == "\u202ePage\u202c {page}"


def test_pseudo_locales_build_but_are_never_listed_or_registered(mini):
    run_task(mini, "build")
    result = run_task(mini, "build", "--lang", "en-XA", "--lang", "ar-XB")
    assert "built     en-XA" in result.stdout and "built     ar-XB" in result.stdout
    html = (mini / "build/ar-XB/sample.html").read_text()
    assert '<html lang="ar-XB" dir="rtl">' in html
    assert "[Hávîñg á šámplé pröçéðüré" in (mini / "build/en-XA/sample.html").read_text() or \
        "Hávîñg" in (mini / "build/en-XA/sample.html").read_text()
    index = (mini / "build/index.html").read_text()
    assert "en-XA" not in index and "ar-XB" not in index
    assert [l.code for l in load_project(mini).all_languages] == ["en", "cy"]
    assert not (mini / "locales/en_XA").exists()
