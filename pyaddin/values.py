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
    if _arrow_text(col):  # text read from a workbook: trim and blank out in Arrow, no object per cell
        out = col.str.strip()
        return out.where(out != "", None), pd.Series(False, index=col.index)
    def one(v):
        if isinstance(v, str):
            v = v.strip()
            return v or None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (dt.datetime, pd.Timestamp)):
            return pd.Timestamp(v).isoformat(sep=" ")
        return str(v)
    out = map_unique(col, one)
    return out, pd.Series(False, index=col.index)


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


def parse_datetime(col: pd.Series, opts: ParseOptions | None = None, key: str = "") -> tuple[pd.Series, pd.Series]:
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
                retry, _ = parse_datetime(again, ParseOptions(opts.day_first, opts.utc_offset_h), key)
                out.loc[retry.index] = retry
    return out, (~blank) & out.isna()


_NUMBER_RE2 = r"^\s*\d+(\.\d+)?\s*$"


def _naive(v):
    ts = pd.Timestamp(v)
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


_CLOCK = r"^\s*(?:(\d+)[:：])?(\d{1,2})[:：](\d{1,2}(?:\.\d+)?)\s*$"


def parse_seconds(col: pd.Series, day_fraction: bool = False) -> tuple[pd.Series, pd.Series]:
    """A duration in seconds: a number of seconds, ``hh:mm:ss`` or ``mm:ss`` text (a call log's AvgTalkDuration), a
    time or duration cell.  With ``day_fraction`` (a time-of-day column) a bare number is Excel's fraction of a day."""
    if pd.api.types.is_timedelta64_dtype(col.dtype):
        return col.dt.total_seconds(), pd.Series(False, index=col.index)
    if pd.api.types.is_numeric_dtype(col.dtype) and col.dtype != bool:
        out = col.astype(float) * (86400.0 if day_fraction else 1.0)
        return out, pd.Series(False, index=col.index)
    import re

    clock = re.compile(_CLOCK)

    def one(v):
        if isinstance(v, (dt.timedelta, pd.Timedelta)):
            return pd.Timedelta(v).total_seconds()
        if isinstance(v, (dt.datetime, pd.Timestamp, dt.time)):  # a time cell, possibly dated 1899-12-31
            return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            return float(v) * (86400.0 if day_fraction else 1.0)
        t = unicodedata.normalize("NFKC", str(v)).strip().replace(",", "")
        m = clock.match(t)
        if m:
            h, mi, sec = int(m.group(1) or 0), int(m.group(2)), float(m.group(3))
            return h * 3600 + mi * 60 + sec if mi < 60 and sec < 60 else None
        try:
            return float(t) * (86400.0 if day_fraction else 1.0)
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
