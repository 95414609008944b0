"""A date as precise as its source: a year, a month or a day.

Sources often give only "năm 2022" or "tháng 12/2022". Writing 31 December
for them states a day nobody knows, and the site would show it as fact. A
`Period` keeps what was written and answers what each reader needs: its first
day (the youngest a person could have been, the future-date rule, list
order), its last day (whether a replication is certainly older than its
original), its year (the year pages) and its words on a page ("năm 2022",
"tháng 12/2022", "05/07/2020").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

YEAR, MONTH, DAY = "year", "month", "day"
PRECISIONS = (YEAR, MONTH, DAY)
# As editors may write it: 2022, 2022-12 or 2022-12-05.
PATTERN = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
_PARTS = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        # Raises ValueError for a month or day that does not exist, and for a day without a month.
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def precision(self) -> str:
        return DAY if self.day is not None else MONTH if self.month is not None else YEAR

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        if self.day is not None:
            return self.first
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        """The period as it is written in a record: "2022", "2022-12" or "2022-12-05"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def toordinal(self) -> int:
        return self.first.toordinal()

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        # The first day orders lists; of two periods starting the same day, the shorter first.
        return self.first, self.last

    def __lt__(self, other: "Period") -> bool:
        return self.sort_key < other.sort_key

    def __le__(self, other: "Period") -> bool:
        return self.sort_key <= other.sort_key

    def __gt__(self, other: "Period") -> bool:
        return self.sort_key > other.sort_key

    def __ge__(self, other: "Period") -> bool:
        return self.sort_key >= other.sort_key

    def straddles(self, day: dt.date) -> bool:
        """Whether the period has days both before `day` and from it (the year 2025 and the reform)."""
        return self.first < day <= self.last


def parse(text: str) -> Period | None:
    """"2022", "2022-12" or "2022-12-05" as a Period; None if it is not one of those forms.
    Raises ValueError when the form is right but the month or day does not exist."""
    m = _PARTS.fullmatch(text)
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    return Period(year, month, day)


def of(day: dt.date) -> Period:
    return Period(day.year, day.month, day.day)


def first_day(value) -> dt.date:
    """The first day of a Period, or a date itself."""
    return value.first if isinstance(value, Period) else value


def vi_period(value) -> str:
    """"năm 2022", "tháng 12/2022" or "05/07/2020": a period as a page names it (a date: its day)."""
    if isinstance(value, Period) and value.precision == YEAR:
        return f"năm {value.year}"
    if isinstance(value, Period) and value.precision == MONTH:
        return f"tháng {value.month}/{value.year}"
    day = first_day(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def vi_when(value) -> str:
    """The period after a verb: "ngày 05/07/2020", "tháng 12/2022", "năm 2022" ("ghi danh …")."""
    text = vi_period(value)
    return text if isinstance(value, Period) and value.precision != DAY else "ngày " + text
