"""`sovang serve`: the preview rebuilds what a save changed, shows errors on the page, keeps the last good pages."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from generator.site.serve import RELOAD_SCRIPT, STATE_PATH
from projects import CONTENT, make_project, subprocess_env

RECORD = "ha-nam/thanh-liem/duong-hoa-quan-su"
TIMEOUT = 120  # seconds; a save is normally on the page in one or two


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def _until(what, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def preview(tmp_path):
    project = make_project(tmp_path / "project")
    (project / "content").mkdir()
    shutil.copy(CONTENT / "taxonomy.yml", project / "content" / "taxonomy.yml")
    for folder in (RECORD, "ha-nam/thanh-liem/hu-gao-tiet-kiem"):
        shutil.copytree(CONTENT / "entries" / folder, project / "content" / "entries" / folder)
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: _get(base + "/") or server.poll() is not None)
        assert server.poll() is None, server.stderr.read()
        time.sleep(0.5)  # the watcher starts before the server answers; let it settle
        yield project, base, server
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _state(base: str) -> dict:
    return json.loads(_get(base + STATE_PATH))


def test_a_save_reaches_the_page_and_an_error_shows_on_it(preview):
    project, base, server = preview
    page = f"{base}/ho-so/duong-hoa-quan-su/"
    first = _get(page)
    assert "trang-thai.json" in first and first.count("<script>(function(){") == 1
    entry = project / "content" / "entries" / RECORD / "entry.yml"
    text = entry.read_text(encoding="utf-8")
    built = _state(base)["built"]
    entry.write_text(text.replace("summary: >-\n", "summary: >-\n  Bản sửa xem thử.\n", 1), encoding="utf-8")
    _until(lambda: "Bản sửa xem thử." in (_get(page) or ""))
    # Two builds reached the page: the saved record's quick page first, then the whole run.
    _until(lambda: _state(base)["built"] >= built + 2)
    assert _state(base) == {"built": built + 2, "errors": []}
    built += 2

    # A mistake: the errors, with file, line and column, in Vietnamese; the last good page stays.
    entry.write_text(text.replace("Thanh Liêm", "Thanh Liem"), encoding="utf-8")
    errors = _until(lambda: _state(base)["errors"])
    assert any("entry.yml:" in e and "Thanh Liêm" in e for e in errors), errors
    assert "Bản sửa xem thử." in _get(page) and _state(base)["built"] == built
    # Fixed again: the errors go, the page follows.
    entry.write_text(text, encoding="utf-8")
    _until(lambda: _state(base)["errors"] == [] and "Bản sửa xem thử." not in (_get(page) or ""))
    # The preview never touches the public site.
    assert not (project / "site").exists()


def test_the_reload_script_writes_errors_as_text_and_asks_only_this_server():
    # Errors quote records: never parsed as HTML. The only request is to the page's own server.
    assert "textContent" in RELOAD_SCRIPT and "innerHTML" not in RELOAD_SCRIPT
    assert "http" not in RELOAD_SCRIPT.replace(STATE_PATH, "")
