"""Read workbook tables into typed pandas frames, starting before anything heavy is imported.

fastexcel (calamine in Rust, results as Arrow columns) reads without the GIL and without a
Python object per cell. A small book is read on two lanes at once (the largest table alone,
the rest together) while the interpreter imports pandas; a large one table after table, so
that only one table's cell grid is in memory at a time (calamine's grid of a million-row
table is most of the memory budget). Only the standard library is imported at module level.
"""
from __future__ import annotations

import atexit
import html
import logging
import os
import threading

# fastexcel says when an empty column falls back to text; that is expected here, not news for the user
logging.getLogger("fastexcel").setLevel(logging.ERROR)

LARGE_BOOK = 40 * 2**20  # bytes on disk above which tables are read one after another
_READERS: list[threading.Thread] = []  # every read-ahead thread, awaited at exit (see _await_readers)


def _reader(target, *args) -> threading.Thread:
    th = threading.Thread(target=target, args=args, daemon=True)
    _READERS.append(th)
    th.start()
    return th


@atexit.register
def _await_readers() -> None:
    """A run that fails early (the book busy, its folder read-only) exits while a read-ahead may still be
    inside calamine or Arrow; killing a thread there aborts the process ("FATAL: exception not rethrown",
    exit 134) after the message was shown. So the exit waits for them."""
    for th in _READERS:
        th.join()


ERROR_TEXT = {"NA": "#N/A", "Value": "#VALUE!", "Ref": "#REF!", "Div0": "#DIV/0!", "Num": "#NUM!", "Name": "#NAME?",
              "Null": "#NULL!", "GettingData": "#GETTING_DATA"}


def read_table(reader, name: str):
    """One table as Arrow columns whose cells keep their own types; a column mixing types comes as
    text, so an unreadable cell is still seen (all rows are scanned to decide a column's type)."""
    return reader.load_table(name, schema_sample_rows=None).to_arrow()


def read_with_errors(reader, sheet: str, ref: str, columns: list[str]):
    """(Arrow columns, error cells as [(sheet row, column, text)]) of the table at ``ref`` on ``sheet``, read as
    a sheet range so that calamine reports error cells (#N/A…) on the way; None when the sheet's layout
    does not allow it (the caller then reads the table and looks for error cells itself)."""
    import re

    m = re.match(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$", ref)
    if not m:
        return None
    c1, top, c2, bottom = _col(m.group(1)), int(m.group(2)), _col(m.group(3)), int(m.group(4))
    sheet_obj = reader.load_sheet(sheet, header_row=0, n_rows=bottom - top, use_columns=list(range(c1, c2 + 1)),
                                  schema_sample_rows=None)
    info = sheet_obj.available_columns()
    names = [c.name for c in info if c1 <= c.absolute_index <= c2]
    if names != columns:
        return None  # the range does not start at the table's header: read the table instead
    batch, errors = sheet_obj.to_arrow_with_errors()
    by_index = {c.absolute_index: c.name for c in info}
    found = []
    for e in (errors.errors if errors else []):
        row, col = e.position
        kind = re.search(r"Error\((\w+)\)", e.detail)
        if kind and col in by_index:
            found.append((top + row, by_index[col], ERROR_TEXT.get(kind.group(1), "#" + kind.group(1))))
    return batch, found


def error_cells(errors, header: bool = True) -> list[tuple[int, int, str]]:
    """(data row index, column index, text such as ``#N/A``) of the error cells fastexcel reported while
    loading a sheet whose header is the first row of its range (``header``), or that has no header row."""
    import re

    out = []
    for e in (errors.errors if errors else []):
        row, col = e.position
        kind = re.search(r"Error\((\w+)\)", e.detail)
        if kind and (row >= 1 or not header):
            out.append((row - 1 if header else row, col, ERROR_TEXT.get(kind.group(1), "#" + kind.group(1))))
    return out


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def table_geometry(path) -> dict[str, tuple[str, list[str]]]:
    """Table name → (ref, column names), from the table parts (stdlib only: read before lxml)."""
    import re
    import zipfile

    out = {}
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if not re.match(r"xl/tables/[^/]+\.xml$", part):
                continue
            xml = z.read(part).decode("utf-8")
            head = re.search(r"<(?:\w+:)?table\b[^>]*>", xml)
            name = re.search(r'\bdisplayName="([^"]+)"', head.group(0)) if head else None
            ref = re.search(r'\bref="([^"]+)"', head.group(0)) if head else None
            if name and ref:
                cols = [html.unescape(c) for c in re.findall(r'<(?:\w+:)?tableColumn\b[^>]*?\bname="([^"]*)"', xml)]
                out[name.group(1)] = (ref.group(1), cols)
    return out


def _identity(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


class Prefetch:
    """Each lane (a list of table names) is read in order by its own thread; another looks for error cells."""

    def __init__(self, path, names: list[str], copies: bool = True):
        import fastexcel

        self.copies = copies  # look for a current columnar copy first (``colcache``)
        self._copied: set[str] = set()  # tables taken from their copy, their sheet left unread
        self._decided = {name: threading.Event() for name in names}
        self._errors: dict[str, list] = {}
        self.path = str(path)
        self.identity = _identity(self.path)
        self._got: dict[str, object] = {}
        self._threads: dict[str, threading.Thread] = {}
        big = os.path.getsize(self.path) > LARGE_BOOK if os.path.exists(self.path) else False
        lanes = [names] if big else [names[:1], names[1:]]
        self.large = big
        for lane in filter(None, lanes):
            th = _reader(self._read, fastexcel, lane)
            for name in lane:
                self._threads[name] = th


    def errors(self, name: str):
        """The error cells of table ``name`` as read ahead [(row, column, text)], or None if not known."""
        th = self._threads.get(name)
        if th is None:
            return None
        th.join()
        return self._errors.get(name)

    def _read(self, fastexcel, lane: list[str]) -> None:
        try:
            reader = geometry = None  # opened only if a table has no current copy
            for name in lane:
                copied = self.copies and self._read_copy(name)
                self._decided[name].set()
                if copied:
                    continue
                if reader is None:
                    reader, geometry = fastexcel.read_excel(self.path), table_geometry(self.path)
                sheet = self._sheet_of(reader, name)
                got = read_with_errors(reader, sheet, *geometry[name]) if sheet and name in geometry else None
                if got is None:
                    self._got[name] = read_table(reader, name)
                else:
                    self._got[name], self._errors[name] = got
        except Exception:  # noqa: BLE001 — the normal read reports the error in the user's words
            pass
        finally:
            for name in lane:
                self._decided[name].set()

    def _read_copy(self, name: str) -> bool:
        """Whether the table's columnar copy is whole and of the book's parts as they are now: its sheet is then
        left unread, and the copy is read where it lies, when the action needs it."""
        from . import colcache

        if not colcache.still_current(self.path, name):
            return False
        self._copied.add(name)
        return True

    def reads_sheet(self, name: str) -> bool:
        """Whether this read-ahead reads the table's sheet (rather than its columnar copy, or not at all)."""
        if name not in self._threads:
            return False
        self._decided[name].wait()
        return name not in self._copied

    @staticmethod
    def _sheet_of(reader, name: str) -> str | None:
        for sheet in reader.sheet_names:
            if name in reader.table_names(sheet):
                return sheet
        return None

    def still(self, path) -> bool:
        """Whether ``path`` is still the file that was read ahead (not replaced by another save since)."""
        return _identity(str(path)) == self.identity

    def settle(self) -> None:
        """For a large book, wait until every table is read (each grid freed, its Arrow columns kept) before
        importing and parsing anything: a table's cell grid is the peak of the run and should have
        nothing beside it but the compact columns of the tables already read."""
        if self.large:
            for th in set(self._threads.values()):
                th.join()

    def take(self, name: str):
        """The table as a pandas frame once read; None when it could not be (then read it normally)."""
        th = self._threads.get(name)
        if th is None:
            return None
        while name not in self._got and th.is_alive():
            th.join(0.05)
        batch = self._got.pop(name, None)
        return None if batch is None else batch.to_pandas()


class EarlySource:
    """An export workbook's first sheet read on a thread of its own while the interpreter imports pandas.

    Only the common case is read ahead (the header in the first non-empty row); ``sources``
    reads anything else itself.  A large export is not read ahead: its cell grid is the peak of
    the run, and must not sit beside the grid of the workbook's own table being read meanwhile.
    """

    def __init__(self, path):
        self.path = str(path)
        self._got = None
        self._thread = None
        if (self.path.lower().endswith((".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")) and os.path.isfile(self.path)
                and os.path.getsize(self.path) <= LARGE_BOOK):
            self._thread = _reader(self._read)

    def _read(self) -> None:
        try:
            import fastexcel

            sheet = fastexcel.read_excel(self.path).load_sheet(0, header_row=0, schema_sample_rows=None)
            generated = [c.column_name_from == "generated" for c in sheet.available_columns()]
            batch, errors = sheet.to_arrow_with_errors()
            self._got = (batch, generated, error_cells(errors))
        except Exception:  # noqa: BLE001 — the normal read reports the error in the user's words
            self._got = None

    def take(self):
        """(Arrow batch, which column names were generated, its error cells), or None."""
        if self._thread is None:
            return None
        self._thread.join()
        got, self._got = self._got, None
        return got
