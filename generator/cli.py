"""`sovang`: the command editors and publishers run. Everything it prints is Vietnamese.

Exit codes: 0 done (warnings allowed), 1 problems in the content or the build,
2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from .diagnostics import JSON_FORMAT_VERSION, Report, display_path, printable
from .records.schema import KINDS, REFORM_TEXT

USAGE_ERROR, CONTENT_ERROR, OK = 2, 1, 0

_ARGPARSE_VI = [
    (r"the following arguments are required: (.*)", r"thiếu tham số bắt buộc: \1"),
    (r"unrecognized arguments: (.*)", r"tham số không hợp lệ: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"\1: lựa chọn không hợp lệ \2 (chọn một trong: \3)"),
    (r"argument (\S+): expected one argument", r"\1: cần một giá trị đi kèm"),
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's messages are English; editors read Vietnamese
        for pattern, repl in _ARGPARSE_VI:
            message = re.sub(pattern, repl, message)
        self.exit(USAGE_ERROR, f"sovang: lỗi cách dùng: {message}\nXem hướng dẫn: sovang --help\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="sovang", description="Sổ vàng người tốt, việc tốt: kiểm tra hồ sơ và dựng trang web.")
    sub = p.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    sub.required = True

    def common(sp):
        sp.add_argument("--content", type=Path, default=Path("content"), metavar="THƯ_MỤC",
                        help="thư mục nội dung (mặc định: content)")

    def config(sp):
        sp.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="TỆP",
                        help="tệp cấu hình MkDocs (mặc định: mkdocs.yml)")

    v = sub.add_parser("validate", help="kiểm tra toàn bộ hồ sơ, báo lỗi kèm dòng và cột")
    common(v)
    v.add_argument("--format", choices=("text", "github", "json", "summary"), default="text",
                   help="cách in lỗi: text (mặc định), github (chú thích trên pull request), json (cho công cụ khác), "
                        "summary (bản tóm tắt Markdown từng hồ sơ đã đổi, cho trang Summary; cần --changed)")
    v.add_argument("--changed", metavar="NHÁNH_GỐC",
                   help="chỉ kiểm tra các hồ sơ đã đổi so với nhánh gốc (ví dụ origin/main), kèm các kiểm tra chéo")
    c = sub.add_parser("changes", help="cho biết pull request có sửa mã hay chỉ sửa hồ sơ và ảnh (in code=true|false)")
    c.add_argument("--base", required=True, metavar="NHÁNH_GỐC", help="nhánh gốc để so sánh, ví dụ origin/main")
    g = sub.add_parser("generate", help="kiểm tra rồi viết các trang Markdown (chưa dựng HTML)")
    common(g), config(g)
    g.add_argument("--docs", type=Path, metavar="THƯ_MỤC", help="nơi ghi Markdown (mặc định: docs_dir trong mkdocs.yml)")
    b = sub.add_parser("build", help="kiểm tra, viết Markdown và dựng trang web vào site/")
    common(b), config(b)
    b.add_argument("--site", type=Path, default=Path("site"), metavar="THƯ_MỤC", help="nơi ghi trang web (mặc định: site)")
    b.add_argument("--engine", default=None, metavar="CÔNG_CỤ",
                   help="công cụ dựng HTML: mkdocs (mặc định), properdocs hoặc zensical; "
                        "mặc định lấy từ extra.engine trong mkdocs.yml")
    b.add_argument("--full", action="store_true",
                   help="dựng lại toàn bộ thay vì chỉ các trang đã đổi (kết quả giống hệt nhau, chỉ chậm hơn)")
    s = sub.add_parser("serve", help="xem thử trang web, tự cập nhật khi hồ sơ thay đổi")
    common(s), config(s)
    s.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="ĐỊA_CHỈ", help="địa chỉ máy chủ xem thử")
    sub.add_parser("reference", help="in ra bảng mô tả định dạng hồ sơ (nội dung của content/README.md)")
    n = sub.add_parser("new", help="tạo thư mục hồ sơ mới với tệp entry.yml điền sẵn (hỏi từng mục nếu thiếu)")
    n.add_argument("kind", nargs="?", choices=KINDS, metavar="LOẠI",
                   help="person (cá nhân), collective (tập thể) hoặc initiative (mô hình); bỏ trống thì hỏi")
    common(n)
    for flag, what in (("--name", "họ tên hoặc tên tập thể, mô hình"), ("--summary", "tóm tắt một đoạn"),
                       ("--date", "ngày ghi danh YYYY-MM-DD (mặc định: hôm nay)"), ("--province", "tỉnh/thành phố"),
                       ("--district", f"huyện/quận (trước {REFORM_TEXT})"), ("--commune", "xã/phường"),
                       ("--fields", "các khoá lĩnh vực, cách nhau bằng dấu phẩy"),
                       ("--consent", "với cá nhân: những gì người đó đồng ý công bố, ví dụ name,photo,story")):
        n.add_argument(flag, default="", metavar="GIÁ_TRỊ", help=what)
    n.add_argument("--guardian", action="store_true", help="người giám hộ đồng ý thay (người dưới 16 tuổi)")
    n.add_argument("--birth-year", type=int, default=None, metavar="NĂM", help="với cá nhân: năm sinh")
    n.add_argument("--adult", action="store_true",
                   help="với cá nhân không rõ năm sinh: chắc chắn đã đủ 16 tuổi (ví dụ đang giữ chức vụ)")
    d = sub.add_parser("demo", help="tạo bộ hồ sơ mẫu ngẫu nhiên (có định trước) để đo hiệu năng")
    d.add_argument("--records", type=int, default=1000, metavar="SỐ", help="số hồ sơ (mặc định 1000)")
    d.add_argument("--seed", type=int, default=1, metavar="SỐ", help="hạt giống ngẫu nhiên (mặc định 1)")
    d.add_argument("--out", type=Path, required=True, metavar="THƯ_MỤC", help="thư mục nội dung sẽ tạo (bị ghi đè)")
    d.add_argument("--photos-per-record", default="0", metavar="SỐ",
                   help="số ảnh mẫu (JPEG 1200×800) tạo cho mỗi hồ sơ, từ 0 đến 20 (mặc định 0: không có ảnh)")
    sub.add_parser("schema", help="in ra JSON Schema của hồ sơ (nội dung của schema/entry.schema.json)")
    ph = sub.add_parser("photos", help="xử lý ảnh gốc trong thư mục hồ sơ")
    common(ph)
    ph.add_argument("--strip-gps", action="store_true", required=True,
                    help="xoá toạ độ GPS (vị trí chụp) khỏi ảnh gốc, giữ nguyên chất lượng ảnh")
    ph.add_argument("files", nargs="*", type=Path, metavar="TỆP",
                    help="chỉ xử lý các tệp này (mặc định: mọi ảnh trong content/entries)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "content", None) is not None and not args.content.is_dir():
        print(f"sovang: không tìm thấy thư mục nội dung '{args.content}'", file=sys.stderr)
        return USAGE_ERROR
    if getattr(args, "config", None) is not None and not args.config.is_file():
        print(f"sovang: không tìm thấy tệp cấu hình '{args.config}'", file=sys.stderr)
        return USAGE_ERROR
    commands = {"validate": _validate, "generate": _generate, "build": _build, "serve": _serve,
                "reference": _reference, "photos": _photos, "schema": _schema, "new": _new,
                "demo": _demo, "changes": _changes}
    if args.command in _WRITERS:
        return _holding_build_folder(args, commands[args.command])
    return commands[args.command](args)


# The commands that write the build folder (its docs, caches, working folder and preview). Two of
# them at once on one project would rename files from under each other: a preview left running
# in another terminal and a `sovang build` raced on build/docs and one stopped with a traceback.
_WRITERS = ("generate", "build", "serve")
_LOCK = ".sovang.lock"  # in the build folder: gone with it, never published


def _holding_build_folder(args, command) -> int:
    """Run `command` holding an exclusive lock on the project's build folder, or refuse at once,
    in Vietnamese, when another sovang process holds it. The system releases the lock when the
    process ends, however it ends, so a killed preview leaves nothing to clean up. Where file
    locks do not exist (Windows), commands run unlocked, as before."""
    try:
        import fcntl
    except ImportError:
        return command(args)
    folder = _docs_for(args).parent
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / _LOCK, "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"sovang: một lệnh sovang khác (build, generate hoặc serve) đang dùng thư mục "
                  f"'{display_path(folder)}' của dự án này. Hãy đợi lệnh đó chạy xong, hoặc dừng trang "
                  "xem thử đang chạy (Ctrl+C trong cửa sổ của nó), rồi chạy lại.", file=sys.stderr)
            return USAGE_ERROR
        return command(args)


def print_report(report: Report, fmt: str = "text") -> None:
    items = report.sorted()
    if fmt == "json":
        print(json.dumps({"version": JSON_FORMAT_VERSION, "checked": report.checked, "errors": len(report.errors),
                          "warnings": len(report.warnings), "diagnostics": [d.as_dict() for d in items]},
                         ensure_ascii=False, indent=2))
    for d in items if fmt not in ("json", "summary") else ():  # the summary writes its own (prsummary.py)
        print(d.github() if fmt == "github" else d.format())
    errors, warnings = len(report.errors), len(report.warnings)
    if errors or warnings:
        print(f"Đã kiểm tra {report.checked} hồ sơ{_withdrawn(report)}: {errors} lỗi, {warnings} cảnh báo.", file=sys.stderr)
    else:
        print(f"Đã kiểm tra {report.checked} hồ sơ{_withdrawn(report)}: không có lỗi.", file=sys.stderr)


def _withdrawn(report: Report) -> str:
    return f" (trong đó {report.withdrawn} hồ sơ đã gỡ, không xuất bản)" if report.withdrawn else ""


def _validate(args) -> int:
    from .core.changes import ChangesError
    from .records.loader import changed_records
    from .records.validate import validate

    if args.format == "summary" and not args.changed:
        print("sovang: --format summary cần --changed NHÁNH_GỐC (ví dụ origin/main)", file=sys.stderr)
        return USAGE_ERROR
    only = None
    if args.changed:
        try:
            only = changed_records(args.content, args.changed)
        except ChangesError as exc:
            print(f"sovang: {exc}", file=sys.stderr)
            return USAGE_ERROR
        if only is not None:
            print(f"Kiểm tra {len(only)} hồ sơ đã đổi so với {args.changed}.", file=sys.stderr)
    corpus, report = validate(args.content, only)
    if args.format == "summary":
        from .records.prsummary import pr_summary

        sys.stdout.write(pr_summary(args.content, args.changed, only, corpus, report))
    print_report(report, args.format)
    return CONTENT_ERROR if report.errors else OK


def _changes(args) -> int:
    from .core.changes import ChangesError, changed_names, code_changed

    try:
        names = changed_names(Path.cwd(), args.base)
    except ChangesError as exc:
        print(f"sovang: {exc}", file=sys.stderr)
        return USAGE_ERROR
    code = code_changed(names)
    # stdout is one `key=value` line for $GITHUB_OUTPUT; the reason goes to the log.
    print(f"code={'true' if code else 'false'}")
    if code:
        print(f"Pull request sửa {len(names)} tệp, có tệp ngoài content/entries/: chạy cả bộ kiểm thử.", file=sys.stderr)
    else:
        print(f"Pull request chỉ sửa hồ sơ và ảnh ({len(names)} tệp trong content/entries/): "
              "không cần chạy bộ kiểm thử của lập trình viên.", file=sys.stderr)
    return OK


def _docs_for(args) -> Path:
    from .site.engine import docs_dir

    return getattr(args, "docs", None) or docs_dir(args.config)


def _run_generate(args, docs: Path):
    """The pipeline's result, or None after printing why nothing was generated."""
    from .pipeline import generate
    from .site.engine import editing, publisher
    from .site.publisher import EMAIL_MISSING, SITE_URL_MISSING, SettingsError, colours_ok

    config = getattr(args, "config", None)
    try:
        site = publisher(config) if config else None
    except SettingsError as exc:
        print(f"sovang: {exc}", file=sys.stderr)
        return None
    if site is not None:
        for warning in (([] if site.site_url else [SITE_URL_MISSING]) + ([] if site.email else [EMAIL_MISSING])
                        + colours_ok(site)):
            print(warning, file=sys.stderr)
    result = generate(args.content, docs, progress=True, editing=editing(config) if config else (None, ""),
                      publisher=site)
    print_report(result.report)
    if result.stats is None:
        print("Chưa dựng trang vì hồ sơ còn lỗi; hãy sửa các lỗi ở trên rồi chạy lại.", file=sys.stderr)
        return None
    published = {r.slug for r in result.corpus.records}
    for slug in (site.featured if site else ()):
        if slug not in published:  # withdrawn or renamed: the home page falls back, the publisher should know
            print(f"Cảnh báo: mkdocs.yml, extra.publisher.featured: không có hồ sơ '{printable(slug)}' đang công bố "
                  "(có thể đã gỡ hoặc đổi tên thư mục); trang chủ bỏ qua hồ sơ này.", file=sys.stderr)
    st = result.stats
    print(f"Đã viết {len(st.written)} tệp (trang Markdown và ảnh), giữ nguyên {st.unchanged}, xoá {len(st.deleted)} "
          f"tệp cũ; xử lý {result.images_processed} ảnh mới.", file=sys.stderr)
    return result


def _generate(args) -> int:
    return OK if _run_generate(args, _docs_for(args)) is not None else CONTENT_ERROR


def _build(args) -> int:
    from .site.engine import SiteError, build, engine_of, source_date_epoch

    started = time.perf_counter()
    docs = _docs_for(args)
    result = _run_generate(args, docs)
    if result is None:
        return CONTENT_ERROR
    newest = result.corpus.newest  # the first day of the newest record's date: a year or a month has no day of its own
    del result  # MkDocs keeps every page in memory until it ends; the model need not stay beside them
    try:
        built = build(args.config, docs, args.site, epoch=source_date_epoch(args.content, newest),
                      engine=engine_of(args.config, args.engine), full=args.full)
    except SiteError as exc:
        print(f"Dựng trang thất bại:\n{exc}", file=sys.stderr)
        return CONTENT_ERROR
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    where = f"{display_path(args.site.resolve())}/"
    if built.full:
        pages = sum(1 for _ in args.site.rglob("*.html"))
        print(f"Đã dựng {pages} trang HTML vào {where} trong {seconds} giây.", file=sys.stderr)
    else:
        print(f"Đã dựng lại {len(built.written)} tệp đã đổi, xoá {len(built.removed)} tệp cũ, vào {where} "
              f"trong {seconds} giây.", file=sys.stderr)
    return OK


# A save that changed at most this many records (and added or removed none) gets their pages on
# the preview first, before the whole run: an editor saving one record sees it in about a second.
QUICK_RECORDS = 3


def _saved_records(before, after) -> list[str]:
    """The slugs of the records that differ between two validated rolls, when the quick pages can
    show the change: a few records edited, none added or removed (which reaches every list)."""
    if before is None:
        return []
    old = {r.slug: r for r in before.records}
    if old.keys() != {r.slug for r in after.records}:
        return []
    # The preview holds its memos, so an unchanged record is the very object of the last run.
    changed = [r.slug for r in after.records if old[r.slug] is not r and old[r.slug] != r]
    return changed if len(changed) <= QUICK_RECORDS else []


def _serve(args) -> int:
    from .pipeline import check, generate, quick_pages
    from .site.engine import SiteError, build, default_work, editing, publisher, quick, source_date_epoch
    from .site.publisher import SettingsError
    from .site.serve import serve

    from .core import memo

    memo.hold_in_memory()  # each save's run takes the last run's memos without unpickling them
    docs = _docs_for(args)
    preview = docs.parent / "preview"  # never the public site/: a preview may hold unreviewed records
    result = _run_generate(args, docs)
    if result is None:
        return CONTENT_ERROR
    last = {"run": result}  # the last run that built: which records a save changed, their photos
    def engine_build(newest) -> list[str]:
        try:
            built = build(args.config, docs, preview, epoch=source_date_epoch(args.content, newest),
                          work=default_work(docs))
        except SiteError as exc:
            return [f"Dựng trang thất bại: {line}" for line in str(exc).splitlines()]
        if not built.full:
            print(f"Đã cập nhật {len(built.written)} tệp, xoá {len(built.removed)} tệp cũ.", file=sys.stderr)
        return []

    first = engine_build(result.corpus.newest)
    if first:
        print("\n".join(first), file=sys.stderr)
        return CONTENT_ERROR

    def show_quickly(corpus, fresh, settings, shown, started) -> None:
        # The saved records' own pages first; the whole run then rewrites every page they reach.
        slugs = _saved_records(last["run"].corpus, corpus)
        if not slugs:
            return
        try:
            made = quick_pages(corpus, slugs, last["run"], docs, editing=settings, publisher=fresh)
            if made is None:
                return  # a photo it cannot read: the whole run reports it, at its line
            quick(args.config, docs, made.pages, made.files, preview, work=default_work(docs),
                  epoch=source_date_epoch(args.content, corpus.newest))
        except Exception as exc:  # noqa: BLE001 (the quick page is a head start: the whole run follows and reports)
            print(f"Chưa hiện nhanh được trang của hồ sơ vừa lưu ({printable(type(exc).__name__)}); "
                  "đang dựng lại toàn bộ.", file=sys.stderr)
            return
        shown()
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        print(f"Trang của hồ sơ vừa lưu đã hiện sau {seconds} giây; đang dựng lại các trang liên quan…",
              file=sys.stderr)

    def update(shown) -> list[str]:
        # The same settings as the first run, so a saved record does not lose its edit link.
        try:
            fresh = publisher(args.config)
        except SettingsError as exc:
            print(f"sovang: {exc}", file=sys.stderr)
            return [str(exc)]
        started = time.perf_counter()
        settings = editing(args.config)
        checked = check(args.content, docs)
        if not checked[1].errors:
            show_quickly(checked[0], fresh, settings, shown, started)
        result = generate(args.content, docs, editing=settings, publisher=fresh, checked=checked)
        print_report(result.report)
        if result.stats is None:
            print("Trang xem thử chưa cập nhật vì hồ sơ còn lỗi.", file=sys.stderr)
            return [d.format() for d in result.report.sorted() if d in result.report.errors]
        last["run"] = result
        errors = engine_build(result.corpus.newest)
        if errors:
            print("\n".join(errors), file=sys.stderr)
        else:
            seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
            print(f"Trang xem thử đã cập nhật sau {seconds} giây.", file=sys.stderr)
        return errors

    theme = args.config.parent / "theme"
    return serve(preview, [args.content, args.config, theme], args.dev_addr, update)


def _reference(args) -> int:
    from .records.reference import record_format_markdown

    sys.stdout.write(record_format_markdown())
    return OK


def _new(args) -> int:
    from .records import scaffold

    answers = scaffold.Answers(
        args.kind or "", args.name.strip(), args.summary.strip(), args.date.strip(), args.province.strip(),
        args.district.strip(), args.commune.strip(), [f.strip() for f in args.fields.split(",") if f.strip()],
        [c.strip() for c in args.consent.split(",") if c.strip()], args.guardian, args.birth_year, args.adult)
    try:
        if sys.stdin.isatty():
            path, report = scaffold.Session(args.content, answers).run()
        elif missing := scaffold.missing(answers):
            print(f"sovang: thiếu {', '.join(missing)}", file=sys.stderr)
            return USAGE_ERROR
        else:
            path, report = scaffold.create(args.content, answers)
    except (scaffold.Stopped, KeyboardInterrupt):  # Ctrl-D or Ctrl-C: the answers go, nothing was written
        print("\nsovang: đã dừng; chưa tạo hồ sơ nào.", file=sys.stderr)
        return USAGE_ERROR
    except scaffold.Refused as exc:
        for finding in exc.findings:
            print(finding.diagnostic.format(), file=sys.stderr)
        hint = f" Hãy sửa: {'; '.join(exc.flags)}." if exc.flags else ""
        if "--consent" in exc.flags:
            hint += (" Với --consent: ghi name (và photo, story nếu người đó đồng ý) sau khi đã hỏi ý kiến "
                     "người được ghi danh, ví dụ --consent name,story.")
        print(f"sovang: chưa tạo hồ sơ vì còn lỗi.{hint}", file=sys.stderr)
        return CONTENT_ERROR
    print(f"Đã tạo {display_path(path)}")
    print_report(report)
    return CONTENT_ERROR if report.errors else OK


def _demo(args) -> int:
    from .records.demo import check_photo_count, write

    try:
        photos = check_photo_count(args.photos_per_record)
    except ValueError as exc:
        print(f"sovang: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if args.out.exists() and any(args.out.iterdir()) and not (args.out / "entries").is_dir():
        print(f"sovang: '{args.out}' không trống và không phải thư mục nội dung; chọn thư mục khác", file=sys.stderr)
        return USAGE_ERROR
    count = write(args.out, args.records, args.seed, photos=photos)
    with_photos = f", mỗi hồ sơ {photos} ảnh" if photos else ""
    print(f"Đã tạo {count} hồ sơ mẫu{with_photos} trong {display_path(args.out)}/.", file=sys.stderr)
    return OK


def _schema(args) -> int:
    from .records.jsonschema import dumps

    sys.stdout.write(dumps())
    return OK


def _is_photo(path: Path) -> bool:
    from .records import photofile

    try:
        with open(path, "rb") as f:
            return photofile.sniff(f.read(16)) is not None
    except OSError:
        return False


def _photos(args) -> int:
    from .records import photofile
    from .records.loader import entries_dir

    # Photos are recognised by their content, as the validator does: an "anh.jfif" or a file with
    # no extension is still a JPEG that the validator asks to strip.
    files = args.files or sorted(p for p in entries_dir(args.content).rglob("*")
                                 if p.is_file() and not p.is_symlink() and _is_photo(p))
    changed = failed = 0
    for path in files:
        try:
            if photofile.strip_gps(path):
                changed += 1
                print(f"{display_path(path)}: đã xoá toạ độ GPS")
        except photofile.PhotoError as exc:
            failed += 1
            print(f"{display_path(path)}: lỗi: {exc}", file=sys.stderr)
        except FileNotFoundError:
            failed += 1
            print(f"{display_path(path)}: lỗi: không tìm thấy tệp", file=sys.stderr)
        except OSError as exc:
            failed += 1
            print(f"{display_path(path)}: lỗi: không đọc/ghi được tệp ({exc.strerror})", file=sys.stderr)
    print(f"Đã kiểm tra {len(files)} ảnh: xoá toạ độ GPS ở {changed} ảnh, {failed} ảnh không xử lý được.", file=sys.stderr)
    return CONTENT_ERROR if failed else OK
