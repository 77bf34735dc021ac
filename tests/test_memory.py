"""Translation memory: shared sentences are never paid for twice."""
import polib

from leaflet_l10n import load_project
from leaflet_l10n.memory import TranslationMemory

from conftest import run_task

SECOND = """+++
title = "Another sample leaflet"
document_type = "Information for the public"
published = 2024-01-10
isbn = "000-0-0000-0000-1"
guidance_url = "https://www.nice.org.uk/guidance"
publisher = "NICE"
publisher_url = "https://www.nice.org.uk"
+++

## What happens next

- Will I need to stay in hospital?
- Will I need to stay in hospital tonight?
- Something entirely new.
"""


def test_a_new_leaflet_is_prefilled_from_memory_and_marked_fuzzy(mini):
    (mini / "source/leaflets/second.md").write_text(SECOND)
    result = run_task(mini, "extract", "update")
    assert "filled from translation memory" in result.stdout
    po = {e.msgid: e for e in polib.pofile(str(mini / "locales/cy/LC_MESSAGES/second.po"))}
    shared = po["What happens next"]
    assert shared.msgstr == "Beth sy'n digwydd nesaf" and shared.fuzzy
    assert "tm: filled from sample" in shared.tcomment
    assert all(line.startswith("tm: ") for line in shared.tcomment.splitlines())
    assert po["Will I need to stay in hospital?"].fuzzy
    near = po["Will I need to stay in hospital tonight?"]
    assert near.msgstr == "" and "like sample: 'Will I need to stay in hospital?'" in " ".join(
        line.removeprefix("tm: ") for line in near.tcomment.splitlines())
    assert po["Something entirely new."].tcomment == ""
    # The next update replaces memory comments rather than piling them up.
    before = (mini / "locales/cy/LC_MESSAGES/second.po").read_bytes()
    run_task(mini, "update")
    assert (mini / "locales/cy/LC_MESSAGES/second.po").read_bytes() == before
    # Prefilled entries are suggestions, not translations: the page still shows English.
    check = run_task(mini, "check", "--lang", "cy", "--leaflet", "second").stdout
    assert "fuzzy: 'What happens next'" in check


def test_memory_ignores_fuzzy_and_empty_entries(mini):
    po = mini / "locales/cy/LC_MESSAGES/sample.po"
    catalog = polib.pofile(str(po))
    next(e for e in catalog if e.msgid == "What happens next").flags.append("fuzzy")
    catalog.save()
    memory = TranslationMemory.from_project(load_project(mini))
    assert memory.exact("cy", "What happens next") is None
    assert memory.exact("cy", "Will I need to stay in hospital?").target == "Fydd angen i mi aros yn yr ysbyty?"
    assert memory.exact("cy", "This procedure is done <em1>twice a day</em1> for about 30 minutes.") is None

