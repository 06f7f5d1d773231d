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
from pathlib import Path

import pandas as pd

from .errors import QBError
from .ooxml.tables import table_column_names

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


def read_source(path: str | Path, early=None) -> tuple[pd.DataFrame, pd.Series]:
    """The first sheet (or the CSV) as raw values, and each data row's row number in the file.

    ``early`` is a ``prefetch.EarlySource`` that may already hold the sheet.
    """
    path = Path(path)
    if not path.exists():
        raise QBError("file_not_found", path=str(path))
    ext = path.suffix.lower()
    if ext in (".csv", ".txt", ".tsv"):
        frame, header_at = _read_csv(path)
    elif ext in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        frame, header_at = _read_workbook(path, early.take() if early is not None else None)
    else:
        raise QBError("unknown_source", path=str(path))
    frame.columns = table_column_names(_unique([str(c).strip() for c in frame.columns]))
    rows = pd.Series(range(header_at + 2, header_at + 2 + len(frame)), index=frame.index)
    filled = ~_blank_rows(frame)
    if filled.all():
        return frame, rows
    return frame[filled].reset_index(drop=True), rows[filled].reset_index(drop=True)


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


def _read_workbook(path: Path, early=None) -> tuple[pd.DataFrame, int]:
    """The first sheet; its header is the first non-empty row (one read), else found among the first rows."""
    import fastexcel

    try:
        if early is not None:
            batch, generated = early
        else:
            sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=0, schema_sample_rows=None)
            batch, generated = sheet.to_arrow(), [c.column_name_from == "generated" for c in sheet.available_columns()]
        at = 0
        if generated and sum(generated) * 2 > len(generated):  # a title line above the header
            reader = fastexcel.read_excel(str(path))
            head = reader.load_sheet(0, header_row=None, n_rows=HEAD_ROWS).to_arrow().to_pylist()
            at = _header_index([list(r.values()) for r in head][1:]) + 1
            batch = reader.load_sheet(0, header_row=at, schema_sample_rows=None).to_arrow()
        frame = batch.to_pandas()
        del batch
    except QBError:
        raise QBError("no_header", path=str(path)) from None
    except Exception as e:  # noqa: BLE001 — fastexcel's errors for a file that is not a readable workbook
        raise QBError("not_a_workbook", path=str(path), reason=str(e).splitlines()[0][:200]) from None
    frame.columns = [("" if str(c).startswith("__UNNAMED__") else str(c)) or f"列{i + 1}"
                     for i, c in enumerate(frame.columns)]
    while len(frame.columns) and frame.columns[-1].startswith("列") and frame[frame.columns[-1]].isna().all():
        frame = frame.drop(columns=frame.columns[-1])
    return frame, at + _first_row(path) - 1


_FIRST_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*>\s*<c\b')


def _first_row(path: Path) -> int:
    """The sheet row where calamine's range starts (its first non-empty row), read from the sheet XML's head."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = sorted((n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)),
                           key=lambda n: int(re.findall(r"\d+", n)[-1]))
            with z.open(names[0]) as f:
                m = _FIRST_ROW.search(f.read(1 << 16))
        return int(m.group(1)) if m else 1
    except (zipfile.BadZipFile, IndexError, KeyError, OSError):
        return 1  # .xls and others: calamine starts at row 1 for them as far as we can tell


def _read_csv(path: Path) -> tuple[pd.DataFrame, int]:
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
        at = _header_index(head)
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
