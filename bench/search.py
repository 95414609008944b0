"""Benchmark: what a citizen's first search costs, our syllable index against Material's search.

Not a test (timings are noisy); it prints figures. In one run it:

1. makes a synthetic corpus (`sovang demo --records N`);
2. builds it with `sovang build`: MkDocs without a search plugin, with the
   syllable index the generator writes into `tim/` (the site we ship);
3. builds the same generated Markdown with Material's own search plugin
   (`plugins: [search: {lang: vi}]`), the alternative we measured against;
4. serves both from one local server that gzips text as a static host does,
   counting the bytes it sends;
5. in headless Chromium (Debian's), for each site and each query, opens a
   fresh page, runs the query the way a citizen would, and reports the
   bytes sent for everything from the page to the first result, and the
   time from navigation to the first result; once on an unthrottled
   connection and once as a mid-range phone on slow 4G (Lighthouse's
   profile: 150 ms, 1.6 Mbit/s, CPU 4× slower).

Ours: the finder page `tra-cuu/?q=…` (the home page's search form goes
there). Material: the home page, typing into its search box.

(Pagefind 1.5, measured the same way before we chose: 261 KB for one word,
476–494 KB for four, as it fetches one 50–80 KB chunk per word.)

    .venv/bin/python bench/search.py [--records 10000] [--keep DIR [--measure-only]]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SOVANG_CHROMIUM", "/usr/bin/chromium")
QUERIES = ("Hạnh", "hanh", "nguyen thi hanh", "hu gao tiet kiem")
SLOW_4G = {"latency": 150, "download": 1.6e6 / 8, "upload": 750e3 / 8, "cpu": 4}
TIMEOUT_MS = 240_000
NO_RESULT_GRACE_MS = 8_000
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt"}


# --- Building -----------------------------------------------------------------------

def run(command: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def build_both(work: Path, records: int) -> tuple[Path, Path]:
    project = work / "project"  # reused with --keep: its build cache makes a second run faster
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.rmtree(project / "theme", ignore_errors=True)
    shutil.copytree(ROOT / "theme", project / "theme")
    py = sys.executable
    t = run([py, "-m", "generator", "demo", "--records", str(records), "--out", str(work / "content")], project)
    print(f"corpus: {records:,} records in {t:.1f} s")
    ours = work / "site-sovang"
    t = run([py, "-m", "generator", "build", "--content", str(work / "content"), "--config", "mkdocs.yml",
             "--site", str(ours)], project)
    print(f"build with our index (whole `sovang build`, share images included): {t:.1f} s")

    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "plugins: []" in config, "mkdocs.yml no longer says `plugins: []`; update the benchmark"
    (project / "mkdocs-material-search.yml").write_text(
        config.replace("plugins: []", "plugins:\n  - search:\n      lang: vi"), encoding="utf-8")
    theirs = work / "site-material"
    docs = project / "build" / "docs"
    t = run([py, "-c", "import sys; from pathlib import Path; from generator.site import build; "
             "build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))",
             "mkdocs-material-search.yml", str(docs), str(theirs)], project)
    print(f"build with Material search (MkDocs only, same Markdown): {t:.1f} s")
    return ours, theirs


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- Serving, with a byte count ------------------------------------------------------------

class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent.append((path, size))

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            sent, self.sent = self.sent, []
        return sent


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the type compresses and the browser accepts it (as hosts do)."""

    counter: Counter
    gz_cache: dict
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".mjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm",
                      ".webp": "image/webp", ".html": "text/html; charset=utf-8"}

    def log_message(self, format, *args):  # noqa: A002
        pass

    def do_GET(self):  # noqa: N802 - the base class's name
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().do_GET()
            path = path / "index.html"
        if not path.is_file():
            return super().do_GET()
        body = path.read_bytes()
        encoding = None
        if path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            if path not in self.gz_cache:
                self.gz_cache[path] = gzip.compress(body, 6, mtime=0)
            body, encoding = self.gz_cache[path], "gzip"
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return
        self.counter.add(unquote(urlsplit(self.path).path), len(body))


def serve(folder: Path, counter: Counter) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = type("H", (Handler,), {"counter": counter, "gz_cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


# --- Measuring ----------------------------------------------------------------------

def open_page(browser, throttle: dict | None):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": throttle["latency"],
                                                      "downloadThroughput": throttle["download"],
                                                      "uploadThroughput": throttle["upload"]})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle["cpu"]})
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def first_search_ours(page, base: str, query: str) -> int:
    page.goto(f"{base}/tra-cuu/?q={quote(query)}", wait_until="commit")
    page.wait_for_function("() => { const s = document.getElementById('sv-finder-status');"
                           " return s && /^(Tìm thấy|Không tìm thấy)/.test(s.textContent) &&"
                           " (s.textContent.startsWith('Không') ||"
                           "  document.querySelector('#sv-finder-results li') !== null); }")
    status = page.locator("#sv-finder-status").inner_text()
    return 0 if status.startswith("Không") else int(status.split()[2].replace(".", ""))


def first_search_material(page, base: str, query: str) -> int:
    page.goto(f"{base}/", wait_until="commit")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    # Material says "Không tìm thấy" for a moment between building its index and
    # answering, so "no result" is only believed once it has lasted a few seconds.
    page.wait_for_function("() => !/Initializing|Đang/.test("
                           "document.querySelector('.md-search-result__meta')?.textContent || 'Initializing')")
    try:
        page.wait_for_selector(".md-search-result__list > li", timeout=NO_RESULT_GRACE_MS)
    except PlaywrightTimeout:
        return 0
    meta = page.locator(".md-search-result__meta").inner_text()  # "182 tài liệu liên quan"
    return int("".join(c for c in meta.split()[0] if c.isdigit()) or 0)


def measure(browser, base: str, counter: Counter, search, query: str, throttle: dict | None) -> dict:
    context, page = open_page(browser, throttle)
    counter.take()
    start = time.perf_counter()
    found = search(page, base, query)
    # With no result there is no "first result": report when the answer was final.
    elapsed = time.perf_counter() - start - (NO_RESULT_GRACE_MS / 1000 if not found and search is
                                             first_search_material else 0)
    sent = counter.take()
    context.close()
    search_bytes = sum(n for p, n in sent if p.startswith(("/tim/", "/search/")) or p.endswith("sovang-finder.js"))
    return {"seconds": elapsed, "bytes": sum(n for _, n in sent), "search_bytes": search_bytes,
            "requests": len(sent), "found": found}


def report(rows: list[tuple[str, str, str, dict]]) -> None:
    print(f"\n{'engine':<10} {'network':<8} {'query':<18} {'results':>7} {'first result':>12} "
          f"{'all bytes':>11} {'search bytes':>12} {'requests':>8}")
    for engine, network, query, r in rows:
        when = f"{r['seconds']:>10.2f} s" if r["found"] else f"{'(none) ' + format(r['seconds'], '.1f'):>10} s"
        print(f"{engine:<10} {network:<8} {query:<18} {r['found']:>7} {when} "
              f"{r['bytes'] / 1024:>8.0f} KB {r['search_bytes'] / 1024:>9.0f} KB {r['requests']:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temporary folder)")
    parser.add_argument("--measure-only", action="store_true", help="with --keep: measure the sites built there before")
    args = parser.parse_args()
    if args.measure_only and not args.keep:
        parser.error("--measure-only needs --keep DIR")
    from playwright.sync_api import sync_playwright

    work = args.keep or Path(tempfile.mkdtemp(prefix="sovang-bench-search-"))
    try:
        if args.measure_only:
            ours, theirs = work / "site-sovang", work / "site-material"
        else:
            ours, theirs = build_both(work, args.records)
        print(f"our index: {folder_size(ours / 'tim') / 1e6:.1f} MB in "
              f"{sum(1 for _ in (ours / 'tim').rglob('*'))} files; "
              f"Material search_index.json: {(theirs / 'search' / 'search_index.json').stat().st_size / 1e6:.1f} MB")
        counter = Counter()
        base_ours, server_ours = serve(ours, counter)
        base_theirs, server_theirs = serve(theirs, counter)
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for network, throttle in (("local", None), ("slow 4G", SLOW_4G)):
                for query in QUERIES:
                    rows.append(("Sổ vàng", network, query,
                                 measure(browser, base_ours, counter, first_search_ours, query, throttle)))
                    rows.append(("Material", network, query,
                                 measure(browser, base_theirs, counter, first_search_material, query, throttle)))
            browser.close()
        server_ours.shutdown()
        server_theirs.shutdown()
        report(rows)
        print("\nsearch bytes: our index (tim/…) and finder script, or Material's (search/…: index and worker);"
              "\nall bytes: everything the page loaded until the first result, HTML, CSS and JS included;"
              "\n(none) t: no result; t is when the empty answer was shown.")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
