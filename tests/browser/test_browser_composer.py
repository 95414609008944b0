"""The composer ("Soạn hồ sơ", soan/) in headless Chromium: a record written in the form leaves the
phone as a zip that the real validator accepts, with photos that carry no metadata.

The site is the shipped content built once for the module, in a throwaway project whose
mkdocs.yml sets `repo_url` and `extra.content_branch` (the prefilled GitHub link needs both).
Every exported zip is unpacked into a fresh project (the real taxonomy, no other record) and
checked by `generator.records.validate.validate`, in-process; its photos are read back with
generator/records/photofile.py (the server's own check) and Pillow, and their pixels compared
with the originals'. Messages the page shows are compared with what the validator says.

`pytest -s` prints the first load's transfer, file by file.
"""

from __future__ import annotations

import gzip
import io
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from browser_conftest import third_party_requests
from PIL import Image

import imaging
from generator.records import photofile
from generator.records import schema as s
from generator.records.validate import validate
from generator.site.composer import MESSAGES
from projects import CONTENT, build_project, make_project

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
REPO = "https://github.com/tinh-doan/so-vang"
CONFIG = f"\nrepo_url: {REPO}\nextra:\n  content_branch: main\n"
NO_ERRORS = "Không có lỗi: hồ sơ sẵn sàng để xuất."
FIRST_LOAD_BUDGET = 150 * 1024  # bytes, gzip-compressed as a production server sends text
DEBOUNCE_MS = 150  # sovang-composer.js changed(): refresh() runs this long after the last input (see SETTLE)
PHONE_STORY = "Liên hệ 0912 345 678 để biết thêm."


@pytest.fixture(scope="module")
def composer_url(browser, tmp_path_factory, serve) -> str:
    """The composer page of the real content, built with the GitHub settings; its URL (…/soan/)."""
    project = make_project(tmp_path_factory.mktemp("composer-site") / "project", content=CONTENT, config_extra=CONFIG)
    with open(project / "content" / "taxonomy.yml", "a", encoding="utf-8") as f:  # so its checkboxes are drawn
        f.write("programmes:\n  chi-thi-05:\n    name: Chỉ thị 05-CT/TW\n")
    build_project(project)
    assert (project / "site" / "soan" / "index.html").is_file()
    return serve(project / "site") + "/soan/"


# --------------------------------------------------------------------------- driving the form

def open_composer(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#sv-composer[data-ready='1']", state="attached")


def set_date(page, iso: str, name: str = "date") -> None:
    page.fill(f'[name="{name}"]', iso)
    page.dispatch_event(f'[name="{name}"]', "change")


def pick(page, name: str, value: str | None = None, index: int | None = None) -> str:
    """Choose an option of a place select once the province's (or district's) JSON has filled it."""
    select = f'select[name="{name}"]'
    wanted = f'{select} option[value="{value}"]' if value is not None else f"{select} option:nth-child({index + 1})"
    page.wait_for_selector(wanted, state="attached")
    chosen = page.select_option(select, value=value) if value is not None else page.select_option(select, index=index)
    return chosen[0]


def check(page, name: str, value: str) -> None:
    page.check(f'input[name="{name}"][value="{value}"]')


def text_of(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => el.textContent")


def output(page) -> tuple[str, str]:
    """(folder path, entry.yml) as the page shows them."""
    return text_of(page, '[data-sovang-output="path"]'), text_of(page, '[data-sovang-output="entry.yml"]')


def errors_shown(page) -> list[str]:
    return page.eval_on_selector_all("[data-sovang-errors] li", "els => els.map(e => e.textContent)")


# Resolves once the error list has been rewritten and stayed so for a moment (refresh() rewrites it
# every time it runs, DEBOUNCE_MS after the last input), or after 400 ms if nothing was pending.
SETTLE = """() => new Promise((resolve) => {
  const box = document.querySelector('[data-sovang-errors]');
  const finish = () => { observer.disconnect(); resolve(); };
  let quiet = setTimeout(finish, 400);
  const observer = new MutationObserver(() => { clearTimeout(quiet); quiet = setTimeout(finish, 80); });
  observer.observe(box, {childList: true, subtree: true, characterData: true});
})"""


def settle(page) -> None:
    """Let the debounced check of the last change run."""
    page.evaluate(SETTLE)


def wait_valid(page) -> None:
    """Wait until the last change has been checked and the page says the record can be exported."""
    settle(page)
    try:
        page.wait_for_function("""(ok) => document.querySelector('[data-sovang-errors]').textContent.trim() === ok
            && document.querySelector('[data-sovang-output="path"]').textContent.startsWith('content/entries/')""",
                               arg=NO_ERRORS, timeout=10_000)
    except Exception:  # noqa: BLE001 - show what the page says instead
        pytest.fail(f"the composer does not accept the record: {text_of(page, '[data-sovang-errors]')!r}", pytrace=False)


def export_zip(page) -> tuple[str, bytes]:
    """Click the zip button; (suggested file name, bytes)."""
    with page.expect_download(timeout=10_000) as info:
        page.click('button[data-action="zip"]')
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def fill_person(page) -> None:
    """A 13-year-old (born 2009, listed 2022), pre-2025 place, guardian's consent."""
    check(page, "kind", "person")
    page.fill('[name="name"]', "Trần Minh Khôi")
    page.fill('[name="summary"]', "Học sinh lớp 8 đã cứu một bạn nhỏ bị đuối nước ở sông Đáy.")
    set_date(page, "2022-05-10")
    pick(page, "place.province", "Hà Nam")
    pick(page, "place.district", "Thanh Liêm")
    pick(page, "place.commune", index=1)
    page.check('input[name="fields"] >> nth=0')
    page.fill('[name="organization"]', "Trường THCS Thanh Hà")
    page.fill('[name="birth_year"]', "2009")
    check(page, "consent.name", "true")
    check(page, "consent.story", "true")
    check(page, "consent.given_by", "self")


def fill_collective(page) -> str:
    """A post-2025 collective (province → commune, no district); returns the commune chosen."""
    check(page, "kind", "collective")
    page.fill('[name="name"]', "Chi đoàn Thanh niên thôn Đồng Tâm")
    page.fill('[name="summary"]', "Chi đoàn dẫn đầu phong trào làm đường giao thông nông thôn năm 2025.")
    set_date(page, "2025-09-02")
    pick(page, "place.province", "Hà Nội")
    commune = pick(page, "place.commune", index=3)
    page.check('input[name="fields"] >> nth=1')
    page.fill('[name="organization"]', "Đoàn Thanh niên xã")
    return commune


def fill_initiative(page, photos: list[Path]) -> None:
    """An initiative with two results and `photos`; place pre-2025, in another province."""
    check(page, "kind", "initiative")
    page.fill('[name="name"]', "Mô hình Thắp sáng đường quê")
    page.fill('[name="summary"]', "Lắp 120 bóng đèn năng lượng mặt trời trên các tuyến đường liên thôn.")
    set_date(page, "2023-03-26")
    pick(page, "place.province", "Ninh Bình")
    pick(page, "place.district", index=2)
    page.check('input[name="fields"] >> nth=0')
    page.fill('[name="story"]', "Đoàn viên góp công, bà con góp tiền.\n\nSau một năm, **mười hai** tuyến đường đã sáng đèn.")
    for i, (label, value, unit) in enumerate([("Bóng đèn đã lắp", "120", "bóng"), ("Chiều dài đường được chiếu sáng", "8.5", "km")]):
        page.click('button[data-add="results"]')
        page.fill(f'[name="results.{i}.label"]', label)
        page.fill(f'[name="results.{i}.value"]', value)
        page.fill(f'[name="results.{i}.unit"]', unit)
    if photos:
        page.set_input_files("[data-photo-pick]", [str(p) for p in photos])
    page.wait_for_function("n => document.querySelectorAll('[data-items=\"photos\"] [data-item]').length === n",
                           arg=len(photos))
    for i in range(len(photos)):
        page.fill(f'[name="photos.{i}.caption"]', f"Tuyến đường liên thôn số {i + 1} khi lên đèn")
        page.fill(f'[name="photos.{i}.credit"]', "Đoàn xã")
        page.fill(f'[name="photos.{i}.alt"]', f"Hàng đèn năng lượng mặt trời dọc con đường thứ {i + 1}")


# --------------------------------------------------------------------------- checking the export

def fresh_content(root: Path) -> Path:
    """A content folder with the real taxonomy and no record."""
    content = root / "content"
    (content / "entries").mkdir(parents=True)
    shutil.copy(CONTENT / "taxonomy.yml", content / "taxonomy.yml")
    return content


def unpack(zip_bytes: bytes, project: Path, path: str, slug: str) -> Path:
    """Extract the zip under the parent of `path` (content/entries/…/<slug>/) in `project`; the record folder."""
    assert re.fullmatch(r"content/entries/[a-z0-9-]+/[a-z0-9-]+/" + re.escape(slug) + "/", path), path
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        names = z.namelist()
        assert f"{slug}/entry.yml" in names
        assert all(n.startswith(f"{slug}/") and ".." not in n and not n.endswith("/") for n in names), names
        z.extractall(project / path.rstrip("/").rsplit("/", 1)[0])
    return project / path


def validator_report(content: Path):
    corpus, report = validate(content)
    return corpus, report


def assert_exports_valid(page, tmp_path: Path, kind: str) -> tuple[Path, object]:
    """Export the zip, validate it in a fresh project; (record folder, the record)."""
    path, yaml_text = output(page)
    slug = path.rstrip("/").rsplit("/", 1)[1]
    name, data = export_zip(page)
    assert name == f"{slug}.zip"
    content = fresh_content(tmp_path / "fresh")
    folder = unpack(data, tmp_path / "fresh", path, slug)
    assert (folder / "entry.yml").read_text(encoding="utf-8") == yaml_text
    corpus, report = validator_report(content)
    assert [d.format(tmp_path / "fresh") for d in report.errors] == []
    assert [r.slug for r in corpus.records] == [slug]
    record = corpus.records[0]
    assert record.kind == kind
    return folder, record


def assert_no_third_party(page, url: str) -> None:
    assert third_party_requests(page, url) == []
    assert page.sv_recorder.console_errors == []


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in result if v["impact"] in ("serious", "critical")]


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# --------------------------------------------------------------------------- 1. three records, exported and validated

def test_person_under_16_with_guardian_consent_exports_a_valid_record(page, composer_url, tmp_path):
    open_composer(page, composer_url)
    fill_person(page)
    assert page.locator('[name="place.district"]').is_visible()
    # Born 2009, listed 2022: 13 years old; consent given by the child alone is refused…
    page.wait_for_function("m => document.querySelector('[data-message-for=\"birth_year\"]').textContent === m",
                           arg=MESSAGES["child"])
    # … and accepted from a guardian.
    check(page, "consent.given_by", "guardian")
    wait_valid(page)
    assert text_of(page, '[data-message-for="birth_year"]') == ""
    path, yaml_text = output(page)
    assert path.startswith("content/entries/ha-nam/thanh-liem/tran-minh-khoi")
    assert "given_by: guardian" in yaml_text and "birth_year: 2009" in yaml_text
    _, record = assert_exports_valid(page, tmp_path, "person")
    assert record.name == "Trần Minh Khôi"
    assert record.place.district is not None and "Thanh Liêm" in (record.place.district.short, record.place.district.name)
    assert record.place.commune is not None
    assert_no_third_party(page, composer_url)


def test_post_2025_collective_exports_a_valid_record(page, composer_url, tmp_path):
    open_composer(page, composer_url)
    commune = fill_collective(page)
    wait_valid(page)
    assert page.locator('[name="place.district"]').is_hidden()
    path, yaml_text = output(page)
    assert path.startswith("content/entries/ha-noi/")
    assert "district:" not in yaml_text
    _, record = assert_exports_valid(page, tmp_path, "collective")
    assert record.place.district is None
    assert record.place.commune is not None and commune in (record.place.commune.name, record.place.commune.short)
    assert_no_third_party(page, composer_url)


@pytest.fixture
def originals(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "phone"
    folder.mkdir()
    made = {"gps.jpg": imaging.jpeg(gps=True), "rotated.jpg": imaging.jpeg(orientation=6, seed=1)}
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in made}


def test_initiative_with_results_and_photos_exports_clean_photos(page, composer_url, tmp_path, originals):
    open_composer(page, composer_url)
    fill_initiative(page, [originals["gps.jpg"], originals["rotated.jpg"]])
    wait_valid(page)
    # Which safe name each original got: each item says which file it came from.
    taken = page.eval_on_selector_all('[data-items="photos"] [data-item]', """items => items.map(i => [
        i.querySelector('[name$=".file"]').value, i.querySelector('[data-photo-status]').textContent])""")
    safe = {}
    for file_name, status in taken:
        original = next(n for n in originals if f"Ảnh gốc: {n}" in status)
        safe[original] = file_name
    assert sorted(safe.values()) == ["anh-1.jpg", "anh-2.jpg"]
    assert all(page.locator(f'[name="photos.{i}.file"]').get_attribute("readonly") is not None for i in range(2))

    folder, record = assert_exports_valid(page, tmp_path, "initiative")
    assert [(r.label, r.value, r.unit) for r in record.results] == [
        ("Bóng đèn đã lắp", 120, "bóng"), ("Chiều dài đường được chiếu sáng", 8.5, "km")]
    for original_name, file_name in safe.items():
        exported = folder / file_name
        assert photofile.check_file(exported) == "JPEG"
        assert photofile.inspect(exported).gps is False
        with Image.open(exported) as im, Image.open(originals[original_name]) as orig:
            exif = im.getexif()
            if original_name == "rotated.jpg":
                assert dict(exif) == {imaging.ORIENTATION: 6}
            else:
                assert dict(exif) == {} and "exif" not in im.info
            assert not exif.get_ifd(imaging.GPS_IFD)
            assert not {"xmp", "XML:com.adobe.xmp", "comment", "photoshop"} & set(im.info), sorted(im.info)
            assert (im.mode, im.size) == (orig.mode, orig.size)
            assert np.array_equal(np.asarray(im), np.asarray(orig)), f"{file_name}: pixels differ from {original_name}"
    assert_no_third_party(page, composer_url)


# --------------------------------------------------------------------------- 2. personal data, before export

def test_phone_number_in_story_shows_the_validators_message_and_blocks_the_zip(page, composer_url, tmp_path):
    open_composer(page, composer_url)
    fill_collective(page)
    wait_valid(page)
    page.fill('[name="story"]', PHONE_STORY)
    settle(page)
    page.wait_for_function("() => document.querySelector('[data-message-for=\"story\"]').textContent !== ''")
    page.wait_for_function("() => document.querySelectorAll('[data-sovang-errors] li').length > 0")
    shown = text_of(page, '[data-message-for="story"]')
    path, yaml_text = output(page)

    # The validator, on the record the page shows.
    content = fresh_content(tmp_path / "fresh")
    folder = tmp_path / "fresh" / path
    folder.mkdir(parents=True)
    (folder / "entry.yml").write_text(yaml_text, encoding="utf-8")
    _, report = validator_report(content)
    said = [d.message for d in report.errors]
    lines = [d.format(tmp_path / "fresh") for d in report.errors]
    assert len(said) == 1 and "0912 345 678" in said[0], lines
    assert lines[0].startswith(f"{path}entry.yml:") and lines[0].endswith(": error: " + said[0])
    assert shown == said[0]
    assert errors_shown(page) == said

    # Nothing leaves the phone while the number is there.
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    zip_button = page.locator('button[data-action="zip"]')
    assert zip_button.get_attribute("aria-disabled") in (None, "true")
    zip_button.click(force=True)  # aria-disabled, still tappable: the tap lists the errors
    page.wait_for_timeout(1000)
    assert downloads == []

    # Without it, the zip is offered again.
    page.fill('[name="story"]', "Liên hệ qua Văn phòng Đoàn xã.")
    wait_valid(page)
    assert text_of(page, '[data-message-for="story"]') == ""
    name, _ = export_zip(page)
    assert name.endswith(".zip")
    assert_no_third_party(page, composer_url)


def validator_on_page_yaml(page, root: Path) -> list[str]:
    """The validator's error messages for the entry.yml the page shows, in the folder it shows (or a stand-in)."""
    path, yaml_text = output(page)
    if not re.fullmatch(r"content/entries/[a-z0-9-]+/[a-z0-9-]+/[a-z0-9-]+/", path):
        path = "content/entries/ha-nam/thanh-liem/ho-so/"  # no place chosen yet: any folder
    content = fresh_content(root)
    (root / path).mkdir(parents=True)
    (root / path / "entry.yml").write_text(yaml_text, encoding="utf-8")
    _, report = validator_report(content)
    return sorted(d.message for d in report.errors)


def test_page_errors_are_the_validators_messages(page, composer_url, tmp_path):
    """Each mistake, made in the form: the page lists exactly what the validator says of the YAML it shows."""
    open_composer(page, composer_url)
    fill_person(page)
    check(page, "consent.given_by", "guardian")
    wait_valid(page)
    steps = [
        ("consent.given_by self", lambda: check(page, "consent.given_by", "self")),
        ("no birth year", lambda: page.fill('[name="birth_year"]', "")),
        ("guardian", lambda: check(page, "consent.given_by", "guardian")),
        ("consent.name false", lambda: check(page, "consent.name", "false")),
        ("consent.name true", lambda: check(page, "consent.name", "true")),
        ("summary too long", lambda: page.fill('[name="summary"]', "Học sinh giỏi. " * 21)),
        ("summary fixed", lambda: page.fill('[name="summary"]', "Học sinh giỏi.")),
        ("source url", lambda: (page.click('button[data-add="sources"]'), page.fill('[name="sources.0.title"]', "Bài báo"),
                                page.fill('[name="sources.0.url"]', "www.baohanam.com.vn/bai-viet"))),
        ("source without title", lambda: (page.fill('[name="sources.0.url"]', "https://baohanam.com.vn/bai-viet"),
                                          page.fill('[name="sources.0.title"]', ""))),
        ("source fixed", lambda: page.fill('[name="sources.0.title"]', "Bài báo")),
        ("email", lambda: page.fill('[name="story"]', "Gửi thư cho em qua em.khoi@gmail.com nhé.")),
        ("citizen id", lambda: page.fill('[name="story"]', "Số căn cước của em là 001209012345.")),
        ("+84 phone", lambda: page.fill('[name="story"]', "Gọi cho mẹ em: +84 912 345 678.")),
        ("phone in organization", lambda: (page.fill('[name="story"]', ""),
                                           page.fill('[name="organization"]', "Trường THCS, gọi 0912 345 678"))),
        ("born after the date", lambda: (page.fill('[name="organization"]', "Trường THCS Thanh Hà"),
                                         page.fill('[name="birth_year"]', "2030"))),
        ("birth year not a number", lambda: page.fill('[name="birth_year"]', "20x9")),
        ("birth year out of range", lambda: page.fill('[name="birth_year"]', "1800")),
        ("fixed", lambda: page.fill('[name="birth_year"]', "2009")),
    ]
    mismatches = []
    for n, (label, step) in enumerate(steps):
        step()
        settle(page)
        shown, said = sorted(errors_shown(page)), validator_on_page_yaml(page, tmp_path / f"step-{n}")
        if shown != said:
            mismatches.append(f"{label}:\n  page:      {shown}\n  validator: {said}")
        if label not in ("fixed", "guardian", "consent.name true", "summary fixed", "source fixed"):
            assert said, f"{label}: the validator should refuse this"
    assert not mismatches, "\n".join(mismatches)
    assert errors_shown(page) == []
    assert_no_third_party(page, composer_url)


def test_grouped_number_is_refused_as_the_validator_refuses_it(page, composer_url, tmp_path):
    open_composer(page, composer_url)
    fill_initiative(page, [])
    page.fill('[name="results.0.value"]', "3.450")
    settle(page)
    said = validator_on_page_yaml(page, tmp_path / "v")
    assert said and said[0].startswith("results[1].value: '3.450' dễ bị hiểu nhầm")
    assert sorted(errors_shown(page)) == said


def test_missing_district_message_is_the_validators(page, composer_url, tmp_path):
    open_composer(page, composer_url)
    fill_person(page)
    check(page, "consent.given_by", "guardian")
    wait_valid(page)
    page.select_option('select[name="place.district"]', value="")
    settle(page)
    said = validator_on_page_yaml(page, tmp_path / "v")
    assert said and said[0].startswith("place: thiếu district")
    assert sorted(errors_shown(page)) == said


def test_missing_place_message_is_the_validators(page, composer_url, tmp_path):
    open_composer(page, composer_url)
    check(page, "kind", "collective")
    page.fill('[name="name"]', "Chi đoàn thôn Đồng Tâm")
    page.fill('[name="summary"]', "Chi đoàn làm đường.")
    set_date(page, "2025-09-02")
    page.check('input[name="fields"] >> nth=1')
    settle(page)
    said = validator_on_page_yaml(page, tmp_path / "v")
    assert said == [MESSAGES["missing"].format(where="place", doc=next(f.doc for f in s.RECORD.fields if f.key == "place"))]
    assert sorted(errors_shown(page)) == said


def test_changing_era_says_the_province_must_be_chosen_again(page, composer_url):
    open_composer(page, composer_url)
    fill_person(page)
    check(page, "consent.given_by", "guardian")
    wait_valid(page)
    set_date(page, "2025-08-01")
    settle(page)
    assert page.eval_on_selector('select[name="place.province"]', "s => s.value") == ""
    assert text_of(page, '[data-message-for="place"]').startswith("place: đã đổi ngày ghi danh")


# --------------------------------------------------------------------------- 3. requests, accessibility, phone width, controls

def test_filled_composer_is_accessible_and_fits_a_phone(page, composer_url, originals):
    open_composer(page, composer_url)
    assert scroll_width(page) <= 360
    fill_initiative(page, [originals["gps.jpg"], originals["rotated.jpg"]])
    page.click('button[data-add="sources"]')
    page.fill('[name="sources.0.title"]', "Thắp sáng đường quê")
    page.fill('[name="sources.0.url"]', "https://baoninhbinh.org.vn/thap-sang-duong-que-" + "rat-dai-" * 12)
    wait_valid(page)
    assert scroll_width(page) <= 360, "the filled form scrolls sideways at 360 px"
    assert axe_violations(page) == []
    # With errors showing too (messages, aria-invalid).
    page.fill('[name="summary"]', "")
    page.fill('[name="results.0.value"]', "3.450")
    settle(page)
    page.wait_for_function("() => document.querySelectorAll('[data-sovang-errors] li').length > 0")
    assert scroll_width(page) <= 360
    assert axe_violations(page) == []
    assert_no_third_party(page, composer_url)


def key_paths(obj: s.Obj, prefix: str = ""):
    for f in obj.fields:
        path = prefix + f.key
        if isinstance(f.type, s.Obj):
            yield from key_paths(f.type, path + ".")
        elif isinstance(f.type, s.ListOf) and isinstance(f.type.item, s.Obj):
            yield from key_paths(f.type.item, path + ".0.")
        else:
            yield path


def test_every_record_key_has_a_control(page, composer_url, originals):
    from generator.site.composer import NOT_IN_COMPOSER

    open_composer(page, composer_url)
    lists = [f.key for f in s.RECORD.fields if isinstance(f.type, s.ListOf) and isinstance(f.type.item, s.Obj)
             and f.key not in NOT_IN_COMPOSER]
    for key in lists:
        if key == "photos":
            page.set_input_files("[data-photo-pick]", [str(originals["gps.jpg"])])
            page.wait_for_selector('[name="photos.0.file"]', state="attached")
        else:
            page.click(f'button[data-add="{key}"]')
    names = set(page.eval_on_selector_all("#sv-composer [name]", "els => els.map(e => e.name)"))
    paths = [p for p in key_paths(s.RECORD) if p.split(".")[0] not in NOT_IN_COMPOSER]
    assert len(paths) > 30
    assert [p for p in paths if p not in names] == []
    assert not any(n.split(".")[0] in NOT_IN_COMPOSER for n in names)
    assert_no_third_party(page, composer_url)


# --------------------------------------------------------------------------- 4. the first load

def test_first_load_is_small_and_fetches_no_place_data(page, composer_url):
    open_composer(page, composer_url)
    page.wait_for_load_state("networkidle")
    recorder = page.sv_recorder
    raw, packed = recorder.weights(gzip=False), recorder.weights(gzip=True)
    print(f"\ncomposer first load ({composer_url}): {len(raw)} responses")
    print(f"{'bytes':>9} {'gzip':>9}  url (headers included)")
    for url in sorted(raw, key=raw.get, reverse=True):
        print(f"{raw[url]:9,} {packed[url]:9,}  {url.removeprefix(composer_url.removesuffix('/soan/'))}")
    total, total_gzip = sum(raw.values()), sum(packed.values())
    print(f"{total:9,} {total_gzip:9,}  total; budget {FIRST_LOAD_BUDGET:,} compressed")
    # The gzip figure really is what gzip makes of each body (the helper's, checked once here).
    html = page.request.get(composer_url).body()
    assert packed[composer_url] < len(html) and len(gzip.compress(html, 6)) < packed[composer_url]

    paths = [urlsplit(u).path for u in page.sv_requests]
    for wanted in ("/soan/", "/soan/mau.json", "/soan/noi/index.json", "/assets/javascripts/sovang-composer.js",
                   "/assets/javascripts/sovang-files.js"):
        assert wanted in paths
    assert any(p.endswith(".css") for p in paths) and any(p.endswith(".js") for p in paths)
    assert total_gzip <= FIRST_LOAD_BUDGET, f"first load {total_gzip:,} bytes compressed > {FIRST_LOAD_BUDGET:,}"

    def place_data(found):
        return [p for p in found if re.match(r"/soan/noi/(?!index\.json$)", p) or p.startswith("/tim/noi/")]

    assert place_data(paths) == []
    page.fill('[name="name"]', "Chi đoàn thôn Đồng Tâm")
    settle(page)
    page.wait_for_load_state("networkidle")
    assert place_data([urlsplit(u).path for u in page.sv_requests]) == []
    # Picking a province fetches that province's units (and its published records), nothing more.
    pick(page, "place.province", "Hà Nội")
    settle(page)
    page.wait_for_load_state("networkidle")
    assert sorted(set(place_data([urlsplit(u).path for u in page.sv_requests]))) == [
        "/soan/noi/ha-noi.json", "/tim/noi/ha-noi.json"]
    assert_no_third_party(page, composer_url)


# --------------------------------------------------------------------------- 5. the prefilled GitHub link

def github_link(page):
    return page.locator('a[data-action="github"]')


def test_github_link_carries_the_yaml_and_is_withdrawn_when_too_long(page, composer_url):
    open_composer(page, composer_url)
    fill_person(page)
    check(page, "consent.given_by", "guardian")
    wait_valid(page)
    path, yaml_text = output(page)
    link = github_link(page)
    assert link.is_visible()
    href = link.get_attribute("href")
    assert href.startswith(f"{REPO}/new/main?filename=content%2Fentries%2F"), href[:200]
    query = parse_qs(urlsplit(href).query, keep_blank_values=True, strict_parsing=True)
    assert query == {"filename": [path + "entry.yml"], "value": [yaml_text]}

    paragraph = "Chiều nào em cũng ra bờ sông giúp bà cụ hàng xóm gánh nước về nhà, rồi mới ngồi vào bàn học bài."
    story = "\n\n".join([paragraph] * 400)[:19_999].rstrip() + "."
    story += "a" * (20_000 - len(story))
    assert len(story) == 20_000
    page.fill('[name="story"]', story)
    wait_valid(page)  # as long as the validator allows: only the address is too long
    page.wait_for_function("() => document.querySelector('a[data-action=\"github\"]').hidden")
    assert link.is_hidden()
    status = text_of(page, "[data-sovang-export-status]")
    assert "quá" in status and "đường dẫn GitHub" in status, status
    assert_no_third_party(page, composer_url)


def test_shortened_story_clears_the_too_long_notice(page, composer_url):
    open_composer(page, composer_url)
    fill_person(page)
    check(page, "consent.given_by", "guardian")
    page.fill('[name="story"]', "Chuyện của em. " * 1000)
    wait_valid(page)
    assert github_link(page).is_hidden()
    page.fill('[name="story"]', "Chuyện của em.")
    wait_valid(page)
    assert github_link(page).is_visible()
    assert "quá" not in text_of(page, "[data-sovang-export-status]")


def test_a_fresh_form_shows_messages_only_where_the_editor_has_been(page, composer_url):
    """The list by the buttons holds every problem from the start; a key's own box stays quiet
    until the editor has typed there, or has tried to export."""
    open_composer(page, composer_url)
    settle(page)
    boxes = 'Array.from(document.querySelectorAll("[data-message-for]")).filter(b => b.textContent.trim()).length'
    assert page.evaluate(boxes) == 0
    assert errors_shown(page), "the export list names the missing keys from the start"
    page.fill('[name="name"]', "a" * 201)
    settle(page)
    assert text_of(page, '[data-message-for="name"]').startswith("name: dài 201 ký tự")
    assert text_of(page, '[data-message-for="summary"]') == ""
    page.click('button[data-action="zip"]', force=True)
    settle(page)
    assert text_of(page, '[data-message-for="summary"]').startswith("summary: thiếu khoá bắt buộc")


def test_a_published_name_in_the_same_province_is_warned_about_and_gets_its_own_folder(page, composer_url):
    """The sample roll has "Đường hoa quân sự" in Thanh Liêm (Hà Nam, now Ninh Bình): the same
    name, typed without diacritics, is flagged with a link to that record, and the new folder
    takes the district's name instead of the published slug."""
    open_composer(page, composer_url)
    check(page, "kind", "initiative")
    page.fill('[name="name"]', "duong hoa quan su")
    set_date(page, "2023-03-01")
    pick(page, "place.province", "Hà Nam")
    pick(page, "place.district", "Thanh Liêm")
    settle(page)
    page.wait_for_function("document.querySelector('[data-sovang-duplicates] a') !== null", timeout=10_000)
    link = page.locator("[data-sovang-duplicates] a")
    assert link.inner_text().startswith("Đường hoa quân sự")
    assert link.get_attribute("href") == "../ho-so/duong-hoa-quan-su/"
    path = text_of(page, '[data-sovang-output="path"]')
    assert path == "content/entries/ha-nam/thanh-liem/duong-hoa-quan-su-thanh-liem/"


def test_add_here_on_a_district_page_opens_the_composer_with_the_place_filled_in(page, composer_url):
    district = composer_url.replace("/soan/", "/dia-phuong/truoc-2025/ha-nam/thanh-liem/")
    page.goto(district)
    page.get_by_role("link", name="Thêm hồ sơ ở đây").click()
    page.wait_for_selector("#sv-composer[data-ready='1']", state="attached")
    page.wait_for_function("document.querySelector('select[name=\"place.district\"]').value === 'Thanh Liêm'",
                           timeout=10_000)
    assert page.eval_on_selector('select[name="place.province"]', "s => s.value") == "Hà Nam"


# --------------------------------------------------------------------------- review findings

YAML_LOOKALIKES = ["0x10", "010", "1_000", "1:30", "yes", "No", "null", "~", "2022-01-01", "1e3", "-a", ": a", "a #b",
                   'Tên "trong ngoặc"', "'đơn'", "\\back", "a: b"]


@pytest.mark.parametrize("typed", YAML_LOOKALIKES)
def test_a_value_yaml_would_read_as_something_else_is_exported_as_typed(page, composer_url, tmp_path, typed):
    """Values PyYAML (1.1) reads as numbers, booleans or dates are quoted: the record says what was typed."""
    import yaml

    open_composer(page, composer_url)
    fill_collective(page)
    page.fill('[name="organization"]', typed)
    wait_valid(page)
    _, text = output(page)
    assert yaml.safe_load(text)["organization"] == typed
    assert validator_on_page_yaml(page, tmp_path / "v") == []


def test_an_invisible_character_blocks_the_export_as_the_validator_does(page, composer_url, tmp_path):
    open_composer(page, composer_url)
    fill_collective(page)
    wait_valid(page)
    page.fill('[name="summary"]', "Chi đoàn làm đường\u202e giao thông.")
    settle(page)
    shown = errors_shown(page)
    assert len(shown) == 1 and shown[0].startswith("summary: chứa ký tự U+202E ở ký tự thứ 19")
    said = validator_on_page_yaml(page, tmp_path / "v")
    assert len(said) == 1 and said[0].startswith("summary: chứa") and "U+202E" in said[0]


def test_an_exact_duplicate_of_a_published_record_blocks_the_export(page, composer_url):
    """The sample roll's "Đường hoa quân sự": same kind, name, district and date is the
    validator's "trùng hoàn toàn", an error; another date is only a warning."""
    open_composer(page, composer_url)
    check(page, "kind", "initiative")
    page.fill('[name="name"]', "Đường hoa quân sự")
    page.fill('[name="summary"]', "Đường hoa.")
    set_date(page, "2022-12-31")
    pick(page, "place.province", "Hà Nam")
    pick(page, "place.district", "Thanh Liêm")
    page.check('input[name="fields"] >> nth=0')
    settle(page)
    shown = errors_shown(page)
    assert any(e.startswith("name: hồ sơ trùng hoàn toàn với content/entries/ha-nam/thanh-liem/duong-hoa-quan-su/entry.yml")
               for e in shown), shown
    set_date(page, "2023-01-05")
    wait_valid(page)
    assert "đã có hồ sơ cùng tên" in text_of(page, "[data-sovang-duplicates]")


def test_offline_the_folder_cannot_be_checked_and_nothing_is_exported(page, composer_url):
    """A slug shard that cannot be fetched is not a free slug: the published record's folder
    would be proposed, and an upload there would replace it."""
    open_composer(page, composer_url)
    page.route("**/tim/ma/*.json", lambda route: route.abort())
    fill_collective(page)
    settle(page)
    assert any("không kiểm tra được tên" in e for e in errors_shown(page))
    page.unroute("**/tim/ma/*.json")
    page.fill('[name="summary"]', "Chi đoàn dẫn đầu phong trào làm đường giao thông nông thôn.")
    wait_valid(page)


def test_photos_keep_the_order_they_were_picked_in(page, composer_url, tmp_path):
    """The first photo is the share image: a big first file read last is still anh-1."""
    folder = tmp_path / "phone"
    folder.mkdir()
    big, small = folder / "lon.jpg", folder / "nho.jpg"
    big.write_bytes(imaging.jpeg(size=(3000, 2000), seed=3))
    small.write_bytes(imaging.jpeg(size=(64, 48), seed=4))
    open_composer(page, composer_url)
    fill_initiative(page, [big, small])
    page.wait_for_function("() => document.querySelectorAll('[data-photo-download]').length === 2", timeout=15_000)
    notes = page.eval_on_selector_all("[data-photo-status]", "els => els.map(e => e.textContent)")
    assert "lon.jpg" in notes[0] and "nho.jpg" in notes[1]
    assert page.input_value('[name="photos.0.file"]') == "anh-1.jpg"
