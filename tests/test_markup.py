import pytest
from hypothesis import given, strategies as st

from leaflet_l10n import markup
from leaflet_l10n.errors import PlaceholderError
from leaflet_l10n.markup import Placeholder

LINK = Placeholder("a1", "a", "https://www.nhs.uk")
STRONG = Placeholder("strong1", "strong")


def test_placeholders_become_the_sources_elements():
    html = markup.to_html("Read the <a1>NHS website</a1> or <strong1>call</strong1>.", (LINK, STRONG))
    assert html == 'Read the <a href="https://www.nhs.uk">NHS website</a> or <strong>call</strong>.'


def test_text_is_escaped():
    assert markup.to_html("5 < 6 & \"quotes\"", ()) == "5 &lt; 6 &amp; &#34;quotes&#34;"


@pytest.mark.parametrize("text, problem", [
    ("Read the NHS website.", "missing"),
    ("<a1>one</a1> <a1>two</a1>", "more than once"),
    ("<a1>NHS <strong1>web</a1>site</strong1>", "closes a tag that is not open"),
    ("<a1>NHS website", "never closed"),
    ('<a1 href="https://evil.example">NHS</a1>', "not one of the source's placeholders"),
    ("<a1>NHS</a1> <script>alert(1)</script>", "not one of the source's placeholders"),
    ("<a2>NHS</a2>", "not one of the source's placeholders"),
])
def test_broken_placeholders_are_refused(text, problem):
    with pytest.raises(PlaceholderError, match=problem):
        markup.to_html(text, (LINK, STRONG) if "strong1" in text else (LINK,))


def test_placeholders_may_move_and_nest_correctly():
    text = "<strong1>Ffoniwch</strong1> neu darllenwch <a1>y wefan</a1>"
    assert markup.to_html(text, (LINK, STRONG)).count("<a href") == 1


@given(st.text())
def test_plain_text_without_tags_is_only_ever_escaped(text):
    if markup.tags_in(text):
        return
    html = markup.to_html(text, ())
    assert "<" not in html and ">" not in html
    assert html.unescape() == text


def test_to_plain_drops_tags_only():
    assert markup.to_plain("The <a1>NHS website</a1> may help.") == "The NHS website may help."
