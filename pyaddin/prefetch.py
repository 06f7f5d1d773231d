"""Read workbook tables into typed pandas frames, starting before anything heavy is imported.

fastexcel (calamine in Rust, results as Arrow columns) reads without the GIL and without a
Python object per cell. A small book is read on two lanes at once (the largest table alone,
the rest together) while the interpreter imports pandas; a large one table after table, so
that only one table's cell grid is in memory at a time (calamine's grid of a million-row
table is most of the memory budget). Only the standard library is imported at module level.
"""
from __future__ import annotations

import logging
import os
import threading

# fastexcel says when an empty column falls back to text; that is expected here, not news for the user
logging.getLogger("fastexcel").setLevel(logging.ERROR)

LARGE_BOOK = 40 * 2**20  # bytes on disk above which tables are read one after another


def read_table(reader, name: str):
    """One table as Arrow columns whose cells keep their own types; a column mixing types comes as
    text, so an unreadable cell is still seen (all rows are scanned to decide a column's type)."""
    return reader.load_table(name, schema_sample_rows=None).to_arrow()


class Prefetch:
    """Each lane (a list of table names) is read in order by its own thread."""

    def __init__(self, path, names: list[str]):
        import fastexcel

        self.path = str(path)
        self._got: dict[str, object] = {}
        self._threads: dict[str, threading.Thread] = {}
        big = os.path.getsize(self.path) > LARGE_BOOK if os.path.exists(self.path) else False
        lanes = [names] if big else [names[:1], names[1:]]
        self.large = big
        for lane in filter(None, lanes):
            th = threading.Thread(target=self._read, args=(fastexcel, lane), daemon=True)
            for name in lane:
                self._threads[name] = th
            th.start()

    def _read(self, fastexcel, lane: list[str]) -> None:
        try:
            reader = fastexcel.read_excel(self.path)
            for name in lane:
                self._got[name] = read_table(reader, name)
        except Exception:  # noqa: BLE001 — the normal read reports the error in the user's words
            pass

    def settle(self) -> None:
        """For a large book, wait until every table is read (each grid freed, its Arrow columns kept) before
        importing and parsing anything: a table's cell grid is the peak of the run and should have
        nothing beside it but the compact columns of the tables already read."""
        if self.large:
            for th in set(self._threads.values()):
                th.join()

    def covers(self, name: str) -> bool:
        return name in self._threads

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
            self._thread = threading.Thread(target=self._read, daemon=True)
            self._thread.start()

    def _read(self) -> None:
        try:
            import fastexcel

            sheet = fastexcel.read_excel(self.path).load_sheet(0, header_row=0, schema_sample_rows=None)
            generated = [c.column_name_from == "generated" for c in sheet.available_columns()]
            self._got = (sheet.to_arrow(), generated)
        except Exception:  # noqa: BLE001 — the normal read reports the error in the user's words
            self._got = None

    def take(self):
        """(Arrow batch, which column names were generated), or None."""
        if self._thread is None:
            return None
        self._thread.join()
        got, self._got = self._got, None
        return got
