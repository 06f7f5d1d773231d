"""The live-Excel gateway: the same protocol as ``FileBook``, through xlwings' BSD core.

Tables are ListObjects found by name wherever the user moved them.  Reading a 100 000-row
table cell by cell through COM is far slower than the file path, so when the book in Excel
has no unsaved changes its tables are read from the file on disk with the fast reader;
otherwise through COM, in chunks.  Writes go in one bulk assignment per table, with text
written so that Excel keeps it text (``00123``, ``1-2``, ``=_=`` stay as typed).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schema
from .book import TableBook, detect_lang, file_table, to_columns
from .errors import QBError
from .locale import follow_book
from .ooxml.sheetdata import MAX_ROW
from .ooxml.tables import table_column_names
from .schema import Table

CHUNK = 50_000
EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def as_typed_text(value):
    """What to assign so Excel stores ``value`` as text: an apostrophe prefix is Excel's own way to say so."""
    if isinstance(value, str):
        return "'" + value
    return value


def local_path(book) -> Path:
    """The book's file on this computer.  A book on OneDrive or SharePoint has an https ``FullName``; xlwings'
    ``Book.fullname`` maps it to the synced folder (its own search, or the ONEDRIVE_CONSUMER_WIN,
    ONEDRIVE_COMMERCIAL_WIN and SHAREPOINT_WIN settings of the xlwings.conf sheet); when it cannot, the
    message says which setting to fill rather than showing xlwings' error."""
    try:
        name = str(book.fullname)
    except Exception as exc:  # noqa: BLE001 — xlwings raises its own error when the URL cannot be mapped
        url = str(getattr(getattr(book, "api", None), "FullName", "") or "")
        raise QBError("cloud_path", url=url or "?", reason=f" ({exc})") from None
    if "://" in name:
        raise QBError("cloud_path", url=name, reason="")
    return Path(name)


class XlBook(TableBook):
    def __init__(self, book, *, date_order: str | None = None):
        self.book = book  # an xlwings Book (xw.Book.caller())
        self.date_order = date_order
        self._tables = {t.name: (sheet, t) for sheet in book.sheets for t in sheet.tables}
        if "tbl_tickets" not in self._tables:
            raise QBError("table_missing", table="tbl_tickets", sheet=schema.TICKETS.sheet_zh)
        self.lang = detect_lang([str(h) for h in self._tables["tbl_tickets"][1].header_row_range.value], schema.TICKETS)
        follow_book(self.lang)
        self._dirty = False

    def _table(self, table: Table):
        if table.name not in self._tables:
            raise QBError("table_missing", table=table.name, sheet=table.sheet(self.lang))
        return self._tables[table.name]

    @property
    def path(self) -> Path:
        """Where the book is on this computer (files the actions write go beside it)."""
        return local_path(self.book)

    def has_table(self, table: Table) -> bool:
        return table.name in self._tables

    def sheet_name(self, table: Table) -> str:
        return self._table(table)[0].name

    # -- reading
    def saved_file(self) -> Path | None:
        """The file on disk when it holds exactly what Excel shows (no unsaved changes), else None."""
        try:
            saved = bool(self.book.api.Saved)
            path = local_path(self.book)
        except Exception:  # noqa: BLE001 — a book never saved, on an unmapped cloud folder, or an API that
            return None  # cannot say: read through Excel
        return path if saved and path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file() else None

    def raw(self, table: Table):
        path = self.saved_file()
        if path is not None:
            return self._raw_from_file(path, table)
        return self._raw_from_excel(table)

    def _raw_from_file(self, path: Path, table: Table):
        import fastexcel

        from .ooxml import tables as ox
        from .ooxml.package import Package

        with Package(path) as pkg:
            locs = ox.tables(pkg)
            if table.name not in locs:
                raise QBError("table_missing", table=table.name, sheet=table.sheet(self.lang))
            return file_table(pkg, fastexcel.read_excel(str(path)), locs[table.name])

    def _raw_from_excel(self, table: Table):
        sheet, lo = self._table(table)
        headers = [str(h) for h in lo.header_row_range.value]
        body = lo.data_body_range
        rows: list[list] = []
        if body is not None:
            first, n, width = body.row, body.rows.count, len(headers)
            for start in range(0, n, CHUNK):
                block = sheet.range((first + start, body.column),
                                    (first + min(start + CHUNK, n) - 1, body.column + width - 1)
                                    ).options(ndim=2, err_to_str=True).value
                rows.extend(block)
        frame = pd.DataFrame(rows, columns=headers, dtype=object)
        first_row = body.row if body is not None else lo.header_row_range.row + 1
        errors = []
        for h in headers:
            col = frame[h]
            is_err = col.map(lambda v: isinstance(v, str) and v in EXCEL_ERRORS).to_numpy(dtype=bool)
            for i in frame.index[is_err]:
                errors.append((first_row + int(i), h, col[i]))
            frame[h] = col.where(~is_err, None).replace({"": None})
        sheet_rows = pd.Series(range(first_row, first_row + len(frame)), index=frame.index)
        keep = ~frame.isna().all(axis=1)
        return frame[keep], sheet_rows[keep], errors

    # -- writing
    def write(self, table: Table, data: pd.DataFrame) -> None:
        sheet, lo = self._table(table)
        cols = to_columns(table, data, self.lang)
        top = lo.header_row_range
        if top.row + max(len(data), 1) > MAX_ROW:
            raise QBError("too_many_rows", sheet=sheet.name, rows=len(data), limit=MAX_ROW - top.row)
        grid = [table_column_names([c.header for c in cols])]
        frame = pd.DataFrame({i: c.values.reset_index(drop=True) for i, c in enumerate(cols)})
        body = frame.astype(object).where(frame.notna(), None)
        for i, c in enumerate(cols):
            if not c.numeric:
                body[i] = body[i].map(as_typed_text, na_action="ignore")
        grid += body.values.tolist()
        grid = [[as_typed_text(h) for h in grid[0]]] + grid[1:]
        old = lo.data_body_range
        if old is not None:
            old.clear_contents()
        sheet.range((top.row, top.column)).value = grid  # one bulk write
        lo.resize(sheet.range((top.row, top.column), (top.row + max(len(grid) - 1, 1), top.column + len(cols) - 1)))
        self._dirty = True

    def set_cells(self, table: Table, cells: dict[str, object]) -> None:
        sheet = self._table(table)[0]
        for ref, value in cells.items():
            sheet.range(ref).value = as_typed_text(value)
        self._dirty = True

    def origin(self, table: Table) -> tuple[int, int]:
        top = self._table(table)[1].header_row_range
        return top.column - 1, top.row

    def place_picture(self, table: Table, png: bytes, name: str) -> None:
        """Through Excel: a picture two columns right of the table, replacing the one of that name."""
        import os
        import tempfile

        sheet, lo = self._table(table)
        top = lo.header_row_range
        width = len(top.value) if isinstance(top.value, list) else 1
        fd, path = tempfile.mkstemp(suffix=".png")
        with os.fdopen(fd, "wb") as f:
            f.write(png)
        try:
            sheet.pictures.add(path, name=name, update=True, anchor=sheet.range((top.row, top.column + width + 1)))
        finally:
            os.unlink(path)
        self._dirty = True

    def fit_charts(self, table: Table) -> None:
        """Excel stretches charts drawn from a table's columns as the table resizes: nothing to do."""

    def check_writable(self) -> None:
        """Excel holds the book open for us; nothing to check."""

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save(self):
        """Excel's own save is the user's to make; results stay in the open book."""
        return None

    @property
    def read_only(self) -> bool:
        """Opened read-only (another user has it, or the file is protected): Excel could not save it."""
        try:
            return bool(self.book.api.ReadOnly)
        except Exception:  # noqa: BLE001 — an API that cannot say: let the save say it
            return False

    def unsaved_changes(self) -> bool:
        """Has the user changed the open book since it was last saved?"""
        try:
            return not bool(self.book.api.Saved)
        except Exception:  # noqa: BLE001
            return False

    def save_in_place(self) -> None:
        """Save the open book now (what an action must not leave to the user: the batch record of a distribution)."""
        self.book.api.Save()

    def backup(self) -> Path | None:
        """Before a merge writes into the open book: a copy of it as it stands, unsaved changes included
        (Excel's ``SaveCopyAs``), beside it as ``NAME.bak``; the open book stays as it is."""
        target = Path(str(local_path(self.book)) + ".bak")
        if not target.parent.is_dir() or not target.parent.name:  # a book never saved has no folder
            return None
        self.book.api.SaveCopyAs(str(target))
        return target
