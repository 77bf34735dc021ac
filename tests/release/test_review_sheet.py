"""Review sheets for clinical sign-off."""
from conftest import complete, run_task
from helpers import pdf_info, pdf_text


def test_sheet_shows_both_languages_side_by_side_and_marks_untranslated(mini):
    paths = run_task(mini, "review-sheet", "--lang", "cy").stdout.split()
    assert paths == ["build/review/cy/sample.html", "build/review/cy/sample.pdf"]
    html = (mini / paths[0]).read_text()
    assert '<td class="translation" lang="cy" dir="ltr">Darllenwch <a href="https://www.nhs.uk">wefan yr NHS</a>' in html
    assert '<tr class="untranslated">' in html and "No approval recorded yet" in html
    assert pdf_info(mini / paths[1])["Page size"] == "841.89 x 595.276 pts (A4)"  # landscape
    assert "Cael triniaeth enghreifftiol" in pdf_text(mini / paths[1])


def test_segments_changed_since_approval_are_highlighted_with_a_diff(mini):
    complete(mini)
    run_task(mini, "approve", "--lang", "cy", "--by", "Dr Rhian Jones")
    assert (mini / "locales/cy/approved-source.json").is_file()
    leaflet = mini / "source/leaflets/sample.md"
    leaflet.write_text(leaflet.read_text().replace("for about 30 minutes", "for about 20 minutes"))
    run_task(mini, "extract", "update")
    html = (mini / run_task(mini, "review-sheet", "--lang", "cy").stdout.split()[0]).read_text()
    assert html.count('changed"') == 1
    assert "<del>30</del> <ins>20</ins>" in html
    assert '<tr class="fuzzy changed">' in html
    assert "Last approved by Dr Rhian Jones" in html
