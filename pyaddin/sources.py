"""Reading export files as they come: CSV in the encodings Chinese Excel writes, xlsx/xls.

Values stay raw (text for CSV, cell values for workbooks); typing them is ``values``'
job, so that a bad cell can be reported with its original text and row number.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import python_calamine as pc

from .errors import QBError

ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 (with or without BOM), then GBK's superset


def decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise QBError("encoding_failed", path=str(path))
    return str(best)


def read_source(path: str | Path) -> tuple[pd.DataFrame, pd.Series]:
    """The first sheet (or the CSV) as raw values, and each data row's row number in the file."""
    path = Path(path)
    if not path.exists():
        raise QBError("file_not_found", path=str(path))
    ext = path.suffix.lower()
    if ext in (".csv", ".txt", ".tsv"):
        grid = _read_csv(path)
    elif ext in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        try:
            wb = pc.CalamineWorkbook.from_path(str(path))
            grid = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except pc.CalamineError as e:
            raise QBError("not_a_workbook", path=str(path), reason=str(e)) from None
    else:
        raise QBError("unknown_source", path=str(path))
    header_at = next((i for i, row in enumerate(grid) if any(str(v).strip() for v in row)), None)
    if header_at is None:
        raise QBError("no_header", path=str(path))
    header = [str(v).strip() for v in grid[header_at]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = [h or f"列{i + 1}" for i, h in enumerate(header[:width])]
    body = [list(r[:width]) + [""] * (width - len(r)) for r in grid[header_at + 1:]]
    frame = pd.DataFrame(body, columns=_unique(header), dtype=object)
    rows = pd.Series(range(header_at + 2, header_at + 2 + len(frame)), index=frame.index)
    filled = ~frame.map(lambda v: v is None or (isinstance(v, str) and not v.strip())).all(axis=1)
    return frame[filled].reset_index(drop=True), rows[filled].reset_index(drop=True)


def _read_csv(path: Path) -> list[list[str]]:
    text = decode(path.read_bytes(), path)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    return list(csv.reader(io.StringIO(text), delimiter=delim))


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        n = seen.get(h, 0)
        out.append(h if n == 0 else f"{h}.{n}")
        seen[h] = n + 1
    return out
