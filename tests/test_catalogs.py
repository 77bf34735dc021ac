import subprocess

import polib
import pytest
from babel import Locale

from leaflet_l10n import CatalogError, extract, load_project, read_catalog, update
from leaflet_l10n.catalogs import accented, mirrored
from leaflet_l10n.plurals import plural_count, plural_forms

from conftest import run_task


def test_init_takes_language_header_and_plural_forms_from_cldr(mini):
    po = polib.pofile(str(mini / "locales/cy/LC_MESSAGES/ui.po"))
    assert po.metadata["Language"] == "cy"
    assert po.metadata["Plural-Forms"].startswith("nplurals=6;")
    assert plural_count(Locale.parse("cy")) == 6
    assert "languages.cy" in (mini / "locales/languages.toml").read_text()


@pytest.mark.parametrize("code, count", [("cy", 6), ("ar", 6), ("pl", 4), ("zh_Hans", 1), ("es", 3)])
def test_plural_forms_match_cldr_categories(code, count):
    forms = plural_forms(Locale.parse(code))
    assert forms.startswith(f"nplurals={count};")
    assert " e " not in forms and "(e " not in forms


def _edit_source(root, old, new):
    leaflet = root / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text().replace(old, new))


def test_update_makes_a_changed_string_fuzzy_and_keeps_the_previous_msgid(mini):
    _edit_source(mini, "Will I need to stay in hospital?", "Will I need to stay in hospital overnight?")
    project = load_project(mini)
    extract(project)
    results = update(project)
    fuzzy = [e for e in polib.pofile(str(mini / "locales/cy/LC_MESSAGES/sample.po")) if e.fuzzy]
    assert [e.msgid for e in fuzzy] == ["Will I need to stay in hospital overnight?"]
    assert fuzzy[0].previous_msgid == "Will I need to stay in hospital?"
    assert fuzzy[0].msgstr == "Fydd angen i mi aros yn yr ysbyty?"
    assert any(r.fuzzy for r in results)


def test_update_keeps_obsolete_entries_and_never_loses_a_translation(mini):
    _edit_source(mini, "## What happens next\n", "")
    project = load_project(mini)
    extract(project)
    update(project)
    po = polib.pofile(str(mini / "locales/cy/LC_MESSAGES/sample.po"))
    assert [(e.msgid, e.msgstr) for e in po.obsolete_entries()] == [
        ("What happens next", "Beth sy'n digwydd nesaf")]


def test_update_with_no_change_rewrites_nothing(mini):
    project = load_project(mini)
    update(project)  # the first one may re-wrap what another tool wrote
    before = (mini / "locales/cy/LC_MESSAGES/sample.po").read_bytes()
    assert not any(result.changed for result in update(project))
    assert (mini / "locales/cy/LC_MESSAGES/sample.po").read_bytes() == before


@pytest.mark.parametrize("good, bad", [
    ('msgstr "Beth', 'msgstr Beth'),
    ('msgid "What happens next"', 'msgid "What happens next'),
    ('msgid "What happens next"', 'msgid "What "happens" next"'),
    ('msgid "What happens next"', 'msgi "What happens next"'),
])
def test_a_malformed_catalogue_is_refused_with_file_and_line(mini, good, bad):
    path = mini / "locales/cy/LC_MESSAGES/sample.po"
    path.write_text(path.read_text().replace(good, bad, 1))
    broken_line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(bad))
    with pytest.raises(CatalogError, match="syntax error") as caught:
        read_catalog(path)
    assert (caught.value.path, caught.value.line) == (path, broken_line)


def test_a_non_utf8_catalogue_is_refused(mini):
    path = mini / "locales/cy/LC_MESSAGES/sample.po"
    path.write_bytes(path.read_bytes() + b'\nmsgid "caf\xe9"\nmsgstr ""\n')
    with pytest.raises(CatalogError, match="not UTF-8"):
        read_catalog(path)


def test_a_duplicate_entry_is_refused_at_its_line(mini):
    path = mini / "locales/cy/LC_MESSAGES/sample.po"
    path.write_text(path.read_text() + '\nmsgid "What happens next"\nmsgstr "Rhywbeth arall"\n')
    with pytest.raises(CatalogError, match="a second entry") as caught:
        read_catalog(path)
    assert caught.value.line == len(path.read_text().splitlines()) - 1


def test_a_catalogue_declaring_another_charset_is_refused(mini):
    path = mini / "locales/cy/LC_MESSAGES/sample.po"
    path.write_text(path.read_text().replace("charset=utf-8", "charset=ISO-8859-1"))
    with pytest.raises(CatalogError, match="charset ISO-8859-1"):
        read_catalog(path)


def _msgfmt_check(path):
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_updates_after_an_edit_change_no_byte_and_add_no_comments(mini):
    _edit_source(mini, "Will I need to stay in hospital?", "Will I need to stay in hospital for a night?")
    project = load_project(mini)
    extract(project)
    update(project)
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    after_first = po.read_bytes()
    update(project)
    update(project)
    assert po.read_bytes() == after_first
    assert b"# |" not in after_first and b"#| msgid \"Will I need to stay in hospital?\"" in after_first
    _msgfmt_check(po)


def test_english_removed_then_restored_takes_back_its_translation_for_review(mini):
    project = load_project(mini)
    _edit_source(mini, "- Will I need to stay in hospital?\n", "")
    extract(project)
    update(project)
    _edit_source(mini, "- Ask about", "- Will I need to stay in hospital?\n- Ask about")
    extract(project)
    update(project)
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    entries = [e for e in polib.pofile(str(po)) if e.msgid == "Will I need to stay in hospital?"]
    assert [(e.msgstr, e.fuzzy, e.obsolete) for e in entries] == [("Fydd angen i mi aros yn yr ysbyty?", True, 0)]
    _msgfmt_check(po)
    before = po.read_bytes()
    update(project)
    assert po.read_bytes() == before


def test_headers_a_translator_s_tool_added_survive_an_update(mini):
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    text = po.read_text().replace('"Generated-By: leaflet-l10n\\n"', '"Generated-By: leaflet-l10n\\n"\n"X-Generator: Poedit 3.4\\n"')
    po.write_text(text)
    update(load_project(mini))
    assert read_catalog(po).header("X-Generator") == "Poedit 3.4"


def test_english_changed_twice_before_review_keeps_the_english_the_translation_was_made_from(mini):
    project = load_project(mini)
    for old, new in (("Will I need to stay in hospital?", "Will I need to stay in hospital for a night?"),
                     ("for a night?", "for two nights?")):
        _edit_source(mini, old, new)
        extract(project)
        update(project)
    entry = next(e for e in polib.pofile(str(mini / "locales/cy/LC_MESSAGES/sample.po"))
                 if e.msgid == "Will I need to stay in hospital for two nights?")
    assert entry.fuzzy and entry.previous_msgid == "Will I need to stay in hospital?"


# Pseudo-locales: generated catalogues that show layout problems before translations arrive.

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


def test_update_restores_cldr_plural_forms_a_tool_replaced_and_sends_plurals_for_review(real_copy):
    """Poedit writes gettext's three Lithuanian forms; check asks for CLDR's four and says `invoke update`.
    Update must then do it, keep every form the translator wrote, and hold the plurals back for review."""
    from leaflet_l10n import check_project
    po = real_copy / "locales/lt/LC_MESSAGES/ui.po"
    catalog = polib.pofile(str(po))
    catalog.metadata["Plural-Forms"] = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
                                        "(n%100<10 || n%100>=20) ? 1 : 2);")
    catalog.metadata["X-Generator"] = "Poedit 3.4"
    plurals = {entry.msgid: list(entry.msgstr_plural.values())[:3] for entry in catalog if entry.msgid_plural}
    for entry in catalog:
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(plurals[entry.msgid]))
    catalog.save()
    project = load_project(real_copy)
    assert any(f.code == "plural-forms" for f in check_project(project, ["lt"]).languages[0].errors)
    [result] = [r for r in update(project, ["lt"]) if r.path == po]
    after = polib.pofile(str(po))
    assert after.metadata["Plural-Forms"] == plural_forms(Locale.parse("lt"))
    assert after.metadata["X-Generator"] == "Poedit 3.4"
    for entry in (e for e in after if e.msgid_plural):
        assert list(entry.msgstr_plural.values())[:3] == plurals[entry.msgid] and "fuzzy" in entry.flags
    assert set(result.fuzzy) == {(msgid, e.msgid_plural) for msgid in plurals for e in after if e.msgid == msgid}
    assert not any(f.code == "plural-forms" for f in check_project(load_project(real_copy), ["lt"]).languages[0].errors)
    assert not any(r.changed for r in update(load_project(real_copy), ["lt"])), "a second update changes nothing"
