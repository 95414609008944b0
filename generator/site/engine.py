"""The MkDocs stage: build the generated Markdown into a static site, or serve it.

The generator writes plain Markdown before MkDocs runs and uses no MkDocs
hooks or plugins of its own, so any engine that reads `mkdocs.yml` (MkDocs
with Material today, Zensical tomorrow) can build the same folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # a banner for developers, not for editors

import mkdocs.commands.build as mkdocs_commands  # noqa: E402
from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, ConfigurationError  # noqa: E402

from ..diagnostics import printable  # noqa: E402
from . import links  # noqa: E402
from .output import delete_stale  # noqa: E402


class SiteError(Exception):
    """MkDocs refused the generated pages or the configuration."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _raw_config(config_file: Path) -> dict:
    # Read without MkDocs' validation, which insists the docs folder already exists.
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, encoding="utf-8") as f:
        return yaml_load(f) or {}


def docs_dir(config_file: Path) -> Path:
    """Where the generated Markdown goes: `docs_dir` of mkdocs.yml."""
    return config_file.parent / _raw_config(config_file).get("docs_dir", "docs")


def publisher(config_file: Path):
    """The publisher's identity and settings (site_name, site_url, extra.publisher): publisher.py.
    Raises publisher.SettingsError with a Vietnamese message."""
    from .publisher import settings

    return settings(_raw_config(config_file))


def editing(config_file: Path):
    """The composer's and the edit links' settings (repo_url, extra.content_branch), or None with
    what is missing, in Vietnamese (composer.editing_settings)."""
    from .composer import editing_settings

    return editing_settings(_raw_config(config_file), config_file.resolve().parent)


def source_date_epoch(content: Path, newest: dt.date | None) -> int:
    """The build's date, so that the same commit builds the same bytes anywhere, any day.

    `SOURCE_DATE_EPOCH` when set (reproducible-builds.org); else the time of
    the last commit of the content's repository; else the newest record's date.
    MkDocs dates the sitemap and stamps its gzip copy with it.
    """
    return _in_range(_epoch(content, newest))


def _epoch(content: Path, newest: dt.date | None) -> int:
    if os.environ.get("SOURCE_DATE_EPOCH", "").isascii() and os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=content, capture_output=True, text=True,
                              timeout=30)
        if done.returncode == 0 and done.stdout.strip().isascii() and done.stdout.strip().isdigit():
            return int(done.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        pass
    day = newest or dt.date(2000, 1, 1)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


# gzip stores its date in 32 unsigned bits (until 2106-02-07); a commit's date is whatever
# its author wrote, so a date beyond that is a clear error, not a traceback from gzip.
_LAST_EPOCH = 2**32 - 1


def _in_range(epoch: int) -> int:
    if not 0 <= epoch <= _LAST_EPOCH:
        raise SiteError(f"ngày dựng trang (SOURCE_DATE_EPOCH, ngày của commit cuối hoặc của hồ sơ mới nhất) là "
                        f"{epoch}, ngoài khoảng 01/01/1970–07/02/2106; hãy kiểm tra lại ngày đó")
    return epoch


def engine_of(config_file: Path, chosen: str | None = None) -> str:
    """The engine that builds the HTML: `chosen` (the --engine flag), else `extra.engine` of
    mkdocs.yml, else MkDocs. Raises SiteError, in Vietnamese, for an engine we do not know."""
    from .engines import NAMES

    extra = _raw_config(config_file).get("extra")
    name = chosen or (extra.get("engine") if isinstance(extra, dict) else None) or "mkdocs"
    if name not in NAMES:
        raise SiteError(f"mkdocs.yml, extra.engine: không có công cụ dựng trang '{printable(str(name))}'; "
                        f"hãy chọn một trong: {', '.join(NAMES)}")
    return name


def build(config_file: Path, docs: Path, site: Path, epoch: int | None = None, engine: str = "mkdocs",
          work: Path | None = None, full: bool = False) -> Built:
    """Build `docs` into `site`, rebuilding only what changed since the last build when it can.

    MkDocs builds into a private working folder (`work`, by default beside the docs: build/engine),
    updated in place by its `dirty` mode; the public `site` is then replaced whole by a tree of hard
    links to the working folder's files, with two renames. No file of `site` is ever written:
    before MkDocs runs, every file it is about to write is unlinked from the working folder, so it
    writes a new file and the published link keeps the old bytes (MkDocs truncates the files it
    writes, which would change a hard-linked public copy under a reader's feet). A failed or
    interrupted build leaves `site` as it was. Other engines (engines.py) build a fresh folder.
    """
    if epoch is not None:
        with _environ("SOURCE_DATE_EPOCH", str(epoch)):
            return build(config_file, docs, site, engine=engine, work=work, full=full)
    _recover(site)
    if engine != "mkdocs":
        return _build_other(engine, config_file, docs, site)
    work = work or default_work(docs)
    print_ = fingerprint(config_file)
    state = _read_state(work)
    # The state goes first: a build stopped half-way leaves no promise about the working folder.
    _state_file(work).unlink(missing_ok=True)
    try:
        if not full and state is not None and state.get("fingerprint") == print_ and (work / _SITE).is_dir():
            built = _incremental(config_file, docs, work / _SITE, state)
        else:
            built = _full(config_file, docs, work)
    except BaseException:
        shutil.rmtree(work / (_SITE + ".new"), ignore_errors=True)
        raise
    _write_state(work, {"fingerprint": print_, "theme_outputs": sorted(built.theme_outputs)})
    started = time.perf_counter()
    _publish(work / _SITE, site)
    return replace(built, publish_seconds=time.perf_counter() - started)


@dataclass(frozen=True)
class Built:
    """What a build did: `full` when everything was rebuilt (first build, or a change that reaches
    every page), else the files MkDocs wrote again and the files removed."""
    full: bool
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    theme_outputs: frozenset[str] = frozenset()  # files that come from no docs file (theme, sitemap)
    publish_seconds: float = 0.0


_SITE = "site"  # the working folder's build, inside `work`
_STATE = "state.json"


def default_work(docs: Path) -> Path:
    """The engine's private folder sits beside the generated docs (build/docs → build/engine)."""
    return docs.parent / "engine"


def fingerprint(config_file: Path) -> str:
    """Everything that reaches every page without going through its Markdown: the configuration,
    the theme (Material's version and our overrides), the generator's code and the engine's version.
    When it changes, an incremental build could keep pages that a full build would write
    differently, so the build is full."""
    digest = hashlib.sha256()
    for dist in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=-\n".encode())
    digest.update(config_file.read_bytes())
    theme = _raw_config(config_file).get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    trees = [Path(__file__).resolve().parents[1]] + ([config_file.parent / custom] if isinstance(custom, str) else [])
    for tree in trees:
        for path in sorted(p for p in tree.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(tree).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _read_state(work: Path) -> dict | None:
    try:
        state = json.loads(_state_file(work).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _write_state(work: Path, state: dict) -> None:
    tmp = _state_file(work).with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, _state_file(work))


def _state_file(work: Path) -> Path:
    return work / _STATE


def _full(config_file: Path, docs: Path, work: Path) -> Built:
    """Everything, into a fresh folder that then replaces the working one."""
    work.mkdir(parents=True, exist_ok=True)
    fresh = work / (_SITE + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    cfg = _load(config_file, docs, fresh)
    files, images = _docs_files(cfg)
    # Before the build adds the theme's files to `files`:
    from_docs = {f.dest_uri for f in _included(files)} | set(images)
    _run_mkdocs(cfg, dirty=False, files=files)
    _link_images(docs, fresh, images)
    _raise_broken(links.check(fresh))
    theme_outputs = frozenset(rel for rel in links.site_files(fresh) if rel not in from_docs)
    shutil.rmtree(work / _SITE, ignore_errors=True)
    os.replace(fresh, work / _SITE)
    return Built(full=True, theme_outputs=theme_outputs)


def _incremental(config_file: Path, docs: Path, out: Path, state: dict) -> Built:
    """Only the pages whose Markdown (or the files whose bytes) changed, with MkDocs' `dirty` mode."""
    cfg = _load(config_file, docs, out)
    listed, images = _docs_files(cfg)
    files = _included(listed)
    theme_outputs = frozenset(state.get("theme_outputs", ()))
    # What MkDocs will write: its own test (the docs file is newer than its output), widened to
    # "not older" (file times tick coarser than a fast edit) and, for a file that is copied, to a
    # different size (a linked file keeps its source's older time). The images are linked below.
    written = []
    for f in files:
        src, dest = os.stat(f.abs_src_path), _stat(f.abs_dest_path)
        if (dest is None or src.st_mtime_ns >= dest.st_mtime_ns
                or (not f.is_documentation_page() and src.st_size != dest.st_size)):
            written.append(f.dest_uri)
    always = list(cfg.theme.static_templates) + ["sitemap.xml.gz"]  # 404.html, sitemap.xml: every build
    for rel in written + always:
        with contextlib.suppress(FileNotFoundError):
            (out / rel).unlink()
    # Outputs no docs file produces any more: a deleted or withdrawn record's page and photos.
    removed = delete_stale(out, {f.dest_uri for f in files} | set(images) | theme_outputs)
    _run_mkdocs(cfg, dirty=True, files=listed)
    written += _link_images(docs, out, images)
    # The pages written again are checked against the whole site. An unchanged page has the same
    # Markdown, so the same links; a target it links to can only go with a page the same model
    # change rewrites (a deleted record leaves every list it was on), and a full build checks all.
    pages = [rel for rel in written + always if rel.endswith(".html")]
    _raise_broken(links.check(out, pages=pages))
    return Built(full=False, written=tuple(sorted(written)), removed=tuple(removed), theme_outputs=theme_outputs)


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _docs_files(cfg) -> tuple:
    """The docs folder in two: every file but the images as MkDocs lists them (a `Files`: its
    exclusions, its output paths), for MkDocs to render or copy; and the docs paths of the images
    (photo derivatives, share images), which the build links into its output itself
    (`_link_images`).

    Why not let MkDocs copy the images: at 10,000 records with 2 photos each they are 89,983 of
    the 112,741 docs files. MkDocs makes a `File` of each and matches it against its exclusion
    patterns (get_files: 2.0 s, against 0.5 s for this listing), stats each again in a `dirty`
    build, and in a full build copies every photo's bytes, where a hard link to the generator's
    file gives the same bytes. It does nothing else with them: our pages show images only in raw
    HTML, which MkDocs neither validates nor rewrites (links.py checks those links). Data files
    stay with MkDocs, because pages link to them in Markdown and MkDocs checks those links. The
    images keep MkDocs' default exclusion (dot files, `templates/`) and the configuration's
    `exclude_docs` and `draft_docs`. (MkDocs' rule for a README.md beside an index.md is left
    out: the generator writes no README.md.)"""
    from mkdocs.structure.files import File, Files, _default_exclude, set_exclusions

    root = cfg.docs_dir
    others, images = [], []
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs.sort()
        prefix = "" if folder == root else os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        for name in sorted(names):
            (images if name.lower().endswith(_IMAGES) else others).append(prefix + name)
    listed = [File(rel, root, cfg.site_dir, cfg.use_directory_urls) for rel in others]
    set_exclusions(listed, cfg)
    skipped = [_default_exclude] + [spec for spec in (cfg.get("exclude_docs"), cfg.get("draft_docs")) if spec]
    return Files(listed), [rel for rel in images if not any(spec.match_file(rel) for spec in skipped)]


_IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")  # what the image stage and share cards write


def _link_images(docs: Path, out: Path, images: list[str]) -> list[str]:
    """Put each of the docs' images (`_docs_files`) at the same path in `out` as a hard link
    to the docs' file (a copy, with its times, where links are impossible), unless it is there
    already; returns the paths placed. The generator replaces a docs file by renaming a new one
    over it (output.py), never by writing into it, so the same inode, or the same size and time
    of a copy, is the same bytes; and a file placed here is new, never one the public site
    shares being rewritten."""
    placed, linking = [], True
    root, dest_root = os.fspath(docs), os.fspath(out)
    for rel in images:
        src, dest = os.path.join(root, rel), os.path.join(dest_root, rel)
        have, want = _stat(dest), os.stat(src)
        if have is not None and ((have.st_ino, have.st_dev) == (want.st_ino, want.st_dev)
                                 or (have.st_size, have.st_mtime_ns) == (want.st_size, want.st_mtime_ns)):
            continue
        if have is not None:
            os.unlink(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        linking = _link_or_copy(src, dest, linking)
        placed.append(rel)
    return placed


def _link_or_copy(src: str, dest: str, linking: bool) -> bool:
    """A new file at `dest` with `src`'s bytes: a hard link while `linking`, else a copy with its
    times. Returns whether to go on linking: after one failure (another file system, or no hard
    links there) the rest of a tree is copied without trying again."""
    if linking:
        try:
            os.link(src, dest)
            return True
        except OSError:
            pass
    shutil.copy2(src, dest)
    return False


def _included(files) -> list:
    return [f for f in files if f.inclusion.is_included()]


@contextlib.contextmanager
def _listed(files):
    """Hand MkDocs' build the docs listing made moments before, for the same configuration and an
    untouched docs folder, instead of letting it walk and stat every docs file again: 112,752 files
    at 10,000 records with 2 photos each. The build adds the theme's files to this `Files`."""
    real = mkdocs_commands.get_files
    mkdocs_commands.get_files = lambda config: files
    try:
        yield
    finally:
        mkdocs_commands.get_files = real


def _load(config_file: Path, docs: Path, out: Path, strict: bool = True):
    try:
        return load_config(config_file=str(config_file), docs_dir=str(docs), site_dir=str(out), strict=strict)
    except (Abort, ConfigurationError) as exc:
        raise SiteError(printable(str(exc))) from None


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave stale navigation. Ours cannot (the navigation is in
    mkdocs.yml, whose change makes the build full), and in strict mode the warning would fail it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _run_mkdocs(cfg, dirty: bool, files=None):
    """MkDocs' build of `cfg`. Its warnings are collected, never printed (MkDocs' English is not for
    editors): in a strict configuration they fail the build and become the error; in the quick
    page's (built without the pages it links to) they are dropped, and the whole build that
    follows reports them."""
    collector = _Collect()
    log, build_log = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.commands.build")
    quiet = _NoDirtyWarning()
    build_log.addFilter(quiet)
    log.addHandler(collector)
    old_level = log.level
    log.setLevel(logging.WARNING)  # MkDocs' INFO lines are English noise for editors
    try:
        with _listed(files) if files is not None else contextlib.nullcontext():
            mkdocs_build(cfg, dirty=dirty)
    except (Abort, ConfigurationError) as exc:
        details = "\n".join(printable(m) for m in collector.messages) or printable(str(exc))
        raise SiteError(details) from None
    finally:
        log.removeHandler(collector)
        build_log.removeFilter(quiet)
        log.setLevel(old_level)
    return cfg


def _raise_broken(broken: list) -> None:
    if broken:
        lines = [printable(f"{b.page}: liên kết '{b.href}' hỏng: {b.reason}") for b in broken[:50]]
        more = f"\n… và {len(broken) - 50} liên kết hỏng khác" if len(broken) > 50 else ""
        raise SiteError("Trang dựng ra có liên kết hỏng; trang cũ được giữ nguyên:\n" + "\n".join(lines) + more)


# --- The preview's quick page --------------------------------------------------------------------

_QUICK = "quick"  # inside `work`: the quick pages' Markdown and MkDocs' output for them


def quick(config_file: Path, docs: Path, pages: dict[str, str], files: dict[str, Path], site: Path,
          work: Path | None = None, epoch: int | None = None) -> list[str]:
    """Build just `pages` (docs path → Markdown, as the generator renders them) with MkDocs and put
    their HTML, and the photo and card `files` they show, into `site`: the preview's folder, so a
    saved record is on the page before the whole run ends (docs/scaling.md has the figures). The whole
    incremental build that follows replaces `site` and so checks and corrects everything.

    MkDocs is handed only these pages and the navigation's pages; the navigation's pages are marked
    unmodified, so its `dirty` mode neither reads nor writes them, and every page is drawn with the
    same navigation, configuration and theme as in the whole build (tests/test_serve.py compares
    the bytes). Nothing is written into `docs`, the working folder or the public site: the
    Markdown and MkDocs' output go to `work/quick/`, and each file reaches `site` as a new file
    renamed over the old name (the preview's files are links shared with the working folder)."""
    if epoch is not None:  # the build's date, which MkDocs gives the theme: as in `build`
        with _environ("SOURCE_DATE_EPOCH", str(epoch)):
            return quick(config_file, docs, pages, files, site, work)
    from mkdocs.structure.files import File, Files

    scratch = (work or default_work(docs)) / _QUICK
    quick_docs, quick_site = scratch / "docs", scratch / "site"
    cfg = _load(config_file, docs, quick_site, strict=False)
    cfg.theme.static_templates.clear()  # 404.html and the sitemap: the whole build writes them (0.3 s)
    in_nav = []
    for rel in _nav_pages(cfg["nav"]):
        if (docs / rel).is_file():
            unchanged = File(rel, str(docs), str(quick_site), cfg.use_directory_urls)
            unchanged.is_modified = lambda: False  # drawn in the navigation, never read nor written
            in_nav.append(unchanged)
    built = []
    for rel, text in sorted(pages.items()):
        path = quick_docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        page = File(rel, str(quick_docs), str(quick_site), cfg.use_directory_urls)
        Path(page.abs_dest_path).unlink(missing_ok=True)  # built afresh, whatever the clocks say
        built.append(page)
    try:
        _run_mkdocs(cfg, dirty=True, files=Files(in_nav + built))
        placed = [_place(Path(f.abs_dest_path), site / f.dest_uri) for f in built]
    finally:
        # Only the theme's files stay in the scratch folder (copied once): a record's page, which
        # may be withdrawn next, is kept nowhere but in the preview, which the whole run replaces.
        for f in built:
            for path, root in ((Path(f.abs_src_path), quick_docs), (Path(f.abs_dest_path), quick_site)):
                path.unlink(missing_ok=True)
                _prune_up(path.parent, root)
    placed += [_place(src, site / rel) for rel, src in sorted(files.items()) if not (site / rel).is_file()]
    return [p.relative_to(site).as_posix() for p in placed]


def _prune_up(folder: Path, root: Path) -> None:
    """Remove `folder` and its parents below `root` while they are empty (the folders take the
    record's name too)."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty: another page's, or the theme's
            return
        folder = folder.parent


def _nav_pages(nav) -> list[str]:
    """The Markdown files that mkdocs.yml's `nav` names, at any depth."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") and "://" not in nav else []
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_pages(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_pages(item)]
    return []


def _place(src: Path, dest: Path) -> Path:
    """`src`'s bytes as a new file at `dest`, renamed over the old one: a reader sees either."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.quick")
    tmp.unlink(missing_ok=True)
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)
    return dest


def _build_other(engine: str, config_file: Path, docs: Path, site: Path) -> Built:
    """Another engine (engines.py) builds everything into a fresh folder, checked, then swapped in."""
    from . import engines

    staging = site.with_name(site.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        try:
            engines.build_with(engine, config_file, docs, staging)
        except engines.EngineError as exc:
            raise SiteError(str(exc)) from None
        _raise_broken(links.check(staging))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, site)
    return Built(full=True)


def _publish(out: Path, site: Path) -> None:
    """Replace `site` by a tree of hard links to the working folder's files (copies where the two
    are on different file systems), built beside it and swapped in with two renames."""
    staging = site.with_name(site.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _link_tree(out, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, site)


def _link_tree(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    linking = True
    for folder, dirs, names in os.walk(src):
        rel = os.path.relpath(folder, src)
        here = dest if rel == "." else dest / rel
        for d in dirs:
            (here / d).mkdir()
        for name in names:
            linking = _link_or_copy(os.path.join(folder, name), os.path.join(here, name), linking)


@contextlib.contextmanager
def _environ(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _recover(site: Path) -> None:
    """Finish a swap that was interrupted between its two renames: put the previous site back."""
    old = site.with_name(site.name + ".old")
    if old.is_dir() and not site.exists():
        os.replace(old, site)


def _swap(new: Path, site: Path) -> None:
    # Two renames; a build stopped between them leaves site.old, which _recover puts back.
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.replace(site, old)
    os.replace(new, site)
    shutil.rmtree(old, ignore_errors=True)
