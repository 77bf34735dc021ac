import pytest

from leaflet_l10n import textcompare as tc


@pytest.mark.parametrize("text", ["30", "٣٠", "۳۰", "৩০", "३०"])
def test_numbers_are_read_in_every_script(text):
    assert tc.numbers(f"about {text} minutes") == tc.numbers("about 30 minutes")


def test_numbers_differ_when_changed_added_or_dropped():
    assert tc.numbers("twice a day for 30 minutes") != tc.numbers("ddwywaith y dydd am 20 munud")
    assert tc.numbers("call 111") != tc.numbers("ffoniwch")


def test_urls_are_found_with_or_without_scheme():
    assert set(tc.urls("See www.nhs.uk or https://www.nice.org.uk/guidance.")) == {
        "www.nhs.uk", "https://www.nice.org.uk/guidance"}


def test_format_placeholders_of_both_styles():
    assert tc.format_placeholders("Page {page} of {pages}, %(count)s, %d and 100%%") == {
        "{page}": 1, "{pages}": 1, "%(count)s": 1, "%d": 1}


def test_terms_match_whole_words_only():
    assert tc.contains_term("call NHS 111 now", "NHS 111")
    assert not tc.contains_term("NHSX", "NHS")


@pytest.mark.parametrize("text, count", [
    ("One. Two? Three!", 3), ("No ending", 1), ("Visit www.nhs.uk. Then rest.", 2),
    ("第一句。第二句。", 2), ("پہلا جملہ۔ دوسرا۔", 2), ("হ্যাঁ। না।", 2), ("ሓደ። ክልተ።", 2), ("about 2.5 mg", 1),
])
def test_sentences_are_counted_across_scripts(text, count):
    assert tc.sentence_count(text) == count


def test_word_diff_shows_removed_and_added_words():
    assert tc.word_diff("for about 30 minutes.", "for about 20 minutes.") == "for about [-30-] {+20+} minutes."


@pytest.mark.parametrize("old, new, risk", [
    ("for about 30 minutes.", "for about 20 minutes.", "high"),
    ("twice a day", "once a day", "high"),
    ("Take it with food.", "Do not take it with food.", "high"),
    ("for 2 hours", "for 2 days", "high"),
    ("Your healthcare team will explain.", "Your doctor will explain.", "medium"),
    ("Will I have to stay in hospital?", "will I have to stay in hospital", "low"),
    ("Hello,  world", "Hello world!", "low"),
])
def test_change_risk(old, new, risk):
    assert tc.change_risk(old, new) == risk


def test_closest_finds_the_old_text_of_a_long_paragraph():
    """difflib's autojunk ignores common letters in texts over 200 characters: one changed word
    scored this paragraph 0.28 and it was missed (babel#969)."""
    old = ("There is not enough evidence about how well this procedure works or how safe it is. This type of "
           "procedure can cause complications. So it can only be done with special arrangements. This means "
           "you will have regular appointments afterwards to check how well it is working or if it has caused "
           "problems.")
    new = old.replace("how safe", "how risky")
    assert tc.closest(new, ["Ask your doctor.", old, "Some other paragraph about the risks."]) == old
    assert tc.closest(new, ["Ask your doctor."]) is None
