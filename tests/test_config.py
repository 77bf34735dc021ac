import pytest

from leaflet_l10n import ConfigError, UnknownLanguageError, load_project


def _registry(root, text):
    (root / "locales/languages.toml").write_text(text)


def test_registered_languages_have_bcp47_tags_direction_and_native_names(mini):
    _registry(mini, 'source = "en"\n[languages.zh_Hans]\nstatus = "draft"\n[languages.ar]\nstatus = "draft"\n')
    project = load_project(mini)
    chinese, arabic = project.language("zh-Hans"), project.language("ar")
    assert (chinese.code, chinese.tag, chinese.native_name) == ("zh_Hans", "zh-Hans", "中文 (简体)")
    assert arabic.direction == "rtl"


def test_an_unknown_language_names_the_file_and_line(mini):
    _registry(mini, 'source = "en"\n\n[languages.xx]\nstatus = "draft"\n')
    with pytest.raises(UnknownLanguageError) as caught:
        load_project(mini)
    assert caught.value.line == 3 and caught.value.path.name == "languages.toml"


def test_a_bad_status_is_refused(mini):
    _registry(mini, 'source = "en"\n[languages.cy]\nstatus = "live"\n')
    with pytest.raises(ConfigError, match="status 'live'") as caught:
        load_project(mini)
    assert "draft" in caught.value.hint


def test_a_language_that_is_not_registered(mini):
    with pytest.raises(UnknownLanguageError, match="not registered"):
        load_project(mini).language("pl")


def test_a_language_travels_to_a_build_worker_without_its_cldr_data(mini):
    import pickle
    project = load_project(mini)
    welsh = project.language("cy")
    welsh.locale.plural_form, welsh.native_name       # loads CLDR data into the Locale
    data = pickle.dumps(welsh)
    copy = pickle.loads(data)
    assert copy == welsh and copy.locale == welsh.locale and copy.native_name == "Cymraeg"
    assert len(data) < 2000, "the CLDR data is loaded again in the worker, not sent with every job"
