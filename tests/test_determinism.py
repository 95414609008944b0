"""Same commit, same bytes: builds in different folders, time zones and days give identical sites."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from generator.site.engine import source_date_epoch
from generator.records.validate import validate

from conftest import CONTENT
from projects import make_project, subprocess_env


def build_copy(work: Path, tz: str, epoch: str | None = None) -> Path:
    """`sovang build` of a copy of content/ in a project folder of its own, in a fresh process."""
    # With a site_url the sitemap lists every page with its date, and the feed has absolute links.
    project = make_project(work / "project", content=CONTENT, config_extra="\nsite_url: https://sovang.example.org/\n")
    env = subprocess_env(TZ=tz, PYTHONHASHSEED="random")
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_folders_two_time_zones_same_bytes(tmp_path):
    a = tree(build_copy(tmp_path / "a", "UTC"))
    b = tree(build_copy(tmp_path / "somewhere else" / "b", "Asia/Ho_Chi_Minh"))
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []
    # Outside a git repository the build is dated by the newest record, not by the clock.
    newest = max(r.date for r in validate(CONTENT)[0].records).isoformat()
    assert a["sitemap.xml"].count(f"<lastmod>{newest}</lastmod>".encode()) == a["sitemap.xml"].count(b"<lastmod>") > 60
    assert dt.date.today().isoformat() != newest


def test_build_date_comes_from_the_environment_then_git_then_the_records(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch(tmp_path, None) == 1700000000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date_epoch(tmp_path, dt.date(2023, 5, 4)) == int(dt.datetime(2023, 5, 4, tzinfo=dt.timezone.utc)
                                                                   .timestamp())
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f").write_text("x")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "add", "f"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x", "--date", "@1600000000"], check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": "@1600000000"})
    assert source_date_epoch(tmp_path, dt.date(2023, 5, 4)) == 1600000000
