"""Takedown reaches the build cache: after a record is withdrawn (or its folder deleted), the next
build leaves nothing of it in build/cache, the folder CI saves as an Actions cache.

CI saves build/cache after every successful build on main (.github/workflows/deploy.yml), and
anyone who can open a pull request can read what main saved. So the pruning at the end of a build
(generator/core/cache.py, generator/core/memo.py) is what keeps a withdrawn person's photo derivatives, share
card, checked record and rendered pages out of the next saved cache. These tests build a throwaway
project (its own mkdocs.yml, theme, content/, build/ and site/ under tmp_path; nothing is written
into the checkout), look for the person's bytes in every file of its build/cache, withdraw or delete
the record, build again and look again.
"""

from __future__ import annotations

import hashlib
import shutil
import textwrap
import unicodedata
from pathlib import Path

import pytest

from conftest import VALID_INITIATIVE, VALID_PERSON, Corpus
from generator.core import memo
from generator.core.vntext import slugify
from imaging import jpeg
from projects import make_project

NAME = "Phùng Thị Xuyến Khuê"
SLUG = "phung-thi-xuyen-khue"
GROUP = "binh-duong/tan-uyen"
SUMMARY = "Cô nuôi dạy mười bốn trẻ mồ côi ở xóm Bến Đò Kè suốt hai mươi năm."
STORY_PHRASE = "chiếc thuyền nan chở các con qua sông Đồng Nai"
# The shared example says how old the person is, or a birth year makes her an adult.
AGE = "" if "birth_year:" in VALID_PERSON or "adult:" in VALID_PERSON else "birth_year: 1975\n"
PERSON = (VALID_PERSON.replace("Nguyễn Thị Mỹ Hạnh", NAME)
          .replace("Phó Bí thư Thường trực Đảng ủy phường Tân Phước Khánh.", SUMMARY)
          .replace("  story: true\n", "  story: true\n  photo: true\n")) + AGE + textwrap.dedent(f"""\
    story: |
      Mỗi sáng cô chèo {STORY_PHRASE} tới trường.
    photos:
      - file: anh.jpg
        caption: Cô cùng các con
        credit: Việt Hà
        alt: Người phụ nữ đứng cùng nhiều em nhỏ
    """)
WITHDRAWN = "withdrawn: true\nwithdrawn_reason: Người được ghi danh đề nghị gỡ ngày 02/3/2026\n"


class Project:
    """A copy of the site's configuration and theme beside a throwaway content folder."""

    def __init__(self, root: Path):
        self.root = make_project(root)
        self.corpus = Corpus(root / "content")
        self.cache = root / "build" / "cache"  # mkdocs.yml: docs_dir build/docs, and the cache beside it
        self.site = root / "site"

    def build(self, run_cli) -> None:
        code, out, err = run_cli("build", "--content", "content", "--config", "mkdocs.yml", "--site", "site",
                                 cwd=self.root)
        assert code == 0, out + err


@pytest.fixture
def project(tmp_path) -> Project:
    p = Project(tmp_path / "project")
    p.corpus.add("duong-hoa", VALID_INITIATIVE)  # the rest of the roll, which must survive
    return p


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def encodings(text: str) -> set[bytes]:
    """Every way `text` can sit in a file the build writes: UTF-8 (the memos' pickles, protocol 2 and
    later), raw-unicode-escape (protocol 0 and 1 pickles), JSON's and Python's \\u escapes (the cache's
    file-hash index), UTF-16 and UTF-32; each for the NFC and NFD forms of the Vietnamese."""
    found = set()
    for form in {unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)}:
        found.add(form.encode("utf-8"))
        found.add(form.encode("raw_unicode_escape"))
        found.add(form.encode("unicode_escape"))
        found.add(form.encode("unicode_escape").upper().replace(b"\\U", b"\\u"))  # \u1EC3 as well as \u1ec3
        for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            found.add(form.encode(codec))
    return found


def person_marks() -> dict[str, set[bytes]]:
    """What identifies the person in any file: name, slug, summary, a phrase of the story,
    and the name as the finder folds it (no diacritics)."""
    folded = slugify(NAME).replace("-", " ")
    return {"name": encodings(NAME), "slug": encodings(SLUG), "summary": encodings(SUMMARY),
            "story": encodings(STORY_PHRASE), "folded name": encodings(folded)}


def published_media(project: Project) -> dict[str, str]:
    """The person's photo derivatives and share card in the built site: file name → SHA-256 of its bytes."""
    folder = project.site / "ho-so" / SLUG
    return {p.name: sha256(p) for p in folder.iterdir() if p.suffix in (".webp", ".jpg")}


def cache_keys(project: Project, media: dict[str, str]) -> set[str]:
    """Cache entries the published files came from: each file name carries its entry's key[:10]
    (anh.<key10>-<width>.webp, chia-se.<key10>.jpg; generator/media/images.py, generator/media/cards.py)."""
    short = {name.split(".")[1].split("-")[0] for name in media}
    keys = {entry.name for stage in ("photos", "cards") for shard in (project.cache / stage).iterdir()
            for entry in shard.iterdir() if entry.name[:10] in short}
    assert {k[:10] for k in keys} == short, "every published derivative and card comes from a cache entry"
    return keys


def traces(project: Project, marks: dict[str, set[bytes]], keys: set[str], digests: set[str]) -> list[str]:
    """Every file under build/cache that holds the person: by path, by bytes, or by being a copy of a
    published derivative or card."""
    found = []
    for path in files(project.cache):
        relative = path.relative_to(project.cache).as_posix()
        data = path.read_bytes()
        if SLUG in relative:
            found.append(f"{relative}: slug in the path")
        for label, forms in marks.items():
            if any(f in data for f in forms):
                found.append(f"{relative}: {label}")
        for key in keys:
            if key in relative or key.encode() in data or key[:10].encode() in data:
                found.append(f"{relative}: cache key {key[:10]}")
        if sha256(path) in digests:
            found.append(f"{relative}: a published derivative or card, byte for byte")
    return found


@pytest.mark.parametrize("takedown", ["withdrawn", "deleted"])
def test_the_build_after_a_takedown_leaves_nothing_of_the_record_in_the_cache(project, run_cli, takedown):
    path = project.corpus.add(SLUG, PERSON, group=GROUP, files={"anh.jpg": jpeg(seed=11)})
    project.build(run_cli)

    media = published_media(project)
    assert any(n.endswith(".webp") for n in media) and any(n.startswith("chia-se.") for n in media)
    keys = cache_keys(project, media)
    marks = person_marks()
    source = hashlib.sha256((path.parent / "anh.jpg").read_bytes()).hexdigest()
    marks["source photo's SHA-256"] = {source.encode()}
    # The person is all over the cache first, or the check below would prove nothing.
    before = traces(project, marks, keys, set(media.values()))
    for expected in (f"{memo.FILE}: name", f"{memo.PAGES}: name", f"{memo.PAGES}: summary", f"{memo.PAGES}: story",
                     "file-hashes.json: slug", "file-hashes.json: source photo's SHA-256"):
        assert expected in before, before
    entries = [e for e in files(project.cache) if any(k in e.as_posix() for k in keys)]
    assert any("/photos/" in e.as_posix() for e in entries) and any("/cards/" in e.as_posix() for e in entries)
    assert any("byte for byte" in t for t in before)

    if takedown == "withdrawn":
        path.write_text(path.read_text(encoding="utf-8") + WITHDRAWN, encoding="utf-8")
    else:
        shutil.rmtree(path.parent)
    project.build(run_cli)

    assert traces(project, marks, keys, set(media.values())) == []
    assert not [k for k in keys for stage in ("photos", "cards") if (project.cache / stage / k[:2] / k).exists()]
    # The rest of the roll is still cached: pruning removed the person, not everything.
    assert (project.cache / memo.FILE).is_file() and (project.cache / memo.PAGES).is_file()
    assert list((project.cache / "cards").rglob("card.jpg"))
    assert (project.site / "ho-so" / "duong-hoa" / "index.html").is_file()
    assert not (project.site / "ho-so" / SLUG).exists()


def test_a_withdrawn_record_is_never_remembered(tmp_path):
    # Even its warnings name its folder; the memo must not keep them in build/cache.
    from generator.records.validate import validate
    from conftest import Corpus, VALID_INITIATIVE
    corpus = Corpus(tmp_path / "content")
    corpus.add("nguoi-da-go", VALID_INITIATIVE + "withdrawn: true\n")  # no reason: a warning naming the file
    memo = tmp_path / "cache" / "records.pickle"
    for _ in range(2):
        model, report = validate(corpus.root, memo=memo)
        assert report.withdrawn == 1 and report.warnings and not model.records
    assert not memo.exists() or b"nguoi-da-go" not in memo.read_bytes()
