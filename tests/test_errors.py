"""Typed errors keep everything they say when they cross a process boundary (build workers)."""
import inspect
import pickle

import pytest

from leaflet_l10n import errors

# Fields each error class needs beyond the common ones, with values to send through pickle.
EXTRA_FIELDS = {errors.MissingGlyphError: {"character": "ꯀ"},
                errors.ImportRefused: {"problems": ["x.po:3: placeholders: …", "x.po:9: format: …"]}}
ERROR_CLASSES = [cls for _, cls in inspect.getmembers(errors, inspect.isclass)
                 if issubclass(cls, errors.PipelineError)]


def test_every_error_class_is_tested():
    assert len(ERROR_CLASSES) >= 11
    assert set(EXTRA_FIELDS) <= set(ERROR_CLASSES)


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_keeps_every_field_through_pickle(cls):
    error = cls("something is wrong", path="locales/cy/LC_MESSAGES/ui.po", line=12, hint="fix it",
                **EXTRA_FIELDS.get(cls, {}))
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert vars(copy) == vars(error) and copy.args == error.args
    assert str(copy) == str(error)
    for name, value in EXTRA_FIELDS.get(cls, {}).items():
        assert getattr(copy, name) == value


def test_an_import_refusal_lists_its_problems_and_says_what_to_do():
    error = errors.ImportRefused(problems=["x.po:3: placeholders: …"])
    assert "1 problem(s)" in str(error) and "x.po:3: placeholders" in str(error) and "import again" in str(error)


def test_every_exception_class_of_the_package_lives_in_errors():
    import leaflet_l10n
    from helpers import package_modules
    elsewhere = [f"{module.__name__}.{name}" for module in package_modules(leaflet_l10n)
                 for name, cls in inspect.getmembers(module, inspect.isclass)
                 if issubclass(cls, BaseException) and cls.__module__ == module.__name__
                 and module is not errors]
    assert elsewhere == []
