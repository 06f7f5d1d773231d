"""Reading the values people paste (DOMAIN.md §3), a whole column at a time.

Every parser returns the parsed column and a mask of cells that were filled but could
not be read: an unreadable value is an error for that cell, never a silent blank.
Columns are parsed with vectorised pandas operations so that a million-row export
is read in seconds, not minutes.
"""
from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from .schema import BOOL_FALSE, BOOL_TRUE, Enum, norm

EXCEL_EPOCH = pd.Timestamp("1899-12-30")

_CJK_DATE = str.maketrans({"年": "-", "月": "-", "日": " ", "号": " ", "时": ":", "点": ":", "分": "", "秒": "",
                           "/": "-", ".": "-", "T": " "})
_YMD = (r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
        r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:\.\d+)?)?)?\s*"
        r"(?:Z|[+-]\d{2}:?\d{2})?\s*$")
_YEAR_LAST = r"^\s*(\d{1,2})-(\d{1,2})-(\d{4})(.*)$"


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


def parse_enum(col: pd.Series, enum: Enum) -> tuple[pd.Series, pd.Series]:
    blank = is_blank(col)
    lookup = enum.lookup()
    parsed = map_unique(col[~blank], lambda v: lookup.get(norm(v)))
    out = pd.Series(None, index=col.index, dtype=object)
    out.loc[parsed.index] = parsed
    out = out.where(out.notna(), None)
    return out, (~blank) & out.isna()


def parse_datetime(col: pd.Series, date_order: str = "ymd") -> tuple[pd.Series, pd.Series]:
    """Excel serials, datetimes, ISO text, 2026/9/3 8:05, 2026年9月3日 08:05, 09/03/2026.

    Day/month order of year-last text follows ``date_order``: ``ymd`` (the default) and
    ``mdy`` read 09/03/2026 as 3 September, ``dmy`` as 9 March.
    """
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        out = col.dt.tz_localize(None) if getattr(col.dt, "tz", None) is not None else col
        return out.astype("datetime64[ns]"), pd.Series(False, index=col.index)
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

    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:  # text read into Arrow: all in C++
        out.loc[values.index] = _arrow_dates(values, date_order)
        return out, (~blank) & out.isna()
    is_dt = values.map(lambda v: isinstance(v, (dt.datetime, dt.date, pd.Timestamp)))
    if is_dt.any():
        out.loc[values.index[is_dt]] = pd.to_datetime(values[is_dt].map(_naive), errors="coerce")

    is_num = values.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
    rest = values[~is_dt & ~is_num]
    text = _text(rest)
    serial_text = pd.to_numeric(text, errors="coerce")
    nums = pd.concat([values[is_num].astype(float), serial_text.dropna()])
    if len(nums):
        ok = (nums > 0) & (nums < 2958466)  # Excel's calendar ends on 9999-12-31
        out.loc[nums.index[ok]] = (EXCEL_EPOCH + pd.to_timedelta(nums[ok].round(9) * 86400, unit="s")).dt.round("s")

    text = text[serial_text.isna()]
    if len(text):
        text = text.str.translate(_CJK_DATE).str.replace(r"\s+", " ", regex=True).str.strip(" -")
        order = {"dmy": r"\3-\2-\1\4"}.get(date_order, r"\3-\1-\2\4")
        text = text.str.replace(_YEAR_LAST, order, regex=True)
        parts = text.str.extract(_YMD)
        parts = parts.apply(pd.to_numeric, errors="coerce")
        have = parts["year"].notna()
        if have.any():
            p = parts[have].fillna({"hour": 0, "minute": 0, "second": 0})
            out.loc[p.index] = pd.to_datetime(p[["year", "month", "day", "hour", "minute", "second"]],
                                              errors="coerce")
    return out, (~blank) & out.isna()


_NUMBER_RE2 = r"^\s*\d+(\.\d+)?\s*$"
_SEPARATORS_RE2 = (("[年月/.]", "-"), ("[日号T]", " "), ("[时点]", ":"), ("[分秒]", ""), (r"\s+", " "),
                   ("^[ -]+|[ -]+$", ""))
_YEAR_LAST_RE2 = r"^(\d{1,2})-(\d{1,2})-(\d{4})(.*)$"
_PLAIN_RE2 = (r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
              r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2}))?)?$")


def _arrow_dates(text: pd.Series, date_order: str) -> pd.Series:
    """Text dates parsed with Arrow's C++ string kernels (RE2): a million cells in well under a second.

    What they cannot read (full-width digits, say) goes through the general path cell by cell.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.array) if hasattr(text.array, "__arrow_array__") else pa.array(text, type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.utf8_trim_whitespace(arr)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    numeric = pc.fill_null(pc.match_substring_regex(arr, _NUMBER_RE2), False).to_numpy(zero_copy_only=False)
    if numeric.any():
        nums = pd.Series(pc.cast(pc.filter(arr, numeric), pa.float64()).to_numpy(zero_copy_only=False),
                         index=text.index[numeric])
        ok = (nums > 0) & (nums < 2958466)
        out.loc[nums.index[ok]] = (EXCEL_EPOCH + pd.to_timedelta(nums[ok].round(9) * 86400, unit="s")).dt.round("s")
    def fields(parts):
        def number(name):
            f = parts.field(name)
            f = pc.if_else(pc.equal(f, ""), pa.scalar(None, f.type), f)
            return pc.cast(f, pa.float64()).to_numpy(zero_copy_only=False)
        return pd.DataFrame({n: number(n) for n in ("year", "month", "day", "hour", "minute", "second")})

    frame = fields(pc.extract_regex(arr, _PLAIN_RE2))  # 2026-09-03 08:05, 2026/9/3 8:05:00: one pass
    frame.index = text.index
    odd = frame["year"].isna().to_numpy() & ~numeric
    if odd.any():  # 年月日, year last, T…: normalise the separators of those cells only
        rest = pc.filter(arr, odd)
        for pattern, repl in _SEPARATORS_RE2:
            rest = pc.replace_substring_regex(rest, pattern, repl)
        order = r"\3-\2-\1\4" if date_order == "dmy" else r"\3-\1-\2\4"
        rest = pc.replace_substring_regex(rest, _YEAR_LAST_RE2, order)
        more = fields(pc.extract_regex(rest, _YMD))
        more.index = text.index[odd]
        frame.loc[more.index] = more
    have = frame["year"].notna().to_numpy() & ~numeric
    if have.any():
        p = frame[have].fillna({"hour": 0, "minute": 0, "second": 0})
        out.loc[p.index] = pd.to_datetime(p, errors="coerce")
    left = out.isna().to_numpy() & ~numeric
    if left.any():  # the general path, for what the fast one could not read
        slow, _ = parse_datetime(text[left].astype(object), date_order)
        out.loc[slow.index] = slow
    return out


def _naive(v):
    ts = pd.Timestamp(v)
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def parse(col: pd.Series, ftype: str, enum: Enum | None = None, date_order: str = "ymd"):
    """Dispatch on the schema type."""
    if ftype in ("datetime", "date"):
        out, bad = parse_datetime(col, date_order)
        if ftype == "date":
            out = out.dt.normalize()
        return out, bad
    if ftype == "enum":
        return parse_enum(col, enum)
    if ftype == "bool":
        return parse_bool(col)
    if ftype == "integer":
        return parse_integer(col)
    if ftype in ("number", "percent"):
        return parse_number(col)
    return parse_text(col)


def to_excel_serial(col: pd.Series) -> pd.Series:
    """Datetimes as Excel serial numbers (days since 1899-12-30), the form Excel stores."""
    return (col - EXCEL_EPOCH) / pd.Timedelta(days=1)
