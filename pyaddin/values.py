"""Reading the values people paste (DOMAIN.md §3), a whole column at a time.

Every parser returns the parsed column and a mask of cells that were filled but could
not be read: an unreadable value is an error for that cell, never a silent blank.
Columns are parsed with vectorised pandas operations so that a million-row export
is read in seconds, not minutes.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .schema import BOOL_FALSE, BOOL_TRUE, Enum, norm

EXCEL_EPOCH = pd.Timestamp("1899-12-30")

def map_unique(col: pd.Series, func) -> pd.Series:
    """``col.map(func)`` evaluated once per distinct value: exports repeat a handful of labels a million times."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)  # Arrow columns factorise in C++, no objects
    if len(uniques) == 0:
        return pd.Series([None] * len(col), index=col.index, dtype=object)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in uniques.tolist()]
    mapped[-1] = None
    return pd.Series(mapped[codes], index=col.index, dtype=object)


def _kind(col: pd.Series) -> str:
    return pd.api.types.infer_dtype(col, skipna=True)


def is_blank(col: pd.Series) -> pd.Series:
    """Empty cells: None, NaN, NaT or whitespace-only text."""
    blank = col.isna().to_numpy(dtype=bool).copy()
    if pd.api.types.is_string_dtype(col.dtype) and col.dtype != object:  # Arrow text: in C++
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa.array(col.array)
        space = pc.fill_null(pc.match_substring_regex(arr, r"^\s*$"), True)
        return pd.Series(blank | space.to_numpy(zero_copy_only=False), index=col.index)
    if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
        blank |= map_unique(col, lambda v: isinstance(v, str) and not v.strip()).fillna(False).to_numpy(dtype=bool)
    return pd.Series(blank, index=col.index)


def _text(col: pd.Series) -> pd.Series:
    """Values as NFKC-normalised stripped text (full-width digits become ASCII)."""
    def one(v):
        if isinstance(v, str):
            return unicodedata.normalize("NFKC", v).strip()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    return map_unique(col, one)


def _arrow_text(col: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(col.dtype) and col.dtype != object


def parse_text(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    out = _text_cells(col)
    if len(out) and out.isna().all():  # blank throughout: the same column from the sheet and from its columnar copy
        out = pd.Series([None] * len(col), index=col.index, dtype=object)
    return out, pd.Series(False, index=col.index)


def _text_cells(col: pd.Series) -> pd.Series:
    if _arrow_text(col):  # text read from a workbook: trim and blank out in Arrow, no object per cell
        out = col.str.strip()
        return out.where(out != "", None)

    def one(v):
        if isinstance(v, str):
            v = v.strip()
            return v or None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (dt.datetime, pd.Timestamp)):
            return pd.Timestamp(v).isoformat(sep=" ")
        return str(v)
    return map_unique(col, one)


def parse_number(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    if (pd.api.types.is_numeric_dtype(col.dtype) and col.dtype != bool) or _kind(col) in (
            "floating", "integer", "mixed-integer-float", "empty"):  # real numbers: nothing to read
        return pd.to_numeric(col, errors="coerce").astype(float), pd.Series(False, index=col.index)
    blank = is_blank(col)
    text = _text(col[~blank]).str.replace(r"[,\s]", "", regex=True)
    num = pd.to_numeric(text, errors="coerce")
    out = pd.Series(np.nan, index=col.index, dtype=float)
    out.loc[num.index] = num.astype(float)
    return out, (~blank) & out.isna()


def parse_integer(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    out, bad = parse_number(col)
    frac = out.notna() & (out != out.round())
    out = out.where(~frac)
    return out.astype("Int64"), bad | frac


def parse_bool(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    if col.dtype == bool:
        return col.astype("boolean"), pd.Series(False, index=col.index)
    blank = is_blank(col)
    lookup = {norm(s): True for s in BOOL_TRUE} | {norm(s): False for s in BOOL_FALSE if s}

    def one(v):
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return bool(v) if v >= 0 and float(v).is_integer() else None
        key = norm(v)
        if key in lookup:
            return lookup[key]
        if key.isdigit():  # a count such as Zendesk's "Reopens": 2 → reopened
            return int(key) > 0
        return None
    parsed = map_unique(col[~blank], one)
    out = pd.Series(pd.NA, index=col.index, dtype="boolean")
    ok = parsed.notna()
    out.loc[parsed.index[ok]] = parsed[ok].astype(bool)
    return out, (~blank) & out.isna()


def parse_enum(col: pd.Series, enum: Enum, user: dict[str, str] | None = None) -> tuple[pd.Series, pd.Series]:
    """Labels, keys and export words of the vocabulary; a user's own value mapping wins."""
    blank = is_blank(col)
    lookup = enum.lookup() | (user or {})
    parsed = map_unique(col[~blank], lambda v: lookup.get(norm(v)))
    out = pd.Series(None, index=col.index, dtype=object)
    out.loc[parsed.index] = parsed
    out = out.where(out.notna(), None)
    return out, (~blank) & out.isna()


@dataclass
class ParseOptions:
    """How a workbook reads what is pasted into it: its settings on 监控标准 and its value-mapping table."""

    day_first: bool = False  # ambiguous year-last dates (09/03/2026): month first unless this says otherwise
    utc_offset_h: float = 8.0  # the workbook's time zone: values with Z or an offset are converted to it
    value_map: dict[str, dict[str, object]] = field(default_factory=dict)  # field key → {norm(source): canonical}
    notes: list = field(default_factory=list)  # (field key, OrderNote) of the columns read so far
    defaults: dict[str, str] = field(default_factory=dict)  # field key → the workbook's value when a column is missing


# A cell holding only one of these means "none" (DOMAIN.md §3): it is blank in every field.
PLACEHOLDER_RE2 = r"(?i)^\s*([-—–/]+|n/a|null|none|无|空)\s*$"
PLACEHOLDER_DATES = (pd.Timestamp("1990-01-01"), pd.Timestamp("2101-01-01"))  # a date outside is a system's "none"


@dataclass
class PlaceholderNote:
    """Cells of a date column that held a ticket system's placeholder date (1900-01-01…), read as blank."""

    count: int
    values: list  # the distinct placeholders as written, first few


def blank_placeholders(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(the column with "none" placeholders blanked, mask of the cells that held one); matched in RE2."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)) or col.empty:
        return col, pd.Series(False, index=col.index)
    if _arrow_text(col):
        arr = pa.array(col.array)
    else:
        arr = pa.array(map_unique(col, lambda v: v if isinstance(v, str) else None).tolist(), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    mask = pd.Series(pc.fill_null(pc.match_substring_regex(arr, PLACEHOLDER_RE2), False).to_numpy(
        zero_copy_only=False), index=col.index)
    if not mask.any():
        return col, mask
    return col.where(~mask, None), mask


def parse_datetime(col: pd.Series, opts: ParseOptions | None = None, key: str = "") -> tuple[pd.Series, pd.Series]:
    """Datetimes as ``read_datetime`` reads them; a date before 1990 or from 2101 on is a placeholder for "none":
    blank, and counted in ``opts.notes`` for the import to say (DOMAIN.md §3)."""
    out, bad = read_datetime(col, opts, key)
    early, late = PLACEHOLDER_DATES
    placeholder = (out < early) | (out >= late)
    if placeholder.any():
        shown = col[placeholder.to_numpy()].map(_as_written)
        if opts is not None:
            opts.notes.append((key, PlaceholderNote(int(placeholder.sum()), list(dict.fromkeys(shown))[:3])))
        out = out.where(~placeholder, pd.NaT)
    return out, bad


def _as_written(v) -> str:
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        ts = pd.Timestamp(v)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_datetime(col: pd.Series, opts: ParseOptions | None = None, key: str = "") -> tuple[pd.Series, pd.Series]:
    """Excel serials (1990–2100), datetimes, and text in every form of DOMAIN.md §3 (see ``dates``)."""
    from .dates import parse_text as parse_date_text
    from .dates import serial_to_datetime

    opts = opts or ParseOptions()
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        out = col.dt.tz_localize(None) if getattr(col.dt, "tz", None) is not None else col
        return out.astype("datetime64[ns]"), pd.Series(False, index=col.index)
    if pd.api.types.is_numeric_dtype(col.dtype) and col.dtype != bool:  # numbers read from a workbook
        out = serial_to_datetime(col.astype(float))
        return out, col.notna() & out.isna()
    if _kind(col) in ("datetime", "datetime64", "date", "empty"):  # what calamine gives for our own date cells
        try:
            return pd.to_datetime(col).astype("datetime64[ns]"), pd.Series(False, index=col.index)
        except (TypeError, ValueError):
            pass
    blank = is_blank(col)
    out = pd.Series(pd.NaT, index=col.index, dtype="datetime64[ns]")
    values = col[~blank]
    if values.empty:
        return out, blank & False
    arrow_text = pd.api.types.is_string_dtype(values.dtype) and values.dtype != object
    is_dt = pd.Series(False, index=values.index) if arrow_text else values.map(
        lambda v: isinstance(v, (dt.datetime, dt.date, pd.Timestamp)))
    if is_dt.any():
        out.loc[values.index[is_dt]] = pd.to_datetime(values[is_dt].map(_naive), errors="coerce")
    is_num = pd.Series(False, index=values.index) if arrow_text else values.map(
        lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
    if is_num.any():
        out.loc[values.index[is_num]] = serial_to_datetime(values[is_num].astype(float))
    rest = values[~(is_dt | is_num).to_numpy(dtype=bool)]
    if len(rest):
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(rest.array) if arrow_text else pa.array(_text(rest).tolist(), type=pa.string())
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        serial = pc.fill_null(pc.match_substring_regex(text, _NUMBER_RE2), False).to_numpy(zero_copy_only=False)
        if serial.any():  # a number typed as text: an Excel serial, within the same bounds
            nums = pd.Series(pc.cast(pc.filter(text, serial), pa.float64()).to_numpy(zero_copy_only=False),
                             index=rest.index[serial])
            out.loc[nums.index] = serial_to_datetime(nums)
        if (~serial).any():
            parsed, note = parse_date_text(pc.filter(text, ~serial), day_first=opts.day_first,
                                           utc_offset_h=opts.utc_offset_h)
            out.loc[rest.index[~serial]] = parsed
            if note is not None:
                opts.notes.append((key, note))
            left = out.loc[rest.index[~serial]].isna().to_numpy()
            if left.any() and arrow_text:  # full-width digits and the like: normalise, then once more
                again = rest[~serial][left].astype(object)
                retry, _ = read_datetime(again, ParseOptions(opts.day_first, opts.utc_offset_h), key)
                out.loc[retry.index] = retry
    return out, (~blank) & out.isna()


_NUMBER_RE2 = r"^\s*\d+(\.\d+)?\s*$"


def _naive(v):
    ts = pd.Timestamp(v)
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


_CLOCK = r"^\s*(?:(\d+)[:：])?(\d{1,2})[:：](\d{1,2}(?:\.\d+)?)\s*$"


def parse_seconds(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A duration in seconds: a number of seconds, ``hh:mm:ss`` or ``mm:ss`` text (a call log's AvgTalkDuration), a
    time or duration cell."""
    if pd.api.types.is_timedelta64_dtype(col.dtype):
        return col.dt.total_seconds(), pd.Series(False, index=col.index)
    if pd.api.types.is_numeric_dtype(col.dtype) and col.dtype != bool:
        return col.astype(float), pd.Series(False, index=col.index)
    import re

    clock = re.compile(_CLOCK)

    def one(v):
        if isinstance(v, (dt.timedelta, pd.Timedelta)):
            return pd.Timedelta(v).total_seconds()
        if isinstance(v, (dt.datetime, pd.Timestamp, dt.time)):  # a time cell, possibly dated 1899-12-31
            return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            return float(v)
        t = unicodedata.normalize("NFKC", str(v)).strip().replace(",", "")
        m = clock.match(t)
        if m:
            h, mi, sec = int(m.group(1) or 0), int(m.group(2)), float(m.group(3))
            return h * 3600 + mi * 60 + sec if mi < 60 and sec < 60 else None
        try:
            return float(t)
        except ValueError:
            return None
    blank = is_blank(col)
    parsed = map_unique(col[~blank], one)
    out = pd.Series(np.nan, index=col.index, dtype=float)
    out.loc[parsed.index] = pd.to_numeric(parsed, errors="coerce")
    return out, (~blank) & out.isna()


def parse(col: pd.Series, ftype: str, enum: Enum | None = None, opts: ParseOptions | None = None, key: str = ""):
    """Dispatch on the schema type; ``opts`` carries the workbook's settings and value mapping."""
    if ftype in ("datetime", "date"):
        out, bad = parse_datetime(col, opts, key)
        if ftype == "date":
            out = out.dt.normalize()
        return out, bad
    if ftype == "enum":
        return parse_enum(col, enum, (opts.value_map.get(key) if opts else None))
    if ftype == "bool":
        return parse_bool(col)
    if ftype == "integer":
        return parse_integer(col)
    if ftype in ("number", "percent"):
        return parse_number(col)
    if ftype == "seconds":
        return parse_seconds(col)
    return parse_text(col)


def to_excel_serial(col: pd.Series) -> pd.Series:
    """Datetimes as Excel serial numbers (days since 1899-12-30), the form Excel stores."""
    return (col - EXCEL_EPOCH) / pd.Timedelta(days=1)


# ----------------------------------------------------------------------------- times of day and durations

_CLOCK_RE = r"^\s*(?:(上午|下午|[AaPp]\.?[Mm]\.?)\s*)?(\d{1,3})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:[.,]\d+)?)?\s*[秒]?\s*(上午|下午|[AaPp]\.?[Mm]\.?)?\s*$"
EXCEL_ZERO = pd.Timestamp("1899-12-31")  # where calamine puts an Excel time cell's day 0


def _clock_seconds(text: pd.Series) -> pd.Series:
    """``9:50``, ``0:02:23``, ``36:05:00``, ``3:05 PM`` → seconds; NaN where the text is no such time."""
    parts = text.astype(object).where(text.map(lambda v: isinstance(v, str)), None).astype("string").str.extract(
        _CLOCK_RE)
    h, m, s = (pd.to_numeric(parts[i], errors="coerce") for i in (1, 2, 3))
    ap = parts[0].fillna(parts[4]).fillna("").str.replace(".", "", regex=False).str.lower()
    h = h.where(~(ap.isin(["pm", "下午"]) & (h < 12)), h + 12).where(~(ap.isin(["am", "上午"]) & (h == 12)), 0)
    return (h * 3600 + m * 60 + s.fillna(0)).astype(float)


def _time_cell(col: pd.Series) -> pd.Series:
    """Excel time or duration cells as seconds: a duration, or a time (a datetime on Excel's day 0 or 1)."""
    if pd.api.types.is_timedelta64_dtype(col.dtype):
        return col.dt.total_seconds()
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        early = col < pd.Timestamp("1900-01-01")
        return ((col - EXCEL_ZERO).dt.total_seconds()).where(early)
    return pd.Series(np.nan, index=col.index)


def seconds_of(col: pd.Series, per_unit: float) -> tuple[pd.Series, pd.Series]:
    """A duration column in seconds (DOMAIN.md §3): numbers in the unit the header states, ``hh:mm:ss`` text
    and Excel time or duration cells whatever it states. Returns (seconds, mask of unreadable cells)."""
    cells = _time_cell(col)
    if cells.notna().any() or pd.api.types.is_timedelta64_dtype(col.dtype):
        return cells, col.notna() & cells.isna()
    number, bad = parse_number(col)
    out = number * per_unit
    if bad.any():
        clock = _clock_seconds(col[bad])
        out.loc[clock.index] = clock
        bad = bad & out.isna()
    return out, bad


def time_share(col: pd.Series) -> float:
    """The share of filled cells that are times of day: which of two mapped columns is the time."""
    filled = col[~is_blank(col)]
    if filled.empty:
        return 0.0
    cells = _time_cell(filled)
    clock = _clock_seconds(filled) if cells.isna().all() else cells
    fraction = pd.to_numeric(filled, errors="coerce") if filled.dtype != object or not cells.isna().all() else \
        pd.to_numeric(filled.map(lambda v: v if isinstance(v, (int, float)) else None), errors="coerce")
    return float((clock.notna() | ((fraction >= 0) & (fraction < 1))).mean())


def join_date_time(date: pd.Series, time: pd.Series, opts: ParseOptions | None = None, key: str = "") -> pd.Series:
    """A date column and a time column as one (a call log's ``Date`` and ``Time``): the date's day plus the time of
    day; where either cannot be read, the two texts side by side, for the cell's error to show."""
    day, _ = read_datetime(date, opts, key)
    seconds = _time_cell(time)
    if seconds.isna().all():
        fraction = pd.to_numeric(time.map(lambda v: v if isinstance(v, (int, float)) and not isinstance(v, bool)
                                          else None), errors="coerce")  # an Excel time as a fraction of a day
        seconds = (fraction * 86400).where((fraction >= 0) & (fraction < 1))
        seconds = seconds.fillna(_clock_seconds(time))
    out = (day.dt.normalize() + pd.to_timedelta(seconds, unit="s")).astype(object)
    blank = is_blank(date) & is_blank(time)
    unread = out.isna() & ~blank
    if unread.any():
        out[unread] = (date[unread].map(_shown) + " " + time[unread].map(_shown)).str.strip()
    return out.where(~blank, None)


def _shown(v) -> str:
    return "" if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)) else _as_written(v)


def as_written(col: pd.Series) -> pd.Series:
    """An extra column kept as the export wrote it: Excel time and duration cells stay times (``0:02:23``), never
    dates of 1899."""
    seconds = _time_cell(col)
    if seconds.isna().all() or (pd.api.types.is_datetime64_any_dtype(col.dtype) and (col >= pd.Timestamp("1900-01-01")).any()):
        return col
    s = seconds.round().astype("Int64")
    text = (s // 3600).astype(str) + ":" + ((s % 3600) // 60).astype(str).str.zfill(2) + ":" + (s % 60).astype(str).str.zfill(2)
    return text.astype(object).where(s.notna(), None)
