import re

from conftest import REPO, run_task

TASKS = ("extract", "init", "update", "build")


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
