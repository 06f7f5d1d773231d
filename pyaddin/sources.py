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
WIDE = ("utf-32", "utf-32-le", "utf-32-be", "utf-16", "utf-16-le", "utf-16-be")  # decoded here, not by Arrow
HEAD_ROWS = 30  # rows looked at to find the header
HEAD_BYTES = 1 << 16  # the first look at a CSV; grown until it holds HEAD_ROWS whole lines …
MAX_HEAD = 16 << 20  # … up to this: a header row longer than 16 MB is refused, naming the limit


def sniff_encoding(data: bytes, path: Path) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip), checked over the whole file without decoding it into memory."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE starts both
        return "utf-32", 0
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    wide = _wide_without_bom(data[:HEAD_BYTES])
    if wide:
        return wide, 0
    for enc in ENCODINGS:
        dec = codecs.getincrementaldecoder(enc)()
        try:
            for i in range(0, len(data), 1 << 22):
                dec.decode(data[i:i + (1 << 22)])
            dec.decode(b"", final=True)
            return ("cp950" if enc == "gb18030" and _big5(data) else enc), 0
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1 << 20]).best()
    if best is None:
        raise QBError("encoding_failed", path=str(path))
    return best.encoding, 0


def _wide_without_bom(head: bytes) -> str | None:
    """UTF-32 or UTF-16 written without a BOM, told by where its zero bytes fall (a CSV's commas, digits and
    line ends are ASCII: one byte and three or one zeros); None when the text has no zero bytes."""
    if b"\0" not in head:
        return None
    n = len(head) - len(head) % 4
    zeros = [head[k:n:4].count(0) / max(n // 4, 1) for k in range(4)]
    for enc, where in (("utf-32-le", (2, 3)), ("utf-32-be", (0, 1)), ("utf-16-le", (1, 3)), ("utf-16-be", (0, 2))):
        if all(zeros[k] > 0.9 for k in where):
            return enc
    return None


def _big5(data: bytes) -> bool:
    """Whether bytes that decode as GB18030 (it decodes almost anything) are rather Big5 (Traditional
    Chinese, Taiwan and Hong Kong): only asked when they are also valid Big5, which GBK text rarely is."""
    head = data[:1 << 18]
    try:
        head.decode("cp950")
    except UnicodeDecodeError:
        return False
    from charset_normalizer import from_bytes

    best = from_bytes(head, cp_isolation=["gb18030", "big5"]).best()
    return best is not None and best.encoding == "big5"


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
    renamed: list = field(default_factory=list)  # (header, the name its repeat was given, column number)
    cell_errors: list = field(default_factory=list)  # (row, header, text) of error cells: #N/A, #REF!…


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
        errors = _error_texts(frame)
    elif ext in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        frame, header_at, sheet_name, errors = _read_workbook(
            path, early.take() if early is not None and sheet is None else None, known, sheet)
    else:
        raise QBError("unknown_source", path=str(path))
    given = [str(c).strip() for c in frame.columns]
    frame.columns = table_column_names(_unique(given))
    renamed = _duplicates(given, list(frame.columns), reader_renamed=ext not in (".csv", ".txt", ".tsv"))
    rows = pd.Series(range(header_at + 2, header_at + 2 + len(frame)), index=frame.index)
    blank = _blank_rows(frame)
    dropped = _footer(frame, blank, rows)
    keep = ~blank
    for r, _ in dropped:
        keep &= (rows != r).to_numpy()
    cells = [(header_at + 2 + i, frame.columns[c], t) for i, c, t in errors if c < len(frame.columns)]
    src = Source(frame, rows, header_at + 1, sheet_name, dropped, path.name, renamed, cells)
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
    """(frame, header row index 0-based in the sheet, sheet name, error cells as (data row index, column index,
    text)); one read when the header is the first row."""
    import fastexcel

    from .prefetch import error_cells

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
        if early is not None and idx == 0:
            batch, generated, errors = early
        else:
            loaded = reader.load_sheet(idx, header_row=0, schema_sample_rows=None)
            batch, found = loaded.to_arrow_with_errors()
            generated, errors = [c.column_name_from == "generated" for c in loaded.available_columns()], error_cells(found)
        header0 = [None if g else n for g, n in zip(generated, batch.schema.names)]
        head = [header0] + [list(r.values()) for r in batch.slice(0, HEAD_ROWS).to_pylist()]
        at = _pick_header(head, known) if known or sum(generated) * 2 > len(generated) else 0
        if at:  # a title above the header: read again from the header
            batch, found = reader.load_sheet(idx, header_row=at, schema_sample_rows=None).to_arrow_with_errors()
            errors = error_cells(found)
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
    return (frame, at + _first_row(path, idx) - 1, names[idx] if len(names) > 1 or sheet is not None else None,
            errors)


_FIRST_ROW = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*>\s*<c\b')


def _first_row(path: Path, index: int = 0) -> int:
    """The sheet row where calamine's range starts (its first non-empty row), read from the sheet XML's head."""
    import html
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            wb = z.read("xl/workbook.xml").decode("utf-8")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
            rids = re.findall(r'<(?:\w+:)?sheet\b[^>]*?r:id="([^"]+)"', wb)
            target = re.search(r'<Relationship\b[^>]*?Id="' + re.escape(rids[index]) + r'"[^>]*?Target="([^"]+)"', rels) \
                or re.search(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="' + re.escape(rids[index]) + '"', rels)
            part = html.unescape(target.group(1))
            part = part.lstrip("/") if part.startswith("/") else "xl/" + part
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
    if enc in WIDE:  # UTF-16/32: decoded here, so that a lone surrogate becomes a cell error, not a crash
        text = data.decode(enc, errors="surrogatepass")
        if _SURROGATE.search(text):
            return _csv_text(text, path, known)
        data, enc, skip = text.encode("utf-8"), "utf-8", 0
    head_text = _head(data, skip, enc, path)
    delim, at, names, width = _layout(head_text, known, path)
    cols = [f"c{i}" for i in range(len(names))]
    ragged: list[int] = []
    try:
        table = pacsv.read_csv(
            io.BytesIO(data[skip:]) if enc in ("utf-8", "utf-8-sig") else io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=cols, skip_rows=at + 1, encoding="utf8" if enc in ("utf-8", "utf-8-sig") else enc,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True,
                                             invalid_row_handler=lambda row: ragged.append(1) or "skip"),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in cols},
                                                 null_values=_NULL_TEXTS,
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True))
    except pa.ArrowInvalid as e:
        raise QBError("not_a_workbook", path=str(path), reason=str(e).splitlines()[0][:200]) from None
    if ragged:  # lines with more or fewer fields than the header: read them all the slow way, none dropped
        return _read_csv_rows(data[skip:].decode(enc), delim, at, names, width), at
    del data
    frame = table.to_pandas()
    frame.columns = names
    return frame.iloc[:, :max(width, 1)], at


# Arrow's default null texts, but not Excel's #N/A: an error cell is reported as one (``_error_texts``)
_NULL_TEXTS = ["", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "N/A", "NA", "NULL", "NaN", "n/a",
               "nan", "null"]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _head(data: bytes, skip: int, enc: str, path: Path) -> str:
    """The first HEAD_ROWS lines whole (a header of 20 000 columns is longer than a first look), up to
    MAX_HEAD; a header row longer than that is refused, never cut."""
    size = HEAD_BYTES
    while True:
        chunk = data[skip:skip + size]
        if len(chunk) < size or chunk.count(b"\n") + chunk.count(b"\r") > 2 * HEAD_ROWS:
            return chunk.decode(enc, errors="ignore")
        if size >= MAX_HEAD:
            if not (b"\n" in chunk or b"\r" in chunk):
                raise QBError("header_too_long", path=str(path), mb=MAX_HEAD >> 20)
            return chunk.decode(enc, errors="ignore")
        size *= 4


def _csv_text(text: str, path: Path, known) -> tuple[pd.DataFrame, int]:
    """A CSV already decoded (one holding a lone surrogate): read row by row; validation reports the cell."""
    text = text.lstrip("\ufeff")
    delim, at, names, width = _layout(text[:MAX_HEAD], known, path)
    return _read_csv_rows(text, delim, at, names, max(width, 1)), at


def _layout(head_text: str, known, path: Path) -> tuple[str, int, list[str], int]:
    """(delimiter, header row index, column names, width without trailing unnamed columns) of a CSV's head."""
    try:
        delim = csv.Sniffer().sniff(head_text[:20000], delimiters=",\t;|").delimiter
    except csv.Error:
        delim = ","
    head = list(csv.reader(io.StringIO(head_text, newline=""), delimiter=delim))[:HEAD_ROWS]
    try:
        at = _pick_header(head, known or set())
    except QBError:
        raise QBError("no_header", path=str(path)) from None
    header = [h.strip() for h in head[at]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    return delim, at, [h or f"列{i + 1}" for i, h in enumerate(header)], width


def _read_csv_rows(text: str, delim: str, at: int, names: list[str], width: int) -> pd.DataFrame:
    grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))[at + 1:]
    body = [[v if v != "" else None for v in r[:width]] + [None] * (width - len(r)) for r in grid]
    return pd.DataFrame(body, columns=names[:width], dtype=object)


def _error_texts(frame: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Error values a spreadsheet wrote into a CSV as text (``#N/A``): (data row index, column index, text),
    each cell then blank, so that it is reported as the error it is, not as a missing value."""
    from .prefetch import ERROR_TEXT

    texts = list(ERROR_TEXT.values())
    out = []
    for c in range(frame.shape[1]):  # by position: headers may repeat here
        col = frame.iloc[:, c]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)):
            continue
        hit = col.isin(texts).to_numpy(bool)
        if hit.any():
            out += [(int(i), c, col.iloc[i]) for i in hit.nonzero()[0]]
            frame.isetitem(c, col.where(~hit, None))
    return out


def _duplicates(given: list[str], final: list[str], reader_renamed: bool) -> list[tuple[str, str, int]]:
    """(header, new name, 1-based column) of each header that repeats one before it, so that the import says
    which column was kept under the name. A workbook reader has renamed repeats already (``工单编号_1``)."""
    seen: set[str] = set()
    out = []
    for i, (g, f) in enumerate(zip(given, final), start=1):
        base = re.sub(r"_\d+$", "", g) if reader_renamed else g
        if base.lower() in seen and (g != base or g != f):
            out.append((base, f, i))
        seen.add(base.lower())
    return out


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        n = seen.get(h, 0)
        out.append(h if n == 0 else f"{h}.{n}")
        seen[h] = n + 1
    return out
