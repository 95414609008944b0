"""The publisher's identity: who puts the roll online, read once from mkdocs.yml.

A province's Party committee or a district's Youth Union publishes the roll under its own
name, so nothing that names the site is spelled in the generator or the theme: the site name
(`site_name`), the organisation, its address and contact, the logo, the colours, the home
page's heading and text, the footer, the featured records and the scope all come from here.

They live in `mkdocs.yml` (`site_name`, `site_url` and the `extra.publisher` block) because
that is the one file both engines read: the theme prints `config.extra.publisher` directly
(footer, header logo, 404, colours) and the generator reads the same block through
`settings()` for the pages, share cards, feed, open data and print sheets it writes. The block
is documented in mkdocs.yml itself and in README.md ("Dùng cho đơn vị của bạn").

Configuration is trusted (the publisher edits it, editors do not), but a typo still gets a
Vietnamese message naming the key, not a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records.places import LEGACY, Unit, registry
from ..records.schema import REFORM_TEXT

DEFAULT_LOGO = "assets/images/logo.svg"  # theme/assets/images/: a gold star on red
# The shipped palette: a deep red (header, white text on it) and a dark gold (links and focus
# on white pages), both at least 4.5:1 against white (WCAG AA). theme/main.html sets them as
# Material's colour variables; sovang.css holds the shades derived from them.
DEFAULT_PRIMARY = "#a31515"
DEFAULT_ACCENT = "#8a5a00"
DEFAULT_HOME_TEXT = ("Ghi danh những cá nhân, tập thể và mô hình tiêu biểu trong học tập và làm theo tư tưởng, "
                     "đạo đức, phong cách Hồ Chí Minh, để mọi người cùng biết, cùng học và nhân rộng.")
# For callers without a configuration (tests, bench/): mkdocs.yml's site_name is what a site uses.
DEFAULT_SITE_NAME = "Sổ vàng người tốt, việc tốt"
FEATURED_DEFAULT = 1  # without a list: the latest record that has a photo
MAX_FEATURED = 6
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_KEYS = {"name", "address", "email", "phone", "website", "logo", "primary_color", "accent_color", "home_title",
         "home_text", "footer", "featured", "scope"}


class SettingsError(Exception):
    """A publisher setting mkdocs.yml cannot hold; the message is Vietnamese and names the key."""


@dataclass(frozen=True)
class Scope:
    """The publisher's own area: a province of today, or a former district (with its former
    province). The place index, statistics and map lead with it."""

    province: Unit
    district: Unit | None = None

    @property
    def name(self) -> str:
        return f"{self.district.name}, {self.province.name}" if self.district else self.province.name

    def holds(self, place) -> bool:
        if self.district is not None:
            return place.era == LEGACY and place.district is not None and place.district.code == self.district.code
        return place.current_province.code == self.province.code


@dataclass(frozen=True)
class Publisher:
    site_name: str
    site_url: str | None = None
    organisation: str = ""  # "Ban Thường vụ Tỉnh đoàn Quảng Ngãi"; shown as "Đơn vị công bố"
    address: str = ""
    email: str = ""
    phone: str = ""  # the organisation's office line, never a person's
    website: str = ""
    logo: str = DEFAULT_LOGO  # relative to the site's root (theme/ files are copied there)
    primary_color: str = DEFAULT_PRIMARY
    accent_color: str = DEFAULT_ACCENT
    home_title: str = ""
    home_text: str = DEFAULT_HOME_TEXT
    footer: str = ""
    featured: tuple[str, ...] = ()
    scope: Scope | None = None
    description: str = ""

    @property
    def heading(self) -> str:
        return self.home_title or self.site_name

    @property
    def by_line(self) -> str:
        """Who publishes, in one line: the organisation, else the site."""
        return self.organisation or self.site_name

    @property
    def tagline(self) -> str:
        """Under the site's name on its share card: who publishes it, else what it is."""
        return self.organisation or "Ghi danh cá nhân, tập thể và mô hình tiêu biểu"

    @property
    def contact_line(self) -> str:
        return " · ".join(x for x in (self.address, self.phone, self.email) if x)


DEFAULT = Publisher(site_name=DEFAULT_SITE_NAME)


def settings(config: dict) -> Publisher:
    """The publisher of a raw mkdocs.yml (engine._raw_config)."""
    extra = config.get("extra") or {}
    if not isinstance(extra, dict):
        raise SettingsError("mkdocs.yml: mục 'extra' phải là một khối các khoá (ví dụ 'extra:' rồi các dòng thụt vào)")
    block = extra.get("publisher") or {}
    if not isinstance(block, dict):
        raise SettingsError("mkdocs.yml: mục 'extra.publisher' phải là một khối các khoá (name, address, email, …)")
    unknown = sorted(set(map(str, block)) - _KEYS)
    if unknown:
        raise SettingsError(f"mkdocs.yml: 'extra.publisher' không có khoá '{unknown[0]}'; các khoá dùng được: "
                            + ", ".join(sorted(_KEYS)))
    text = {k: _text(block, k) for k in _KEYS - {"featured", "scope"}}
    for key in ("primary_color", "accent_color"):
        if text[key] and not _COLOUR.fullmatch(text[key]):
            raise SettingsError(f"mkdocs.yml: 'extra.publisher.{key}' phải là mã màu dạng #rrggbb, "
                                f"ví dụ {DEFAULT_PRIMARY}; đang là '{text[key]}'")
    if text["email"] and not _EMAIL.fullmatch(text["email"]):
        raise SettingsError(f"mkdocs.yml: 'extra.publisher.email' không phải địa chỉ thư điện tử: '{text['email']}'")
    site_name = " ".join(str(config.get("site_name") or "").split())
    if not site_name:
        raise SettingsError("mkdocs.yml: cần 'site_name', tên trang, ví dụ: Sổ vàng người tốt, việc tốt")
    return Publisher(
        site_name=site_name, site_url=str(config.get("site_url") or "").strip() or None,
        organisation=text["name"], address=text["address"], email=text["email"], phone=text["phone"],
        website=text["website"], logo=text["logo"] or DEFAULT_LOGO,
        primary_color=(text["primary_color"] or DEFAULT_PRIMARY).lower(),
        accent_color=(text["accent_color"] or DEFAULT_ACCENT).lower(),
        home_title=text["home_title"], home_text=text["home_text"] or DEFAULT_HOME_TEXT, footer=text["footer"],
        featured=_featured(block.get("featured")), scope=_scope(block.get("scope")),
        description=" ".join(str(config.get("site_description") or "").split()),
    )


def _text(block: dict, key: str) -> str:
    value = block.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise SettingsError(f"mkdocs.yml: 'extra.publisher.{key}' phải là một dòng chữ")
    return " ".join(str(value).split())


def _featured(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SettingsError("mkdocs.yml: 'extra.publisher.featured' phải là danh sách tên thư mục hồ sơ (slug), "
                            "mỗi dòng một mục bắt đầu bằng '- '")
    if len(value) > MAX_FEATURED:
        raise SettingsError(f"mkdocs.yml: 'extra.publisher.featured' có {len(value)} hồ sơ; trang chủ giới thiệu "
                            f"tối đa {MAX_FEATURED}")
    return tuple(v.strip() for v in value)


def _scope(value) -> Scope | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= {"province", "district"} or not value.get("province"):
        raise SettingsError("mkdocs.yml: 'extra.publisher.scope' cần 'province' (tỉnh, thành phố hiện nay) và có "
                            f"thể thêm 'district' (huyện cũ, trước {REFORM_TEXT}, khi đó 'province' là tỉnh cũ)")
    reg = registry()
    province, district = str(value["province"]), value.get("district")
    if district is None:
        found = reg.current_provinces.find(province)
        if len(found) != 1:
            raise SettingsError(f"mkdocs.yml: 'extra.publisher.scope.province': không có tỉnh, thành phố "
                                f"'{province}' trong danh mục từ {REFORM_TEXT}")
        return Scope(found[0])
    olds = reg.find_legacy_province(province)
    if len(olds) != 1:
        raise SettingsError(f"mkdocs.yml: 'extra.publisher.scope.province': không có tỉnh '{province}' trong danh "
                            f"mục trước {REFORM_TEXT} (khi có 'district', tỉnh là tỉnh cũ của huyện đó)")
    districts = reg.legacy_districts[olds[0].code].find(str(district))
    if len(districts) != 1:
        raise SettingsError(f"mkdocs.yml: 'extra.publisher.scope.district': {olds[0].name} không có huyện "
                            f"'{district}'")
    return Scope(olds[0], districts[0])


def featured_records(publisher: Publisher, records, photos: dict) -> tuple[list, list[str]]:
    """The home page's featured records and the slugs of the list that name no published record
    (a withdrawn record must not stay on the home page; the build warns instead of failing)."""
    by_slug = {r.slug: r for r in records}
    chosen = [by_slug[s] for s in publisher.featured if s in by_slug]
    missing = [s for s in publisher.featured if s not in by_slug]
    if not chosen:
        from .order import latest

        with_photo = [r for r in latest(records, len(records)) if photos.get(r.slug)]
        chosen = (with_photo or latest(records, FEATURED_DEFAULT))[:FEATURED_DEFAULT]
    return chosen, missing


SITE_URL_MISSING = ("Cảnh báo: mkdocs.yml chưa có 'site_url' (địa chỉ công khai của trang, ví dụ "
                    "https://sovang.tinhdoan.vn/). Khi chưa có: sơ đồ trang sitemap.xml không liệt kê trang nào, "
                    "nên công cụ tìm kiếm khó thấy hồ sơ; ảnh chia sẻ (og:image) là đường dẫn tương đối, nên "
                    "Facebook và Zalo không hiện ảnh khi chia sẻ; nguồn tin Atom và dữ liệu mở dùng đường dẫn "
                    "tương đối và mã tạm 'tag:sovang.invalid'. Hãy thêm dòng site_url trước khi công bố.")

EMAIL_MISSING = ("Cảnh báo: mkdocs.yml chưa có 'extra.publisher.email' (thư điện tử của đơn vị, ví dụ "
                 "sovang@tinhdoan.example.vn). Khi chưa có: trang Đề cử không có nút gửi thư, nên người dân "
                 "không đề cử được một cá nhân hay việc tốt có trẻ em (những đề cử này chỉ gửi riêng qua thư, "
                 "không qua GitHub). Hãy thêm dòng email vào khối extra.publisher trước khi công bố.")


def colours_ok(publisher: Publisher) -> list[str]:
    """Vietnamese warnings for colours that make text unreadable (WCAG AA, 4.5:1)."""
    problems = []
    for key, colour, what in (("primary_color", publisher.primary_color, "chữ trắng trên thanh đầu trang"),
                              ("accent_color", publisher.accent_color, "liên kết và khung chọn trên nền trắng")):
        ratio = _contrast(colour, "#ffffff")
        if ratio < 4.5:
            problems.append(f"Cảnh báo: màu {colour} (extra.publisher.{key}) quá nhạt cho {what}: độ tương phản "
                            f"{ratio:.1f}:1, cần ít nhất 4,5:1 để dễ đọc. Hãy chọn màu đậm hơn.")
    return problems


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


__all__ = ["DEFAULT", "Publisher", "Scope", "SettingsError", "settings", "featured_records", "colours_ok", "SITE_URL_MISSING", "EMAIL_MISSING"]
