"""Reading a large export workbook in slices of rows: calamine's cell grid of a million rows never in memory whole.

calamine (through fastexcel) builds the whole sheet's grid before handing back columns: for a
million-row export that grid is over a gigabyte, the peak of an import.  Here the sheet's XML is
streamed out of the zip and cut at row boundaries; each slice becomes a small workbook in memory
(the same parts, the sheet holding only the slice's rows, stored uncompressed) that fastexcel reads
into Arrow columns, and the slices' columns are joined.  The columns are those a whole read gives: a
column whose slices disagree on its type is text, each value written as calamine writes it.

Anything unusual (the rows' columns or numbering not continuing from one slice to the next, a type
calamine would not render the same way) returns None, and the caller reads the sheet whole.
"""
from __future__ import annotations

import io
import re
import zipfile

SLICE_ROWS = 50_000
BLOCK = 1 << 24
_ROW_START = re.compile(rb'<row\b[^>]*?\br="(\d+)"[^>]*>\s*<c\b')


def _slices(path, part: str, rows_per_slice: int):
    """The sheet part's head (up to and with ``<sheetData…>``), then its rows in slices of about
    ``rows_per_slice`` whole rows, decompressed a block at a time."""
    with zipfile.ZipFile(path) as z, z.open(part) as f:
        buf = b""
        while (start := buf.find(b"<sheetData")) < 0 or buf.find(b">", start) < 0:
            block = f.read(BLOCK)
            if not block:
                return
            buf += block
        end = buf.index(b">", start) + 1
        if buf[end - 2:end] == b"/>":
            return
        yield buf[:end]
        buf, pending, count = buf[end:], [], 0
        while True:
            block = f.read(BLOCK)
            buf += block
            cut = buf.rfind(b"</row>")
            if cut >= 0:
                whole, buf = buf[:cut + len(b"</row>")], buf[cut + len(b"</row>"):]
                for piece in _split(whole, rows_per_slice - count, rows_per_slice):
                    pending.append(piece)
                    count += piece.count(b"</row>")
                    if count >= rows_per_slice:
                        yield b"".join(pending)
                        pending, count = [], 0
            if not block:
                break
        if pending:
            yield b"".join(pending)


def _split(block: bytes, first: int, rows: int = SLICE_ROWS):
    """``block`` (whole rows) in pieces: the first of at most ``first`` rows, then of at most ``rows``."""
    at, limit = 0, max(first, 1)
    while at < len(block):
        end, n = at, 0
        while n < limit:
            nxt = block.find(b"</row>", end)
            if nxt < 0:
                end = len(block)
                break
            end, n = nxt + len(b"</row>"), n + 1
        yield block[at:end]
        at, limit = end, rows


def _book_with(others: dict[str, bytes], part: str, sheet: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in others.items():
            z.writestr(name, data)
        z.writestr(part, sheet)
    return out.getvalue()


def read_in_slices(path, part: str, index: int, header_row: int, rows_per_slice: int | None = None):
    """(Arrow table, which column names were generated, error cells as ``prefetch.error_cells`` gives them) of sheet ``index`` (its part ``part``) with the header at
    ``header_row`` (0-based in calamine's range, as ``load_sheet`` counts it); None when it cannot be read in
    slices faithfully."""
    import fastexcel
    import pyarrow as pa

    with zipfile.ZipFile(path) as z:
        others = {n: z.read(n) for n in z.namelist() if n != part}
    pieces = _slices(path, part, rows_per_slice or SLICE_ROWS)
    head = next(pieces, None)
    root = re.search(rb"<(\w+:)?worksheet\b", head or b"")
    if root is None:
        return None
    tail = b"</sheetData></" + (root.group(1) or b"") + b"worksheet>"
    from .prefetch import error_cells

    slices, errors, done = [], [], 0
    names = generated = indices = None
    next_row = None
    for body in pieces:
        first = _ROW_START.search(body)
        if first is None:
            return None
        reader = fastexcel.read_excel(_book_with(others, part, head + body + tail))
        if names is None:
            sheet = reader.load_sheet(index, header_row=header_row, schema_sample_rows=None)
            info = sheet.available_columns()
            names = [c.name for c in info]
            generated = [c.column_name_from == "generated" for c in info]
        else:
            if int(first.group(1)) != next_row:
                return None  # blank rows at a slice's edge: calamine's range would not continue
            sheet = reader.load_sheet(index, header_row=None, schema_sample_rows=None)  # named below
            info = sheet.available_columns()
        got = [c.absolute_index for c in info]
        if indices is None:
            indices = got
        if not set(got) <= set(indices):
            return None
        batch, found = sheet.to_arrow_with_errors()
        # error cells by data row of the whole sheet: the first slice counts its header row, the others have none
        errors += [(r + done, c, t) for r, c, t in error_cells(found, header=names is not None and not slices)]
        done += batch.num_rows
        del reader, sheet
        if got != indices:  # columns empty all through this slice: calamine's range is narrower here
            have = dict(zip(got, batch.columns))
            batch = pa.RecordBatch.from_arrays([have.get(i, pa.nulls(batch.num_rows)) for i in indices],
                                               names=[str(i) for i in indices])
        batch = batch.rename_columns(names)
        last = [int(m) for m in re.findall(rb'<row\b[^>]*?\br="(\d+)"', body[-65536:])]
        next_row = (last[-1] if last else 0) + 1
        slices.append(pa.Table.from_batches([batch]))
    if not slices:
        return None
    by_column = [[s.column(i) for s in slices] for i in range(len(names))]
    del slices
    columns = []
    for i in range(len(names)):
        parts, by_column[i] = by_column[i], None  # each column made contiguous, its slices freed as it goes
        types = {p.type for p in parts} - {pa.null()}
        if len(types) > 1:  # a column mixing types: text, as a whole read gives it
            parts = [_as_text(p) for p in parts]
            if any(p is None for p in parts):
                return None
            kind = pa.string()
        else:
            kind = next(iter(types)) if types else pa.null()
            parts = [p.cast(kind) for p in parts]
        chunks = [c for p in parts for c in p.chunks]
        del parts
        columns.append(pa.concat_arrays(chunks) if chunks else pa.array([], kind))
        del chunks
    return pa.table(columns, names=names), generated, errors


def _as_text(col):
    """A slice's column as calamine writes a mixed column's values as text; None for a type it would write otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = col.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return col.cast(pa.string())
    if t == pa.null():
        return col.cast(pa.string())
    if pa.types.is_floating(t) or pa.types.is_integer(t) or pa.types.is_boolean(t):
        return pc.cast(col, pa.string())
    if pa.types.is_timestamp(t):
        return pc.strftime(col.cast(pa.timestamp("s", t.tz), safe=False), format="%Y-%m-%d %H:%M:%S")
    return None
