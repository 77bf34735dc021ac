import re

from conftest import REPO, run_task

TASKS = ("extract", "init", "update", "build", "check", "approve", "publish", "preview",
         "export", "import", "tm-export", "stats")


def test_every_task_is_listed_with_one_line_of_help():
    listing = run_task(REPO, "--list").stdout
    for name in TASKS:
        line = next(l for l in listing.splitlines() if re.match(rf"\s+{name}\b", l))
        assert len(line.split(None, 1)) == 2, f"{name} has no help"


def test_every_task_argument_has_help():
    for name in TASKS:
        help_text = run_task(REPO, "--help", name).stdout
        options = re.findall(r"^\s+(-\w, )?--[\w-]+(=\w+)?\s*(.*)$", help_text, re.MULTILINE)
        assert all(description.strip() for *_, description in options), help_text


def test_extract_and_init_from_the_command_line(mini):
    assert "unchanged locales/sample.pot" in run_task(mini, "extract").stdout
    result = run_task(mini, "init", "--lang", "pl")
    assert "created" in result.stdout and (mini / "locales/pl/LC_MESSAGES/sample.po").is_file()
    assert "[languages.pl]" in (mini / "locales/languages.toml").read_text()


def test_stats_table_and_json_agree(mini):
    import json
    rows = json.loads(run_task(mini, "stats", "--format", "json").stdout)
    sample = next(r for r in rows if r["language"] == "cy" and r["leaflet"] == "sample")
    assert sample["untranslated"]["segments"] == 1 and sample["translated"]["segments"] == 6
    assert sample["untranslated"]["words"] == 11
    table = run_task(mini, "stats").stdout
    assert re.search(r"cy\s+sample\s+6 \(\s*\d+\)\s+0 \(\s*0\)\s+1 \(\s*11\)", table)
