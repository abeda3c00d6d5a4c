"""Independent work on every core: a few tasks, each in a forked process.

Why fork, and not a process pool: the parent has paid for WeasyPrint's import, the
fonts and the loaded content before the first task starts, and a forked child has all
of it at once, with nothing to pickle on the way in (a task is any closure). Only a
task's result (plain data: page starts, a line for the editor) and its error cross back,
pickled through a pipe. A child writes its output into the temporary the parent made for
it (write/output.py), so a failure anywhere still leaves build/ as it was: the parent
starts no other task, lets the running ones end, and nothing is moved into place.

A child leaves by os._exit, so no finaliser of its own runs: a temporary folder a library
makes and removes only when its object is collected (WeasyPrint's FontConfiguration
copies the fonts into one, 3 MB) would stay behind in /tmp, build after build. So a
child makes its temporaries in a scratch folder of the parent's, which the parent
removes once its tasks have ended.

With one job (BOOKLET_JOBS=1, one core, or no fork on this system) the same tasks run
one after the other in this process, in the same order of needs; the bytes written are
the same either way (a test compares them).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import shutil
import signal
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from booklet.errors import BookletError, Problem


@dataclass
class Task:
    name: str
    # Called with the results of the tasks it needs, by name; returns its own result.
    run: Callable[[dict[str, Any]], Any]
    needs: tuple[str, ...] = field(default_factory=tuple)


def jobs_wanted() -> int:
    """How many tasks may run at once: BOOKLET_JOBS, else the cores this process may use."""
    setting = os.environ.get("BOOKLET_JOBS", "").strip()
    if setting:
        if not setting.isdigit() or int(setting) < 1:
            raise BookletError(Problem("B410", f"BOOKLET_JOBS={setting!r} is not a whole "
                                       "number of jobs (1 or more)",
                                       hint="unset it to use every core, or set e.g. "
                                            "BOOKLET_JOBS=1"))
        return int(setting)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_tasks(tasks: list[Task], jobs: int | None = None) -> dict[str, Any]:
    """Run every task once its needs are done; {name: result}. A task's error is raised
    here (the first one seen) once the tasks already running have ended; no other task
    is started after it."""
    jobs = jobs_wanted() if jobs is None else jobs
    known = {task.name for task in tasks}
    for task in tasks:
        unknown = set(task.needs) - known
        assert not unknown, f"{task.name} needs {unknown}, which no task makes"
    if jobs <= 1 or not hasattr(os, "fork") or len(tasks) <= 1:
        return _in_turn(tasks)
    return _forked(tasks, jobs)


class Pending:
    """A task started in a process of its own while this one goes on with other work
    (`start`); `result()` waits for it. With one job it runs when its result is asked
    for, in this process, so the order of the work differs but not its outcome."""

    def __init__(self, task: Task, forked: bool):
        self.task = task
        self._kept: tuple | None = None  # ("done", value) or ("failed", exception)
        self._pipe: tuple[int, int] | None = None
        self._children = contextlib.ExitStack()
        if forked:
            self._pipe = _start(task, {}, self._children.enter_context(_children()))

    def result(self) -> Any:
        """The task's result, or its error raised; the same again if asked again."""
        if self._kept is None:
            try:
                self._kept = ("done", self._wait())
            except Exception as exc:  # noqa: BLE001 - kept, and raised below
                self._kept = ("failed", exc)
        kind, value = self._kept
        if kind == "failed":
            raise value
        return value

    def _wait(self) -> Any:
        if self._pipe is None:
            return self.task.run({})
        read_end, pid = self._pipe
        self._pipe = None
        received = bytearray()
        try:
            while chunk := os.read(read_end, 1 << 16):
                received += chunk
        finally:
            os.close(read_end)
        try:
            return _outcome(self.task, pid, bytes(received))
        finally:
            self._children.close()

    def cancel(self) -> None:
        """Stop it if it still runs (the build failed before it was needed)."""
        if self._pipe is not None:
            read_end, pid = self._pipe
            self._pipe = None
            _stop(pid)
            os.close(read_end)
        self._children.close()


def start(task: Task, jobs: int | None = None) -> Pending:
    """Begin `task` (which needs no other) beside this process's own work."""
    jobs = jobs_wanted() if jobs is None else jobs
    return Pending(task, jobs > 1 and hasattr(os, "fork"))


def _in_turn(tasks: list[Task]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    waiting = list(tasks)
    while waiting:
        task = next(t for t in waiting if all(n in results for n in t.needs))
        results[task.name] = task.run({n: results[n] for n in task.needs})
        waiting.remove(task)
    return results


def _forked(tasks: list[Task], jobs: int) -> dict[str, Any]:
    with _children() as scratch:
        return _forked_in(tasks, jobs, scratch)


@contextlib.contextmanager
def _children():
    """While children run: the scratch folder they make their temporaries in, removed
    after them; and then the objects frozen at each fork (_start) thawed, since frozen
    objects are never collected (a long `booklet watch` would keep every build's
    garbage)."""
    folder = tempfile.mkdtemp(prefix="booklet-tasks-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        gc.unfreeze()


def _forked_in(tasks: list[Task], jobs: int, scratch: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    waiting = list(tasks)
    running: dict[int, tuple[Task, int, bytearray]] = {}  # read end -> (task, pid, bytes)
    failed: BaseException | None = None
    try:
        while waiting or running:
            if failed is not None:
                # A task failed: start nothing more, but let the running ones end by
                # themselves (they write only temporaries, which the caller removes; a
                # process stopped half way could leave a library's own temporary file).
                waiting.clear()
                if not running:
                    break
            for task in [t for t in waiting if all(n in results for n in t.needs)]:
                if len(running) >= jobs:
                    break
                read_end, pid = _start(task, {n: results[n] for n in task.needs}, scratch)
                running[read_end] = (task, pid, bytearray())
                waiting.remove(task)
            if not running:  # every waiting task needs one that can never finish
                raise AssertionError(f"tasks wait on each other: {[t.name for t in waiting]}")
            ready, _, _ = select.select(list(running), [], [])
            for read_end in ready:
                task, pid, received = running[read_end]
                chunk = os.read(read_end, 1 << 16)
                if chunk:
                    received += chunk
                    continue
                os.close(read_end)
                del running[read_end]
                try:
                    results[task.name] = _outcome(task, pid, bytes(received))
                except Exception as exc:  # noqa: BLE001 - the first one is raised below
                    failed = failed or exc
    except BaseException:  # Ctrl+C, or a bug here: stop every process at once
        for read_end, (_, pid, _) in running.items():
            _stop(pid)
            os.close(read_end)
        raise
    if failed is not None:
        raise failed
    return results


def _start(task: Task, given: dict[str, Any], scratch: str) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    # The child's garbage collector leaves alone what it was forked with: scanning it
    # would write to every object's header, copying each page of the parent's memory
    # (WeasyPrint, the fonts) into the child; a part's layout took a fifth longer. The
    # parent's objects stay frozen until its tasks are done (_children), so that its own
    # collections do not copy them either while children share them.
    gc.freeze()
    pid = os.fork()
    if pid == 0:  # the child: run the task, send back its outcome, and leave at once
        os.close(read_end)
        # Stopped by the parent (_stop) at once, whatever the parent does with SIGTERM
        # itself (booklet watch takes it as Ctrl+C).
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        tempfile.tempdir = scratch  # the parent removes it, and what is left in it
        code = 0
        try:
            outcome = ("done", task.run(given))
        except BookletError as exc:
            outcome = ("refused", exc.problems)
        except OSError as exc:  # a full disk …: the parent says it as B400, as ever
            outcome = ("os", (type(exc), exc.errno, exc.strerror, exc.filename))
        except BaseException:  # noqa: BLE001 - any failure must reach the parent
            outcome = ("failed", traceback.format_exc())
        try:
            payload = pickle.dumps(outcome)
        except Exception:  # noqa: BLE001 - an unpicklable result is a bug, said as one
            payload = pickle.dumps(("failed", traceback.format_exc()))
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            code = 1
        # No atexit handlers, no cleanup of the parent's temporaries: they are its own.
        os._exit(code)
    os.close(write_end)
    return read_end, pid


def _outcome(task: Task, pid: int, payload: bytes) -> Any:
    _, status = os.waitpid(pid, 0)
    if not payload:
        how = (f"was killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"exited with status {os.WEXITSTATUS(status)}")
        raise RuntimeError(f"the build's {task.name} process {how} before it finished "
                           "(out of memory?)")
    kind, value = pickle.loads(payload)
    if kind == "refused":
        raise BookletError(value)
    if kind == "os":
        kind_of_error, number, words, filename = value
        raise kind_of_error(number, words, filename)
    if kind == "failed":
        raise RuntimeError(f"the build's {task.name} process failed:\n{value}")
    return value


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
