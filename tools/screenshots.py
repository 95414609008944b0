#!/usr/bin/env python3
"""Screenshots of the built sample site for README.md and docs/screenshots/.

Builds the frozen sample roll (tests/fixtures/sample) in a throwaway project, twice: with the
shipped mkdocs.yml ("before": what a publisher gets out of the box) and with an example
publisher block ("after": the settings of README.md's "Dùng cho đơn vị của bạn"). Then it opens
the pages in headless Chromium (Debian's /usr/bin/chromium through Playwright) at a phone's
360×740 and a desktop's 1280×900 and writes:

    docs/screenshots/home-360.png, home-1280.png        the home page's first screen
    docs/screenshots/record-360.png, record-1280.png    a record page's first screen
    docs/screenshots/print-360.png, print-1280.png      a record page in print media (the A4 sheet)
    docs/screenshots/publisher-before.png, publisher-after.png   the home page at 360, shipped vs configured

    .venv/bin/python tools/screenshots.py            # all of them
    .venv/bin/python tools/screenshots.py --out /tmp/shots

Nothing checks that the committed screenshots are current: rerun this after changing the look.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "sample"
RECORD = "/ho-so/duong-hoa-quan-su/"
CHROMIUM = os.environ.get("SOVANG_CHROMIUM", "/usr/bin/chromium")
PHONE, DESKTOP = (360, 740), (1280, 900)

# The "after" publisher: a district Youth Union's roll, every identity setting changed.
EXAMPLE_PUBLISHER = """  publisher:
    name: Ban Thường vụ Huyện đoàn Thanh Liêm
    address: Thị trấn Tân Thanh, huyện Thanh Liêm, tỉnh Hà Nam
    email: sovang@huyendoan-thanhliem.example.vn
    primary_color: "#1d4e89"
    accent_color: "#7a4b00"
    home_title: Sổ vàng tuổi trẻ Thanh Liêm
    home_text: Những tấm gương bình dị mà cao quý của quê hương Thanh Liêm, để cùng học và nhân rộng.
    footer: Ghi rõ nguồn "Sổ vàng tuổi trẻ Thanh Liêm" khi đăng lại.
    featured: [hu-gao-tiet-kiem]
    scope: {province: Hà Nam, district: Thanh Liêm}
"""


def build(project: Path, publisher_block: str | None) -> Path:
    project.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copytree(SAMPLE, project / "content")
    if publisher_block:
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8").replace("\n  publisher:\n", "\n" + publisher_block, 1)
        text = text.replace("# site_url: https://sovang.example.gov.vn/", "site_url: https://sovang.example.gov.vn/", 1)
        config.write_text(re.sub(r"(?m)^site_name: .*$", "site_name: Sổ vàng tuổi trẻ Thanh Liêm", text, count=1),
                          encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH="1764547200")
    subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env, check=True,
                   capture_output=True, text=True)
    return project / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def shoot(browser, base: str, path: str, size: tuple[int, int], out: Path, media: str = "screen",
          full: bool = False) -> None:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, device_scale_factor=1)
    page.emulate_media(media=media)
    page.goto(base + path, wait_until="networkidle")
    page.screenshot(path=str(out), full_page=full)
    page.close()
    print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sovang-shots-") as work:
        before = build(Path(work) / "before", None)
        after = build(Path(work) / "after", EXAMPLE_PUBLISHER)
        servers = [serve(before), serve(after)]
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                (_, shipped), (_, configured) = servers
                for name, size in (("360", PHONE), ("1280", DESKTOP)):
                    shoot(browser, shipped, "/", size, args.out / f"home-{name}.png")
                    shoot(browser, shipped, RECORD, size, args.out / f"record-{name}.png")
                    shoot(browser, configured, RECORD, size, args.out / f"print-{name}.png", media="print", full=True)
                shoot(browser, shipped, "/", PHONE, args.out / "publisher-before.png")
                shoot(browser, configured, "/", PHONE, args.out / "publisher-after.png")
                browser.close()
        finally:
            for server, _ in servers:
                server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
