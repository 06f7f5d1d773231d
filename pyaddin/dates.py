"""Dates and times as exports write them (DOMAIN.md §3), a whole column at a time in Arrow.

Every form is matched by one of a few patterns (RE2, in C++): year first (ISO with ``T``,
fractional seconds, ``Z`` or an offset; ``2026/9/3 8:05``; ``2026年9月3日 08:05``), year last
(``09/03/2026``, ``29-02-2016 01:16``, ``03.09.2026``), and month names (``Sep 3, 2026``,
``24/Oct/24 3:15 PM``), each with an optional time that may carry AM/PM or 上午/下午.
Day/month order of a year-last column is inferred from values that prove it; dot-separated
dates are day first, as everywhere they are written.  A value with an offset is converted to
the workbook's time zone and stored without one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_RANGE = (32874.0, 73416.0)  # Excel serials of 1990-01-01 and 2101-01-01: a bare number outside is no date

_TIME = (r"(?:(?:\s*[T\s]\s*|\s+)(?P<ap1>上午|下午|[AaPp]\.?[Mm]\.?)?\s*(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})"
         r"(?:\s*[:分]\s*(?P<S>\d{1,2})(?:[.,](?P<F>\d{1,9}))?)?\s*[分秒]?\s*(?P<ap2>上午|下午|[AaPp]\.?[Mm]\.?)?)?"
         r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|UTC|GMT)?\s*$")
PATTERNS = {
    "year_first": r"^\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<a>\d{1,2})\s*[-/.月]\s*(?P<b>\d{1,2})\s*[日号]?" + _TIME,
    "year_last": r"^\s*(?P<a>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<y>\d{4}|\d{2})" + _TIME,
    "month_first": r"^\s*(?P<mon>\pL{3,9})\.?\s+(?P<b>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME,
    "day_month": r"^\s*(?P<b>\d{1,2})[\s/-](?P<mon>\pL{3,9})\.?[\s/-](?P<y>\d{4}|\d{2})" + _TIME,
}
MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for m in names}
# the abbreviations localised exports write (a Jira in Portuguese: 05/set/23 9:50 AM), DOMAIN.md §3
MONTHS.update({m: i for i, names in enumerate((
    ("janv", "ene"), ("fev", "févr", "fevr"), ("mars", "mär", "maer"), ("abr", "avr"), ("mai",), ("juin",),
    ("juil",), ("ago", "août", "aout"), ("set", "sept"), ("out", "okt"), (), ("dez", "dic", "déc")), start=1)
    for m in names})


@dataclass
class OrderNote:
    """How a year-last column's day/month order was chosen, for the import to say."""

    order: str  # "dmy" or "mdy"
    reason: str  # "proved", "setting", "conflict"
    example: str = ""


NUMERIC = ("y", "a", "b", "H", "M", "S")


def _fields(parts, names) -> pd.DataFrame:
    """The matched parts as columns: numbers cast in Arrow (no Python object per cell), words as text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = {}
    for n in names:
        f = parts.field(n)
        f = pc.if_else(pc.equal(f, ""), pa.scalar(None, f.type), f)
        if n in NUMERIC:
            out[n] = pc.cast(f, pa.float64()).to_numpy(zero_copy_only=False)
        elif n == "F":  # fractional seconds → nanoseconds
            out[n] = pc.cast(pc.utf8_slice_codeunits(pc.utf8_rpad(f, 9, "0"), 0, 9), pa.int64()).to_numpy(
                zero_copy_only=False)
        else:
            out[n] = f.to_pandas()
    return pd.DataFrame(out)


def parse_text(arr, *, day_first: bool = False, utc_offset_h: float = 8.0):
    """Arrow text → (datetime64[ns] numpy array, NaT where unreadable; OrderNote or None)."""
    import pyarrow.compute as pc

    n = len(arr)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    left = np.ones(n, dtype=bool)
    note = None
    names = ("y", "a", "b", "mon", "H", "M", "S", "F", "ap1", "ap2", "tz", "sep")
    for kind, pattern in PATTERNS.items():
        if not left.any():
            break
        sub = pc.filter(arr, left)
        parts = pc.extract_regex(sub, pattern)
        have = [x for x in names if parts.type.get_field_index(x) >= 0]
        f = _fields(parts, have)
        matched = f["y"].notna().to_numpy()
        if not matched.any():
            continue
        f = f[matched]
        idx = np.flatnonzero(left)[matched]
        year = f["y"]  # the numeric fields are float64 already (cast in Arrow by ``_fields``)
        if kind != "year_first":  # a year written in two digits (24/Oct/24); 01/01/0001 is a placeholder, not 2001
            two = pc.utf8_length(parts.field("y")).to_numpy(zero_copy_only=False)[matched] == 2
            year = year.where(~two, year + 2000)
        year = year.clip(1800, 2200)  # 0001-01-01, 9999-12-31: placeholders, not overflows
        if kind == "year_first":
            month, day = f["a"], f["b"]
        elif kind == "year_last":
            a, b = f["a"], f["b"]
            dots = (f["sep"] == ".").to_numpy()
            first_over, second_over = bool((a[~dots] > 12).any()), bool((b[~dots] > 12).any())
            if first_over and not second_over:
                dmy, reason = True, "proved"
            elif second_over and not first_over:
                dmy, reason = False, "proved"
            elif first_over and second_over:
                dmy, reason = int((a[~dots] > 12).sum()) >= int((b[~dots] > 12).sum()), "conflict"
            else:
                dmy, reason = day_first, "setting"
            if (~dots).any():  # the example: the first row that proves the order, else the first row the setting read
                rows = idx[~dots]
                if reason != "setting":  # proved or in conflict: a row over 12 in the chosen place exists
                    rows = rows[((a[~dots] > 12) if dmy else (b[~dots] > 12)).to_numpy()]
                note = OrderNote("dmy" if dmy else "mdy", reason, arr[int(rows[0])].as_py())
            day = pd.Series(np.where(dots | dmy, a, b), index=f.index)
            month = pd.Series(np.where(dots | dmy, b, a), index=f.index)
        else:
            month = f["mon"].str.lower().map(MONTHS)
            day = f["b"]
        hour = f["H"].fillna(0)  # every pattern ends with _TIME: the time fields are always there
        ap = f["ap1"].fillna(f["ap2"]).fillna("")
        ap = ap.str.replace(".", "", regex=False).str.lower()
        pm = ap.isin(["pm", "下午"]).to_numpy()
        am = ap.isin(["am", "上午"]).to_numpy()
        bad_ampm = (pm | am) & (hour.to_numpy() > 12)
        hour = pd.Series(np.where(pm & (hour < 12), hour + 12, np.where(am & (hour == 12), 0, hour)), index=f.index)
        nanos = f["F"].fillna(0)
        stamp = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day, "hour": hour,
                                             "minute": f["M"].fillna(0), "second": f["S"].fillna(0)}),
                               errors="coerce")
        stamp = stamp + pd.to_timedelta(nanos, unit="ns")
        if f["tz"].notna().any():
            tz = f["tz"].fillna("")
            sign = np.where(tz.str.startswith("-"), -1, 1)
            digits = tz.str.replace(r"[^0-9]", "", regex=True)
            hours = pd.to_numeric(digits.str[:2], errors="coerce").fillna(0)
            minutes = pd.to_numeric(digits.str[2:4], errors="coerce").fillna(0)
            offset_h = sign * (hours + minutes / 60.0)
            shift = np.where(tz != "", utc_offset_h - offset_h, 0.0)
            stamp = stamp + pd.to_timedelta(shift * 3600.0, unit="s")
        values = stamp.to_numpy(dtype="datetime64[ns]").copy()
        values[bad_ampm] = np.datetime64("NaT")
        out[idx] = values
        left[idx] = False
    return out, note


def serial_to_datetime(nums: pd.Series) -> pd.Series:
    """Excel serial numbers → datetimes; NaT outside 1990–2100, where a number is no date of ours."""
    ok = (nums >= SERIAL_RANGE[0]) & (nums < SERIAL_RANGE[1])
    out = pd.Series(pd.NaT, index=nums.index, dtype="datetime64[ns]")
    if ok.any():
        out[ok] = (EXCEL_EPOCH + pd.to_timedelta(nums[ok].round(9) * 86400, unit="s")).dt.round("ms")
    return out
