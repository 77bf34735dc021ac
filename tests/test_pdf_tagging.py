"""The PDF's text and tag tree, read as pdftotext and a screen reader read them (WeasyPrint#2841)."""
import re

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflet_l10n.pdf_tagging import _broke_at_space, is_shaped
from leaflet_l10n.render import pdf_bytes

from helpers import letter_match, pdf_text, tag_tree

URDU = "عوام کے لیے معلومات"                 # extracted as "عوام ے ے ل ی / عل / م و ما ت" before
BENGALI = "জনসাধারণের জন্য তথ্য: প্রক্রিয়াটি কতটা নিরাপদ"
ARABIC = "مزمنًا وصعب العلاج (معنِّدًا)"


def render(tmp_path, body: str, lang: str = "en", css: str = "") -> tuple[str, list]:
    """pdftotext's text, and (text, /Lang) of each text element of the tag tree, in reading order."""
    html = (f'<!doctype html><html lang="{lang}"><head><title>t</title><style>@page {{ size: A6; margin: 1cm }}'
            f'{css}</style></head><body>{body}</body></html>')
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf_bytes(html, where="page.html"))
    with pikepdf.open(path) as document:
        texts = [(str(element.ActualText), str(element.get("/Lang", "")) or None)
                 for element, _ in tag_tree(document.Root.StructTreeRoot) if "/ActualText" in element]
        tags = [str(element.S) for element, _ in tag_tree(document.Root.StructTreeRoot)]
    return pdf_text(path), texts, tags


@pytest.mark.parametrize("lang, text", [("ur", URDU), ("bn", BENGALI), ("ar", ARABIC)])
def test_shaped_scripts_extract_as_their_letters_and_read_in_logical_order(tmp_path, lang, text):
    extracted, texts, _ = render(tmp_path, f'<p dir="auto">{text}</p>', lang)
    assert "".join(t for t, _ in texts) == text
    assert letter_match(text, extracted, ordered=False) == 1.0


def test_bengali_conjuncts_extract_in_order(tmp_path):
    extracted, _, _ = render(tmp_path, f"<p>{BENGALI}</p>", "bn")
    assert BENGALI in " ".join(extracted.split())


def test_an_english_fallback_in_a_welsh_page_carries_its_language(tmp_path):
    _, texts, _ = render(tmp_path, '<p>Darllenwch hwn.</p><p lang="en">Read the NHS website.</p>', "cy")
    assert texts == [("Darllenwch hwn.", None), ("Read the NHS website.", "en")]


def test_a_list_across_a_page_break_is_one_list_and_a_split_paragraph_one_paragraph(tmp_path):
    items = "".join(f"<li>Item {n} of a long list that goes on</li>" for n in range(40))
    words = " ".join(f"word{n}" for n in range(300))
    extracted, texts, tags = render(tmp_path, f"<ul>{items}</ul><p>{words}</p><p>After.</p>")
    assert "Page" not in extracted and extracted.count("\f") >= 3          # the list and paragraph do split
    assert tags.count("/L") == 1 and tags.count("/LI") == 40
    assert tags.count("/P") == 2


def test_lines_keep_the_space_they_broke_at_and_no_other(tmp_path):
    sentence = "Neurostimulation of lumbar muscles for refractory non-specific chronic low back pain " * 3
    _, texts, _ = render(tmp_path, f'<p style="width: 4cm">{sentence.strip()}</p>'
                                   '<p lang="zh-Hans" style="width: 3cm">' + "关于本程序的信息" * 4 + "</p>")
    assert "".join(t for t, lang in texts if not lang) == sentence.strip()
    assert "".join(t for t, lang in texts if lang) == "关于本程序的信息" * 4


@pytest.mark.parametrize("before, after, source, space", [
    ("for", "refractory", "muscles for refractory pain", True),
    ("non-", "specific", "refractory non-specific chronic", False),
    ("30", "关于", "30 关于", True),
    ("关于", "本程序", "关于本程序", False),
    ("done. ", "Next", "done. Next", False),
    ("", "x", "x", False),
    ("کے", "لیے", "درد کے لیے", True),
    ("FOR", "REFRACTORY", "for refractory", True),          # text-transform: the script decides
    ("https://www.nhs.uk/", "conditions", "see HTTPS://WWW.NHS.UK/CONDITIONS", False),
    ("关于", "本程序", "其他", False)])
def test_a_line_broke_at_a_space_only_where_the_text_has_one(before, after, source, space):
    assert _broke_at_space(before, after, source) is space


@pytest.mark.parametrize("text, shaped", [("Hello", False), ("Café", False), (URDU, True), (BENGALI, True),
                                          ("关于", False), ("e\u0301", True)])
def test_which_texts_are_shaped(text, shaped):
    assert is_shaped(text) is shaped


def test_weasyprint_is_left_as_it_was_after_a_render_even_a_failed_one(tmp_path):
    from weasyprint.pdf import tags
    from weasyprint.pdf.stream import Stream

    before = (Stream.marked, tags._build_box_tree)
    render(tmp_path, f"<p>{URDU}</p>", "ur")
    with pytest.raises(Exception):
        pdf_bytes("<html><body><p>\U000E0001\U0010FFFD</p></body></html>", where="bad.html")
    assert (Stream.marked, tags._build_box_tree) == before


WORDS = st.sampled_from(["back", "pain", "café", "30", "NHS", "کمر", "درد", "کے", "لیے", "ألم", "الظهر", "مزمنًا",
                         "ব্যথা", "প্রক্রিয়া", "ਦਰਦ", "દુખાવો", "ህማም", "关于", "疼痛", "۳۰", "২২"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(WORDS, min_size=1, max_size=40))
def test_any_mix_of_scripts_reads_back_whole_from_the_tag_tree(tmp_path, words):
    text = " ".join(words)
    extracted, texts, _ = render(tmp_path, f'<p dir="auto" style="width: 5cm">{text}</p>')
    assert re.sub(r"\s+", " ", "".join(t for t, _ in texts)).strip() == text
    assert letter_match(text, extracted, ordered=False) == 1.0
