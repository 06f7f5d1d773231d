"""Rewriting one table's rows inside a sheet part: columnar, streamed, and keeping everything else.

The cell XML is built column by column in Arrow (C++ string kernels, no Python object per
cell) and handed to the zip writer in chunks, so a million-row table never exists as one
Python string.  Every cell outside the table survives, whatever the sheet's size: rows
above it, notes to its left and right, and cells below it (those under the table's own
columns move down as the table grows, as Excel's own table rows push them).  A cell that
would end up under the new table is not overwritten: the write is refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import QBError
from .text import ESCAPE_LIKE, excel_text

MAX_ROW = 1_048_576  # Excel's last row
CHUNK_ROWS = 65_536



def sheet_data_span(xml: bytes) -> tuple[int, int]:
    """Where ``<sheetData>…</sheetData>`` (or ``<sheetData/>``) lies: found by plain search, not a regex
    scanning tens of megabytes."""
    start = xml.find(b"<sheetData")
    if start < 0:
        raise ValueError("no sheetData in the sheet part")
    head_end = xml.index(b">", start) + 1
    if xml[head_end - 2:head_end] == b"/>":
        return start, head_end
    end = xml.rfind(b"</sheetData>")
    return start, end + len(b"</sheetData>")
_ROW = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"\s*/>')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_BAD_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"  # characters XML 1.0 forbids (Python syntax)
_BAD_XML_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"  # the same for Arrow's RE2


def col_letter(i: int) -> str:
    """0-based column index → Excel letters."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


@lru_cache(maxsize=4096)
def col_index(letters) -> int:
    """Excel letters (str or bytes) → 0-based column index; cached: a large sheet's cells ask for the same few."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


_REF = re.compile(r"^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$")


def split_ref(ref: str) -> tuple[int, int, int, int]:
    """'B3:F10' → (first col, first row, last col, last row), columns 0-based, rows 1-based."""
    m = _REF.match(ref.replace("$", ""))
    c1, r1 = col_index(m.group(1)), int(m.group(2))
    c2, r2 = (col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return c1, r1, c2, r2


@dataclass
class Column:
    """One output column: its header and either numbers (NaN = empty) or text (None = empty)."""

    header: str
    values: pd.Series
    numeric: bool


_NEEDS_WORK_RE2 = r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]|" + ESCAPE_LIKE
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def xml_text(arr: pa.Array) -> pa.Array:
    """Text escaped for an XML text node, without characters XML 1.0 forbids, ``_x0020_`` kept as typed
    (``text.excel_text``); one scan when none is there.

    A carriage return is written as ``&#13;``: a raw one would be read back as a line feed (XML end-of-line
    normalisation)."""
    if not pc.any(pc.match_substring_regex(arr, _NEEDS_WORK_RE2)).as_py():
        return arr
    arr = pc.replace_substring_regex(arr, _BAD_XML_RE2, "")
    if pc.any(pc.match_substring_regex(arr, ESCAPE_LIKE)).as_py():  # rare: row by row (overlapping _x0020_x0020_)
        arr = pa.array([None if t is None else excel_text(t) for t in arr.to_pylist()], pa.large_string())
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;")):
        arr = pc.replace_substring(arr, a, b)
    return arr


def is_arrow_text(dtype) -> bool:
    """Text held in Arrow: pandas 3's default ``str`` and ``string[pyarrow]`` (both ``StringDtype``) or an
    ``ArrowDtype``; such a column goes to the XML without a Python object per cell."""
    return isinstance(dtype, (pd.ArrowDtype, pd.StringDtype))


def _arrow(values: pd.Series, numeric: bool) -> pa.Array:
    if numeric:
        return pa.array(values.to_numpy(dtype=float, na_value=np.nan), from_pandas=True)
    if is_arrow_text(values.dtype):  # both storages of StringDtype and ArrowDtype hand Arrow their array
        return pa.array(values.array).cast(pa.large_string())
    objects = values.astype(object).where(values.notna(), None).to_numpy()  # every empty cell None: Arrow's null
    try:
        return pa.array(objects, type=pa.large_string())
    except UnicodeEncodeError:  # a lone surrogate (refused by the import; here only in a rejected row's text)
        return pa.array([_LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in objects],
                        type=pa.large_string())


def column_cells(col_values: pa.Array, numeric: bool, letter: str, rownums: pa.Array, style: str) -> pa.Array:
    """The XML of each cell ('' where the cell is empty)."""
    s = f' s="{style}"' if style else ""
    if numeric:
        parts = [f'<c r="{letter}', rownums, f'"{s}><v>', pc.cast(col_values, pa.large_string()), "</v></c>"]
    else:
        parts = [f'<c r="{letter}', rownums, f'"{s} t="inlineStr"><is><t xml:space="preserve">',
                 xml_text(col_values), "</t></is></c>"]
    parts = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts]
    return pc.fill_null(pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string())), "")


def _buffer_bytes(arr: pa.Array) -> memoryview:
    """The concatenation of every string of ``arr`` without building it: Arrow keeps them end to end."""
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    return memoryview(arr.buffers()[2])[int(offsets[0]):int(offsets[-1])]


@dataclass
class Cell:
    col: int
    xml: bytes


def _shift(cell_xml: bytes, row: int) -> bytes:
    return re.sub(rb'^<c r="([A-Z]+)\d+"', lambda m: b'<c r="' + m.group(1) + str(row).encode() + b'"', cell_xml)


class SheetWrite:
    """The new content of a sheet part whose table at ``c1``/``top`` gets ``columns`` (a header row and data).

    ``chunks()`` yields the part's bytes; nothing is built until the zip writer asks for them.
    """

    def __init__(self, xml: bytes, old_area: tuple[int, int, int, int], columns: list[Column], header_style: str,
                 styles: dict[int, str], sheet: str):
        c1, top, c2_old, bottom_old = old_area
        self.c1, self.top, self.columns, self.styles, self.header_style = c1, top, columns, styles, header_style
        self.n = len(columns[0].values) if columns else 0
        self.bottom = top + max(self.n, 1)  # an empty table keeps one empty row, as Excel does
        self.c2 = c1 + len(columns) - 1
        if self.bottom > MAX_ROW:
            raise QBError("too_many_rows", sheet=sheet, rows=self.n, limit=MAX_ROW - top)
        start, end = sheet_data_span(xml)
        self.prefix, self.suffix = xml[:start], xml[end:]
        data = xml[start:end]
        self.above: list[bytes] = []
        self.row_attrs: dict[int, bytes] = {}
        self.foreign: dict[int, list[Cell]] = {}
        fast = self._only_table_below(xml, c1, c2_old, top, bottom_old)
        grow = max(0, self.bottom - bottom_old)
        for rm in _ROW.finditer(data):
            r = int(rm.group(1))
            if r < top:
                self.above.append(rm.group(0))
                continue
            row = rm.group(0)
            self.row_attrs[r] = _SPANS.sub(b"", row[:row.index(b">") + 1].replace(b"/>", b">"))
            if fast:  # the header row's attributes (its height) are all that is kept at or below the table
                break
            for cm in _CELL.finditer(row):
                c = col_index(cm.group(1))
                if r <= bottom_old and c1 <= c <= c2_old:
                    continue  # the old table's own cell
                new_r = r + grow if (r > bottom_old and c1 <= c <= c2_old) else r
                xml_cell = cm.group(0) if new_r == r else _shift(cm.group(0), new_r)
                if top <= new_r <= self.bottom and c1 <= c <= self.c2:
                    raise QBError("cell_in_the_way", sheet=sheet, cell=f"{col_letter(c)}{r}")
                self.foreign.setdefault(new_r, []).append(Cell(c, xml_cell))
        if new_r_limit := max(self.foreign, default=0):
            if new_r_limit > MAX_ROW:
                raise QBError("too_many_rows", sheet=sheet, rows=self.n, limit=MAX_ROW - top)

    @staticmethod
    def _only_table_below(xml: bytes, c1: int, c2: int, top: int, bottom: int) -> bool:
        """True when the sheet's recorded used range says nothing lies outside the table at or below it."""
        d = _DIMENSION.search(xml[:4096])
        if not d:
            return False
        try:
            dc1, _, dc2, dr2 = split_ref(d.group(1).decode())
        except (AttributeError, ValueError):
            return False
        return dc1 >= c1 and dc2 <= c2 and dr2 <= bottom

    def ref(self) -> str:
        return f"{col_letter(self.c1)}{self.top}:{col_letter(self.c2)}{self.bottom}"

    def _dimension(self) -> bytes:
        rows = [self.top, self.bottom, *self.foreign]
        cols = [self.c1, self.c2, *(c.col for cells in self.foreign.values() for c in cells)]
        for row in self.above:
            rows.append(int(_ROW.match(row).group(1)))
            cols += [col_index(m.group(1)) for m in _CELL.finditer(row)]
        return f'<dimension ref="{col_letter(min(cols))}{min(rows)}:{col_letter(max(cols))}{max(rows)}"/>'.encode()

    def _header_row(self) -> bytes:
        hs = f' s="{self.header_style}"' if self.header_style else ""
        cells = [f'<c r="{col_letter(self.c1 + i)}{self.top}"{hs} t="inlineStr"><is><t xml:space="preserve">'
                 f'{_escape(c.header)}</t></is></c>' for i, c in enumerate(self.columns)]
        return self._row(self.top, "".join(cells).encode())

    def _row(self, r: int, table_cells: bytes | None) -> bytes:
        """Row ``r``: the table's cells (None for a row outside the table) between the other cells of the row."""
        cells = sorted(self.foreign.get(r, []), key=lambda c: c.col)
        head = self.row_attrs.get(r, f'<row r="{r}">'.encode())  # its height (a header row's) kept
        if table_cells is None:
            return head + b"".join(c.xml for c in cells) + b"</row>"
        left = b"".join(c.xml for c in cells if c.col < self.c1)
        right = b"".join(c.xml for c in cells if c.col > self.c2)
        return head + left + table_cells + right + b"</row>"

    def chunks(self):
        prefix = _DIMENSION.sub(self._dimension(), self.prefix, count=1)
        yield prefix + b"<sheetData>" + b"".join(self.above) + self._header_row()
        arrays = [(_arrow(c.values.reset_index(drop=True), c.numeric), c.numeric) for c in self.columns]
        letters = [col_letter(self.c1 + i) for i in range(len(self.columns))]
        foreign_rows = {r for r in self.foreign if self.top < r <= self.top + self.n}
        for start in range(0, self.n, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, self.n)
            first = self.top + 1 + start
            nums = pa.array(np.arange(first, first + stop - start)).cast(pa.large_string())
            cells = [column_cells(a.slice(start, stop - start), numeric, letter, nums, self.styles.get(self.c1 + i, ""))
                     for i, ((a, numeric), letter) in enumerate(zip(arrays, letters))]
            rows = pc.binary_join_element_wise(pa.scalar('<row r="', pa.large_string()), nums,
                                               pa.scalar('">', pa.large_string()), *cells,
                                               pa.scalar("</row>", pa.large_string()), pa.scalar("", pa.large_string()))
            if foreign_rows & set(range(first, first + stop - start)):  # rows that also hold notes: merge them
                rows = rows.to_pylist()
                for r in sorted(foreign_rows & set(range(first, first + stop - start))):
                    i = r - first
                    inner = rows[i][rows[i].index(">") + 1:-len("</row>")].encode()
                    rows[i] = self._row(r, inner).decode()
                rows = pa.array(rows, pa.large_string())
            yield _buffer_bytes(rows)
            del cells, rows
        for r in sorted(x for x in self.foreign if x > self.top + self.n):
            yield self._row(r, None)
        yield b"</sheetData>" + self.suffix


def _escape(t: str) -> str:
    t = excel_text(re.sub(_BAD_XML, "", t))
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
