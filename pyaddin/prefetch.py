"""Start reading workbook tables before anything heavy is imported.

python-calamine reads in Rust without the GIL, so the biggest table can be read on one
core while the interpreter imports pandas and reads the smaller tables on the other.
Only the standard library and python-calamine are imported here, on purpose.
"""
from __future__ import annotations

import threading

import python_calamine as pc


class Prefetch:
    """Each lane (a list of table names) is read in order by its own thread."""

    def __init__(self, path, lanes: list[list[str]]):
        self.path = str(path)
        self._got: dict[str, tuple] = {}
        self._threads = {}
        for lane in filter(None, lanes):
            th = threading.Thread(target=self._read, args=(lane,), daemon=True)
            for name in lane:
                self._threads[name] = th
            th.start()

    def _read(self, lane: list[str]) -> None:
        try:
            with pc.CalamineWorkbook.from_path(self.path, load_tables=True) as wb:
                for name in lane:
                    t = wb.get_table_by_name(name)
                    self._got[name] = (t.to_python(), list(t.columns), t.start[0] + 1)
        except Exception:  # noqa: BLE001 — the normal read reports the error in the user's words
            pass

    def covers(self, name: str) -> bool:
        return name in self._threads

    def take(self, name: str):
        """(rows, columns, first data row) once read; None when it could not be (then read normally)."""
        th = self._threads.get(name)
        if th is None:
            return None
        th.join()
        return self._got.pop(name, None)
