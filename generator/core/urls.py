"""Where everything lives: every path in the docs folder and every URL the site serves.

One module, so that a page, the list that links to it, the feed, the open data,
the search index and the finder can never disagree on an address (Hugo keeps
its permalinks in one place for the same reason). Nothing else spells a path:
templates get this module as the `urls` global, the finder's JavaScript reads
its URLs from data attributes the finder page writes from here.

It sits below every stage, because the image stages already name their files
by it (a record's photos and share card live beside its page), and it imports
nothing of the generator, so every stage may use it. Functions take the parts
of a path (a slug, a key, a year), not records or units.

Docs paths are relative to the docs folder and end in `.md` for pages; MkDocs
serves `a/index.md` at `a/` and `a/b.md` at `a/b/` (`served`).

The site:
- `ho-so/<slug>/`                                 a record, whatever its place, so links survive a
                                                  corrected district; its photos and share card beside it
- `ca-nhan/`, `tap-the/`, `mo-hinh/`              the three kinds
- `dia-phuong/`                                   every province of both eras, with counts
- `dia-phuong/<current-province>/`                a post-2025 province, by former province and district
- `dia-phuong/truoc-2025/<old-province>/`         a pre-2025 province, by district
- `dia-phuong/truoc-2025/<old-province>/<district>/`
- `linh-vuc/<key>/`, `nam/<year>/`                a field, a year; `linh-vuc/`, `nam/` list them
- `chuong-trinh/<key>/`                           a programme (a movement or campaign); `chuong-trinh/` lists them
- `thu-vien-anh/`                                 the photo library
- `thong-ke/`, `ban-do/`, `tra-cuu/`              statistics, the map, the finder
- `du-lieu/`                                      the open data files and their page
- `soan/`                                         the composer, where editors write a record in a form;
                                                  the place registry it reads beside it, in `soan/noi/`
- `de-cu/`                                        nominations: how a citizen proposes a person, a collective
                                                  or a model (an e-mail to the publisher, or a GitHub issue form)
- `feed.xml`, `tim/`, `chia-se.jpg`               the Atom feed, the search index, the site's share card
- `in/truoc-2025/<old-province>/<district>/`      the printable book of a former district, a section
                                                  a year (`#nam-<year>` prints that year alone);
  `in/truoc-2025/<old-province>/`                 its province's list of them
- `in/<current-province>/`                        the same from 2025, for a province of today
Long lists are paged the same way: page n of `x/` is `x/trang-n/`, so links to `x/` keep working.
"""

from __future__ import annotations

# --- Pages ------------------------------------------------------------------------

HOME = "index.md"
FINDER = "tra-cuu/index.md"
PLACES = "dia-phuong/index.md"
FIELDS = "linh-vuc/index.md"
PROGRAMMES = "chuong-trinh/index.md"
YEARS = "nam/index.md"
STATS = "thong-ke/index.md"
MAP = "ban-do/index.md"
LIBRARY = "thu-vien-anh/index.md"
OPEN_DATA = "du-lieu/index.md"
COMPOSER = "soan/index.md"
NOMINATE = "de-cu/index.md"  # how a citizen proposes a record: e-mail, or the issue form below

# The URL word of each record kind. The kinds themselves are schema.KINDS (a test keeps the two in step).
KIND_SLUGS = {"person": "ca-nhan", "collective": "tap-the", "initiative": "mo-hinh"}

_RECORDS = "ho-so"
_LEGACY = "dia-phuong/truoc-2025"


def record(slug: str) -> str:
    # A folder's index.md, not `ho-so/<slug>.md`: both are served at `ho-so/<slug>/`, but
    # Zensical resolves relative links in raw HTML from the Markdown file's folder and MkDocs
    # from the page's URL, and only here are the two the same folder (the photos' folder too).
    return f"{_RECORDS}/{slug}/index.md"


def record_folder(slug: str) -> str:
    """Where a record's images live in the docs: beside its page, so they go with it."""
    return f"{_RECORDS}/{slug}"


def kind(kind_name: str) -> str:
    return f"{KIND_SLUGS[kind_name]}/index.md"


def current_province(province: str) -> str:
    return f"dia-phuong/{province}/index.md"


def legacy_province(province: str) -> str:
    return f"{_LEGACY}/{province}/index.md"


def district(province: str, district_slug: str) -> str:
    return f"{_LEGACY}/{province}/{district_slug}/index.md"


def field(key: str) -> str:
    return f"linh-vuc/{key}/index.md"


def programme(key: str) -> str:
    return f"chuong-trinh/{key}/index.md"


def year(number: int) -> str:
    return f"nam/{number}/index.md"


# The printable books (generator/site/books.py): one sheet a record, for ceremonies; a book
# holds a place's years, one section a year (`book_year`). The layout mirrors dia-phuong/
# (a current and a former province may share a slug).
_BOOKS = "in"


def books_legacy(province: str) -> str:
    """The books of a pre-2025 province's districts, with their years."""
    return f"{_BOOKS}/truoc-2025/{province}/index.md"


def book_district(province: str, district_slug: str) -> str:
    """The book of a former district: its records, a section for each year."""
    return f"{_BOOKS}/truoc-2025/{province}/{district_slug}/index.md"


def book_province(province: str) -> str:
    """The book of a province of today (from 2025 there is no district level)."""
    return f"{_BOOKS}/{province}/index.md"


def book_year(year: int, part: int = 1) -> str:
    """The anchor of a year's section in a book (a year of more than a page's sheets has parts)."""
    return f"nam-{year}" if part == 1 else f"nam-{year}-phan-{part}"


def library(page: int) -> str:
    return paged(LIBRARY, page)


def paged(first: str, page: int) -> str:
    """Page `page` of a list whose first page is `first` (a folder's index.md)."""
    return first if page == 1 else f"{first.removesuffix('index.md')}trang-{page}/index.md"


# --- Files beside the pages ---------------------------------------------------------

SITE_CARD = "chia-se.jpg"  # the site's own share image; theme/main.html falls back to it (a test checks)
FEED = "feed.xml"  # linked from theme/main.html too (a test checks)
DATA_DIR = "du-lieu/"
OPEN_DATA_JSON_NAME, OPEN_DATA_CSV_NAME = "ho-so.json", "ho-so.csv"  # in DATA_DIR, beside their page
OPEN_DATA_JSON = DATA_DIR + OPEN_DATA_JSON_NAME
OPEN_DATA_CSV = DATA_DIR + OPEN_DATA_CSV_NAME


def open_data_schema(version: int) -> str:
    """The open data schema's name under the site's address."""
    return f"{DATA_DIR}schema-v{version}"


def photo(slug: str, stem: str, key: str, width: int, extension: str) -> str:
    """A photo derivative: named by its source's cache key and width, so a changed photo gets a new URL."""
    return f"{record_folder(slug)}/{stem}.{key[:10]}-{width}.{extension}"


def share_card(slug: str, key: str) -> str:
    return f"{record_folder(slug)}/chia-se.{key[:10]}.jpg"


# The search index (generator/site/search.py): a manifest, then files the manifest names
# relative to SEARCH_DIR, and one result card per record id.
SEARCH_DIR = "tim"
SEARCH_INDEX = f"{SEARCH_DIR}/index.json"
SEARCH_CARD_ID = "{id}"  # stands for the record id in `search_card_pattern`, for the finder's JavaScript


def search_file(name: str) -> str:
    """A file the manifest names (relative to SEARCH_DIR), as a docs path."""
    return f"{SEARCH_DIR}/{name}"


def search_shard_name(digest: str) -> str:
    return f"s/{digest}.json"


def search_filter_name(digest: str) -> str:
    return f"f/{digest}.json"


def search_card(record_id: int | str) -> str:
    return f"{SEARCH_DIR}/the/{record_id}.json"


def search_card_pattern() -> str:
    return search_card(SEARCH_CARD_ID)


def search_place(province: str) -> str:
    """The published records of one post-2025 province (slug, name key, place), for the
    composer's duplicate warning: fetched for the province an editor picks."""
    return f"{SEARCH_DIR}/noi/{province}.json"


def search_slugs(shard: str) -> str:
    """Published slugs whose hash starts with `shard`, for the composer's unique folder name."""
    return f"{SEARCH_DIR}/ma/{shard}.json"


SEARCH_PLACE_PATTERN = search_place("{province}")  # for the composer's JavaScript
SEARCH_SLUGS_PATTERN = search_slugs("{shard}")

# The composer's data: the form's definition, and the place registry of both eras split by
# province, so that opening the page fetches only the list of provinces.
COMPOSER_FORM = "soan/mau.json"
COMPOSER_PROVINCES = "soan/noi/index.json"


def composer_current(province: str) -> str:
    """A post-2025 province's communes."""
    return f"soan/noi/{province}.json"


def composer_legacy(province: str) -> str:
    """A pre-2025 province's districts and their communes."""
    return f"soan/noi/truoc-2025/{province}.json"


def composer_query(province: str, district: str | None = None, legacy: bool = False) -> str:
    """The composer's query for a place page's "Thêm hồ sơ ở đây": the place filled in."""
    from urllib.parse import urlencode

    pairs = [("truoc-2025", "1")] if legacy else []
    pairs += [("tinh", province)] + ([("huyen", district)] if district else [])
    return urlencode(pairs)


COMPOSER_CURRENT_PATTERN = composer_current("{province}")
COMPOSER_LEGACY_PATTERN = composer_legacy("{province}")


# --- The content repository on GitHub ---------------------------------------------------
# Where editors change records: the publisher's `repo_url` and content branch (mkdocs.yml).
# Paths are the record's source under content/, never the generated docs.

def _quoted(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def github_new(repo: str, branch: str) -> str:
    """GitHub's new-file page; the composer adds `?filename=<path>&value=<text>`."""
    return f"{repo.rstrip('/')}/new/{_quoted(branch)}"


def github_edit(repo: str, branch: str, path: str) -> str:
    return f"{repo.rstrip('/')}/edit/{_quoted(branch)}/{_quoted(path)}"


# The issue form for nominating a collective or a model: .github/ISSUE_TEMPLATE/<this> in the repository.
NOMINATION_FORM = "de-cu.yml"


def github_issue_form(repo: str, template: str = NOMINATION_FORM) -> str:
    """GitHub's new-issue page with an issue form (`.github/ISSUE_TEMPLATE/<template>`) open."""
    from urllib.parse import quote

    return f"{repo.rstrip('/')}/issues/new?template={quote(template, safe='')}"


def mailto(address: str, subject: str, body: str) -> str:
    """A `mailto:` link with its subject and body filled in (RFC 6068): UTF-8, percent-encoded,
    `%20` for a space and `%0A` for a line break, never `+`, which mail apps show as a plus."""
    from urllib.parse import quote

    return f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


# --- Served URLs ----------------------------------------------------------------------

def served(path: str) -> str:
    """The URL folder a docs file is served at: `a/b.md` → `a/b/`, `a/index.md` → `a/`."""
    if path.endswith("index.md"):
        return path[: -len("index.md")]
    return path[:-3] + "/" if path.endswith(".md") else path


def served_from(page_path: str, target: str) -> str:
    """A URL for raw HTML, which MkDocs does not rewrite: `target` (a docs path, maybe with
    an #anchor) relative to the folder `page_path` is served at."""
    path, hash_, anchor = target.partition("#")
    url = relative(served(path), served(page_path))
    if path.endswith(".md") and not url.endswith("/"):
        url += "/"
    return url + hash_ + anchor


def relative(target: str, here: str) -> str:
    """posixpath.relpath for the site's own clean relative paths ("a/b/" from "a/c/" is "../b/"),
    without its abspath calls: links are most of the render time of 10,000 pages."""
    to = target.rstrip("/").split("/") if target.strip("/") else []
    at = here.rstrip("/").split("/") if here.strip("/") else []
    common = 0
    for a, b in zip(to, at):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(at) - common) + to[common:]
    return "/".join(parts) or "."


def record_url(slug: str, site_url: str | None, relative_to: str = "") -> str:
    """The address of a record's page: absolute when the site's address is known, else
    relative to the folder `relative_to` (docs-relative, "" for the site's root)."""
    return absolute(served(record(slug)), site_url, relative_to)


def base(site_url: str | None) -> str | None:
    """The site's address with exactly one trailing slash, or None."""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/"


def absolute(url: str, site_url: str | None, relative_to: str = "") -> str:
    """`url` (served, from the site's root) absolute when the site's address is known,
    else relative to the folder `relative_to` (docs-relative, "" for the site's root)."""
    root = base(site_url)
    if root:
        return root + url
    depth = relative_to.strip("/").count("/") + 1 if relative_to.strip("/") else 0
    return "../" * depth + url
