"""Preview server: MkDocs' live-reloading server plus a watch on the records.

MkDocs watches the generated Markdown; we watch `content/` and regenerate
it, writing only the pages a change touches, so the browser reloads with
the edited record within a second or two. Validation errors are printed and
the last good pages stay up.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

DEBOUNCE_SECONDS = 0.3  # editors' tools save in bursts (temp file, rename, chmod)


class _Regenerate(FileSystemEventHandler):
    def __init__(self, regenerate: Callable):
        self.regenerate = regenerate
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

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
        stats = self.regenerate()
        if stats is None:
            print("Trang xem thử chưa cập nhật vì hồ sơ còn lỗi.", file=sys.stderr)
        elif stats.written or stats.deleted:
            print(f"Đã cập nhật {len(stats.written) + len(stats.deleted)} trang.", file=sys.stderr)


def serve(content: Path, config: Path, docs: Path, dev_addr: str, regenerate: Callable) -> int:
    """Serve `docs` with MkDocs and call `regenerate` (which writes them again and returns the
    output's sync statistics, or None when the records have errors) whenever `content` changes.
    The caller (the CLI) owns the pipeline, so this stage needs nothing above it."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    observer = Observer()
    observer.schedule(_Regenerate(regenerate), str(content), recursive=True)
    observer.start()
    print(f"Đang chạy trang xem thử tại http://{dev_addr}/ (Ctrl+C để dừng).", file=sys.stderr)
    try:
        mkdocs_serve(config_file=str(config), livereload=True, dev_addr=dev_addr, docs_dir=str(docs))
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()
    return 0
