"""Converting the leaflets a publisher already has: Word, OpenDocument and saved web pages."""
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import polib
import pytest

from conftest import run_task

FIXTURES = Path(__file__).parent.parent / "fixtures" / "documents"
ORIGINAL = """\
# Having a gastroscopy

A gastroscopy looks inside your stomach. It takes about **15 minutes** & you can go home the same day.

## Before the test

1. Do not eat for 6 hours.
2. You can drink water until 2 hours before:
    - sips of water only
    - no milk

> Bring a list of your medicines.

| Time | What to do |
|------|------------|
| 6 hours before | Stop eating |
| 2 hours before | Stop drinking |

: When to stop

Text with a footnote[^1] and [a link](https://www.nhs.uk).

[^1]: A footnote.

![A tube with a camera](camera.png "The gastroscope")
"""
FRONT_MATTER = ('publisher = "NICE"\npublisher_url = "https://www.nice.org.uk"\n'
                'guidance_url = "https://www.nice.org.uk/guidance"\nisbn = "000-0-0000-0002-4"\n+++')


def _png(width: int, height: int) -> bytes:
    """A small red PNG (pandoc cannot put an SVG into Word without rsvg-convert)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _document(tmp_path: Path, suffix: str) -> Path:
    (tmp_path / "camera.png").write_bytes(_png(40, 20))
    (tmp_path / "original.md").write_text(ORIGINAL)
    target = tmp_path / f"original{suffix}"
    subprocess.run(["pandoc", "original.md", "-o", target.name], cwd=tmp_path, check=True, capture_output=True)
    return target


def _fill_front_matter(leaflet: Path) -> None:
    text = leaflet.read_text(encoding="utf-8")
    leaflet.write_text(text.replace("# Fill these in: the build refuses a leaflet without them.\n", "")
                       .replace("\n+++\n\n", "\n" + FRONT_MATTER + "\n\n", 1))


def test_a_word_document_becomes_a_leaflet_that_builds(mini, tmp_path):
    result = run_task(mini, "new-leaflet", "--name", "gastroscopy", "--from", str(_document(tmp_path, ".docx")))
    leaflet = mini / "source/leaflets/gastroscopy.md"
    text = leaflet.read_text(encoding="utf-8")
    assert 'title = "Having a gastroscopy"' in text and "published = " in text
    assert "1.  Do not eat for 6 hours." in text and "    -   sips of water only" in text
    assert "> Bring a list of your medicines." in text and "| 6 hours before | Stop eating" in text
    assert "Table: When to stop" in text and text.count("When to stop") == 1
    assert "[a link](https://www.nhs.uk)" in text and "A footnote" not in text
    assert '![A tube with a camera](images/gastroscopy-1.png "The gastroscope")' in text
    assert text.count("A tube with a camera") == 1, "Word's caption paragraph is not repeated as text"
    assert "wrote source/leaflets/images/gastroscopy-1.png" in result.stdout
    assert "a footnote" in result.stdout and 'under "Before the test"' in result.stdout
    _fill_front_matter(leaflet)
    run_task(mini, "build", "--leaflet", "gastroscopy", "--lang", "en")
    html = (mini / "build/en/gastroscopy.html").read_text(encoding="utf-8")
    assert '<img src="images/gastroscopy-1.png" alt="A tube with a camera">' in html
    assert '<th scope="col">Time</th>' in html and "<ol>" in html and "<ul>" in html


def test_an_opendocument_file_becomes_a_leaflet_and_a_lost_image_description_is_asked_for(mini, tmp_path):
    result = run_task(mini, "new-leaflet", "--name", "gastroscopy", "--from", str(_document(tmp_path, ".odt")))
    text = (mini / "source/leaflets/gastroscopy.md").read_text(encoding="utf-8")
    assert "## Before the test" in text and "    -   no milk" in text and "| 2 hours before | Stop drinking" in text
    assert "![DESCRIBE THIS IMAGE](images/gastroscopy-1.png)" in text
    assert "an image without a description" in result.stdout
    _fill_front_matter(mini / "source/leaflets/gastroscopy.md")
    refused = run_task(mini, "build", "--leaflet", "gastroscopy", check=False)
    assert refused.returncode == 2 and "an image without alt text" in refused.stderr


def test_a_saved_web_page_keeps_its_main_content_and_memory_fills_what_was_translated(real_copy):
    page = FIXTURES / "nice-ipg739-information-for-the-public.html"
    result = run_task(real_copy, "new-leaflet", "--name", "lumbar-saved", "--from", str(page))
    text = (real_copy / "source/leaflets/lumbar-saved.md").read_text(encoding="utf-8")
    assert "published = 2022-09-22" in text and "Neurostimulation of lumbar muscles" in text
    assert not any(chrome in text for chrome in ("cookies", "Standards and indicators", "Related guidance",
                                                  "Terms and conditions", "dataLayer", "Published:"))
    assert "everything outside its <main>" in result.stdout
    welsh = polib.pofile(str(real_copy / "locales/cy/LC_MESSAGES/lumbar-saved.po"))
    original = polib.pofile(str(real_copy / "locales/cy/LC_MESSAGES/lumbar-neurostimulation.po"))
    remembered = [entry for entry in welsh if entry.msgstr]
    assert len(remembered) == len(welsh) > 15
    for entry in remembered:
        assert "fuzzy" in entry.flags and entry.msgstr == original.find(entry.msgid).msgstr


@pytest.mark.parametrize("arguments, says", [
    (["--name", "sample", "--from", "{doc}"], "a leaflet of that name exists already"),
    (["--name", "Bad Name", "--from", "{doc}"], "is not lower-case words joined by hyphens"),
    (["--name", "new", "--from", "{tmp}/leaflet.pdf"], "cannot read .pdf files"),
    (["--name", "new", "--from", "{tmp}/missing.docx"], "file not found"),
    (["--name", "new", "--from", "{tmp}/broken.docx"], "pandoc cannot read this document"),
])
def test_what_cannot_be_converted_is_refused_and_nothing_is_written(mini, tmp_path, arguments, says):
    document = _document(tmp_path, ".docx")
    (tmp_path / "leaflet.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    before = {p: p.read_bytes() for p in (mini / "source").rglob("*") if p.is_file()}
    result = run_task(mini, "new-leaflet", *(a.format(doc=document, tmp=tmp_path) for a in arguments), check=False)
    assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in (mini / "source").rglob("*") if p.is_file()} == before


def test_a_hostile_web_page_gives_only_what_a_patient_would_see_there(mini, tmp_path):
    """Found by attacking the first version: hidden text became leaflet text, a figure vanished,
    pandoc fetched an iframe and copied a file from outside the page's folder."""
    folder = tmp_path / "saved"
    folder.mkdir()
    page = folder / "page.html"
    page.write_text((FIXTURES / "hostile-page.html").read_text(encoding="utf-8"))
    (folder / "a.png").write_bytes(_png(4, 4))
    (tmp_path / "outside-secret.png").write_bytes(_png(2, 2))
    result = run_task(mini, "new-leaflet", "--name", "hostile", "--from", str(page))
    text = (mini / "source/leaflets/hostile.md").read_text(encoding="utf-8")
    for hidden in ("HIDDEN-P", "STYLE-NONE-P", "TEMPLATE-P", "NOSCRIPT-P", "IFRAME-P", "secret", "pw"):
        assert hidden not in text, hidden
    assert "![Step 1: clean the skin](images/hostile-1.png)" in text
    assert "![Step 2: apply the patch](images/hostile-1.png)" in text
    assert "| Call 111; Take paracetamol |" in text and "> -   Call 999 if you cannot breathe" in text
    assert [p.name for p in (mini / "source/leaflets/images").iterdir()] == ["hostile-1.png"]
    assert "4 hidden element(s)" in result.stdout and "embedded page(s)" in result.stdout
    assert "a list inside a table cell" in result.stdout and "(../outside-secret.png)" in result.stdout


def test_an_office_document_that_would_unpack_to_far_more_is_refused(mini, tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"\0" * 30_000_000)
    result = run_task(mini, "new-leaflet", "--name", "bomb", "--from", str(bomb), check=False)
    assert result.returncode == 2 and "would unpack to 30000000 bytes" in result.stderr
    assert not (mini / "source/leaflets/bomb.md").exists()
