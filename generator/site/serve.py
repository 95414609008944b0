"""Preview server: the built site, rebuilt incrementally on every save, reloaded in the browser.

MkDocs' own server rebuilds every page on every change (two minutes at 10,000 records). This one
watches `content/`, the configuration and the theme, and calls the caller's `update`, which runs
the pipeline and the incremental build (engine.build) into a preview folder; only the pages a
change touches are written again. Pages are served with a small script that asks the server,
once a second, which build it is on: a new good build reloads the page; a failed one (a record
with an error) leaves the last good pages in place and lays the errors, in Vietnamese, over the
page being previewed, as the terminal prints them. Everything is served from this machine.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEventHandler)
from watchdog.observers import Observer

DEBOUNCE_SECONDS = 0.3  # editors' tools save in bursts (temp file, rename, chmod)
# Writes only. By default inotify also reports every file opened and closed unwritten; each update
# reads the whole roll (30,000 files at 10,000 records with photos), which overflowed the kernel's
# event queue, and the flood of events kept postponing the update itself.
WRITES = [FileModifiedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
          DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
POLL_MS = 1000
STATE_PATH = "/__sovang__/trang-thai.json"

# Inserted before </body> of every HTML page served (never into the built files). The errors are
# set as text, never as HTML: they quote records.
RELOAD_SCRIPT = """<script>(function(){
var seen=null,box=null;
function show(errors){
 if(!box){box=document.createElement('div');box.setAttribute('role','alert');
  box.style.cssText='position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:1000;'+
   'background:#7a1212;color:#fff;font:15px/1.5 system-ui,sans-serif;padding:12px 16px;white-space:pre-wrap;'+
   'overflow-wrap:anywhere';
  document.body.appendChild(box);}
 box.textContent='Trang xem thử chưa cập nhật vì còn lỗi (đang hiện bản dựng tốt gần nhất):\\n\\n'+errors.join('\\n');
}
function poll(){
 fetch('%(state)s',{cache:'no-store'}).then(function(r){return r.json();}).then(function(s){
  if(seen!==null&&s.built!==seen){location.reload();return;}
  seen=s.built;
  if(s.errors.length){show(s.errors);}else if(box){box.remove();box=null;}
 }).catch(function(){}).then(function(){setTimeout(poll,%(poll)d);});
}
poll();
})();</script>""" % {"state": STATE_PATH, "poll": POLL_MS}


@dataclass
class Status:
    """What the pages ask for: the number of the last good build, and the errors of the last try."""
    built: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"built": self.built, "errors": self.errors}, ensure_ascii=False).encode("utf-8")


class _Pages(http.server.SimpleHTTPRequestHandler):
    status: Status

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        if self.path.split("?")[0] == STATE_PATH:
            return self._send(self.status.as_json(), "application/json; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes()
            at = page.rfind(b"</body>")
            page = page[:at] + RELOAD_SCRIPT.encode() + page[at:] if at >= 0 else page + RELOAD_SCRIPT.encode()
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # one English line per request is noise in an editor's terminal


class _Watch(FileSystemEventHandler):
    """Runs `update` once a burst of saves has settled, one update at a time; saves that arrive
    during an update start one more after it."""

    def __init__(self, update: Callable[[], None]):
        self.update = update
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._running = threading.Lock()

    def on_any_event(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        with self._lock:
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._run)
            self._timer.daemon = True
            self._timer.start()

    def _run(self) -> None:
        with self._running:
            self.update()


def serve(site: Path, watched: list[Path], dev_addr: str, update: Callable[[Callable[[], None]], list[str]],
          status: Status | None = None) -> int:
    """Serve the folder `site` at `dev_addr` and call `update` (which rebuilds `site` and returns
    the errors of that try, in Vietnamese, empty when it built) whenever a file in `watched` changes.
    `update` is handed a function to call when it has put a page in place before its end (the
    saved record's quick page): the pages reload then, and again at the end.
    The caller (the CLI) owns the pipeline and has built `site` once, so this stage needs nothing above it."""
    status = status or Status(built=1)

    def shown() -> None:
        with status.lock:
            status.errors = []
            status.built += 1

    def rebuild() -> None:
        errors = update(shown)
        with status.lock:
            status.errors = list(errors)
            if not errors:
                status.built += 1

    observer = Observer()
    handler = _Watch(rebuild)
    for path in watched:
        if path.is_dir():
            observer.schedule(handler, str(path), recursive=True, event_filter=WRITES)
        elif path.is_file():  # a file (mkdocs.yml): watch its folder, not recursively
            observer.schedule(_OneFile(handler, path), str(path.parent), recursive=False, event_filter=WRITES)
    observer.start()
    host, _, port = dev_addr.rpartition(":")
    pages = type("Pages", (_Pages,), {"status": status})
    server = _Server((host or "127.0.0.1", int(port)), partial(pages, directory=str(site)))
    server.daemon_threads = True
    print(f"Đang chạy trang xem thử tại http://{dev_addr}/ (Ctrl+C để dừng).", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        observer.stop()
        observer.join()
    return 0


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser that closed its tab or gave up waiting mid-answer: the standard library would
        # print a Python traceback in the editor's terminal for it. Anything else is a bug: shown.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _OneFile(FileSystemEventHandler):
    def __init__(self, handler: _Watch, path: Path):
        self.handler, self.name = handler, path.name

    def on_any_event(self, event) -> None:
        if Path(getattr(event, "dest_path", "") or event.src_path).name == self.name or Path(event.src_path).name == self.name:
            self.handler.on_any_event(event)
