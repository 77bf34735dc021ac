"""The one PO reader and writer: faithful round trips, strictness as msgfmt's, no crash on any input."""
from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leaflet_l10n import CatalogError
from leaflet_l10n.pofile import Catalog, previous_context, read_po, write_po

HOSTILE = Path(__file__).parent / "fixtures" / "hostile-po"
CASES = tomllib.loads((HOSTILE / "cases.toml").read_text(encoding="utf-8"))
EVERY_FIELD = HOSTILE.parent / "every-field.po"


def msgfmt_accepts(data: bytes, tmp_path: Path, *checks: str) -> tuple[bool, str]:
    """Whether gettext's own compiler accepts the file. Without `checks` that is the syntax:
    a missing header or a placeholder mismatch are for `invoke check` to report."""
    path = tmp_path / "probe.po"
    path.write_bytes(data)
    result = subprocess.run(["msgfmt", *checks, "-o", "/dev/null", str(path)], capture_output=True, text=True)
    return result.returncode == 0, result.stderr


# -- hostile files --------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_catalogue_is_refused_at_its_line(name, tmp_path):
    case = CASES[name]
    path = HOSTILE / f"{name}.po"
    with pytest.raises(CatalogError) as caught:
        read_po(path.read_bytes(), path)
    assert (caught.value.path, caught.value.line) == (path, case["line"])
    assert case["message"] in caught.value.message and caught.value.hint
    assert msgfmt_accepts(path.read_bytes(), tmp_path, "--check-header")[0] is case.get("msgfmt_accepts", False)


# -- round trips ----------------------------------------------------------------

def test_every_field_gettext_defines_survives_a_round_trip():
    text = EVERY_FIELD.read_bytes()
    catalog = read_po(text, Path("every-field.po"))
    assert write_po(catalog) == text
    message = catalog.get("new text", context="button")
    assert message.previous_id == ["old text that was\nlong", "old plural"]
    assert previous_context(message) == "old button"
    assert message.user_comments == ["A translator's note.", "", "# | not a previous msgid"]
    assert message.auto_comments == ["Extracted note."]
    assert message.flags == {"fuzzy", "python-format"}
    assert message.lineno == 21                     # each entry's first line
    obsolete = catalog.obsolete["gone"]
    assert (obsolete.string, obsolete.previous_id, obsolete.lineno) == ("wedi mynd", ["went"], 42)
    assert catalog.header("X-Generator") == "Poedit 3.4" and catalog.fuzzy


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x04\r"), max_size=60)
_line = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs")), min_size=1, max_size=30)
_words = st.from_regex(r"[A-Za-z](?:[A-Za-z .]{0,30}[A-Za-z])?", fullmatch=True)   # polib writes a header line
# that starts with "," or ":" as a flag or location line
_flag = st.from_regex(r"[a-z][a-z-]{0,12}", fullmatch=True)
_location = st.tuples(st.from_regex(r"[a-z]{1,8}/[a-z]{1,8}\.md", fullmatch=True),
                      st.one_of(st.none(), st.integers(1, 9999)))


def _like(msgid: str, translation: str) -> str:
    """msgfmt refuses a translation that does not begin and end with a newline as its msgid does."""
    if not translation:
        return translation
    return "\n" * msgid.startswith("\n") + translation.strip("\n") + "\n" * msgid.endswith("\n")


@st.composite
def messages(draw) -> Message:
    msgid = draw(_text.filter(lambda text: text.strip("\n")))
    plural = draw(st.one_of(st.none(), st.just(_like(msgid, msgid + "s"))))
    previous = draw(st.lists(_text.filter(bool), max_size=2 if plural else 1))
    strings = draw(st.lists(_text, min_size=6, max_size=6))                     # Welsh: 6 forms
    if plural and any(strings):              # msgfmt checks every form of a translated plural
        strings = [text or "x" for text in strings]
    strings = [_like(msgid, text) for text in strings]
    message = Message((msgid, plural) if plural else msgid, tuple(strings) if plural else strings[0],
                      context=draw(st.one_of(st.none(), _text.filter(bool))), previous_id=previous,
                      locations=draw(st.lists(_location, max_size=2, unique=True)),
                      auto_comments=draw(st.lists(_line, max_size=2)), user_comments=draw(st.lists(_line, max_size=2)))
    message.flags = set(draw(st.lists(_flag, max_size=3)))
    message.previous_context = draw(st.one_of(st.none(), _text.filter(bool))) if previous else None
    return message


@st.composite
def catalogs(draw) -> Catalog:
    catalog = Catalog(locale="cy", domain="sample", project="sample", version="en", fuzzy=draw(st.booleans()),
                      header_comment="# " + draw(_words))
    catalog.extra_headers = draw(st.lists(st.tuples(st.from_regex(r"X-[A-Z][a-z]{1,8}", fullmatch=True), _line),
                                          max_size=2, unique_by=lambda header: header[0]))
    for message in draw(st.lists(messages(), max_size=6)):
        key = catalog._key_for(message.id, message.context)
        if key in catalog._messages or key in catalog.obsolete:
            continue
        if draw(st.booleans()):
            catalog.obsolete[key] = message
        else:
            catalog[message.id] = message
    return catalog


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_what_the_writer_writes_reads_back_to_the_same_catalogue_and_bytes(catalog):
    data = write_po(catalog)
    again = read_po(data, Path("generated.po"))
    assert write_po(again) == data
    assert sorted(catalog.extra_headers) == sorted(again.extra_headers) and catalog.fuzzy == again.fuzzy
    for original, copy in [*((m, again.get(m.id, m.context)) for m in catalog if m.id),
                           *((m, again.obsolete[k]) for k, m in catalog.obsolete.items())]:
        assert (copy.id, copy.string, copy.context, copy.flags, copy.user_comments) == \
            (original.id, original.string, original.context, original.flags, original.user_comments)
        assert (copy.previous_id, previous_context(copy)) == (list(original.previous_id), previous_context(original))
        if copy.locations or copy.auto_comments:        # what gettext keeps of active entries only
            assert (copy.locations, copy.auto_comments) == (original.locations, original.auto_comments)
    for original in catalog:
        if original.id:
            copy = again.get(original.id, original.context)
            assert (copy.locations, copy.auto_comments) == (original.locations, original.auto_comments)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(catalog=catalogs())
def test_msgfmt_accepts_what_the_writer_writes(catalog, tmp_path):
    data = write_po(catalog)
    accepted, errors = msgfmt_accepts(data, tmp_path, "--check-header", "--check-domain")
    assert accepted, f"{errors}\n{data.decode()}"


# -- fuzzing ----------------------------------------------------------------------

SEED = EVERY_FIELD.read_text(encoding="utf-8").splitlines(keepends=True)
_edit = st.tuples(st.sampled_from(["delete", "duplicate", "insert", "swap"]), st.integers(0, len(SEED) - 1),
                  st.sampled_from(['"', "\\", "#~ ", "#| ", "msgid ", "msgstr ", "msgstr[1] ", "msgctxt ",
                                   "msgid_plural ", "\n", "%", "\t", "é", "#, fuzzy\n"]))


def _mutate(edits) -> str:
    lines = list(SEED)
    for kind, index, token in edits:
        index %= len(lines) or 1
        if not lines:
            break
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "insert":
            position = len(lines[index]) // 2
            lines[index] = lines[index][:position] + token + lines[index][position:]
        else:
            lines[index], lines[-1] = lines[-1], lines[index]
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(_edit, min_size=1, max_size=4))
@example(edits=[("insert", 7, "%")])
def test_a_mutated_catalogue_is_read_only_if_msgfmt_accepts_it(edits, tmp_path):
    text = _mutate(edits)
    try:
        catalog = read_po(text.encode("utf-8"), Path("mutated.po"))
    except CatalogError as error:
        assert error.line is None or 1 <= error.line <= max(1, len(text.splitlines()))
        return
    accepted, errors = msgfmt_accepts(text.encode("utf-8"), tmp_path)
    assert accepted, f"read, but msgfmt refuses it:\n{errors}\n{text}"
    assert read_po(write_po(catalog), Path("rewritten.po")) is not None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_catalogue_error(data):
    try:
        read_po(data, Path("noise.po"))
    except CatalogError:
        pass


def test_a_windows_tool_s_byte_order_mark_and_line_ends_read_as_their_unix_twin():
    unix = EVERY_FIELD.read_bytes()
    windows = b"\xef\xbb\xbf" + unix.replace(b"\n", b"\r\n")
    assert write_po(read_po(windows, Path("windows.po"))) == unix
