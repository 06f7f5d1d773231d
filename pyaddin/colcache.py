"""A columnar copy of each input table, kept beside the workbook, so that an unchanged table is never parsed twice.

Reading a million-row table means inflating and parsing its sheet XML (most of an action's time);
the same typed table read from Parquet takes a fraction of a second, and DuckDB reads that Parquet
as it is.  The copy is only ever a copy: the sheets stay the truth.

Where: a hidden folder beside the book, ``.qualitybook/<book file name>/<table>.parquet``.  Not inside
the package: Excel rewrites the whole file when it saves and keeps only the parts it knows, so a custom
part would be dropped (or, worse, kept stale beside the edited sheet); a folder beside the book survives
Excel's and LibreOffice's saves, is ignored by them, travels with the book when the folder is copied, and a
book copied alone simply reads its sheets and writes the copy again.

When it is used: the copy carries its key in the Parquet metadata, and is used only when the key equals
the book's —
- the content of what decides how the table reads: CRC-32 and size, from the zip's central directory (nothing
  inflated), of the table's sheet part, its relationships, its table part, the shared strings, the styles
  (a number format makes a number a date) and the workbook part (the 1904 date system); never a timestamp;
- how it was parsed: the header mapping, the date order, time zone and value mapping, the language;
- the format of the copy itself.
A copy whose key differs (a cell changed in Excel, a copy from another book) or that is not whole (truncated,
a byte changed: the CRC-32 of everything before its footer, kept in the footer, no longer matches) is ignored
and written again from the sheets.  Checked so, the copy is handed to DuckDB as a file (``read_parquet``): it
reads only the columns and row groups a query needs, and nothing is read into Python first.  Only tables read
without a problem are kept: a table with bad cells is read from its sheet each time, so every problem is
reported where it is.

Only the standard library is imported at module level: ``prefetch`` looks at the key before pandas is in.
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import zipfile
import zlib
from pathlib import Path

from .process import left_by_dead_runs

FORMAT = "qualitybook-columnar/1"
META = b"qualitybook"
SUM = b"qualitybook.sum"  # "CRC-32:length" of the file's bytes before its footer (the data pages)
ROW = "__sheet_row__"  # each data row's sheet row number, kept beside the data
SHARED_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml")
FOLDER = ".qualitybook"
SLICE = 200_000  # rows converted to Arrow at a time when a copy is written

log = logging.getLogger(__name__)


def folder(book: Path) -> Path:
    book = Path(book)
    return book.parent / FOLDER / book.name


def path_of(book: Path, table_name: str) -> Path:
    return folder(book) / f"{table_name}.parquet"


def _rels(part: str) -> str:
    head, _, name = part.rpartition("/")
    return f"{head}/_rels/{name}.rels"


def content_key(infos: dict[str, zipfile.ZipInfo], sheet_part: str, table_part: str) -> dict:
    """What the table's cells read as depends on: each part's CRC-32 and size, as the zip directory records them."""
    parts = (sheet_part, _rels(sheet_part), table_part, *SHARED_PARTS)
    return {p: [infos[p].CRC, infos[p].file_size] if p in infos else None for p in parts}


def zip_infos(book: Path) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(book) as z:
        return {i.filename: i for i in z.infolist()}


def context_key(mapping: dict | None, opts, lang: str) -> str:
    """How the table was parsed, as one string: the header mapping and the parse options."""
    return json.dumps({"mapping": sorted((mapping or {}).items()), "day_first": bool(opts.day_first),
                       "utc_offset_h": float(opts.utc_offset_h), "lang": lang,
                       "value_map": {k: sorted((str(a), str(b)) for a, b in v.items())
                                     for k, v in sorted(opts.value_map.items())}},
                      ensure_ascii=False, sort_keys=True)


def _footer(path: Path):
    """The file's Parquet footer (its metadata: the key and the data pages' sum), or None when it does not read."""
    try:
        import pyarrow.parquet as pq

        return pq.read_metadata(path)
    except Exception:  # noqa: BLE001 — a missing, truncated or foreign file is simply not a copy to use
        return None


def _key_in(meta) -> dict | None:
    try:
        key = json.loads((meta.metadata or {})[META])
    except (KeyError, ValueError, TypeError):
        return None
    return key if isinstance(key, dict) and key.get("format") == FORMAT else None


def stored_key(path: Path) -> dict | None:
    """The key a copy was written with (its footer only), or None when it has none or does not read."""
    meta = _footer(path)
    return None if meta is None else _key_in(meta)


def still_current(book: Path, table_name: str) -> bool:
    """Whether the copy on disk is whole and matches the book's parts as they are now: ``prefetch`` then leaves
    the table's sheet unread (the book checks the whole key, how it was parsed included, before using it)."""
    path = path_of(book, table_name)
    meta = _footer(path)
    key = None if meta is None else _key_in(meta)
    if key is None:
        return False
    try:
        infos = zip_infos(book)
    except (OSError, zipfile.BadZipFile):
        return False
    content = key.get("content") or {}
    parts = list(content)
    return len(parts) >= 3 and content_key(infos, parts[0], parts[2]) == content and _whole(path, meta)


def read_arrow(path: Path, objects: list | None = None):
    """The whole copy as an Arrow table, every page's checksum verified; None when it does not read.

    Columns of Python objects (enum keys: a few distinct words) come dictionary-encoded, so that each
    distinct word becomes one Python string, not one per row."""
    try:
        import pyarrow.parquet as pq

        if objects is None:  # the key's ``objects``, when the caller has not read them already
            objects = (stored_key(path) or {}).get("objects")
        # ParquetFile, not read_table: read_table brings in pyarrow.dataset, slow to import
        with pq.ParquetFile(path, page_checksum_verification=True, read_dictionary=objects or None) as f:
            return f.read()
    except Exception:  # noqa: BLE001
        return None


class _Summed:
    """A file being written, with the CRC-32 and length of what went through it so far."""

    def __init__(self, f):
        self.f, self.crc, self.length = f, 0, 0

    def write(self, data) -> int:
        self.crc, self.length = zlib.crc32(data, self.crc), self.length + len(data)
        return self.f.write(data)

    def tell(self) -> int:
        return self.length

    def flush(self) -> None:
        self.f.flush()

    def close(self) -> None:
        self.f.close()

    @property
    def closed(self) -> bool:
        return self.f.closed

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False


_SUMS: dict[tuple, bytes | None] = {}  # a file's (device, inode, size, mtime) → "CRC-32:length" of its data pages
_SUMS_LOCK = threading.Lock()


def _data_sum(path: Path) -> bytes | None:
    """"CRC-32:length" of the file's bytes before its footer (None when it is no Parquet file), computed once per
    file version: the read-ahead's check serves the action too, and a pinned name (``pin``) is the same file."""
    try:
        st = os.stat(path)
        version = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        with _SUMS_LOCK:
            if version in _SUMS:
                return _SUMS[version]
        got = None
        with open(path, "rb") as f:
            f.seek(-8, os.SEEK_END)
            tail = f.read(8)
            end = st.st_size - 8 - int.from_bytes(tail[:4], "little")
            if tail[4:] == b"PAR1" and end >= 4:
                f.seek(0)
                crc, left = 0, end
                while left > 0 and (chunk := f.read(min(left, 1 << 22))):
                    crc, left = zlib.crc32(chunk, crc), left - len(chunk)
                got = f"{crc}:{end}".encode() if left == 0 else None
    except OSError:  # a missing or unreadable file has no sum
        return None
    with _SUMS_LOCK:
        _SUMS[version] = got
    return got


def _whole(path: Path, meta) -> bool:
    """Whether the bytes before the footer are those written: the sum the footer (``meta``, read) keeps."""
    kept = (meta.metadata or {}).get(SUM)
    return kept is not None and kept == _data_sum(path)


def is_whole(path: Path) -> bool:
    """Whether the file's bytes before its footer are those written (their CRC-32 and length, which the footer
    keeps): a truncated copy, one with a byte changed or a foreign file is not."""
    meta = _footer(path)
    return meta is not None and _whole(path, meta)


def _as_objects(col):
    """A column read dictionary-encoded → Python objects (None where empty), one string object per distinct word."""
    import numpy as np
    import pandas as pd

    if not isinstance(col.dtype, pd.CategoricalDtype):
        return col.astype(object).where(col.notna(), None)
    words = np.append(np.asarray(col.cat.categories.astype(object)), None)
    codes = col.cat.codes.to_numpy()
    return pd.Series(words[np.where(codes < 0, len(words) - 1, codes)], index=col.index, name=col.name, dtype=object)


def current(book: Path, table_name: str, content: dict, context: str, pinned: bool = False):
    """(the copy's path, its key, what lets go of it) when the copy on disk is whole and of this very content, parsed
    this very way; None otherwise.  The engine reads it there (``engine.rows.of_parquet``): no Arrow or pandas is
    made of it.  ``pinned``: the path is a name of this run's own for the very file checked (``pin``), so that the
    queries of a whole action read that file even if the copy is replaced meanwhile; call the third item when done."""
    path, release = pin(path_of(book, table_name)) if pinned else (path_of(book, table_name), _nothing)
    meta = _footer(path)
    key = _key_in(meta) if meta is not None and _whole(path, meta) else None
    if key is None or key != {"format": FORMAT, "content": content, "context": context, "rows": meta.num_rows,
                              "objects": key.get("objects", [])}:
        release()
        return None
    return path, key, release


_PINS = itertools.count(1)
PINNED = ".reading"  # the suffix of a run's own name for a copy


def _nothing() -> None:
    return None


def pin(path: Path):
    """(a name of this run's own for the file at ``path`` — a hard link — and what removes it).  DuckDB opens the
    file again at every query of an action; a copy replaced meanwhile (an import by another run) is a new file under
    the old name, while the run's own name still holds the file it checked.  Where a link cannot be made (a FAT
    drive, some network shares) the copy's own name, and nothing to remove.  Names left by killed runs are removed
    here (POSIX: their process is gone)."""
    path = Path(path)
    _sweep_pins(path.parent, path.stem)
    own = path.with_name(f".{path.stem}.{os.getpid()}-{next(_PINS)}{PINNED}")
    try:
        os.link(path, own)
    except (OSError, AttributeError):
        return path, _nothing

    def release() -> None:
        try:
            own.unlink()
        except OSError:  # already gone, or (Windows) still open: a later run's sweep takes it
            pass
    return own, release


def _sweep_pins(where: Path, stem: str) -> None:
    for name in left_by_dead_runs(where, f".{stem}.", PINNED):
        (where / name).unlink(missing_ok=True)


def load_arrow(book: Path, table_name: str, content: dict, context: str):
    """(Arrow table, its key) from the copy when it is current (``current``); None otherwise."""
    got = current(book, table_name, content, context)
    table = None if got is None else read_arrow(got[0], got[1].get("objects", []))
    return None if table is None else (table, got[1])


def load(book: Path, table_name: str, content: dict, context: str):
    """(typed frame, sheet row numbers) from the copy when it is current; None otherwise."""
    got = load_arrow(book, table_name, content, context)
    if got is None:
        return None
    table, key = got
    frame = table.to_pandas()
    del table
    rows = frame.pop(ROW)
    for c in key["objects"]:  # enums and mixed text came as Python objects: give them back as such
        frame[c] = _as_objects(frame[c])
    return frame, rows


def store(book: Path, table_name: str, content: dict, context: str, data, rows) -> None:
    """Write the copy (atomically: a reader sees the old copy or the new one, never half of one).
    A failure only costs the next read its speed, so it is logged, not raised."""
    tmp = None
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if ROW in data.columns:
            return
        objects = [str(c) for c in data.columns if data[c].dtype == object]
        frame = data.assign(**{ROW: rows.to_numpy()})
        schema = pa.Schema.from_pandas(frame, preserve_index=True)
        key = {"format": FORMAT, "content": content, "context": context, "rows": len(frame), "objects": objects}
        schema = schema.with_metadata({**(schema.metadata or {}), META: json.dumps(key, ensure_ascii=False).encode()})
        where = folder(book)
        where.mkdir(parents=True, exist_ok=True)
        tmp = where / f".{table_name}-{os.getpid()}-{threading.get_ident()}.tmp"
        with open(tmp, "wb") as raw:
            sink = _Summed(raw)
            with pq.ParquetWriter(sink, schema, write_page_checksum=True) as out:
                for start in range(0, max(len(frame), 1), SLICE):  # a slice at a time: Arrow never holds it all
                    out.write_table(pa.Table.from_pandas(frame.iloc[start:start + SLICE], schema=schema,
                                                         preserve_index=True))
                out.add_key_value_metadata({SUM: f"{sink.crc}:{sink.length}".encode()})
        os.replace(tmp, path_of(book, table_name))
        tmp = None
    except Exception as e:  # noqa: BLE001
        log.info("columnar copy of %s not written: %s", table_name, e)
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def forget(book: Path, table_name: str) -> None:
    path_of(book, table_name).unlink(missing_ok=True)
