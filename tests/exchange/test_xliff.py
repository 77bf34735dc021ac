"""XLIFF for CAT tools: PO ⇄ XLIFF through Translate Toolkit, and refusing unsafe or broken XML."""
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from conftest import export, run_task, unpack
from leaflet_l10n.errors import CatalogError
from leaflet_l10n.exchange.xliff import po_to_xliff, unit_lines, xliff_to_po

XLF = Path("returned/sample.xlf")

# A returned catalogue as a translator has it: one entry translated, one fuzzy with a
# translator's own comment, one untranslated; notes for translators and locations on each.
PO = '''\
msgid ""
msgstr ""
"Project-Id-Version: sample en\\n"
"Language: cy\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);\\n"
"X-Handoff-Id: cy-2026-11-25-0123456789\\n"

#. heading
#: source/leaflets/sample.md:13
msgid "What happens next"
msgstr "Beth sy'n digwydd nesaf"

# Checked with the clinic.
#. paragraph; <a1> links to https://www.nhs.uk
#: source/leaflets/sample.md:15
#, fuzzy
msgid "Read the <a1>NHS website</a1> or call <strong1>NHS 111</strong1>."
msgstr "Darllenwch <a1>wefan yr NHS</a1> neu ffoniwch <strong1>NHS 111</strong1>."

#. paragraph
#: source/leaflets/sample.md:11
msgid "This procedure is done <em1>twice a day</em1> for about 30 minutes."
msgstr ""
'''

# Nine levels of ten: expanded, &lol9; would be 10**9 "lol"s.
BILLION_LAUGHS = '''\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xliff [
 <!ENTITY lol0 "lol">
''' + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10)) + '''\
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">
 <file original="sample.po" source-language="en" datatype="plaintext" target-language="cy">
  <body>
   <trans-unit id="1"><source>What happens next</source><target>&lol9;</target></trans-unit>
  </body>
 </file>
</xliff>
'''

EXTERNAL_ENTITY = '''\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">
 <file original="sample.po" source-language="en" datatype="plaintext" target-language="cy">
  <body>
   <trans-unit id="1"><source>What happens next</source><target>&x;</target></trans-unit>
  </body>
 </file>
</xliff>
'''


def test_xliff_round_trips_through_translate_toolkit(mini, tmp_path):
    returned = unpack(export(mini, "--format", "xliff"), tmp_path / "back")
    xlf = returned / "sample.xlf"
    xliff2po = Path(sys.executable).with_name("xliff2po")
    subprocess.run([str(xliff2po), "-i", str(xlf), "-o", str(tmp_path / "via-toolkit.po")], check=True,
                   capture_output=True)
    original = {e.msgid: e for e in polib.pofile(str(returned / "base/sample.po"))}
    converted = {e.msgid: e for e in polib.pofile(str(tmp_path / "via-toolkit.po"))}
    assert set(converted) == set(original)
    for msgid, entry in original.items():
        assert converted[msgid].comment == entry.comment, "notes for translators survive"
        assert converted[msgid].occurrences == entry.occurrences, "locations survive"
        assert converted[msgid].msgstr == entry.msgstr and converted[msgid].fuzzy == entry.fuzzy

    text = xlf.read_text().replace("Beth sy'n digwydd nesaf", "Beth fydd yn digwydd nesaf")
    xlf.write_text(text)
    result = run_task(mini, "import", str(xlf))
    assert "updated 1," in result.stdout
    assert "Beth fydd yn digwydd nesaf" in (mini / "locales/cy/LC_MESSAGES/sample.po").read_text()


def test_a_broken_xliff_is_refused_at_its_line(mini, tmp_path):
    returned = unpack(export(mini, "--format", "xliff"), tmp_path / "back")
    xlf = returned / "sample.xlf"
    lines = xlf.read_text().splitlines()
    target = next(i for i, line in enumerate(lines) if "<target" in line and "</target>" in line)
    lines[target] = lines[target].replace("</target>", "")
    xlf.write_text("\n".join(lines))
    result = run_task(mini, "import", str(xlf), check=False)
    assert result.returncode != 0 and "not well-formed XLIFF" in result.stderr and "sample.xlf:" in result.stderr


def _round_trip(po_text: str) -> tuple[polib.POFile, dict[str, polib.POEntry]]:
    xliff = po_to_xliff(po_text.encode("utf-8"), "sample.po")
    back = polib.pofile(xliff_to_po(xliff, XLF).decode("utf-8"))
    return back, {entry.msgid: entry for entry in back}


def test_po_to_xliff_and_back_keeps_what_a_translator_and_the_import_need():
    back, entries = _round_trip(PO)
    assert set(entries) == {"What happens next",
                            "Read the <a1>NHS website</a1> or call <strong1>NHS 111</strong1>.",
                            "This procedure is done <em1>twice a day</em1> for about 30 minutes."}

    heading = entries["What happens next"]
    assert heading.msgstr == "Beth sy'n digwydd nesaf" and not heading.fuzzy
    assert heading.comment == "heading" and heading.occurrences == [("source/leaflets/sample.md", "13")]

    link = entries["Read the <a1>NHS website</a1> or call <strong1>NHS 111</strong1>."]
    assert link.msgstr == "Darllenwch <a1>wefan yr NHS</a1> neu ffoniwch <strong1>NHS 111</strong1>."
    assert link.fuzzy, "a fuzzy entry still needs revising after the trip"
    assert link.comment == "paragraph; <a1> links to https://www.nhs.uk", "where the link goes survives"
    assert link.tcomment == "Checked with the clinic.", "the translator's own comment survives"

    untranslated = entries["This procedure is done <em1>twice a day</em1> for about 30 minutes."]
    assert untranslated.msgstr == "" and not untranslated.fuzzy

    # What the import reads from the header: the language and the export the work belongs to.
    assert back.metadata["Language"] == "cy"
    assert back.metadata["X-Handoff-Id"] == "cy-2026-11-25-0123456789"
    assert back.metadata["Plural-Forms"].startswith("nplurals=6;")


def test_unit_lines_maps_each_source_text_to_the_line_of_its_trans_unit():
    xliff = b'''<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
<file original="sample.po" source-language="en" target-language="cy" datatype="plaintext">
<body>
<trans-unit id="1">
  <source>What happens next</source>
  <target>Beth sy'n digwydd nesaf</target>
</trans-unit>
<trans-unit id="2"><source>Read the &lt;a1&gt;NHS website&lt;/a1&gt;.</source></trans-unit>
<group id="g">
  <trans-unit id="3">
    <source>Ask about <g id="1">consent</g>.</source>
  </trans-unit>
</group>
<trans-unit id="4"><source>What happens next</source></trans-unit>
<trans-unit id="5"><target>A unit without a source</target></trans-unit>
</body>
</file>
</xliff>
'''
    assert unit_lines(xliff) == {
        "What happens next": 5,                   # the first unit with that source, not line 15
        "Read the <a1>NHS website</a1>.": 9,      # escaped tags read back as the msgid has them
        "Ask about consent.": 11,                 # inline XLIFF markup: its text only
    }


def test_unit_lines_of_an_exported_xliff_point_at_each_entrys_unit():
    xliff = po_to_xliff(PO.encode("utf-8"), "sample.po")
    lines = xliff.decode("utf-8").splitlines()
    found = unit_lines(xliff)
    for msgid, escaped in [("What happens next", "What happens next"),
                           ("This procedure is done <em1>twice a day</em1> for about 30 minutes.",
                            "This procedure is done &lt;em1&gt;twice a day&lt;/em1&gt; for about 30 minutes.")]:
        line = found[msgid]
        assert "<trans-unit" in lines[line - 1]
        assert f"<source>{escaped}</source>" in lines[line]


def test_an_external_entity_is_refused_and_never_read():
    with pytest.raises(CatalogError) as refused:
        xliff_to_po(EXTERNAL_ENTITY.encode("utf-8"), XLF)
    error = refused.value
    assert "DOCTYPE" in error.message and error.path == XLF and isinstance(error.line, int)
    assert "root:" not in str(error), "nothing of /etc/passwd reaches the message"
    assert str(error).startswith("returned/sample.xlf:")


def test_a_doctype_is_refused_at_the_line_it_is_on():
    with pytest.raises(CatalogError) as refused:
        xliff_to_po(EXTERNAL_ENTITY.encode("utf-8"), XLF)
    assert refused.value.line == 2       # line 1 is the XML declaration


def test_entity_expansion_is_refused_without_expanding_anything():
    started = time.monotonic()
    with pytest.raises(CatalogError) as refused:
        xliff_to_po(BILLION_LAUGHS.encode("utf-8"), XLF)
    assert time.monotonic() - started < 5, "refused before any expansion, not after"
    error = refused.value
    assert error.path == XLF and isinstance(error.line, int)
    assert 1 <= error.line <= BILLION_LAUGHS.count("\n")
    assert "lollol" not in str(error)


def test_unit_lines_never_reads_an_external_entity_either():
    """The import calls unit_lines only after xliff_to_po accepted the file, but it parses the same bytes."""
    found = unit_lines(EXTERNAL_ENTITY.replace("<source>What happens next</source>",
                                               "<source>Call &x; now</source>").encode("utf-8"))
    assert list(found.values()) == [6]
    assert not any("root:" in source for source in found)
