"""A library of N leaflets in every registered language, made from the real leaflet, from a seed.

    .venv/bin/python benchmarks/corpus.py TARGET --leaflets N [--seed S]

Leaflet number n keeps the real leaflet's front matter and a seeded choice of its sections
(a heading and what follows it, in their order), under the real title with "(n)" after it,
and one fresh sentence of its own, so that no two leaflets are alike. Each language's
catalogue takes the real translation of every string the leaflet shares with the real one,
the real title's translation with "(n)", and a drafted translation of the fresh sentence.
The same N and seed give the same bytes. Catalogues are written by the pipeline's own
`update`, so a later `update` changes nothing, and `check` finds no error.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
REAL = "lumbar-neurostimulation"
# The fresh sentence of leaflet n, drafted for the benchmark only (these never reach a patient).
FRESH = {
    "en": "This is leaflet number {n} of the library.",
    "cy": "Dyma daflen rhif {n} y llyfrgell.", "pl": "To jest ulotka numer {n} z biblioteki.",
    "ro": "Acesta este prospectul numărul {n} din bibliotecă.", "pt": "Este é o folheto número {n} da biblioteca.",
    "es": "Este es el folleto número {n} de la biblioteca.", "tr": "Bu, kütüphanedeki {n} numaralı broşürdür.",
    "lt": "Tai bibliotekos lankstinukas numeris {n}.", "so": "Kani waa warqadda lambarka {n} ee maktabadda.",
    "ar": "هذه النشرة رقم {n} في المكتبة.", "ur": "یہ لائبریری کا کتابچہ نمبر {n} ہے۔",
    "fa": "این بروشور شماره {n} کتابخانه است.", "bn": "এটি গ্রন্থাগারের {n} নম্বর লিফলেট।",
    "pa": "ਇਹ ਲਾਇਬ੍ਰੇਰੀ ਦਾ ਪਰਚਾ ਨੰਬਰ {n} ਹੈ।", "gu": "આ પુસ્તકાલયની પત્રિકા નંબર {n} છે.",
    "zh_Hans": "这是本资料库的第 {n} 份宣传单。", "ti": "እዚ ናይ ቤተ-መጻሕፍቲ ቁጽሪ {n} ወረቐት እዩ።",
}


def make_corpus(target: Path, leaflets: int, seed: int = 0) -> Path:
    """A project at `target` with `leaflets` leaflets, each in every registered language."""
    from leaflet_l10n import extract, load_project, update

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1663804800")     # catalogue dates: the same bytes every time
    shutil.copytree(REPO / "source", target / "source", ignore=shutil.ignore_patterns("leaflets"))
    shutil.copytree(REPO / "locales", target / "locales", ignore=shutil.ignore_patterns(f"{REAL}.po*"))
    shutil.copy(REPO / "tasks.py", target / "tasks.py")
    front, sections = _split((REPO / "source/leaflets" / f"{REAL}.md").read_text(encoding="utf-8"))
    (target / "source/leaflets").mkdir()
    chooser = random.Random(seed)
    for n in range(1, leaflets + 1):
        kept = [section for section in sections if chooser.random() < 0.7] or sections[:1]
        text = front.replace('"\ndocument_type', f' ({n})"\ndocument_type', 1) + "\n" + \
            FRESH["en"].format(n=n) + "\n\n" + "\n\n".join(kept) + "\n"
        (target / "source/leaflets" / f"{_name(n)}.md").write_text(text, encoding="utf-8")
    project = load_project(target)
    extract(project)
    for language in project.languages:
        real = {entry.msgid: entry.msgstr for entry in
                polib.pofile(str(REPO / "locales" / language.code / "LC_MESSAGES" / f"{REAL}.po"))}
        for n in range(1, leaflets + 1):
            _translate(project, language.code, _name(n), n, real)
    update(project)
    return target


def _name(n: int) -> str:
    return f"leaflet-{n:05d}"


def _split(markdown: str) -> tuple[str, list[str]]:
    """The front matter, and the body's sections: a heading with what follows it."""
    front, body = re.match(r"(\+\+\+\n.*?\n\+\+\+\n)(.*)", markdown, re.DOTALL).groups()
    sections = re.split(r"\n(?=(?:<!--.*?-->\n)?## )", body.strip(), flags=re.DOTALL)
    return front, sections


def _translate(project, code: str, name: str, n: int, real: dict[str, str]) -> None:
    catalog = polib.pofile(str(project.locales_dir / f"{name}.pot"))
    title = next(iter(real))                      # the real catalogue's first entry is its title
    for entry in catalog:
        if entry.msgid == f"{title} ({n})":
            entry.msgstr = f"{real[title]} ({n})"
        elif entry.msgid == FRESH["en"].format(n=n):
            entry.msgstr = FRESH[code].format(n=n)
        else:
            entry.msgstr = real.get(entry.msgid, "")
    catalog.metadata["Language"] = code
    path = project.locales_dir / code / "LC_MESSAGES" / f"{name}.po"
    catalog.save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="an empty or missing folder for the project")
    parser.add_argument("--leaflets", type=int, default=100, help="how many leaflets (default: 100)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same corpus (default: 0)")
    args = parser.parse_args()
    print(make_corpus(args.target, args.leaflets, args.seed))


if __name__ == "__main__":
    main()
