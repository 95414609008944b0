"""Trust, second pass: each hole found by attacking the built site, as a fixture.

Each test names the defence it covers; each fails with that defence removed
(see SECURITY.md's table). The property tests (test_properties.py) cover the
classes; these pin the reported examples and their nearest variants.
"""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml
from markupsafe import Markup

from generator.site import render
from generator.site.opendata import csv_cell
from generator.site.render import RenderError, check_front_matter, front_matter_text
from generator.records.validate import validate

import imaging
from conftest import PHOTO, VALID_INITIATIVE, VALID_PERSON

SLUG, GROUP = "ban-ghi", "ha-nam/thanh-liem"


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def errors(corpus, text: str, slug: str = SLUG, files: dict | None = None) -> list[tuple[int, int, str]]:
    corpus.add(slug, text, group=GROUP, files=files)
    return [(d.line, d.col, d.message) for d in validate(corpus.root)[1].errors]


def line_of(text: str, needle: str) -> int:
    return textwrap.dedent(text)[: textwrap.dedent(text).index(needle)].count("\n") + 1


# --- 1. Characters that break the front matter, hide text or reorder it -----------------------

ATTACK = "A\\x85[x](javascript:alert(1)) ![i](https://evil.example/p.png)"  # a YAML escape: the C1 control NEL


@pytest.mark.parametrize("escape, code", [
    ("\\x85", "U+0085"), ("\\x80", "U+0080"), ("\\x9f", "U+009F"), ("\\uFFFE", "U+FFFE"), ("\\uFFFF", "U+FFFF"),
    ("\\u202E", "U+202E"), ("\\u2066", "U+2066"), ("\\u2069", "U+2069"), ("\\uE000", "U+E000"),
    ("\\uFDD0", "U+FDD0"), ("\\U0010FFFF", "U+10FFFF"), ("\\u2028", "U+2028"), ("\\u00AD", "U+00AD"),
    ("\\u2060", "U+2060"), ("\\uFEFF", "U+FEFF"), ("\\x1b", "U+001B"), ("\\t", "U+0009"), ("\\n", "U+000A"),
    ("\\U000E0041", "U+E0041"), ("\\U000F0000", "U+F0000"),
])
def test_invisible_and_control_characters_are_refused_in_the_name(corpus, escape, code):
    text = edit(VALID_INITIATIVE, "name: Đường hoa quân sự", f'name: "Đường hoa{escape} quân sự"')
    [(line, col, message)] = errors(corpus, text)
    assert (line, col) == (2, 7) and message.startswith("name: ") and code in message and "ký tự thứ 10" in message


def test_a_surrogate_is_refused_where_it_is_written(corpus):
    # libyaml refuses the escape itself; the character check would refuse the character.
    text = edit(VALID_INITIATIVE, "name: Đường hoa quân sự", 'name: "Đường hoa\\uD800 quân sự"')
    [(line, col, message)] = errors(corpus, text)
    assert (line, col) == (2, 19) and "YAML" in message


def test_the_reported_attack_is_refused(corpus):
    text = edit(VALID_INITIATIVE, "name: Đường hoa quân sự", f'name: "{ATTACK}"')
    [(line, col, message)] = errors(corpus, text)
    assert line == 2 and "U+0085" in message


@pytest.mark.parametrize("key, value", [
    ("summary", '"Tóm tắt\\u202Eđảo"'), ("organization", '"Đơn\\x85vị"'),
    ("story", '"Câu chuyện\\uFFFE"'), ("withdrawn_reason", '"Lý do\\x9b"'),
])
def test_every_text_field_refuses_them(corpus, key, value):
    text = (VALID_INITIATIVE + f"{key}: {value}\n" if key != "summary"
            else re.sub(r"summary: .*", lambda _: f"summary: {value}", VALID_INITIATIVE))
    found = errors(corpus, text)
    assert any(m.startswith(f"{key}: ") and "U+" in m for _, _, m in found), found


def test_nested_text_fields_refuse_them(corpus):
    text = VALID_INITIATIVE + PHOTO.replace("caption: Tuyến đường hoa", 'caption: "Tuyến\\u2067 đường"')
    found = errors(corpus, text, files={"anh-1.jpg": imaging.jpeg((64, 48))})
    assert [m.split(":")[0] for _, _, m in found] == ["photos[1].caption"] and "U+2067" in found[0][2]


def test_line_breaks_and_tabs_stay_allowed_in_stories(corpus):
    text = VALID_INITIATIVE + 'story: "Dòng một\\n\\n\\tDòng hai 👨\\u200d👩\\u200d👧"\n'
    assert errors(corpus, text) == []


@pytest.mark.parametrize("value", ['"\\u3164"', '"\\u2800\\u2800"', '"\\u3164 \\u115F"', '"\\uFFA0"',
                                   '"\\u0301\\u0301"', '"\\u034F"'])
def test_a_name_that_only_looks_blank_is_refused(corpus, value):
    text = edit(VALID_INITIATIVE, "name: Đường hoa quân sự", f"name: {value}")
    [(line, _, message)] = errors(corpus, text)
    assert line == 2 and message.startswith("name: ")


@pytest.mark.parametrize("value", [
    "A\x85[x](javascript:alert(1))", "\ufffe\uffff", "\u2028\u2029", "a\n---\nb", '" # : \\', "\ud800", "---",
    "\U0001F600 Hạnh", "...", "\x00\x1f\x7f", "'single' \"double\"", "a: b", "- x", "\u202e",
])
def test_front_matter_reads_back_whatever_the_text(value):
    # The second defence alone: the model (or a future template) hands the renderer anything.
    scalar = front_matter_text(value)
    block = f"---\ntitle: {scalar}\ndescription: {scalar}\n---\n\n# Body\n"
    check_front_matter("ho-so/x.md", block, [scalar, scalar])
    from mkdocs.utils.meta import get_data
    body, meta = get_data(block)
    assert body.startswith("# Body") and meta["title"] == yaml.safe_load(scalar) and "\n" not in scalar


def test_front_matter_that_does_not_read_back_fails_the_page():
    broken = '---\ntitle: "A\x85[x](javascript:alert(1))"\n---\n\n# A\n'  # what json.dumps used to write
    with pytest.raises(RenderError):
        check_front_matter("ho-so/x.md", broken, ['"A\x85[x](javascript:alert(1))"'])
    with pytest.raises(RenderError):  # one value became two lines
        check_front_matter("ho-so/x.md", "---\ntitle: a\nx: b\nc\n---\n", ["a"])


def test_a_page_whose_front_matter_breaks_is_an_error_not_a_page(corpus, run_cli, project, tmp_path, monkeypatch):
    # Undo the emitter; the read-back check must still stop the build, at the record's file.
    monkeypatch.setattr(render, "front_matter_text", lambda v: Markup('"' + str(v) + '\x85"'))
    corpus.add(SLUG, VALID_INITIATIVE, group=GROUP)
    docs = tmp_path / "docs"
    code, out, err = run_cli("generate", "--content", str(corpus.root), "--docs", str(docs),
                             "--config", str(project / "mkdocs.yml"), cwd=tmp_path)
    assert code == 1 and "Traceback" not in out + err
    assert "front matter" in out and f"{SLUG}/entry.yml:1:1: error: trang " in out
    assert not docs.exists() or not list(docs.rglob("*.md"))


# --- 8. Tracebacks for user mistakes ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    VALID_PERSON + "birth_year: " + "9" * 5000 + "\n",
    VALID_INITIATIVE + "results:\n  - label: Gạo\n    value: " + "9" * 5000 + "\n",
    VALID_INITIATIVE + "results:\n  - label: Gạo\n    value: " + "9" * 400 + ".5\n",  # float() gives inf
])
def test_huge_numbers_are_positioned_errors(corpus, text):
    [(line, col, message)] = errors(corpus, text)
    assert line == text.count("\n") and "5000 chữ số" in message or "chữ số" in message


def test_a_story_link_that_cannot_be_parsed_is_an_error_at_its_place(corpus):
    text = VALID_INITIATIVE + "story: |\n  Xem [trang](//[::1) nhé.\n"
    [(line, col, message)] = errors(corpus, text)
    assert (line, col) == (text.count("\n"), 15) and "//[::1" in message


@pytest.mark.parametrize("target", ["../ho-so/khac/", "javascript:alert(1)", "//[::1", "data:text/html,x", "#muc"])
def test_story_links_only_go_out(corpus, target):
    found = errors(corpus, VALID_INITIATIVE + f"story: 'Xem <a href=\"{target}\">đây</a>'\n")
    assert len(found) == 1 and found[0][2].startswith("story: liên kết")


def test_the_renderer_drops_links_that_got_past_the_check():
    html = render.story_html("[a](//[::1) [b](../x/) [c](https://a.vn/) <a href='javascript:x'>d</a>")
    assert re.findall(r'href="([^"]*)"', html) == ["https://a.vn/"]


def test_a_build_date_beyond_gzip_is_an_error(corpus, run_cli, project, tmp_path, monkeypatch):
    corpus.add(SLUG, VALID_INITIATIVE, group=GROUP)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(2**33))
    site = tmp_path / "site"
    code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site),
                             "--config", str(project / "mkdocs.yml"), cwd=tmp_path)
    assert code == 1 and "Traceback" not in out + err and "2106" in err
    assert not site.exists() and not site.with_name("site.new").exists()


# --- 9. Annotation and log injection --------------------------------------------------------------

INJECTED = 'kind: "initiative\\n::error file=README.md,line=1::Bị chiếm quyền"\n'


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_value_cannot_start_a_new_log_line(corpus, run_cli, fmt):
    corpus.add(SLUG, edit(VALID_INITIATIVE, "kind: initiative\n", INJECTED), group=GROUP)
    code, out, _ = run_cli("validate", "--content", str(corpus.root), "--format", fmt)
    lines = out.splitlines()
    assert code == 1 and lines and all(SLUG in line for line in lines), lines
    assert not any(line.startswith("::error file=README.md") for line in lines)


def test_a_folder_name_cannot_start_a_new_log_line(corpus, run_cli):
    corpus.add("ban-ghi\n::error file=x::y", VALID_INITIATIVE, group=GROUP)
    code, out, _ = run_cli("validate", "--content", str(corpus.root), "--format", "github")
    assert code == 1 and out.count("\n") == len(out.splitlines()) and all(l.startswith("::error file=") for l in out.splitlines())
    assert not any(line.startswith("::error file=x") for line in out.splitlines())


# --- 10. Patterns match the whole value ---------------------------------------------------------

@pytest.mark.parametrize("slug", ["duong-hoa\n", "duong-hoa\n\n"])
def test_a_slug_with_a_trailing_newline_is_refused(corpus, slug):
    found = errors(corpus, VALID_INITIATIVE, slug=slug)
    assert any("tên thư mục hồ sơ" in m for _, _, m in found), found


def test_a_photo_name_with_a_newline_inside_is_refused(corpus):
    text = VALID_INITIATIVE + PHOTO.replace("file: anh-1.jpg", 'file: "anh-1.jpg\\nx"')
    assert errors(corpus, text, files={"anh-1.jpg": imaging.jpeg((64, 48))})


# --- 11. Duplicates that only look different --------------------------------------------------------

@pytest.mark.parametrize("disguise", ["Đường hоa quân sự", "Đường hoa quân ѕự", "ĐƯỜNG HOA QUÂN SỰ"],
                         ids=["cyrillic-o", "cyrillic-dze", "upper-case"])
def test_a_look_alike_name_is_an_exact_duplicate(corpus, disguise):
    corpus.add("duong-hoa", VALID_INITIATIVE, group=GROUP)
    found = errors(corpus, edit(VALID_INITIATIVE, "Đường hoa quân sự", disguise))
    assert any("trùng hoàn toàn" in m and "duong-hoa/entry.yml" in m for _, _, m in found), found


# --- 12. A takedown never waits for the record's own problems ----------------------------------------

WITHDRAWN = "withdrawn: true\nwithdrawn_reason: Người được ghi danh đề nghị gỡ\n"


@pytest.mark.parametrize("problem, files", [
    (PHOTO, None),  # the photo file is missing
    (PHOTO, {"anh-1.jpg": imaging.jpeg((64, 48), gps=True)}),
    ("story: Gọi 0912 345 678 để gặp chị.\n", None),
    ("fields: [khong-co]\n", None),
], ids=["missing-photo", "gps-photo", "phone-number", "unknown-field"])
def test_a_withdrawn_record_with_errors_is_removed(corpus, problem, files):
    base = VALID_INITIATIVE.replace("fields: [quoc-phong]\n", "") if problem.startswith("fields") else VALID_INITIATIVE
    corpus.add(SLUG, base + problem + WITHDRAWN, group=GROUP, files=files)
    model, report = validate(corpus.root)
    assert not report.errors and model.records == () and report.withdrawn == 1
    assert report.warnings and all("không chặn việc gỡ" in w.message for w in report.warnings)


def test_a_withdrawn_record_with_errors_leaves_the_site(corpus, run_cli, project, tmp_path):
    corpus.add(SLUG, VALID_INITIATIVE, group=GROUP)
    corpus.add("khac", VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình khác"), group=GROUP)
    site = tmp_path / "site"
    code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert code == 0, out + err and (site / "ho-so" / SLUG / "index.html").is_file()
    corpus.add(SLUG, VALID_INITIATIVE + "story: Gọi 0912 345 678.\n" + PHOTO + WITHDRAWN, group=GROUP)
    code, out, err = run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert code == 0, out + err
    assert not (site / "ho-so" / SLUG).exists() and (site / "ho-so" / "khac" / "index.html").is_file()


# --- 13. Spreadsheets and checkouts on other systems ----------------------------------------------------

@pytest.mark.parametrize("value", ["\ufeff=HYPERLINK(\"x\")", " =1+1", "\u200b+1", "\u00a0-1", "\ufeff\ufeff@x"])
def test_a_formula_behind_invisible_characters_is_neutralised(value):
    assert csv_cell(value).startswith("'")


def test_ordinary_cells_are_left_alone():
    assert [csv_cell(v) for v in ("Hà Nam", "3.450", "", None)] == ["Hà Nam", "3.450", "", ""]


def test_photo_names_differing_only_in_case_are_refused(corpus):
    photos = PHOTO + PHOTO.replace("photos:\n", "").replace("anh-1.jpg", "ANH-1.JPG")
    files = {"anh-1.jpg": imaging.jpeg((64, 48)), "ANH-1.JPG": imaging.jpeg((64, 48), seed=1)}
    found = errors(corpus, VALID_INITIATIVE + photos, files=files)
    messages = " ".join(m for _, _, m in found)
    assert "chữ hoa, chữ thường" in messages and "photos[2].file" in messages


def test_files_differing_only_in_case_are_refused_even_unlisted(corpus):
    files = {"anh-1.jpg": imaging.jpeg((64, 48)), "Anh-1.jpg": imaging.jpeg((64, 48), seed=1)}
    found = errors(corpus, VALID_INITIATIVE + PHOTO, files=files)
    assert [(line, col) for line, col, _ in found] == [(1, 1)] and "'Anh-1.jpg', 'anh-1.jpg'" in found[0][2]


@pytest.mark.parametrize("name", ["CON.jpg", "nul.png", "Com1.jpg", "lpt9.webp", "aux"])
def test_windows_device_names_are_refused(corpus, name):
    text = VALID_INITIATIVE + PHOTO.replace("anh-1.jpg", name)
    found = errors(corpus, text, files={name: imaging.jpeg((64, 48))})
    assert any("Windows" in m for _, _, m in found), found


@pytest.mark.parametrize("name", ["anh-1.jpg.", "anh-1.", "anh_1-"])
def test_names_windows_would_change_are_refused(corpus, name):
    # Windows drops a trailing dot: the photo would be missing or collide with another there.
    text = VALID_INITIATIVE + PHOTO.replace("anh-1.jpg", name)
    found = errors(corpus, text, files={name: imaging.jpeg((64, 48))})
    assert any(m.startswith("photos[1].file:") and "kết thúc bằng chữ hoặc số" in m for _, _, m in found), found


def test_a_record_folder_named_for_a_device_is_refused(corpus):
    assert any("Windows" in m for _, _, m in errors(corpus, VALID_INITIATIVE, slug="con"))


def test_any_failure_after_staging_leaves_no_half_built_site(corpus, run_cli, project, tmp_path, monkeypatch):
    # The link check once raised on "//[::1" and left site.new behind; whatever raises now,
    # the staging folder goes and the public site stays as it was.
    from generator.site import links
    corpus.add(SLUG, VALID_INITIATIVE, group=GROUP)
    site = tmp_path / "site"
    assert run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)[0] == 0
    before = (site / "index.html").read_bytes()
    monkeypatch.setattr(links, "check", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        run_cli("build", "--content", str(corpus.root), "--site", str(site), cwd=project)
    assert not site.with_name("site.new").exists() and (site / "index.html").read_bytes() == before


def test_no_value_can_open_a_fenced_code_block():
    # A summary "~~~" opened a fence that a "~~~" in the story closed, and the story came back as Markdown.
    assert "~" not in render.md_text("~~~ python") and render.md_text("```") == "\\`\\`\\`"
    html = render.story_html("x\n\n    ~~~\n    [1]: javascript:alert(1)\n\n```\ncode\n```")
    assert "~" not in html and "`" not in html and "&#126;&#126;&#126;" in html


@pytest.mark.parametrize("line", ['withdrawn: "true"', "withdrawn: yes", "withdrawn: có", "withdrawn: True  # gỡ"])
def test_a_takedown_written_loosely_still_takes_the_record_down(corpus, line):
    corpus.add(SLUG, VALID_INITIATIVE + line + "\nwithdrawn_reason: Đề nghị gỡ\n", group=GROUP)
    model, report = validate(corpus.root)
    assert not report.errors and model.records == () and report.withdrawn == 1


def test_an_unreadable_withdrawn_record_still_goes(corpus):
    corpus.add(SLUG, VALID_INITIATIVE + "story: [không đóng\nwithdrawn: true\n", group=GROUP)
    model, report = validate(corpus.root)
    assert not report.errors and report.warnings and model.records == ()


def test_an_oversized_withdrawn_record_still_goes(corpus):
    story = "story: |\n" + ("  " + "a" * 200 + "\n") * 1400
    corpus.add(SLUG, VALID_INITIATIVE + WITHDRAWN + story, group=GROUP)
    model, report = validate(corpus.root)
    assert not report.errors and "quá lớn" in report.warnings[0].message and model.records == ()


def test_a_withdrawn_record_keeps_no_slug(corpus):
    # Its folder name clashes with another record's: the takedown goes, the other record stays.
    corpus.add(SLUG, VALID_INITIATIVE + WITHDRAWN, group=GROUP)
    corpus.add(SLUG, VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình khác"), group="ha-nam/kim-bang")
    model, report = validate(corpus.root)
    assert not report.errors and [r.name for r in model.records] == ["Mô hình khác"]


def test_sibling_folders_differing_only_in_case_are_refused(corpus):
    corpus.add(SLUG, VALID_INITIATIVE, group="ha-nam/thanh-liem")
    corpus.add("khac", VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình khác"), group="Ha-Nam/thanh-liem")
    errors_ = validate(corpus.root)[1].errors
    assert any("chỉ khác nhau ở chữ hoa" in d.message for d in errors_), errors_


@pytest.mark.parametrize("group", ["ha-nam/aux", "ha-nam/thanh-liem.", "com0/thanh-liem"])
def test_folders_windows_cannot_hold_are_refused(corpus, group):
    corpus.add(SLUG, VALID_INITIATIVE, group=group)
    assert any("Windows" in d.message for d in validate(corpus.root)[1].errors)


@pytest.mark.parametrize("name", ["a:b.jpg", "a?.png", "x\n.jpg", "ghi-chu "])
def test_files_windows_cannot_hold_are_refused_even_unlisted(corpus, name):
    found = errors(corpus, VALID_INITIATIVE, files={name: b"x"})
    # A ".jpg" that is no picture is refused as well, as an unlisted photo (rules.unlisted_photos).
    windows = [(line, col) for line, col, message in found if "Windows" in message]
    assert windows == [(1, 1)] and all((line, col) == (1, 1) for line, col, _ in found), found


# --- Variants found by attacking the result (red team, second round) ------------------------------

from generator.records import photofile  # noqa: E402


def _exif_description(text: str) -> bytes:
    from PIL import Image
    exif = Image.Exif()
    exif[0x010E] = text  # ImageDescription, where map-camera apps stamp the place
    return imaging.encode(imaging.picture((64, 48)), "JPEG", exif=exif.tobytes())


@pytest.mark.parametrize("data", [
    _exif_description("Hà Nội, Lat 21.028511° Long 105.804817°, 05/07/2020 08:15"),
    imaging.with_segments(imaging.plain_jpeg(), imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + imaging.xmp(
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:description="21.028511, 105.804817"/>'))),
    imaging.with_segments(imaging.plain_jpeg(), imaging.jpeg_segment(0xE1, imaging.XMP_HEADER + imaging.xmp(
        '<rdf:Description xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#" geo:lat="21.03" geo:long="105.80"/>'))),
    imaging.with_segments(imaging.plain_jpeg(), imaging.jpeg_segment(0xEC, b'{"lat":21.028511,"lng":105.804817}')),
    imaging.with_segments(imaging.plain_jpeg(), imaging.jpeg_segment(0xFE, "21,028511; 105,804817".encode())),
    imaging.with_segments(imaging.plain_jpeg(), imaging.jpeg_segment(0xFE, b"N21.028511 E105.804817")),
    imaging.with_segments(imaging.plain_jpeg(), imaging.jpeg_segment(0xFE, "21°01.710'N 105°48.289'E".encode())),
], ids=["exif-description", "xmp-dc-description", "geo-vocabulary", "app12-json", "decimal-comma",
        "n-e-prefix", "decimal-minutes"])
def test_coordinates_written_as_text_anywhere_are_found_and_stripped(tmp_path, data):
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(data)
    assert photofile.inspect(photo).gps
    assert photofile.strip_gps(photo) and not photofile.inspect(photo).gps


def test_a_jpeg_of_thousands_of_scans_is_refused(tmp_path):
    # Each scan is decoded over the whole picture: 20,000 tiny ones cost a minute of build time.
    from PIL import Image
    im = Image.new("L", (64, 48))
    data = imaging.encode(im, "JPEG", progressive=True)
    sos = data.index(b"\xff\xc4", data.index(b"\xff\xda"))  # a later scan's tables, then its SOS
    scan_end = data.index(b"\xff\xd9")
    bomb = data[:scan_end] + data[sos:scan_end] * 200 + data[scan_end:]
    photo = tmp_path / "anh.jpg"
    photo.write_bytes(bomb)
    with pytest.raises(photofile.PhotoError, match="lượt quét"):
        photofile.inspect(photo)


@pytest.mark.parametrize("story", [
    "Gọi 0912![](https://x.vn/a.png)345678 nhé", "Gọi 0912[](https://x.vn)345678", "[0912](https://x.vn)[345678](https://x.vn)",
    "Gọi 0912<b title='" + "x" * 320 + "'>345678</b>",
], ids=["image", "empty-link", "two-links", "long-attribute"])
def test_personal_data_the_page_shows_whole_is_refused(corpus, story):
    found = errors(corpus, VALID_INITIATIVE + f"story: {yaml.safe_dump(story, allow_unicode=True, width=10**6).strip()}\n")
    assert any(m.startswith("story:") and "số điện thoại" in m for _, _, m in found), found


@pytest.mark.parametrize("link", ["mailto:hanh%40gmail.com", "https://x.vn/%30%39%31%32%33%34%35%36%37%38"])
def test_personal_data_hidden_in_a_story_link_is_refused(corpus, link):
    found = errors(corpus, VALID_INITIATIVE + f"story: 'Xem [đây]({link})'\n")
    assert any(m.startswith("story: liên kết") and "chứa" in m for _, _, m in found), found


def test_unassigned_invisible_code_points_are_refused(corpus):
    for escape in ("\\u2065", "\\uFFF0", "\\U000E0002"):
        text = edit(VALID_INITIATIVE, "name: Đường hoa quân sự", f'name: "Đường hoa{escape} quân sự"')
        found = errors(corpus, text)
        assert found and "U+" in found[0][2], escape


def test_an_eth_for_a_dje_is_still_a_duplicate(corpus):
    corpus.add("dang-van-duc", VALID_INITIATIVE.replace("Đường hoa quân sự", "Đặng Văn Đức"), group=GROUP)
    found = errors(corpus, VALID_INITIATIVE.replace("Đường hoa quân sự", "Ðặng Văn Ðức"))
    assert any("trùng hoàn toàn" in m for _, _, m in found), found


@pytest.mark.parametrize("length, says", [(120, "tối đa 80"), (249, "dài hơn 160")])
def test_a_long_folder_name_is_an_error_not_a_traceback(corpus, length, says):
    # 249 characters passed validation, then the build died on "File name too long".
    found = errors(corpus, VALID_INITIATIVE, slug="a" * length)
    assert any(says in m for _, _, m in found), found


def test_a_symlinked_taxonomy_is_refused(corpus, tmp_path):
    real = tmp_path / "real.yml"
    (corpus.root / "taxonomy.yml").rename(real)
    (corpus.root / "taxonomy.yml").symlink_to(real)
    corpus.add(SLUG, VALID_INITIATIVE, group=GROUP)
    assert any("symlink" in d.message for d in validate(corpus.root)[1].errors)


def _person(extra: str, given_by: str = "self") -> str:
    return (edit(VALID_PERSON, "adult: true\n", "").replace("given_by: self", f"given_by: {given_by}")
            + extra)


@pytest.mark.parametrize("text, says", [
    (_person("birth_year: 2000\n").replace("  given_by: self", "  given_by: self\n  date: 2010-01-01"), "ngày đồng ý"),
    (_person("birth_year: 2000\n").replace("  given_by: self", "  given_by: self\n  date: 1990-01-01"), "trước năm sinh"),
    (_person("birth_year: 1980\n").replace("  given_by: self", "  given_by: self\n  date: 2099-01-01"), "chưa tới"),
], ids=["child-consenting-for-self", "before-birth", "future-consent"])
def test_the_consent_date_is_checked_too(corpus, text, says):
    found = errors(corpus, text)
    assert any(m.startswith("consent.date:") and says in m for _, _, m in found), found


def test_an_unlisted_photo_with_gps_is_refused(corpus):
    found = errors(corpus, VALID_INITIATIVE, files={"chua-liet-ke.jpg": imaging.jpeg((64, 48), gps=True)})
    assert [(line, col) for line, col, _ in found] == [(1, 1)] and "chua-liet-ke.jpg" in found[0][2] and "GPS" in found[0][2]


def test_strip_gps_finds_photos_by_content_not_name(corpus, run_cli):
    path = corpus.add(SLUG, VALID_INITIATIVE + PHOTO.replace("anh-1.jpg", "anh-1.jfif"), group=GROUP,
                      files={"anh-1.jfif": imaging.jpeg((64, 48), gps=True)})
    assert errors(corpus, path.read_text(encoding="utf-8"))
    code, out, _ = run_cli("photos", "--strip-gps", "--content", str(corpus.root))
    assert code == 0 and "anh-1.jfif" in out
    assert validate(corpus.root)[1].errors == []


def test_personal_data_in_the_taxonomy_is_refused(corpus):
    taxonomy = corpus.root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "  lien-he:\n    name: Liên hệ\n"
                        "    description: Gọi chị Hạnh 0912 345 678\n", encoding="utf-8")
    corpus.add(SLUG, VALID_INITIATIVE, group=GROUP)
    found = [d for d in validate(corpus.root)[1].errors if d.path.name == "taxonomy.yml"]
    assert found and found[0].message.startswith("fields.lien-he.description:")


@pytest.mark.parametrize("written", ["0912,345,678", "0912 - 345 - 678", "0912 . 345 . 678", "0912;345;678",
                                     "0912|345|678", "0912•345•678", "CCCD 001,234,567,890"])
def test_numbers_with_other_separators_are_found(corpus, written):
    found = errors(corpus, VALID_INITIATIVE + f"story: 'Liên hệ {written}.'\n")
    assert any(m.startswith("story:") for _, _, m in found), found


@pytest.mark.parametrize("written", ["số 03, 05, 07, 09, 11, 13", "năm 2019, 2020, 2021", "lúc 08:30; 09:45"])
def test_lists_of_small_numbers_are_not_phone_numbers(corpus, written):
    assert errors(corpus, VALID_INITIATIVE + f"story: 'Các buổi {written}.'\n") == []


@pytest.mark.parametrize("kind", ["collective", "initiative"])
def test_a_child_recorded_as_a_collective_is_refused(corpus, kind):
    text = edit(VALID_INITIATIVE, "kind: initiative", f"kind: {kind}").replace("Đường hoa quân sự", "Em Lê Minh An")
    found = errors(corpus, text)
    assert any(m.startswith("name:") and "kind: person" in m for _, _, m in found), found


@pytest.mark.parametrize("name", ["Em yêu khoa học", "Chi đoàn thôn 3", "Bé khoẻ bé ngoan"])
def test_programme_names_are_not_people(corpus, name):
    assert errors(corpus, VALID_INITIATIVE.replace("Đường hoa quân sự", name)) == []


def test_a_doubled_mark_makes_no_new_name(corpus):
    corpus.add("hanh", VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình Hạnh"), group=GROUP)
    found = errors(corpus, VALID_INITIATIVE.replace("Đường hoa quân sự", "Mô hình Hạ\u0323nh"))
    assert any("trùng hoàn toàn" in m for _, _, m in found), found


@pytest.mark.parametrize("name", ["aux.txt", "a:b", "trail.", "COM\u00b9.jpg", "CONOUT$.txt"])
def test_files_outside_record_folders_are_checked_too(corpus, name):
    corpus.add(SLUG, VALID_INITIATIVE, group=GROUP)
    (corpus.root / "entries" / "ha-nam" / name).write_bytes(b"x")
    assert any("Windows" in d.message for d in validate(corpus.root)[1].errors)
