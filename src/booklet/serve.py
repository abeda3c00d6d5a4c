"""`booklet watch --serve`: build/ on this computer's own address, pages reloading on
every rebuild, so the editor sees the web edition change as they save.

The web edition in build/web/ has no script and must keep none (it is put on the
union's website as it is). So the reload is added here, on the way out, to each HTML
page this server sends: a few lines that listen to /.booklet/rebuilt (server-sent
events) and reload the page when the build there is newer than the page. The files in
build/ are never changed.

Only this computer can connect (127.0.0.1), and a request that names another host is
refused, so a web page elsewhere cannot read the booklet through the browser (DNS
rebinding). Nothing outside build/ is served.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

EVENTS = "/.booklet/rebuilt"
RELOAD = (
    "<script>/* added by booklet watch --serve; not in build/ */"
    "(function(){var seen=null;var s=new EventSource('" + EVENTS + "');"
    "s.onmessage=function(e){if(seen!==null&&e.data!==seen){location.reload();}"
    "seen=e.data;};})();</script>"
).encode()


class Rebuilds:
    """The number of good builds so far, and a way to wait for the next one."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = threading.Condition()
        self.closing = False

    def bump(self) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()

    def wait_after(self, count: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.count != count or self.closing, timeout)
            return self.count

    def close(self) -> None:
        with self._changed:
            self.closing = True
            self._changed.notify_all()


class _Handler(http.server.SimpleHTTPRequestHandler):
    rebuilds: Rebuilds
    hosts: frozenset[str]

    def log_message(self, format, *args):  # noqa: A002 - the editor's terminal shows builds
        pass

    def _host_allowed(self) -> bool:
        if (self.headers.get("Host") or "") in self.hosts:
            return True
        self.send_error(403, "this server answers only http://127.0.0.1 on this computer")
        return False

    def do_HEAD(self):
        if self._host_allowed():
            super().do_HEAD()

    def do_GET(self):
        if not self._host_allowed():
            return
        if self.path.split("?")[0] == EVENTS:
            return self._events()
        path = Path(self.translate_path(self.path))  # within build/: ".." is dropped
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._page(path)
        super().do_GET()

    def _page(self, path: Path) -> None:
        body = path.read_bytes()
        at = body.rfind(b"</body>")
        body = body[:at] + RELOAD + body[at:] if at >= 0 else body + RELOAD
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        count = self.rebuilds.count
        try:
            while not self.rebuilds.closing:
                self.wfile.write(f"data: {count}\n\n".encode())
                self.wfile.flush()
                count = self.rebuilds.wait_after(count, timeout=15)  # then a keep-alive
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a reload shows the new build
        super().end_headers()


def start(build: Path, port: int) -> tuple[http.server.ThreadingHTTPServer, Rebuilds]:
    """Serve `build` on 127.0.0.1:port (0: any free port) in a background thread."""
    rebuilds = Rebuilds()
    build.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Handler, directory=str(build))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    bound = server.server_address[1]
    _Handler.rebuilds = rebuilds
    _Handler.hosts = frozenset({f"127.0.0.1:{bound}", f"localhost:{bound}"})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, rebuilds
