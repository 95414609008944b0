"""The finder's filters ("Tra cứu"): what each record is filed under, and the menus' values.

The filter keys are the finder page's query parameters (`?tinh=...`); the
search index (`search.py`) stores each value's records, the page's menus list
them with their totals.
"""

from __future__ import annotations

from collections import Counter

from ..core.vntext import sort_key
from ..records.model import Record
from ..records.places import LEGACY
from ..records.schema import REFORM_TEXT
from .lineage import Lineage

FINDER_FILTERS = {"loai": "Loại hồ sơ", "tinh": "Tỉnh, thành phố", "tinh-cu": f"Tỉnh cũ (trước {REFORM_TEXT})",
                  "huyen": f"Huyện cũ (trước {REFORM_TEXT})", "linh-vuc": "Lĩnh vực", "nam": "Năm ghi danh",
                  "chuong-trinh": "Chương trình", "nhan-rong": "Nhân rộng"}
# The citizen's question is "which models spread": the originals that did, and the models that
# were taken up from another (a replica whose original is withdrawn is neither: lineage.py).
SPREAD, REPLICA = "Đã được nhân rộng", "Nhân rộng từ mô hình khác"


def finder_values(r: Record, lineage: Lineage) -> dict[str, list[str]]:
    """The finder's filter values of one record, as the search index stores them."""
    p = r.place
    values = {"loai": [r.kind_label], "tinh": [p.current_province.name], "linh-vuc": [t.name for t in r.fields],
              "nam": [str(r.year)], "chuong-trinh": [t.name for t in r.programmes],
              "nhan-rong": [v for v, yes in ((SPREAD, lineage.has_spread(r)), (REPLICA, lineage.is_replica(r))) if yes]}
    if p.era == LEGACY:
        values["tinh-cu"] = [p.province.name]
        values["huyen"] = [f"{p.district.name}, {p.province.short}"] if p.district else []
    return values


def finder_options(records, lineage: Lineage | None = None) -> list[dict]:
    """Each filter with its values and how many records have each, for the finder's menus.

    Rendered into the page, so the menus work before (and without) loading
    the search index's filter files; the finder refreshes the counts for the
    current query once a visitor opens the filters.
    """
    lineage = lineage or Lineage(records)
    counts = {key: Counter() for key in FINDER_FILTERS}
    for r in records:
        for key, values in finder_values(r, lineage).items():
            counts[key].update(values)
    return [{"key": key, "label": label,
             "values": sorted(counts[key].items(), key=lambda kv: (-int(kv[0]), "") if key == "nam"
                              else (sort_key(kv[0]), kv[0]))}
            for key, label in FINDER_FILTERS.items()]
