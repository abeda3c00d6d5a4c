"""How `make bench` measures one command: wall time, CPU time and the peak memory of
its whole process tree, and how it drives a running `booklet watch`.

Nothing here knows how booklet builds: a command is a process tree, looked at from
outside. That matters because the build may lay out parts in worker processes:

- CPU time comes from wait4's rusage, which includes every descendant that was waited
  for (a worker pool's processes are), so cpu ÷ wall near 2 says both cores worked;
- wait4's ru_maxrss is the largest *single* process of the tree, not the tree's total
  (and it starts at what the parent held when it forked: the harness stays small, it
  never imports booklet), so a sampler also sums the resident memory of the live tree
  every 50 ms. The sum counts pages that forked workers share with their parent once
  per process: an upper bound of what the tree holds, the safe side for a memory
  target. A peak shorter than 50 ms can slip between two samples; the larger of the two
  figures is reported.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
TICKS = os.sysconf("SC_CLK_TCK")


class ProcessTree:
    """The live descendants of one process, found by scanning /proc (this kernel has no
    /proc/PID/task/TID/children); a pid's parent is read once, when the pid first appears."""

    def __init__(self, root: int):
        self.root = root
        self._parent: dict[int, int] = {}

    def members(self) -> list[int]:
        pids = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for gone in set(self._parent) - pids:
            del self._parent[gone]
        for pid in pids - set(self._parent):
            stat = _stat(pid)
            if stat is not None:
                self._parent[pid] = int(stat[1])
        children: dict[int, list[int]] = {}
        for pid, parent in self._parent.items():
            children.setdefault(parent, []).append(pid)
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        return tree

    def rss_kib(self) -> int:
        """Resident memory summed over the tree, in KiB."""
        total = 0
        for pid in self.members():
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
            except (OSError, IndexError, ValueError):
                pass  # it ended between the scan and the read
        return total

    def cpu_s(self) -> float:
        """CPU time so far: the root's own and its waited-for children's (cutime, cstime),
        plus that of descendants still running."""
        total = 0
        for pid in self.members():
            stat = _stat(pid)
            if stat is None:
                continue
            # fields after the command name: [11] utime [12] stime [13] cutime [14] cstime
            total += int(stat[11]) + int(stat[12])
            if pid == self.root:
                total += int(stat[13]) + int(stat[14])
        return total / TICKS


def machine_busy_s() -> float:
    """CPU seconds all cores have spent not idle since boot (/proc/stat): what else runs
    on the machine during a measurement is this difference less the measured tree's."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICKS


def others_cores(busy_before: float, busy_after: float, cpu_s: float, wall_s: float) -> float:
    """Cores kept busy by other work on average while a measurement ran."""
    return max(0.0, busy_after - busy_before - cpu_s) / wall_s if wall_s > 0 else 0.0


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after the command name (which may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


class PeakSampler(threading.Thread):
    """Samples a process tree's summed RSS every `interval` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.tree, self.interval = ProcessTree(pid), interval
        self.peak_kib, self.samples = 0, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_kib = max(self.peak_kib, self.tree.rss_kib())
            self.samples += 1
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_kib


def timed(cmd: list[str], cwd: Path, env: dict, check: bool = True) -> dict:
    """Run `cmd` to its end: wall and CPU seconds, peak memory, exit status and output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        busy = machine_busy_s()
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = PeakSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        busy_after = machine_busy_s()
        tree_kib = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        result = {"wall_s": wall, "cpu_s": cpu,
                  "others_cores": others_cores(busy, busy_after, cpu, wall),
                  "maxrss_kib": usage.ru_maxrss, "tree_rss_kib": tree_kib,
                  "peak_rss_kib": max(usage.ru_maxrss, tree_kib),
                  "returncode": process.returncode,
                  "stdout": out.read().decode(errors="replace"),
                  "stderr": err.read().decode(errors="replace")}
    if check and result["returncode"] != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed in {cwd}:\n{result['stderr'][-3000:]}")
    return result


# What `booklet watch` prints (src/booklet/watch.py), one line each:
#   built booklet.pdf, booklet.epub in 2.31 s        (the first build)
#   watching content/ and styles/ — press Ctrl+C to stop
#   changed: content/essays/02-…/essay.md
#   rebuilt booklet.pdf, booklet.epub in 2.05 s      (or "rebuilt nothing (all up to date) in …")
# A refused edit prints its coded error and "booklet: kept the last good booklet …" on stderr.
BUILT = re.compile(r"^(?P<verb>built|rebuilt) (?P<what>.*) in (?P<seconds>\d+(?:\.\d+)?) s$")


def parse_watch_line(line: str) -> dict | None:
    """One line of `booklet watch`'s output as {kind, …}, or None for any other line."""
    line = line.strip()
    if match := BUILT.match(line):
        what = match["what"]
        wrote = [] if what.startswith("nothing") else [w.strip() for w in what.split(",")]
        return {"kind": match["verb"], "wrote": wrote, "seconds": float(match["seconds"])}
    if line.startswith("watching "):
        return {"kind": "watching"}
    if line.startswith("changed: "):
        return {"kind": "changed", "files": [f.strip() for f in line[9:].split(",")]}
    if line.startswith("booklet: kept the last good booklet"):
        return {"kind": "refused"}
    return None


@dataclass
class Line:
    at: float  # perf_counter when the harness read it
    stream: str
    text: str
    parsed: dict | None = field(default=None)


class WatchSession:
    """A `booklet watch` process in its own process group, its output read as it comes."""

    def __init__(self, cmd: list[str], cwd: Path, env: dict):
        self.process = subprocess.Popen(cmd, cwd=cwd, env=env | {"PYTHONUNBUFFERED": "1"},
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        start_new_session=True)
        self.lines: queue.Queue[Line] = queue.Queue()
        self.transcript: list[Line] = []
        self.sampler = PeakSampler(self.process.pid)
        self.sampler.start()
        self.tree = ProcessTree(self.process.pid)
        for name, stream in (("stdout", self.process.stdout), ("stderr", self.process.stderr)):
            threading.Thread(target=self._read, args=(name, stream), daemon=True).start()

    def _read(self, name: str, stream) -> None:
        for raw in iter(stream.readline, b""):
            text = raw.decode(errors="replace").rstrip("\n")
            self.lines.put(Line(time.perf_counter(), name, text, parse_watch_line(text)))

    def next_line(self, deadline: float) -> Line:
        """The next line, or TimeoutError at `deadline`, or RuntimeError if watch ended."""
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("booklet watch printed nothing in time")
            try:
                line = self.lines.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    raise RuntimeError(f"booklet watch ended (exit {self.process.returncode}):\n"
                                       + self.tail()) from None
                continue
            self.transcript.append(line)
            return line

    def wait_for(self, kinds: set[str], timeout: float) -> Line:
        deadline = time.perf_counter() + timeout
        while True:
            line = self.next_line(deadline)
            if line.parsed and line.parsed["kind"] in kinds:
                return line

    def settle(self, quiet: float, timeout: float) -> None:
        """Wait until watch has printed nothing for `quiet` seconds (a build in progress,
        or a late rebuild of the last edit, would otherwise be timed as the next one)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                self.next_line(min(deadline, time.perf_counter() + quiet))
            except TimeoutError:
                return
        raise TimeoutError(f"booklet watch did not go quiet in {timeout:.0f} s")

    def edit_and_wait(self, edit, timeout: float, seen_within: float = 15) -> dict:
        """Make `edit`, then wait for the rebuild it causes: from the write to the line
        that says the rebuild is done, as the editor waiting for the PDF sees it. An edit
        watch has not seen (no "changed:" line) within `seen_within` s is an error."""
        cpu_before, busy_before = self.tree.cpu_s(), machine_busy_s()
        start = time.perf_counter()
        edit()
        try:
            self.wait_for({"changed"}, seen_within)
        except TimeoutError:
            raise TimeoutError(f"booklet watch did not see the edit in {seen_within:.0f} s") \
                from None
        line = self.wait_for({"rebuilt", "refused"}, timeout)
        cpu, busy = self.tree.cpu_s() - cpu_before, machine_busy_s()
        if line.parsed["kind"] == "refused":
            raise RuntimeError("booklet watch refused the edit:\n" + self.tail())
        latency = line.at - start
        return {"latency_s": latency, "reported_s": line.parsed["seconds"],
                "wrote": line.parsed["wrote"], "cpu_s": cpu,
                "others_cores": others_cores(busy_before, busy, cpu, latency)}

    def tail(self, lines: int = 20) -> str:
        return "\n".join(f"{line.stream}: {line.text}" for line in self.transcript[-lines:])

    def close(self, timeout: float = 10) -> int:
        """Ctrl+C for the whole group (watch and any workers it started), then SIGKILL;
        the group is this session's own (start_new_session), so nothing else is hit."""
        peak = self.sampler.stop()
        for sig, wait in ((signal.SIGINT, timeout), (signal.SIGKILL, 5)):
            if self.process.poll() is not None:
                break
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        try:  # a worker left behind by a watch that ended
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return peak
