"""`sovang validate --changed BASE --format summary`: the run's Summary page for editors on a phone.

Each changed record gets a short section (name, folder, page, summary, problems or "Không có
lỗi"), and nothing a record holds can turn into Markdown or HTML there: the page is GitHub
Markdown, which renders links, images and (sanitised) HTML. The inertness is shown on the
text itself: after `md_inline`, every ASCII punctuation character is backslash-escaped (which
CommonMark reads as that literal character) and `@` runs sit in code spans, so no markup can
start.
"""

from __future__ import annotations

import re
import string
import subprocess
from pathlib import Path

import pytest

from conftest import VALID_INITIATIVE, VALID_PERSON, Corpus
from generator.core import urls
from generator.records.prsummary import MAX_PROBLEMS, md_inline

PUNCT = re.escape(string.punctuation)
# What md_inline may produce: escaped punctuation, a code span of `@`s, single spaces and any
# other character that is neither punctuation nor whitespace.
INERT = re.compile(rf"(?:\\[{PUNCT}]|`@+`|[^{PUNCT}\s]| (?! ))*")
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![ảnh](https://evil.example/x.png)",
    "<script>alert(1)</script>",
    "a | b | c\n|---|---|---|",
    "dòng một\ndòng hai\r\n# tiêu đề giả\n\n- mục giả\n✅ Không có lỗi.",
    "&lt;b&gt; &#60;i&#62; &amp;",
    "https://evil.example www.evil.example <https://evil.example>",
    "ai@example.com mailto:ai@example.com xmpp:ai@example.com @octocat @@x",
    "`code` ``x`` ~~~ ``` ~~gạch~~ **đậm** _nghiêng_",
    "1. danh sách\n> trích dẫn\n    thụt lề",
    "cuối dòng\\",
    "\u202eđảo chiều\u200b\u2028\u0085\x00",
    "[^1] [ref]: https://evil.example {: .lop } {{ x }} {% y %}",
]


def read_as_text(markdown: str) -> str:
    """What a reader sees of md_inline's output: the escapes and the `@` code spans undone."""
    return re.sub(r"`(@+)`", r"\1", re.sub(rf"\\([{PUNCT}])", r"\1", markdown))


@pytest.mark.parametrize("value", HOSTILE)
def test_untrusted_text_becomes_inert_markdown(value):
    out = md_inline(value)
    assert "\n" not in out and "\r" not in out
    assert INERT.fullmatch(out), out
    # GitHub links an e-mail address even with its `@` escaped (it looks at the text once escapes are
    # read) and may link `@name`: each `@` must be in a code span.
    assert "@" not in re.sub(r"`@+`", "", out)
    # Nothing lost but layout: the reader sees the same characters, whitespace made single spaces.
    assert read_as_text(out).replace("\\u202e", "\u202e").replace("\\u200b", "\u200b").replace(
        "\\x00", "\x00") == " ".join(value.split())


def test_inert_text_is_cut_without_breaking_an_escape():
    out = md_inline("<" * 500, limit=10)
    assert out == "\\<" * 10 + "…" and INERT.fullmatch(out)


# --- the summary of a pull request --------------------------------------------------------

def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True,
                          capture_output=True, text=True).stdout


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.fixture
def repo(tmp_path) -> Corpus:
    """A repository with three records on main, checked out on a pull request's branch."""
    root = tmp_path / "repo"
    corpus = Corpus(root / "content")
    corpus.add("duong-hoa", VALID_INITIATIVE)
    corpus.add("hu-gao", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Hũ gạo tiết kiệm"))
    corpus.add("camera", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Camera an ninh"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "pr")
    return corpus


def summary(run_cli, repo: Corpus) -> tuple[int, str]:
    code, out, err = run_cli("validate", "--content", "content", "--changed", "main", "--format", "summary",
                             cwd=repo.root.parent)
    assert "Traceback" not in err
    return code, out


def cards(markdown: str) -> dict[str, str]:
    """Each `### ` section of the summary, keyed by its heading as a reader sees it."""
    found = {}
    for block in re.split(r"^(?=### )", markdown, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        found[read_as_text(heading[4:])] = body
    return found


def test_each_changed_record_has_its_section(repo, run_cli):
    entries = repo.root / "entries" / "ha-nam" / "thanh-liem"
    broken = entries / "hu-gao" / "entry.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("2022-12-31", "2022-13-01"), encoding="utf-8")
    repo.add("tu-sach", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Tủ sách đường làng"))
    (entries / "camera" / "entry.yml").unlink()
    (entries / "camera").rmdir()
    code, out = summary(run_cli, repo)
    assert code == 1  # the exit code of every format: the step fails with the records
    found = cards(out)
    assert set(found) == {"❌ hu-gao", "✅ Tủ sách đường làng", "🗑️ Hồ sơ bị xoá"}  # not the unchanged duong-hoa

    clean = read_as_text(found["✅ Tủ sách đường làng"])
    assert "- Thư mục: content/entries/ha-nam/thanh-liem/tu-sach/" in clean
    assert f"- Trang trên web: {urls.served(urls.record('tu-sach'))}\n" in clean
    assert "- Tóm tắt: Ba ki-lô-mét đường hoa trên trục ĐT 499B" in clean
    assert "- Không có lỗi." in clean

    bad = read_as_text(found["❌ hu-gao"])
    assert "- Thư mục: content/entries/ha-nam/thanh-liem/hu-gao/" in bad
    assert f"- Trang trên web (khi hết lỗi): {urls.served(urls.record('hu-gao'))}" in bad
    assert re.search(r"^  - entry\.yml:4:7: lỗi: .*2022-13-01", bad, re.M), bad
    assert "Không có lỗi" not in bad and "Hũ gạo" not in bad  # name and summary wait for a valid record

    gone = read_as_text(found["🗑️ Hồ sơ bị xoá"])
    assert f"content/entries/ha-nam/thanh-liem/camera/: trang {urls.served(urls.record('camera'))}" in gone
    assert read_as_text(out).splitlines()[2] == "3 hồ sơ: ❌ 1 có lỗi, ✅ 1 không có lỗi, 1 bị xoá."


def test_a_phone_reads_it_without_tables_or_long_lines(repo, run_cli):
    repo.add("tu-sach", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Tủ sách đường làng"))
    _, out = summary(run_cli, repo)
    lines = out.splitlines()
    assert not [line for line in lines if line.lstrip().startswith("|")]
    # Every line is one of the summary's own shapes: headings, list items, blank or a sentence.
    assert all(re.match(r"(## |### |- |  - |[^\s#|>-]|$)", line) for line in lines), lines


def test_a_hostile_record_injects_nothing(repo, run_cli):
    name = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) | **Đã duyệt** ### giả"
    text = "\n".join(VALID_INITIATIVE.splitlines()[:1] + [f"name: '{name}'",
                     "summary: '![a](https://evil.example/x.png) <script>x</script> | ✅ Không có lỗi. @octocat xin chào'"]
                     + VALID_INITIATIVE.splitlines()[3:]) + "\n"
    repo.add("doc-hai", text)
    code, out = summary(run_cli, repo)
    found = cards(out)
    assert code == 0 and list(found) == [f"✅ {name}"], out  # the validator accepts it: the site escapes it too
    for line in out.splitlines():
        for _, value in re.findall(r"^(### ✅ |- Tóm tắt: )(.*)$", line):
            assert INERT.fullmatch(value), value
    # The summary's own Markdown is headings, list items and one bold word; the record's is escaped.
    assert not re.search(r"(?<!\\)[<>\[\]()|!&`]", out.replace("`@`", "")), out
    assert out.count("**") == 2 and "`@`octocat" in out


def test_a_person_without_consent_is_not_named_there(repo, run_cli):
    # The site would refuse to publish the name; so does the summary, which GitHub keeps for months.
    repo.add("nguoi-la", edit(VALID_PERSON, "  name: true", "  name: false"))
    code, out = summary(run_cli, repo)
    assert code == 1 and "Nguyễn Thị Mỹ Hạnh" not in read_as_text(out) and "Phó Bí thư" not in read_as_text(out)
    assert "❌ nguoi-la" in cards(out)


def test_a_withdrawn_record_is_marked_and_not_named(repo, run_cli):
    path = repo.root / "entries" / "ha-nam" / "thanh-liem" / "hu-gao" / "entry.yml"
    path.write_text(path.read_text(encoding="utf-8") + "withdrawn: true\nwithdrawn_reason: Người được ghi danh đề nghị gỡ.\n",
                    encoding="utf-8")
    code, out = summary(run_cli, repo)
    section = read_as_text(cards(out)["🗑️ hu-gao"])
    assert "Đã gỡ (withdrawn): không xuất bản" in section and urls.served(urls.record("hu-gao")) in section
    assert "Hũ gạo" not in read_as_text(out)


def test_a_changed_photo_lists_its_record(repo, run_cli):
    (repo.root / "entries" / "ha-nam" / "thanh-liem" / "duong-hoa" / "ghi-chu.txt").write_text("x", encoding="utf-8")
    _, out = summary(run_cli, repo)
    assert [key for key in cards(out) if key.endswith("Đường hoa quân sự")]


def test_problems_are_capped_per_record(repo, run_cli):
    fields = ", ".join(f"khong-co-{i}" for i in range(MAX_PROBLEMS + 5))
    repo.add("nhieu-loi", edit(VALID_INITIATIVE, "fields: [quoc-phong]", f"fields: [{fields}]"))
    _, out = summary(run_cli, repo)
    section = read_as_text(cards(out)["❌ nhieu-loi"])
    assert len(re.findall(r"^  - entry\.yml:", section, re.M)) == MAX_PROBLEMS
    assert re.search(r"^  - … và \d+ vấn đề khác", section, re.M)


def test_a_changed_taxonomy_says_everything_was_checked(repo, run_cli):
    taxonomy = repo.root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, out = summary(run_cli, repo)
    assert code == 0 and "đã kiểm tra mọi hồ sơ" in out and "Pull request này không sửa hồ sơ nào." in out


def test_the_summary_needs_a_base(repo, run_cli):
    code, _, err = run_cli("validate", "--content", "content", "--format", "summary", cwd=repo.root.parent)
    assert code == 2 and "--changed" in err


def test_a_record_with_warnings_only_is_shown_with_them(repo, run_cli):
    # Same folded name and place as duong-hoa on main: a warning naming the other file, not an error.
    repo.add("duong-hoa-moi", edit(VALID_INITIATIVE, "Đường hoa quân sự", "Đường hoa quân sự."))
    code, out = summary(run_cli, repo)
    section = read_as_text(cards(out)["⚠️ Đường hoa quân sự."])
    assert code == 0 and "- Tóm tắt: Ba ki-lô-mét" in section and "- 1 cảnh báo:" in section
    assert re.search(r"^  - entry\.yml:\d+:\d+: cảnh báo: .*duong-hoa/entry\.yml", section, re.M), section
