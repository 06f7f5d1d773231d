"""The live-Excel gateway: the same interface as ``FileBook``, through xlwings' BSD core.

Tables are ListObjects found by name wherever the user moved them.  Reads go in chunks
of rows, writes in one bulk assignment per table: never cell by cell.
"""
from __future__ import annotations

import datetime as dt
import getpass

import pandas as pd

from . import schema
from .book import Gateway, detect_lang, to_columns
from .errors import QBError
from .schema import Table
from .validate import Parsed, parse_table

CHUNK = 50_000


class XlBook(Gateway):
    def __init__(self, book, *, date_order: str = "ymd"):
        self.book = book  # an xlwings Book (xw.Book.caller())
        self.date_order = date_order
        self.user = getpass.getuser()
        self._tables = {t.name: (sheet, t) for sheet in book.sheets for t in sheet.tables}
        tickets = self._tables.get("tbl_tickets")
        self.lang = detect_lang(list(tickets[1].header_row_range.value), schema.TICKETS) if tickets else "zh"

    def _table(self, table: Table):
        if table.name not in self._tables:
            raise QBError("table_missing", table=table.name, sheet=table.sheet(self.lang))
        return self._tables[table.name]

    def has_table(self, table: Table) -> bool:
        return table.name in self._tables

    def sheet_name(self, table: Table) -> str:
        return self._table(table)[0].name

    def raw(self, table: Table):
        sheet, lo = self._table(table)
        headers = [str(h) for h in lo.header_row_range.value]
        body = lo.data_body_range
        rows: list[list] = []
        if body is not None:
            first, n, width = body.row, body.rows.count, len(headers)
            for start in range(0, n, CHUNK):
                block = sheet.range((first + start, body.column),
                                    (first + min(start + CHUNK, n) - 1, body.column + width - 1)).options(ndim=2).value
                rows.extend(block)
        frame = pd.DataFrame(rows, columns=headers, dtype=object).replace({"": None})
        first_row = body.row if body is not None else lo.header_row_range.row + 1
        sheet_rows = pd.Series(range(first_row, first_row + len(frame)), index=frame.index)
        keep = ~frame.isna().all(axis=1)
        return frame[keep], sheet_rows[keep]



    def write(self, table: Table, data: pd.DataFrame) -> None:
        sheet, lo = self._table(table)
        cols = to_columns(table, data, self.lang)
        grid = [[c.header for c in cols]]
        frame = pd.DataFrame({i: c.values.reset_index(drop=True) for i, c in enumerate(cols)})
        grid += frame.astype(object).where(frame.notna(), None).values.tolist()
        top = lo.header_row_range
        body = lo.data_body_range
        if body is not None:
            body.clear_contents()
        sheet.range((top.row, top.column)).value = grid  # one bulk write
        lo.resize(sheet.range((top.row, top.column), (top.row + max(len(grid) - 1, 1), top.column + len(cols) - 1)))


    def dashboard_header(self, table: Table, text: str) -> None:
        self._table(table)[0].range("A2").value = text

    def fit_charts(self, table: Table) -> None:
        """Excel stretches charts drawn from a table's columns as the table resizes: nothing to do."""

    def check_writable(self) -> None:
        """Excel holds the book open for us; nothing to check."""

    def save(self, *, backup: bool = True):
        """Excel's own save is the user's to make; results stay in the open book."""
        return None

    def ask_file(self):
        path = self.book.app.api.GetOpenFilename("Data (*.csv;*.xlsx;*.xls),*.csv;*.xlsx;*.xls")
        return path if isinstance(path, str) else None
