"""Reading export files as they come: CSV in the encodings Chinese Excel writes, xlsx/xls.

Values stay raw (text for CSV, cell values for workbooks); typing them is ``values``' job,
so that a bad cell can be reported with its original text and row number.  Both readers
produce Arrow columns (pyarrow's CSV reader, fastexcel for workbooks): a million-row export
never becomes a Python object per cell.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import QBError
from .locale import listing
from .ooxml.tables import table_column_names
from .schema import norm

ENCODINGS = ("utf-8", "gb18030")  # UTF-8 (with or without BOM), then GBK's superset
HEAD_ROWS = 30  # rows looked at to find the header


def sniff_encoding(data: bytes, path: Path) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip), checked over the whole file without decoding it into memory."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    for enc in ENCODINGS:
        dec = codecs.getincrementaldecoder(enc)()
        try:
            for i in range(0, len(data), 1 << 22):
                dec.decode(data[i:i + (1 << 22)])
            dec.decode(b"", final=True)
            return enc, 0
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1 << 20]).best()
    if best is None:
        raise QBError("encoding_failed", path=str(path))
    return best.encoding, 0


@dataclass
class Source:
    """An export as read: raw values, each data row's row number in the file, and where they came from."""

    frame: pd.DataFrame
    rows: pd.Series
    header_row: int  # 1-based row of the header in the file (or sheet)
    sheet: str | None = None
    dropped: list = field(default_factory=list)  # (row, kind) of rows recognised as not data: totals, footers

    @property
    def where(self) -> str:
        return f"{self.name}[{self.sheet}]" if self.sheet else self.name

    name: str = ""


TOTAL_WORDS = {norm(w) for w in ("合计", "总计", "小计", "汇总", "total", "totals", "grand total", "sum", "subtotal")}
FOOTER_ROWS = 5  # rows after the last blank line that are read as a footer, not data


def read_source(path: str | Path, early=None, known: set[str] | None = None, sheet=None) -> Source:
    """The sheet (first, or ``sheet`` by name or 1-based number) or the CSV as raw values.

    The header is the row among the first ones that holds the most known column names (a
    title above it is skipped); a totals row or a short footer after a blank line at the end
    is recognised and left out, and said.  ``early`` is a ``prefetch.EarlySource`` that may
    already hold the first sheet.
    """
    path = Path(path)
    if not path.exists():
        raise QBError("file_not_found", path=str(path))
    ext = path.suffix.lower()
    known = known or set()
    sheet_name = None
    if ext in (".csv", ".txt", ".tsv"):
        frame, header_at = _read_csv(path, known)
    elif ext in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        frame, header_at, sheet_name = _read_workbook(path, early.take() if early is not None and sheet is None
                                                      else None, known, sheet)
    else:
        raise QBError("unknown_source", path=str(path))
    frame.columns = table_column_names(_unique([str(c).strip() for c in frame.columns]))
    rows = pd.Series(range(header_at + 2, header_at + 2 + len(frame)), index=frame.index)
    blank = _blank_rows(frame)
    dropped = _footer(frame, blank, rows)
    keep = ~blank
    for r, _ in dropped:
        keep &= (rows != r).to_numpy()
    src = Source(frame, rows, header_at + 1, sheet_name, dropped, path.name)
    if not keep.all():
        src.frame, src.rows = frame[keep].reset_index(drop=True), rows[keep].reset_index(drop=True)
    return src


def _footer(frame: pd.DataFrame, blank, rows) -> list:
    """Rows at the end that are not data: a totals row, or a few rows after the last blank line."""
    n = len(frame)
    if n == 0:
        return []
    out = []
    filled = [i for i in range(n) if not blank[i]]
    if filled:
        last = filled[-1]
        first_text = next((v for v in frame.iloc[last].tolist() if isinstance(v, str) and v.strip()), None)
        if first_text is not None and norm(first_text) in TOTAL_WORDS:
            out.append((int(rows.iloc[last]), "totals"))
            filled = filled[:-1]
    blanks = [i for i in range(n) if blank[i] and filled and i < filled[-1]]
    if blanks:
        after = [i for i in filled if i > blanks[-1]]
        before = [i for i in filled if i < blanks[-1]]
        if after and before and len(after) <= FOOTER_ROWS and len(before) > 2 * len(after):
            out += [(int(rows.iloc[i]), "footer") for i in after]
    return out


def _score(row, known: set[str]) -> int:
    return sum(1 for v in row if v is not None and str(v).strip() and norm(v) in known)


def _pick_header(head: list[list], known: set[str]) -> int:
    """The row that holds the most known column names; the first non-empty row when none does."""
    scores = [_score(r, known) for r in head]
    if scores and max(scores) > 0:
        return scores.index(max(scores))
    return _header_index(head)


def _blank_rows(frame: pd.DataFrame):
    blank = pd.Series(True, index=frame.index)
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_string_dtype(col.dtype):
            blank &= col.isna() | (col.str.strip() == "")
        else:
            blank &= col.isna()
    return blank.to_numpy(dtype=bool)


def _header_index(head: list[list]) -> int:
    at = next((i for i, row in enumerate(head) if any(str(v).strip() for v in row if v is not None)), None)
    if at is None:
        raise QBError("no_header", path="")
    return at


def _read_workbook(path: Path, early=None, known: set[str] | None = None, sheet=None):
    """(frame, header row index 0-based in the sheet, sheet name); one read when the header is the first row."""
    import fastexcel

    known = known or set()
    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
        if sheet is None:
            idx = 0
        elif str(sheet).isdigit() and str(sheet) not in names:
            idx = int(sheet) - 1
        elif str(sheet) in names:
            idx = names.index(str(sheet))
        else:
            raise QBError("no_such_sheet", path=path.name, sheet=str(sheet), sheets=listing(names))
        if not 0 <= idx < len(names):
            raise QBError("no_such_sheet", path=path.name, sheet=str(sheet), sheets=listing(names))
        sliced = _in_slices(path, idx, 0)
        if sliced is not None:
            batch, generated = sliced
        elif early is not None and idx == 0:
            batch, generated = early
        else:
            loaded = reader.load_sheet(idx, header_row=0, schema_sample_rows=None)
            batch, generated = loaded.to_arrow(), [c.column_name_from == "generated" for c in loaded.available_columns()]
        header0 = [None if g else n for g, n in zip(generated, batch.schema.names)]
        head = [header0] + [list(r.values()) for r in batch.slice(0, HEAD_ROWS).to_pylist()]
        at = _pick_header(head, known) if known or sum(generated) * 2 > len(generated) else 0
        if at:  # a title above the header: read again from the header
            sliced = _in_slices(path, idx, at) if sliced is not None else None
            batch = sliced[0] if sliced is not None else \
                reader.load_sheet(idx, header_row=at, schema_sample_rows=None).to_arrow()
        frame = batch.to_pandas()
        del batch
    except QBError:
        raise
    except Exception as e:  # noqa: BLE001 — fastexcel's errors for a file that is not a readable workbook
        raise QBError("not_a_workbook", path=str(path), reason=str(e).splitlines()[0][:200]) from None
    frame.columns = [("" if str(c).startswith("__UNNAMED__") else str(c)) or f"列{i + 1}"
                     for i, c in enumerate(frame.columns)]
    while len(frame.columns) and frame.columns[-1].startswith("列") and frame[frame.columns[-1]].isna().all():
        frame = frame.drop(columns=frame.columns[-1])
    return frame, at + _first_row(path, idx) - 1, names[idx] if len(names) > 1 or sheet is not None else None


_FIRST_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*>\s*<c\b')


def _in_slices(path: Path, index: int, header_row: int):
    """A large .xlsx/.xlsm export read in slices of rows (``slices``), or None (small, another format, or a
    layout the slices cannot follow: then it is read whole)."""
    import zipfile

    from .prefetch import LARGE_BOOK
    from .slices import read_in_slices

    if path.suffix.lower() not in (".xlsx", ".xlsm") or path.stat().st_size <= LARGE_BOOK:
        return None
    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_part(z, index)
        return read_in_slices(path, part, index, header_row)
    except (zipfile.BadZipFile, IndexError, KeyError, OSError, AttributeError):
        return None


def _sheet_part(z, index: int) -> str:
    """The zip part of the workbook's sheet ``index`` (0-based), from the workbook and its relationships."""
    import html

    wb = z.read("xl/workbook.xml").decode("utf-8")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rids = re.findall(r'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]+)"', wb)
    target = re.search(r'<Relationship\b[^>]*?Id="' + re.escape(rids[index]) + r'"[^>]*?Target="([^"]+)"', rels) \
        or re.search(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="' + re.escape(rids[index]) + '"', rels)
    part = html.unescape(target.group(1))
    return part.lstrip("/") if part.startswith("/") else "xl/" + part


def _first_row(path: Path, index: int = 0) -> int:
    """The sheet row where calamine's range starts (its first non-empty row), read from the sheet XML's head."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_part(z, index)
            with z.open(part) as f:
                m = _FIRST_ROW.search(f.read(1 << 16))
        return int(m.group(1)) if m else 1
    except (zipfile.BadZipFile, IndexError, KeyError, OSError, AttributeError):
        return 1  # .xls and others: calamine starts at row 1 for them as far as we can tell


def _read_csv(path: Path, known: set[str] | None = None) -> tuple[pd.DataFrame, int]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    data = path.read_bytes()
    enc, skip = sniff_encoding(data, path)
    head_text = data[skip:skip + 65536].decode(enc, errors="ignore")
    try:
        delim = csv.Sniffer().sniff(head_text[:20000], delimiters=",\t;|").delimiter
    except csv.Error:
        delim = ","
    head = list(csv.reader(io.StringIO(head_text), delimiter=delim))[:HEAD_ROWS]
    try:
        at = _pick_header(head, known or set())
    except QBError:
        raise QBError("no_header", path=str(path)) from None
    header = [h.strip() for h in head[at]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    names = [h or f"列{i + 1}" for i, h in enumerate(header)]
    cols = [f"c{i}" for i in range(len(header))]
    ragged: list[int] = []
    try:
        table = pacsv.read_csv(
            io.BytesIO(data[skip:]) if enc in ("utf-8", "utf-8-sig") else io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=cols, skip_rows=at + 1, encoding="utf8" if enc in ("utf-8", "utf-8-sig") else enc,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True,
                                             invalid_row_handler=lambda row: ragged.append(1) or "skip"),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in cols},
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True))
    except pa.ArrowInvalid as e:
        raise QBError("not_a_workbook", path=str(path), reason=str(e).splitlines()[0][:200]) from None
    if ragged:  # lines with more or fewer fields than the header: read them all the slow way, none dropped
        return _read_csv_rows(data[skip:].decode(enc), delim, at, names, width), at
    del data
    frame = table.to_pandas()
    frame.columns = names
    return frame.iloc[:, :max(width, 1)], at


def _read_csv_rows(text: str, delim: str, at: int, names: list[str], width: int) -> pd.DataFrame:
    grid = list(csv.reader(io.StringIO(text), delimiter=delim))[at + 1:]
    body = [[v if v != "" else None for v in r[:width]] + [None] * (width - len(r)) for r in grid]
    return pd.DataFrame(body, columns=names[:width], dtype=object)


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        n = seen.get(h, 0)
        out.append(h if n == 0 else f"{h}.{n}")
        seen[h] = n + 1
    return out
