"""The record format: the single source of truth.

`entry.yml` is a public contract: editors write it, other tools read it. The
validator walks `RECORD`; the JSON Schema and the editors' reference are
generated from it, so the three can never disagree. Each key carries its
Vietnamese description, which is what editors see.

Checks that need more than one value (places against the registry, field
keys against the taxonomy, photo files against the folder, duplicates across
records) are semantic and live in `validate.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..core.vntext import vi_date_text

PERSON, COLLECTIVE, INITIATIVE = "person", "collective", "initiative"
KINDS = (PERSON, COLLECTIVE, INITIATIVE)
KIND_LABELS = {PERSON: "Cá nhân", COLLECTIVE: "Tập thể", INITIATIVE: "Mô hình"}
ONLY_PERSON = frozenset({PERSON})
ONLY_INITIATIVE = frozenset({INITIATIVE})  # only a model is replicated (nhân rộng)
GROUPS = frozenset({COLLECTIVE, INITIATIVE})  # the kinds that name no one person

# The day from which the two-tier administrative units apply (Resolution 202/2025/QH15):
# a record dated before it is placed in the 63 former provinces and their districts.
REFORM = dt.date(2025, 7, 1)
REFORM_TEXT = vi_date_text(REFORM)  # day/month/year, as editors and the site read it in running text

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A letter or digit at both ends: Windows drops a trailing dot, so "anh.jpg." and "anh.jpg" collide.
FILE_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$"
# Names Windows reserves for devices, with or without an extension ("CON.jpg"): a checkout
# holding one fails there. Compared without case, on the part before the first dot.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                              *(f"{p}{n}" for p in ("com", "lpt") for n in "0123456789\u00b9\u00b2\u00b3")})
# Windows refuses paths over 260 characters without a setting most checkouts lack; the part
# under content/entries is kept well inside, leaving room for the clone's own folder.
MAX_ENTRY_PATH = 160


@dataclass(frozen=True)
class Text:
    max_len: int | None = None
    multiline: bool = False  # a Markdown body: blank lines allowed
    paragraph: bool = False  # one paragraph: line breaks fold to spaces, no blank line
    pattern: str | None = None
    pattern_doc: str = ""  # the pattern in editors' words


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]
    labels: tuple[str, ...] = ()  # each value in editors' words, for forms (the composer); () shows the values


@dataclass(frozen=True)
class Date:
    # A period (generator/core/period.py): a year, a month or a day, as precise as the source.
    # Otherwise a day (YYYY-MM-DD), for what is always known to the day (an article's publication).
    partial: bool = False


@dataclass(frozen=True)
class Bool:
    pass


@dataclass(frozen=True)
class Integer:
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Quantity:
    """A number (22, 3450, 2.1), or a short text where the source gives no figure ("hàng tỷ")."""

    max_len: int = 60


@dataclass(frozen=True)
class Url:
    schemes: tuple[str, ...] = ("http", "https")


@dataclass(frozen=True)
class ListOf:
    item: object
    min_items: int = 0
    unique: bool = False


@dataclass(frozen=True)
class Obj:
    fields: tuple["Field", ...]

    def field(self, key: str) -> "Field | None":
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class Field:
    key: str
    type: object
    doc: str
    required: bool = False
    kinds: frozenset[str] | None = None  # record kinds allowed to use the key; None: every kind
    required_for: frozenset[str] = field(default_factory=frozenset)  # kinds for which it is required
    label: str = ""  # the key in editors' words, as a form asks for it (the composer, generator/site/composer.py)
    # What editors write instead of the key when they write it in Vietnamese ("tên:", "tóm tắt:"): the
    # validator names the key they meant. Compared as slugs (no case, diacritics or punctuation).
    aliases: tuple[str, ...] = ()


PLACE = Obj((
    Field("province", Text(max_len=80), "Tỉnh/thành phố, tên chính thức, có hoặc không có chữ 'Tỉnh'/'Thành phố' "
          f"(ví dụ: Hà Nam). Ghi danh trước {REFORM_TEXT} dùng 63 tỉnh cũ; từ {REFORM_TEXT} dùng 34 tỉnh mới.", required=True, label="Tỉnh, thành phố",
          aliases=("tỉnh", "tỉnh thành", "tỉnh/thành phố", "thành phố")),
    Field("district", Text(max_len=80), "Huyện/quận/thị xã/thành phố thuộc tỉnh (ví dụ: Thanh Liêm). Có thể ghi kèm "
          "cấp đơn vị như nguồn ghi vào thời điểm đó (ví dụ: Thị xã Tân Uyên, nay là thành phố): trang hồ sơ hiện đúng như vậy. "
          f"Bắt buộc khi ngày ghi danh trước {REFORM_TEXT}; bỏ trống từ {REFORM_TEXT} vì không còn cấp huyện.", label="Huyện, quận, thị xã, thành phố thuộc tỉnh",
          aliases=("huyện", "quận", "thị xã", "quận/huyện", "huyện/quận")),
    Field("commune", Text(max_len=80), f"Xã/phường/thị trấn (không bắt buộc), thuộc huyện (trước {REFORM_TEXT}) hoặc thuộc tỉnh (từ {REFORM_TEXT}). "
          "Có thể ghi kèm cấp đơn vị như nguồn ghi (ví dụ: Thị trấn Kiện Khê).", label="Xã, phường, thị trấn",
          aliases=("xã", "phường", "thị trấn", "xã/phường", "phường/xã", "đặc khu")),
))

PHOTO = Obj((
    Field("file", Text(max_len=120, pattern=FILE_PATTERN, pattern_doc="chữ cái không dấu, số, dấu chấm, gạch ngang, gạch dưới; bắt đầu và kết thúc bằng chữ hoặc số"),
          "Tên tệp ảnh nằm cùng thư mục với entry.yml (ví dụ: anh-1.jpg). Chỉ nhận ảnh JPEG, PNG hoặc WebP "
          "(theo nội dung tệp, không theo đuôi), tối đa 25 MB và 60 triệu điểm ảnh, không chứa toạ độ GPS "
          "(xoá bằng lệnh sovang photos --strip-gps).", required=True, label="Tệp ảnh",
          aliases=("tệp", "tên tệp", "tệp ảnh", "ảnh", "tên ảnh")),
    Field("caption", Text(max_len=300, paragraph=True), "Chú thích ảnh.", required=True, label="Chú thích ảnh",
          aliases=("chú thích",)),
    Field("credit", Text(max_len=120), "Tác giả hoặc nguồn ảnh (ví dụ: Việt Hà).", required=True, label="Tác giả hoặc nguồn ảnh",
          aliases=("tác giả", "người chụp", "nguồn ảnh", "nguồn")),
    Field("alt", Text(max_len=300, paragraph=True), "Mô tả nội dung ảnh cho người khiếm thị.", required=True, label="Mô tả ảnh cho người khiếm thị",
          aliases=("mô tả", "mô tả ảnh")),
))

SOURCE = Obj((
    Field("title", Text(max_len=300), "Tiêu đề bài báo hoặc văn bản.", required=True, label="Tiêu đề bài viết, văn bản",
          aliases=("tiêu đề", "tên bài", "tên bài báo")),
    Field("url", Url(), "Địa chỉ bài viết, bắt đầu bằng http:// hoặc https://.", label="Địa chỉ web",
          aliases=("địa chỉ", "đường dẫn", "liên kết", "link")),
    Field("publisher", Text(max_len=200), "Cơ quan đăng tải (ví dụ: Báo Quảng Ngãi).", label="Cơ quan đăng tải",
          aliases=("cơ quan đăng tải", "nơi đăng", "báo")),
    Field("date", Date(), "Ngày đăng, dạng YYYY-MM-DD.", label="Ngày đăng", aliases=("ngày", "ngày đăng")),
))

HONOUR = Obj((
    Field("title", Text(max_len=200), "Hình thức khen thưởng (ví dụ: Bằng khen).", required=True, label="Hình thức khen thưởng",
          aliases=("hình thức", "hình thức khen thưởng", "danh hiệu")),
    Field("issuer", Text(max_len=200), "Cơ quan khen thưởng (ví dụ: UBND tỉnh Hà Nam).", label="Cơ quan khen thưởng",
          aliases=("cơ quan khen thưởng", "nơi khen", "cấp khen")),
    Field("decision", Text(max_len=80), "Số quyết định (ví dụ: 1234/QĐ-UBND).", label="Số quyết định", aliases=("số quyết định", "quyết định")),
    Field("date", Date(partial=True), "Thời gian quyết định, chính xác như nguồn ghi: năm (2020), tháng (2020-07) hoặc ngày (2020-07-05).",
          label="Thời gian quyết định", aliases=("ngày", "ngày quyết định", "năm", "thời gian")),
))

RESULT = Obj((
    Field("label", Text(max_len=160), "Nội dung kết quả (ví dụ: Gạo tiết kiệm được).", required=True, label="Nội dung kết quả",
          aliases=("nội dung", "chỉ tiêu")),
    Field("value", Quantity(), "Con số: số nguyên viết liền (3450, không viết 3.450), số thập phân dùng dấu chấm (2.1).", required=True, label="Con số",
          aliases=("giá trị", "con số", "số liệu", "số lượng")),
    Field("unit", Text(max_len=40), "Đơn vị (ví dụ: kg, tỷ đồng, cuộc).", label="Đơn vị tính", aliases=("đơn vị", "đơn vị tính")),
))

# Where a model was replicated without a record of its own: a place, or only a number where
# the source gives one ("nhân rộng ra 5 huyện"), or a number within a place ("374 khu dân cư").
REPLICATION = Obj((
    Field("place", PLACE, "Nơi nhân rộng: province, district, commune, đúng thời kỳ của date (hoặc của ngày ghi danh "
          "hồ sơ khi không ghi date).", label="Nơi nhân rộng", aliases=("địa bàn", "nơi", "địa phương", "nơi nhân rộng")),
    Field("count", Integer(min=1, max=1_000_000), "Số nơi nhân rộng, khi nguồn chỉ nêu con số (ví dụ: 5 huyện, 374 khu dân cư).",
          label="Số nơi nhân rộng", aliases=("số nơi", "số lượng", "số")),
    Field("date", Date(partial=True), "Thời gian nhân rộng, chính xác như nguồn ghi: năm, tháng hoặc ngày; không trước "
          "ngày ghi danh của mô hình.", label="Thời gian nhân rộng", aliases=("ngày", "năm", "thời gian")),
    Field("note", Text(max_len=300, paragraph=True), "Ghi chú (ví dụ: 5 huyện, thị xã trong tỉnh; 374 khu dân cư trên địa bàn huyện).",
          label="Ghi chú", aliases=("ghi chú", "mô tả")),
))

CONSENT = Obj((
    Field("name", Bool(), "Người được ghi danh đồng ý công bố họ tên (true/false). Phải là true thì hồ sơ mới được xuất bản.", required=True, label="Người được ghi danh đồng ý công bố họ tên?",
          aliases=("tên", "họ tên")),
    Field("photo", Bool(), "Đồng ý công bố ảnh (true/false). Thiếu hoặc false thì ảnh của cá nhân không được đăng.", label="Đồng ý công bố ảnh của người đó?", aliases=("ảnh",)),
    Field("story", Bool(), "Đồng ý công bố câu chuyện (true/false).", label="Đồng ý công bố câu chuyện?", aliases=("câu chuyện",)),
    Field("given_by", Choice(("self", "guardian"), ("Chính người được ghi danh", "Người giám hộ (cha, mẹ hoặc người giám hộ hợp pháp)")), "Ai đồng ý: self (chính người đó) hoặc guardian (người giám hộ, bắt buộc với người dưới 16 tuổi).", label="Ai đã đồng ý?", aliases=("người đồng ý", "ai đồng ý")),
    Field("date", Date(), "Ngày đồng ý, dạng YYYY-MM-DD.", label="Ngày đồng ý", aliases=("ngày", "ngày đồng ý")),
    Field("note", Text(max_len=300), "Ghi chú về sự đồng ý (ví dụ: hình thức, người xác nhận).", label="Ghi chú về sự đồng ý", aliases=("ghi chú",)),
))

RECORD = Obj((
    Field("kind", Choice(KINDS, tuple(KIND_LABELS[k] for k in KINDS)), "Loại hồ sơ: person (cá nhân), collective (tập thể), initiative (mô hình).", required=True, label="Loại hồ sơ",
          aliases=("loại", "loại hồ sơ", "kiểu")),
    Field("name", Text(max_len=200), "Họ và tên (cá nhân), tên tập thể, hoặc tên mô hình.", required=True, label="Tên (họ và tên cá nhân, tên tập thể hoặc tên mô hình)",
          aliases=("tên", "họ tên", "họ và tên", "tên mô hình", "tên tập thể")),
    Field("summary", Text(max_len=300, paragraph=True), "Tóm tắt: một đoạn văn thuần, tối đa 300 ký tự.", required=True, label="Tóm tắt",
          aliases=("tóm tắt", "mô tả", "tóm lược")),
    Field("date", Date(partial=True), "Thời gian ghi danh vào Sổ vàng, chính xác như nguồn ghi, không đoán thêm: năm (2022), "
          "tháng (2022-12) hoặc ngày (2022-12-05). Năm 2025 có cả trước và sau ngày sắp xếp đơn vị hành chính "
          f"({REFORM_TEXT}): khi địa bàn không cho biết thời kỳ thì ghi thêm tháng.", required=True, label="Thời gian ghi danh",
          aliases=("ngày", "ngày ghi danh", "ngày tháng", "năm", "thời gian", "năm ghi danh")),
    Field("place", PLACE, "Địa bàn: province, district, commune.", required=True, label="Địa bàn",
          aliases=("địa bàn", "địa điểm", "địa phương", "nơi")),
    Field("fields", ListOf(Text(max_len=60), min_items=1, unique=True),
          "Lĩnh vực: một hoặc nhiều khoá trong content/taxonomy.yml.", required=True, label="Lĩnh vực", aliases=("lĩnh vực",)),
    Field("programmes", ListOf(Text(max_len=60), unique=True), "Chương trình, phong trào, cuộc thi mà hồ sơ thuộc về "
          "(ví dụ: Chỉ thị 05-CT/TW): khoá trong mục programmes của content/taxonomy.yml.", label="Chương trình, phong trào",
          aliases=("chương trình", "phong trào", "cuộc thi", "cuộc vận động")),
    Field("replicates", Text(max_len=80, pattern=SLUG_PATTERN, pattern_doc="tên thư mục hồ sơ: chữ thường không dấu, số và dấu gạch ngang"),
          "Mô hình này nhân rộng từ mô hình nào: tên thư mục hồ sơ của mô hình gốc (ví dụ: duong-hoa-quan-su).",
          kinds=ONLY_INITIATIVE, label="Nhân rộng từ mô hình", aliases=("nhân rộng từ", "mô hình gốc", "học tập từ")),
    Field("replicated_in", ListOf(REPLICATION), "Nơi mô hình đã được nhân rộng mà chưa có hồ sơ riêng: danh sách "
          "{place, count, date, note}; mỗi mục ghi place, count hoặc cả hai. Nơi nhân rộng có hồ sơ riêng thì ghi "
          "replicates trong hồ sơ đó.", kinds=ONLY_INITIATIVE, label="Đã được nhân rộng tại",
          aliases=("nhân rộng", "nhân rộng tại", "đã nhân rộng", "được nhân rộng")),
    Field("organization", Text(max_len=200), "Đơn vị thực hiện mô hình, hoặc nơi cá nhân/tập thể công tác, sinh hoạt.", label="Đơn vị thực hiện, nơi công tác",
          aliases=("đơn vị", "tổ chức", "cơ quan", "nơi công tác")),
    Field("photos", ListOf(PHOTO), "Ảnh: danh sách {file, caption, credit, alt}; ảnh đầu tiên cũng dùng làm "
          "ảnh đại diện khi chia sẻ liên kết lên mạng xã hội.", label="Ảnh", aliases=("ảnh", "hình ảnh", "hình")),
    Field("sources", ListOf(SOURCE), "Nguồn: bài báo, văn bản làm căn cứ: danh sách {title, url, publisher, date}.", label="Nguồn tư liệu",
          aliases=("nguồn", "nguồn tin", "nguồn tư liệu", "tài liệu")),
    Field("honours", ListOf(HONOUR), "Khen thưởng: danh sách {title, issuer, decision, date}.", label="Khen thưởng", aliases=("khen thưởng", "danh hiệu", "thành tích")),
    Field("results", ListOf(RESULT), "Kết quả đạt được: danh sách {label, value, unit}.",
          kinds=GROUPS, label="Kết quả đạt được", aliases=("kết quả", "kết quả đạt được")),
    Field("contact", Text(max_len=200), "Liên hệ công khai của đơn vị (ví dụ: đường dây nóng, thư điện tử của cơ quan). "
          "Đây là trường duy nhất được ghi số điện thoại hay thư điện tử; không ghi liên hệ của cá nhân.",
          kinds=GROUPS, label="Liên hệ công khai của đơn vị",
          aliases=("liên hệ", "thông tin liên hệ")),
    Field("birth_year", Integer(min=1900, max=2100), "Năm sinh (chỉ năm, không ghi ngày sinh).", kinds=ONLY_PERSON, label="Năm sinh",
          aliases=("năm sinh",)),
    Field("adult", Bool(), "Khi không ghi năm sinh: true nếu chắc chắn người được ghi danh đã đủ 16 tuổi vào ngày "
          "ghi danh, có căn cứ (ví dụ: nguồn tin nêu người đó đang giữ chức vụ, đang đi làm, là cựu chiến binh). "
          "Hồ sơ cá nhân phải có một trong ba: birth_year, adult: true, hoặc consent.given_by: guardian.", kinds=ONLY_PERSON, label="Chắc chắn đã đủ 16 tuổi vào ngày ghi danh (khi không ghi năm sinh)",
          aliases=("đủ tuổi", "người lớn", "trưởng thành", "đủ 16 tuổi")),
    Field("role", Text(max_len=200), "Chức vụ, nghề nghiệp.", kinds=ONLY_PERSON, label="Chức vụ, nghề nghiệp",
          aliases=("chức vụ", "nghề nghiệp", "vai trò")),
    Field("consent", CONSENT, "Sự đồng ý công bố của người được ghi danh.", kinds=ONLY_PERSON, required_for=ONLY_PERSON, label="Sự đồng ý công bố",
          aliases=("đồng ý", "sự đồng ý", "chấp thuận")),
    Field("story", Text(max_len=20_000, multiline=True), "Câu chuyện, viết bằng Markdown.", label="Câu chuyện",
          aliases=("câu chuyện", "nội dung", "bài viết", "chuyện")),
    Field("withdrawn", Bool(), "Gỡ hồ sơ khỏi trang (true/false): khi là true, lần dựng sau xoá trang, ảnh, mục tìm "
          "kiếm, nguồn tin, thống kê và dữ liệu mở của hồ sơ; tệp vẫn còn trong kho. Muốn xoá hẳn thì xoá cả thư mục.", label="Gỡ hồ sơ khỏi trang",
          aliases=("gỡ", "gỡ hồ sơ", "đã gỡ")),
    Field("withdrawn_reason", Text(max_len=300, paragraph=True), "Lý do gỡ hồ sơ (ví dụ: người được ghi danh đề nghị "
          "gỡ ngày 02/3/2026). Bắt buộc khi withdrawn: true.", label="Lý do gỡ hồ sơ", aliases=("lý do gỡ", "lí do gỡ")),
))


@dataclass(frozen=True)
class MapOf:
    """A mapping whose keys are chosen by editors (e.g. the field vocabulary)."""

    value: object
    key_pattern: str = SLUG_PATTERN
    key_doc: str = "chữ thường không dấu, số và dấu gạch ngang, ví dụ: moi-truong"


TERM = Obj((
    Field("name", Text(max_len=80), "Tên lĩnh vực hiển thị trên trang (ví dụ: Môi trường).", required=True, label="Tên lĩnh vực"),
    Field("description", Text(max_len=300, paragraph=True), "Mô tả ngắn về lĩnh vực.", label="Mô tả lĩnh vực"),
))

PROGRAMME = Obj((
    Field("name", Text(max_len=120), "Tên chương trình, phong trào hiển thị trên trang (ví dụ: Học tập và làm theo tư tưởng, "
          "đạo đức, phong cách Hồ Chí Minh).", required=True, label="Tên chương trình"),
    Field("description", Text(max_len=300, paragraph=True), "Mô tả ngắn: văn bản phát động, cơ quan phát động, thời gian.",
          label="Mô tả chương trình"),
))

TAXONOMY = Obj((
    Field("fields", MapOf(TERM), "Danh mục lĩnh vực: mỗi khoá là mã lĩnh vực dùng trong trường fields của hồ sơ.", required=True, label="Danh mục lĩnh vực"),
    Field("programmes", MapOf(PROGRAMME), "Danh mục chương trình, phong trào, cuộc thi: mỗi khoá là mã dùng trong trường "
          "programmes của hồ sơ.", label="Danh mục chương trình"),
))
