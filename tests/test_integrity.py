"""Nothing a translator wrote is lost, whatever the order of source edits, runs, translator
edits and imports: a Hypothesis state machine drives the real stages on a miniature project.

After every step: every catalogue passes `msgfmt --check`, and every translation a person
wrote is still there (active, fuzzy or obsolete). `update` run twice changes no byte the
second time, `extract` run twice likewise, and each build shows exactly the confirmed
translations, with English where a translation is missing or fuzzy.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from conftest import ROOTS, copy_project
from leaflet_l10n import Engine, build, export, extract, import_file, init_language, load_project, update
from leaflet_l10n.pofile import read_po

FRONT_MATTER = (ROOTS / "mini/source/leaflets/sample.md").read_text(encoding="utf-8").split("+++")[1]
# Sentences of distinct words, so each is one entry and can be found in a page.
WORDS = ["arm", "back", "care", "dose", "ease", "face", "gait", "hand", "iron", "joint", "knee", "lung",
         "mood", "nerve", "oral", "pain", "rest", "skin", "test", "vein"]
sentences = st.lists(st.sampled_from(WORDS), min_size=2, max_size=5).map(
    lambda words: " ".join(words).capitalize() + ".")
welsh = st.lists(st.sampled_from(["poen", "cefn", "braich", "croen", "nerf", "gorffwys", "prawf"]),
                 min_size=1, max_size=4).map(lambda words: " ".join(words).capitalize() + ".")
# Enough steps to edit, extract, update, translate and build several times; CI keeps it small.
EXAMPLES = int(os.environ.get("LEAFLET_STATEFUL_EXAMPLES", "15"))


def msgfmt_check(path: Path) -> None:
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, f"{path}: {result.stderr}"


def page_text(path: Path) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())


class CatalogueIntegrity(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="integrity-"))
        self.root = copy_project(ROOTS / "mini", self.tmp / "mini")
        self.blocks: dict[str, list[str]] = {"sample": ["Pain in the back.", "Rest the knee.", "Test the skin."]}
        self.removed: dict[str, list[str]] = {"sample": []}
        self.person: dict[str, set[str]] = {}      # domain → msgstr texts a person wrote and did not replace
        self._write_sources()
        project = load_project(self.root)
        extract(project)
        init_language(project, "cy")

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the English source -------------------------------------------------------

    def _write_sources(self) -> None:
        for name, blocks in self.blocks.items():
            text = f"+++{FRONT_MATTER}+++\n\n" + "\n\n".join(blocks) + "\n"
            (self.root / f"source/leaflets/{name}.md").write_text(text, encoding="utf-8")

    def _leaflet(self, data) -> str:
        return data.draw(st.sampled_from(sorted(self.blocks)))

    @rule(data=st.data(), sentence=sentences)
    def edit_a_block(self, data, sentence):
        blocks = self.blocks[self._leaflet(data)]
        if sentence not in blocks:
            blocks[data.draw(st.integers(0, len(blocks) - 1))] = sentence
            self._write_sources()

    @rule(data=st.data(), sentence=sentences)
    def add_a_block(self, data, sentence):
        blocks = self.blocks[self._leaflet(data)]
        if sentence not in blocks:
            blocks.insert(data.draw(st.integers(0, len(blocks))), sentence)
            self._write_sources()

    @rule(data=st.data())
    def delete_a_block(self, data):
        name = self._leaflet(data)
        if len(self.blocks[name]) > 1:
            self.removed[name].append(self.blocks[name].pop(data.draw(st.integers(0, len(self.blocks[name]) - 1))))
            self._write_sources()

    @rule(data=st.data())
    def restore_a_block(self, data):
        name = self._leaflet(data)
        if self.removed[name]:
            block = self.removed[name].pop()
            if block not in self.blocks[name]:
                self.blocks[name].insert(data.draw(st.integers(0, len(self.blocks[name]))), block)
                self._write_sources()

    @rule(data=st.data())
    def reorder_blocks(self, data):
        blocks = self.blocks[self._leaflet(data)]
        data.draw(st.randoms(use_true_random=False)).shuffle(blocks)
        self._write_sources()

    @precondition(lambda self: len(self.blocks) == 1)
    @rule(sentence=sentences)
    def add_a_leaflet(self, sentence):
        self.blocks["second"] = ["Pain in the back.", sentence]       # shares a sentence: memory fills it
        self.removed["second"] = []
        self._write_sources()

    @precondition(lambda self: not (self.root / "locales/pl").exists())
    @rule()
    def add_a_language(self):
        project = load_project(self.root)
        if all((self.root / f"locales/{domain}.pot").exists() for domain in project.domains):
            init_language(project, "pl")

    # -- runs ---------------------------------------------------------------------

    @rule()
    def extract_twice(self):
        project = load_project(self.root)
        extract(project)
        pots = {path: path.read_bytes() for path in (self.root / "locales").glob("*.pot")}
        assert not any(extract(project).values()), "a second extract rewrote a template"
        assert pots == {path: path.read_bytes() for path in (self.root / "locales").glob("*.pot")}

    @precondition(lambda self: (self.root / "locales/sample.pot").exists())
    @rule()
    def update_twice(self):
        project = load_project(self.root)
        if not all((self.root / f"locales/{name}.pot").exists() for name in project.leaflets):
            return                                      # a new leaflet waits for `extract`
        update(project)
        catalogues = self._catalogues()
        assert not any(result.changed for result in update(project)), "a second update changed a catalogue"
        assert catalogues == self._catalogues()

    @rule(data=st.data())
    def build_and_read_the_pages(self, data):
        project = load_project(self.root)
        if not self._catalogued(project):
            return
        build(project, ["cy"], engine=Engine(workers=1))
        for name in project.leaflets:
            catalog = read_po((self.root / f"locales/cy/LC_MESSAGES/{name}.po").read_bytes(), Path(name))
            text = page_text(self.root / f"build/cy/{name}.html")
            for block in self.blocks[name]:
                message = catalog.get(block)
                if message is not None and message.string and not message.fuzzy:
                    assert message.string in text, f"confirmed translation of {block!r} missing from the page"
                else:
                    assert block in text, f"{block!r} is neither translated nor shown in English"

    # -- translators --------------------------------------------------------------

    @rule(data=st.data(), text=welsh)
    def translator_edits_in_their_tool(self, data, text):
        project = load_project(self.root)
        if not self._catalogued(project):
            return
        name = self._leaflet(data)
        path = self.root / f"locales/cy/LC_MESSAGES/{name}.po"
        catalog = polib.pofile(str(path), wrapwidth=79)           # as Poedit would save it
        entries = [entry for entry in catalog if entry.msgid]
        entry = data.draw(st.sampled_from(entries))
        self._replaced(name, entry.msgstr, catalog)
        entry.msgstr, entry.previous_msgid = text, None
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        catalog.save()
        self.person.setdefault(name, set()).add(text)

    @rule(data=st.data(), text=welsh)
    def translator_returns_an_exported_package(self, data, text):
        project = load_project(self.root)
        if not self._catalogued(project) or "sample" not in project.leaflets:
            return
        package = export(project, "cy", ["sample"])
        returned = self.tmp / "returned.zip"
        with zipfile.ZipFile(package) as original, zipfile.ZipFile(returned, "w") as out:
            for member in original.namelist():
                content = original.read(member)
                if member == "sample.po":
                    catalog = polib.pofile(content.decode("utf-8"))
                    entry = data.draw(st.sampled_from([entry for entry in catalog if entry.msgid]))
                    entry.msgstr = text
                    content = str(catalog).encode("utf-8")
                out.writestr(member, content)
        current = polib.pofile(str(self.root / "locales/cy/LC_MESSAGES/sample.po"))
        before = next(e.msgstr for e in current if e.msgid == entry.msgid)
        result = import_file(load_project(self.root), returned)
        if ("sample", entry.msgid) in result.updated:
            self._replaced("sample", before, current)
            self.person.setdefault("sample", set()).add(text)

    def _replaced(self, domain: str, old: str, catalog: polib.POFile) -> None:
        """A person replaced `old` in one entry: it may go, unless another entry holds it too."""
        if old and sum(entry.msgstr == old for entry in catalog) == 1:
            self.person.get(domain, set()).discard(old)

    # -- promises -----------------------------------------------------------------

    @invariant()
    def every_catalogue_passes_msgfmt(self):
        for path in (self.root / "locales").rglob("*.po"):
            msgfmt_check(path)

    @invariant()
    def no_translation_a_person_wrote_has_vanished(self):
        for domain, texts in self.person.items():
            path = self.root / f"locales/cy/LC_MESSAGES/{domain}.po"
            catalog = read_po(path.read_bytes(), path)
            kept = {message.string for message in catalog} | {m.string for m in catalog.obsolete.values()}
            assert texts <= kept, f"lost from {domain}: {texts - kept}"

    # -- helpers ------------------------------------------------------------------

    def _catalogues(self) -> dict[Path, bytes]:
        return {path: path.read_bytes() for path in (self.root / "locales").rglob("*.po")}

    def _catalogued(self, project) -> bool:
        return all((self.root / f"locales/cy/LC_MESSAGES/{domain}.po").exists() for domain in project.domains)


CatalogueIntegrity.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestCatalogueIntegrity = pytest.mark.slow(CatalogueIntegrity.TestCase)
