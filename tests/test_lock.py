"""One writer at a time: a second waits and says for what, a dead holder is taken over,
what it left half-written is removed, and concurrent runs lose nothing."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import polib
import pytest

from conftest import INVOKE, run_task
from leaflet_l10n import ProjectBusy, project_lock


def start_task(root, *args, env=None):
    return subprocess.Popen([*INVOKE, *args], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})})


def test_a_second_writer_waits_for_the_first_and_says_for_what(mini):
    with project_lock(mini, "build") as holder:
        waiting = start_task(mini, "update")
        time.sleep(3)
        assert waiting.poll() is None, "update ran while the build held the lock"
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert f"waiting for the build started at {holder.started} (process {os.getpid()})" in err


def test_a_writer_gives_up_after_the_timeout_with_a_clear_message(mini):
    with project_lock(mini, "import"):
        result = subprocess.run([*INVOKE, "extract"], cwd=mini, capture_output=True, text=True,
                                env={**os.environ, "LEAFLET_LOCK_TIMEOUT": "0.5"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "gave up after 0.5 s waiting for the import started at" in result.stderr
    assert "LEAFLET_LOCK_TIMEOUT" in result.stderr


def test_read_only_tasks_take_no_lock(mini):
    with project_lock(mini, "build"):
        result = subprocess.run([*INVOKE, "check"], cwd=mini, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "LEAFLET_LOCK_TIMEOUT": "0"})
    assert "waiting" not in result.stderr and "cy (Cymraeg), draft" in result.stdout


def test_the_lock_of_a_killed_run_is_taken_over_and_its_partial_files_removed(mini):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from leaflet_l10n import project_lock\n"
        f"with project_lock({str(mini)!r}, 'update'):\n"
        "    print('locked', flush=True); time.sleep(60)")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    leftovers = [mini / "locales/cy/LC_MESSAGES/.sample.po.x1y2z3.partial", mini / "build/cy/.sample.pdf.abc.partial",
                 mini / "locales/cy/LC_MESSAGES/.ui.po.k3j_9a2b.tmp"]          # as earlier versions named them
    for leftover in leftovers:
        leftover.parent.mkdir(parents=True, exist_ok=True)
        leftover.write_bytes(b"half a file")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    result = subprocess.run([*INVOKE, "update"], cwd=mini, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "LEAFLET_LOCK_TIMEOUT": "0"})
    assert result.returncode == 0, result.stderr
    assert "the update started at" in result.stderr and "stopped before finishing; removed 3 partial" in result.stderr
    assert not any(leftover.exists() for leftover in leftovers)


def test_project_lock_raises_a_typed_error_on_timeout(mini):
    with project_lock(mini, "build"):
        pid = os.fork()
        if pid == 0:                         # a child holds no lock of its parent's (POSIX record locks)
            try:
                with project_lock(mini, "update", timeout=0.2):
                    os._exit(1)
            except ProjectBusy:
                os._exit(0)
            os._exit(2)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_two_builds_of_different_languages_at_once_keep_both(mini):
    run_task(mini, "init", "--lang", "pl")
    first, second = start_task(mini, "build", "--lang", "cy"), start_task(mini, "build", "--lang", "pl")
    for process in (first, second):
        _, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
    manifest = json.loads((mini / "build/manifest.json").read_text())
    assert {(o["language"], o["state"]) for o in manifest["outputs"]} == {("cy", "built"), ("pl", "built")}
    again = run_task(mini, "build", "--lang", "cy", "--lang", "pl")
    assert "built" not in again.stdout.replace("unchanged", "")


@pytest.mark.parametrize("round", range(3))
def test_an_import_during_an_update_loses_nothing(mini, tmp_path, round):
    exported = run_task(mini, "export", "--lang", "cy").stdout.strip()
    returned = tmp_path / "returned.zip"
    translations = {}
    with zipfile.ZipFile(mini / exported) as package, zipfile.ZipFile(returned, "w") as out:
        for name in package.namelist():
            data = package.read(name)
            if name == "sample.po":
                catalog = polib.pofile(data.decode("utf-8"))
                for entry in catalog:
                    if not entry.msgstr:
                        entry.msgstr = translations[entry.msgid] = f"{entry.msgid} (cy {round})"
                data = str(catalog).encode("utf-8")
            out.writestr(name, data)
    update, importing = start_task(mini, "update"), start_task(mini, "import", str(returned))
    for process in (update, importing):
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    current = {e.msgid: e.msgstr for e in polib.pofile(str(mini / "locales/cy/LC_MESSAGES/sample.po"))}
    assert translations and all(current[msgid] == text for msgid, text in translations.items())
