"""The build on both cores: independent editions in forked processes, the
same bytes as one after the other, errors still coded, nothing half-written."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from booklet.errors import BookletError, Problem
from booklet.parallel import Task, jobs_wanted, run_tasks
from conftest import (MADE_EPOCH, OUTPUTS, built_temporaries, copy_fixture, read_output,
                      run_booklet)


def test_tasks_run_in_their_own_processes_after_what_they_need():
    parent = os.getpid()
    results = run_tasks([
        Task("a", lambda done: os.getpid()),
        Task("b", lambda done: os.getpid()),
        Task("c", lambda done: (done["a"], done["b"], os.getpid()), ("a", "b")),
    ], jobs=2)
    a, b, (seen_a, seen_b, c) = results["a"], results["b"], results["c"]
    assert len({parent, a, b, c}) == 4  # each task in a process of its own
    assert (seen_a, seen_b) == (a, b)  # c was given what a and b returned


def test_one_job_runs_the_same_tasks_in_this_process():
    results = run_tasks([Task("a", lambda done: os.getpid()),
                         Task("b", lambda done: done["a"] + 1, ("a",))], jobs=1)
    assert results == {"a": os.getpid(), "b": os.getpid() + 1}


def test_a_refusal_in_a_child_reaches_the_editor_as_the_same_coded_problem(tmp_path):
    def refuse(done):
        raise BookletError(Problem("B273", "a table is too wide", tmp_path / "essay.md", 12,
                                   hint="split it"))

    with pytest.raises(BookletError) as caught:
        run_tasks([Task("ok", lambda done: 1), Task("refused", refuse)], jobs=2)
    [problem] = caught.value.problems
    assert (problem.code, problem.path, problem.line, problem.hint) == (
        "B273", tmp_path / "essay.md", 12, "split it")


def test_a_child_that_dies_is_said_to_have_died():
    with pytest.raises(RuntimeError, match="killed by signal"):
        run_tasks([Task("ok", lambda done: 1),
                   Task("dies", lambda done: os.kill(os.getpid(), signal.SIGKILL))], jobs=2)


def test_an_unknown_jobs_setting_is_a_coded_problem(monkeypatch):
    monkeypatch.setenv("BOOKLET_JOBS", "two")
    with pytest.raises(BookletError) as caught:
        jobs_wanted()
    assert caught.value.problems[0].code == "B410"


def _build(root: Path, jobs: str, monkeypatch) -> dict[str, bytes]:
    # One edition date for both builds: that of conftest.made.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", MADE_EPOCH)
    monkeypatch.setenv("BOOKLET_JOBS", jobs)
    result = run_booklet(root, "build")
    assert result.returncode == 0, result.stderr
    return _outputs(root)


def _outputs(root: Path) -> dict[str, bytes]:
    return {name: read_output(root / "build" / name) for name in OUTPUTS}


def test_two_jobs_write_the_same_bytes_as_one(made, tmp_path, monkeypatch):
    # conftest.made is the cold build of the fixture booklet with two jobs.
    one = _build(copy_fixture(tmp_path / "one"), "1", monkeypatch)
    two = _outputs(made)
    assert set(one) == set(OUTPUTS)
    for name in OUTPUTS:
        assert one[name] == two[name], f"{name} differs between one job and two"


def test_a_refusal_in_one_edition_leaves_every_output_as_it_was(made, tmp_path, monkeypatch):
    root = tmp_path / "p"
    shutil.copytree(made, root, symlinks=True)
    before = _outputs(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", MADE_EPOCH)
    monkeypatch.setenv("BOOKLET_JOBS", "2")
    # Only the print shop's stylesheet is wrong: its task is refused while the others
    # run beside it and finish.
    sheet = root / "styles" / "print-shop.css"
    sheet.write_text(sheet.read_text() + '\n.cover { background: url("/etc/passwd"); }\n')
    result = run_booklet(root, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "B300" in result.stderr
    assert _outputs(root) == before
    assert not [p for p in (root / "build").iterdir() if ".part" in p.name]


def test_a_failure_lets_the_running_tasks_end_and_starts_no_other(tmp_path):
    # A process stopped half way through writing could leave a library's own temporary
    # beside the outputs (pikepdf's, seen once in build/): the others end by themselves.
    import time

    def slow(done):
        time.sleep(0.5)
        (tmp_path / "ended").write_text("whole")

    def after(done):
        (tmp_path / "started").write_text("should not")

    with pytest.raises(BookletError):
        run_tasks([Task("slow", slow), Task("refused", lambda done: (_ for _ in ()).throw(
            BookletError(Problem("B300", "refused")))), Task("after", after, ("slow",))],
            jobs=2)
    assert (tmp_path / "ended").read_text() == "whole"
    assert not (tmp_path / "started").exists()


def _leaves_a_temporary(done):
    # As WeasyPrint's FontConfiguration does: a folder removed only by a finaliser,
    # which a child leaving by os._exit never runs.
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="weasyprint-"))
    (folder / "font.ttf").write_bytes(b"\0" * 1024)
    return str(folder)


def test_a_childs_forgotten_temporaries_are_removed_once_the_tasks_end(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    results = run_tasks([Task("a", _leaves_a_temporary), Task("b", _leaves_a_temporary)],
                        jobs=2)
    assert all(Path(folder).is_relative_to(tmp_path) for folder in results.values())
    assert list(tmp_path.iterdir()) == []


def test_a_task_started_beside_this_process_gives_its_result_and_leaves_nothing(
        tmp_path, monkeypatch):
    import tempfile

    from booklet.parallel import start

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pending = start(Task("beside", lambda done: (os.getpid(), _leaves_a_temporary(done))),
                    jobs=2)
    pid, folder = pending.result()
    assert pid != os.getpid()
    assert Path(folder).is_relative_to(tmp_path) and list(tmp_path.iterdir()) == []
    # With one job it runs here, when asked for.
    assert start(Task("here", lambda done: os.getpid()), jobs=1).result() == os.getpid()


def test_a_started_task_refused_is_the_same_coded_problem_and_cancel_stops_one(tmp_path):
    import time

    from booklet.parallel import start

    def refuse(done):
        raise BookletError(Problem("B103", "an old field name", tmp_path / "r.yaml", 3))

    with pytest.raises(BookletError) as caught:
        start(Task("refused", refuse), jobs=2).result()
    assert caught.value.problems[0].line == 3

    def sleeps(done):
        time.sleep(30)
        (tmp_path / "woke").write_text("too late")

    started = time.monotonic()
    start(Task("sleeps", sleeps), jobs=2).cancel()
    assert time.monotonic() - started < 10 and not (tmp_path / "woke").exists()


def test_a_full_build_leaves_no_temporary_behind(built):
    # The build's temporaries went to a folder beside the project (conftest.built). Each
    # print-shop part and the home-print cover made a WeasyPrint font folder (3 MB) in
    # a child process, which stayed in /tmp, build after build, until the children
    # made theirs in a folder the build removes.
    assert sorted(p.name for p in built_temporaries(built).iterdir()) == []


_STAGE_LINES = """
from booklet.parallel import Task, run_tasks
from booklet.pipeline import Progress

def lines(done):
    for n in range(2000):
        Progress()._line("pdf", 0.1, [f"line {n}: tagged PDF/UA-1"])

run_tasks([Task("a", lines), Task("b", lines)], jobs=2)
"""


def test_stage_lines_of_tasks_ending_at_once_stay_whole():
    # Seen in CI: the two PDFs' stage lines ran into each other ("…PDF/UA-1pdf  0.10 s
    # …"), since print writes the text and its newline apart when Python is unbuffered.
    import re
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _STAGE_LINES], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4000
    assert all(re.fullmatch(r"pdf {7}0\.10 s  line \d+: tagged PDF/UA-1", line)
               for line in lines)
