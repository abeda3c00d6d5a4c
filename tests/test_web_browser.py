"""The web edition in a real browser: build/web/ served on 127.0.0.1,
opened in Debian's Chromium by tests/browser/check.mjs (puppeteer-core, axe-core).

Every page, at 1280 and 360 px, light and dark, and with the print page numbers turned
on: no axe violation of any impact. Nothing wider than the viewport at 360 px, 320 px and
200 % zoom (a 640 CSS px viewport at device scale factor 2, as a 1280 px window zoomed
to 200 % lays out). Every link into the site resolves; no request leaves 127.0.0.1.
Screenshots of the index and of an essay with a figure, at both widths, day and dark,
go to tmp_path, or to $BOOKLET_SCREENSHOTS when set, to be looked at.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from booklet.render.templates import web_page_name
from conftest import ROOT, once_per_run
from edition import built_from

SCRIPT = ROOT / "tests" / "browser" / "check.mjs"
# Debian's Chromium, wherever PATH finds it (as booklet.check.epub finds it for Ace)
CHROMIUM = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or "chromium"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def served(folder: Path):
    """The folder over HTTP on 127.0.0.1, on a port the system picks."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_browser(folder: Path, pages: list[str], screenshots: dict | None = None) -> dict:
    if not (ROOT / "node_modules" / "puppeteer-core").is_dir() or shutil.which("node") is None:
        pytest.fail("the browser checks need node and node_modules (make test installs them)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser checks need Chromium at {CHROMIUM} (apt-get install chromium)")
    with served(folder) as base:
        config = {"base": base, "pages": pages, "screenshots": screenshots}
        run = subprocess.run(["node", str(SCRIPT), json.dumps(config)], capture_output=True,
                             text=True, timeout=600, cwd=ROOT,
                             env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM})
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def _shown(items: list) -> str:
    return json.dumps(items, indent=1, ensure_ascii=False)[:6000]


@pytest.fixture(scope="session")
def browser_report(built, booklet, tmp_path_factory):
    """The Chromium run over every page of a built booklet, made once for the whole run
    (conftest.once_per_run: whichever worker asks first runs it, the others read it)."""
    pages = ["index.html", *(web_page_name(e) for e in booklet.essays)]

    def make(folder: Path) -> None:
        folder.mkdir()
        with_figure = next((e for e in booklet.essays if e.figures), booklet.essays[0])
        shots = _screenshots(folder, built)
        shots.mkdir(parents=True, exist_ok=True)
        report = run_browser(built / "build" / "web", pages,
                             {"dir": str(shots),
                              "pages": ["index.html", web_page_name(with_figure)]})
        (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")

    folder = once_per_run(tmp_path_factory, f"browser-{built.name}", make)
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return report, pages, _screenshots(folder, built)


def _screenshots(folder: Path, built: Path) -> Path:
    """Where the screenshots go: $BOOKLET_SCREENSHOTS, to be looked at, or the run's folder."""
    where = os.environ.get("BOOKLET_SCREENSHOTS")
    return Path(where) / built.name if where else folder / "screenshots"


def test_axe_finds_no_violation_on_any_page(browser_report):
    report, pages, _ = browser_report
    # each page at 1280 and 360 px, light and dark, and with page numbers on, light and dark
    assert report["checked"]["axe"] == 6 * len(pages)
    assert report["axe"] == [], _shown(report["axe"])


def test_nothing_is_wider_than_the_viewport(browser_report):
    report, pages, _ = browser_report
    # 360 px light and dark, with page numbers on (twice), 320 px and 200 % zoom
    assert report["checked"]["overflow"] == 6 * len(pages)
    assert report["overflow"] == [], _shown(report["overflow"])


def test_every_internal_link_resolves(browser_report):
    report, pages, _ = browser_report
    assert report["checked"]["links"] > len(pages)
    assert report["links"] == [], _shown(report["links"])
    assert report["failed"] == [], _shown(report["failed"])


def test_no_request_leaves_the_machine(browser_report):
    report, _, _ = browser_report
    assert report["outside"] == [], _shown(report["outside"])


def test_the_switch_shows_the_print_page_numbers(browser_report, built):
    report, pages, _ = browser_report
    stamps = json.loads((built / "build" / ".stamps.json").read_text(encoding="utf-8"))
    assert sum(t["markers"] for t in report["toggle"]) == 2 * len(stamps["layout"]["pages"])
    for toggle in report["toggle"]:
        assert toggle["shown"] == toggle["markers"], toggle


def test_screenshots_were_taken(browser_report):
    _, _, shots = browser_report
    taken = sorted(p.name for p in shots.glob("*.png"))
    # 2 pages x 2 widths x day and dark x first screen and whole page; and at 360 px day
    # and dark with the page numbers on
    assert len(taken) == 20, taken
    for path in shots.glob("*.png"):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@built_from("fixture")  # that the checks can fail, on one booklet's pages
def test_the_browser_checks_can_fail(built, tmp_path):
    """A copy broken in each way the checks look for: each is reported."""
    web = tmp_path / "web"
    shutil.copytree(built / "build" / "web", web)
    index = web / "index.html"
    html = index.read_text(encoding="utf-8")
    html = html.replace("</main>", '<p class="faint">Faint words.</p>'
                        '<p><a href="nowhere.html">A link to nothing</a> '
                        '<a href="index.html#no-such-id">and to no element</a></p>'
                        '<img src="https://www.example.org/tracker.png" alt="">'
                        '<div class="wide">A wide box.</div></main>', 1)
    index.write_text(html, encoding="utf-8")
    with (web / "web.css").open("a", encoding="utf-8") as css:
        css.write("\n.faint { color: #aaaaaa; background: #ffffff; }\n"
                  ".wide { width: 500px; }\n")
    report = run_browser(web, ["index.html"])
    assert {v["id"] for v in report["axe"]} >= {"color-contrast"}
    assert any("div.wide" in w for o in report["overflow"] for w in o["wide"])
    problems = {(link["href"].rsplit("/", 1)[-1], link["problem"]) for link in report["links"]}
    assert ("nowhere.html", "does not load") in problems
    assert ("index.html#no-such-id", "no element with id no-such-id") in problems
    assert [o["url"] for o in report["outside"]][:1] == ["https://www.example.org/tracker.png"]
