"""`booklet watch` rebuilds on each save in one process, and a wrong edit keeps the last
good booklet. How fast it is lives in `make bench`, not here."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

from conftest import copy_fixture

WAIT = 120  # seconds: a generous bound for a busy two-core machine, not a speed target


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl+C, as the editor stops it; killed if it does not stop."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _watch_pdf(root, **env: str) -> tuple[subprocess.Popen, queue.Queue]:
    """`booklet watch pdf` on the project at `root`, and the queue of its output lines."""
    # Ctrl+C as in the editor's terminal: a test run started in the background by a
    # shell without job control (make test &, CI) inherits SIGINT ignored, and so would
    # the watch, which then never stops.
    proc = subprocess.Popen([sys.executable, "-m", "booklet", "--root", str(root), "watch",
                             "pdf"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
                            preexec_fn=_ctrl_c_as_in_a_terminal)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    return proc, lines


def _wait_for(lines: queue.Queue, needle: str, seen: list[str], poke=None) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if poke:
                poke()  # a save made before the watcher started is not seen: save again
            continue
        seen.append(line)
        if needle in line:
            return line
    raise AssertionError(f"no {needle!r} in:\n" + "\n".join(seen))


def test_watch_rebuilds_on_save_and_keeps_the_last_good_booklet(tmp_path):
    root = copy_fixture(tmp_path)
    proc, lines = _watch_pdf(root, SOURCE_DATE_EPOCH="1700000000")
    seen: list[str] = []
    pdf = root / "build" / "booklet.pdf"
    essay = next((root / "content" / "essays").glob("*/essay.md"))
    text = essay.read_text(encoding="utf-8")
    try:
        assert "built booklet.pdf" in _wait_for(lines, "built", seen)
        _wait_for(lines, "watching", seen)
        first = pdf.read_bytes()

        def save(body: str):
            return lambda: essay.write_text(body, encoding="utf-8")

        edited = text.rstrip("\n") + "\n\nA sentence added while watching.\n"
        save(edited)()
        assert "booklet.pdf" in _wait_for(lines, "rebuilt", seen, poke=save(edited + " "))
        good = pdf.read_bytes()
        assert good != first

        broken = text.replace("cite:", "cite:nosuchkey", 1)
        save(broken)()
        _wait_for(lines, "error B200", seen, poke=save(broken + " "))
        _wait_for(lines, "kept the last good booklet", seen)
        assert pdf.read_bytes() == good

        save(text)()
        _wait_for(lines, "rebuilt", seen, poke=save(text + "\n"))
        assert proc.poll() is None, "watch stopped on its own"
    finally:
        _stop(proc)
    assert proc.returncode == 0, "\n".join(seen)


def _get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    return response.status, response.read()


def test_watch_serve_shows_build_and_reloads_the_page_after_a_rebuild(tmp_path):
    import re
    import shutil
    from pathlib import Path

    from booklet.serve import RELOAD

    root = copy_fixture(tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "booklet", "--root", str(root), "watch",
                             "web", "--serve", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env,
                            preexec_fn=_ctrl_c_as_in_a_terminal)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    essay = sorted((root / "content" / "essays").glob("*/essay.md"))[0]
    page = f"{essay.parent.name}.html"
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/web/index\.html",
                             _wait_for(lines, "serving build/", seen)).group(1))
        _wait_for(lines, "watching", seen)
        status, body = _get(port, f"/web/{page}")
        assert status == 200 and RELOAD in body
        # The reload is added on the way out: the web edition itself keeps no script.
        assert b"<script" not in (root / "build" / "web" / page).read_bytes()
        assert _get(port, f"/web/{page}", host=f"attacker.example:{port}")[0] == 403
        status, body = _get(port, "/../content/booklet.yaml")
        assert status == 404 and b"identifier" not in body

        node = shutil.which("node")
        script = Path(__file__).parent / "browser" / "reload.mjs"
        browser = subprocess.Popen([node, str(script), f"http://127.0.0.1:{port}/web/{page}",
                                    "A sentence added while serving."],
                                   stdout=subprocess.PIPE, text=True,
                                   cwd=Path(__file__).parent.parent)
        assert browser.stdout.readline().strip() == "opened"
        text = essay.read_text(encoding="utf-8")
        edited = text.rstrip("\n") + "\n\nA sentence added while serving.\n"
        essay.write_text(edited, encoding="utf-8")
        _wait_for(lines, "rebuilt", seen, poke=lambda: essay.write_text(edited + " ",
                                                                     encoding="utf-8"))
        out, _ = browser.communicate(timeout=WAIT)
        assert browser.returncode == 0 and "reloaded" in out, out
    finally:
        _stop(proc)


def test_watch_stopped_by_kill_leaves_no_temporary_behind(tmp_path):
    # SIGTERM (kill, a closed terminal's SIGHUP too) ends the watch as Ctrl+C does, so
    # the exit handlers run: the copy of the fonts WeasyPrint made in TMPDIR for the
    # watch's own process stayed there otherwise.
    root = copy_fixture(tmp_path / "project")
    temporaries = tmp_path / "tmp"
    temporaries.mkdir()
    proc, lines = _watch_pdf(root, TMPDIR=str(temporaries))
    seen: list[str] = []
    try:
        _wait_for(lines, "watching", seen)
        assert list(temporaries.iterdir())  # the laid-out booklet's fonts, while it runs
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list(temporaries.iterdir()) == []
