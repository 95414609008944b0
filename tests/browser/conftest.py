"""Browser fixtures: the real site (built once per session), served on 127.0.0.1, opened in headless Chromium.

Chromium is Debian's (/usr/bin/chromium, or $SOVANG_CHROMIUM), driven by the
Playwright Python package; Playwright's own browser downloads are never used.
Without a browser the tests are skipped, unless SOVANG_REQUIRE_BROWSER=1 (CI),
where a missing browser fails the run.

Helpers for the tests in this folder are importable as `browser_conftest`
(`from browser_conftest import third_party_requests`): the name `conftest`
belongs to tests/conftest.py, see `pytest_plugin_registered` below.
"""

from __future__ import annotations

import functools
import gzip as _gzip
import http.server
import os
import sys
import threading
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest

from projects import build_project, make_project

HERE = Path(__file__).resolve()

CHROMIUM = os.environ.get("SOVANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fail fast instead of Playwright's 30 s default when a selector is wrong.
TIMEOUT_MS = 15_000
BUILD_TIMEOUT_S = 900

# Let the tests in this folder import the helpers below under a name of their own.
sys.modules.setdefault("browser_conftest", sys.modules[__name__])


def pytest_plugin_registered(plugin, manager):
    """Give the module name `conftest` back to tests/conftest.py.

    pytest imports every conftest.py that is not inside a package under the
    module name `conftest` and replaces the previous one in sys.modules. The
    tests in tests/ do `from conftest import ...`, and tests/browser sorts
    before them, so without this they would import this file instead.
    The swap cannot happen while this module is imported (pytest then checks
    sys.modules["conftest"] is this file), hence this hook, which pytest calls
    right after registering this module.
    """
    if getattr(plugin, "__file__", None) is None or Path(plugin.__file__).resolve() != HERE:
        return
    wanted = HERE.parent.parent / "conftest.py"
    for other in manager.get_plugins():
        other_file = getattr(other, "__file__", None)
        if other_file and Path(other_file).resolve() == wanted:
            sys.modules["conftest"] = other
            return
    if sys.modules.get("conftest") is plugin:  # no tests/conftest.py: do not shadow one found later
        del sys.modules["conftest"]


# --------------------------------------------------------------------------- building


def _build(content: Path, work: Path) -> Path:
    """Run `sovang build` for `content` in a private copy of the project; return the site folder.

    The docs folder comes from mkdocs.yml (`build/docs`, relative to the
    configuration file), so building with the repository's own mkdocs.yml
    would write into the checkout's build/ folder and race with other builds.
    A throwaway project in `work` (tests/projects.py: copies of mkdocs.yml and
    theme/) keeps docs, cache and site in `work`. The CLI runs as a subprocess
    so MkDocs' global state and logging stay out of the test process.
    """
    project = make_project(work / "project")
    site = work / "site"
    build_project(project, "--content", str(content), "--config", str(project / "mkdocs.yml"), "--site", str(site),
                  timeout=BUILD_TIMEOUT_S)
    if not (site / "index.html").is_file():
        pytest.fail(f"sovang build of {content} wrote no {site / 'index.html'}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def build_site(tmp_path_factory):
    """Factory `build_site(content_dir) -> Path`: build a content folder into a new site folder.

    Each call builds from scratch in its own temporary project (nothing is cached).
    """

    def build(content_dir) -> Path:
        return _build(Path(content_dir).resolve(), tmp_path_factory.mktemp("browser-build"))

    return build


@pytest.fixture(scope="session")
def built_site(real_site) -> Path:
    """The real content/ built once per session (tests/conftest.py: `real_site`); the site folder. Read only."""
    return real_site


# --------------------------------------------------------------------------- serving


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types the site relies on, and no log lines."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".css": "text/css",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".xml": "application/xml",
        ".svg": "image/svg+xml",
        ".webp": "image/webp",
        ".avif": "image/avif",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".ico": "image/x-icon",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
        ".webmanifest": "application/manifest+json",
        ".txt": "text/plain; charset=utf-8",
    }

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def copyfile(self, source, outputfile):
        try:
            super().copyfile(source, outputfile)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser cancelled the request (a lazy image scrolled past, a closed page)


@pytest.fixture(scope="session")
def serve():
    """Factory `serve(site_dir) -> base_url`: serve a folder on 127.0.0.1 on a free port.

    `base_url` has no trailing slash (`http://127.0.0.1:PORT`), so tests write
    `base_url + "/ho-so/slug/"`. Serving the same folder twice reuses its
    server. Every server runs in a daemon thread and stops at session end.
    """
    servers: dict[Path, tuple[http.server.ThreadingHTTPServer, threading.Thread, str]] = {}

    def start(site_dir) -> str:
        folder = Path(site_dir).resolve()
        if folder in servers:
            return servers[folder][2]
        if not folder.is_dir():
            raise FileNotFoundError(f"no site folder to serve: {folder}")
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name=f"serve {folder.name}", daemon=True)
        thread.start()
        base_url = f"http://127.0.0.1:{server.server_address[1]}"
        servers[folder] = (server, thread, base_url)
        return base_url

    yield start
    for server, thread, _ in servers.values():
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_url(serve, built_site) -> str:
    """Base URL (no trailing slash) of the real site, served for the whole session."""
    return serve(built_site)


# --------------------------------------------------------------------------- browser


def _no_browser(reason: str):
    """Skip, or fail when CI says a browser must be there."""
    if os.environ.get("SOVANG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (SOVANG_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, launched through Playwright once per session."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _no_browser(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SOVANG_CHROMIUM)")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except PlaywrightError as exc:
        playwright.stop()
        _no_browser(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield chromium
    chromium.close()
    playwright.stop()


class ConsoleError(NamedTuple):
    """A console.error message or an uncaught exception; `url` is the script or resource it is about."""

    url: str
    text: str

    def __str__(self) -> str:
        return f"{self.text} [{self.url or 'page'}]"


class NetworkRecorder:
    """Everything one browser context asked for, and what its pages logged.

    Listens on the context, not the page, so requests made by workers
    (Material's search worker fetches search_index.json) are seen too.

    - `urls`: every request URL, in order (also `page.sv_requests`);
    - `console_errors`: ConsoleError for console messages of type "error" and
      uncaught page errors (`watch(page)` hooks a page up; the fixtures do);
    - `failed`: "URL (reason)" for requests that got no response at all;
    - `bad_responses`: "STATUS URL" for responses with status 400 or more;
    - `weights()` / `transfer_bytes()`: bytes received, see there.
    """

    def __init__(self, context):
        self.urls: list[str] = []
        self.console_errors: list[ConsoleError] = []
        self.failed: list[str] = []
        self.bad_responses: list[str] = []
        self._finished = []
        # Playwright cannot wrap builtin methods such as list.append: use lambdas.
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("requestfinished", lambda request: self._finished.append(request))
        context.on("requestfailed", lambda request: self.failed.append(f"{request.url} ({request.failure})"))
        context.on("response", lambda response: response.status >= 400 and self.bad_responses.append(
            f"{response.status} {response.url}"))

    def watch(self, page) -> None:
        """Collect console errors and uncaught exceptions of `page`."""
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(
            ConsoleError(message.location.get("url", ""), message.text)))
        page.on("pageerror", lambda error: self.console_errors.append(
            ConsoleError(page.url, f"uncaught {error.name}: {error.message}\n{error.stack or ''}".rstrip())))

    def weights(self, gzip: bool = False) -> dict[str, int]:
        """Bytes received per finished request URL: response headers + body (summed if requested twice).

        Headers: `Request.sizes()["responseHeadersSize"]`, the raw header
        bytes Chromium read. Body: the length of `Response.body()`, i.e. the
        decoded body. The test server sends no Content-Encoding, so this is
        also what travelled; in production a gzip/brotli server sends less.
        Chromium's own `responseBodySize` is not used for the body because it
        reads 0 for a worker's script (Material's search worker), which would
        undercount. A response that is a cache hit still counts in full: the
        figure is the weight of a first visit, which is what a budget is for
        (every `page` fixture starts with an empty cache anyway). Redirects
        and other bodiless responses count their headers only.
        Only requests finished so far count: measure after
        `page.wait_for_load_state("networkidle")`.

        `gzip=True` counts text bodies (HTML, CSS, JS, JSON, XML, SVG) at
        their gzip size (level 6), as a production server such as GitHub
        Pages sends them; images are already compressed and count as they are.
        """
        weights: dict[str, int] = {}
        for request in self._finished:
            size = 0
            try:
                sizes = request.sizes()
            except Exception:  # noqa: BLE001 - the driver no longer knows the request
                sizes = {}
            size += max(sizes.get("responseHeadersSize", 0), 0)
            response = request.response()
            try:
                body = response.body() if response is not None else b""
                size += len(_gzip.compress(body, 6)) if gzip and _compressible(response) else len(body)
            except Exception:  # noqa: BLE001 - redirects and the like have no body
                size += max(sizes.get("responseBodySize", 0), 0)
            weights[request.url] = weights.get(request.url, 0) + size
        return weights

    def transfer_bytes(self, gzip: bool = False) -> int:
        """Total bytes received so far (see `weights`)."""
        return sum(self.weights(gzip).values())

    def reset(self) -> None:
        """Forget what was recorded, e.g. to measure only what a click loads."""
        self.urls.clear()
        self.console_errors.clear()
        self.failed.clear()
        self.bad_responses.clear()
        self._finished.clear()


_TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


def _compressible(response) -> bool:
    return response.headers.get("content-type", "").startswith(_TEXT_TYPES)


def recorder_of(page_or_recorder) -> NetworkRecorder:
    return page_or_recorder if isinstance(page_or_recorder, NetworkRecorder) else page_or_recorder.sv_recorder


def transfer_bytes(page_or_recorder, gzip: bool = False) -> int:
    """Bytes transferred so far for a `page` fixture (or its recorder); see NetworkRecorder.transfer_bytes."""
    return recorder_of(page_or_recorder).transfer_bytes(gzip)


def third_party_requests(recorder, base_url: str) -> list[str]:
    """Requested URLs whose host is not the test server's host (127.0.0.1).

    `recorder` is a NetworkRecorder, a `page` fixture or a list of URLs.
    data:, blob: and about: URLs never leave the browser and are ignored.
    """
    urls = recorder if isinstance(recorder, (list, tuple)) else recorder_of(recorder).urls
    local = urlsplit(base_url).hostname
    outside = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "chrome-extension"):
            continue
        if parts.hostname != local:
            outside.append(url)
    return outside


# The phone the site is designed for first.
PHONE = dict(
    viewport={"width": 360, "height": 740},
    device_scale_factor=2,
    is_mobile=True,
    has_touch=True,
    locale="vi-VN",
)


@pytest.fixture
def make_page(browser):
    """Factory `make_page(**context_options) -> Page`: a page in a fresh, recorded context.

    Options are Browser.new_context() keywords and override the phone defaults
    (PHONE), e.g. `make_page(viewport={"width": 1280, "height": 800},
    is_mobile=False, has_touch=False)` for a desktop. Each page gets
    `page.sv_recorder` (its NetworkRecorder) and `page.sv_requests` (the list
    of requested URLs). All contexts are closed after the test.
    """
    contexts = []

    def make(**context_options):
        context = browser.new_context(**{**PHONE, **context_options})
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        recorder = NetworkRecorder(context)
        new_page = context.new_page()
        recorder.watch(new_page)
        new_page.sv_recorder = recorder
        new_page.sv_requests = recorder.urls
        return new_page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    """A phone-sized page (360×740 CSS px at 2×, mobile, touch, vi-VN) in a fresh context.

    `page.sv_recorder` is its NetworkRecorder and `page.sv_requests` the list
    of requested URLs. The context is closed after the test.
    """
    return make_page()


@pytest.fixture
def network(page) -> NetworkRecorder:
    """The NetworkRecorder of the `page` fixture."""
    return page.sv_recorder
