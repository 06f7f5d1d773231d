"""An in-memory stand-in for the xlwings objects ``XlBook`` uses: Book, Sheet, Range, Table, App.

It behaves as Excel does where it matters to us, so that the ribbon's gateway can be tested
without Excel: text assigned to a cell is re-read by Excel (``00123`` → 123, ``1-2`` → a date,
``TRUE`` → a boolean, ``=…`` → a formula) unless it starts with an apostrophe; error cells
read as None unless ``err_to_str`` is asked for (xlwings' own behaviour); an assignment marks
the book as having unsaved changes.  A book can be loaded from a real file (openpyxl).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_DATE = re.compile(r"^(\d{1,4})[-/](\d{1,2})(?:[-/](\d{1,4}))?$")


class ErrorValue:
    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return f"ErrorValue({self.text})"


def excel_entry(v):
    """What Excel stores when a value is assigned through COM (``Range.Value = v``)."""
    if not isinstance(v, str):
        return v
    if v.startswith("'"):
        return v[1:]
    s = v.strip()
    if s.startswith("="):
        return ErrorValue("#NAME?")  # a formula; ours are never meant to be formulas
    if s.upper() in ("TRUE", "FALSE"):
        return s.upper() == "TRUE"
    if s and any(ch.isdigit() for ch in s) and _NUMBER.match(s):
        return float(s.replace(",", ""))
    m = _DATE.match(s)
    if m:
        a, b, c = m.groups()
        try:
            if c is None:
                return dt.datetime(dt.date.today().year, int(a), int(b))
            if len(a) == 4:
                return dt.datetime(int(a), int(b), int(c))
            return dt.datetime(int(c), int(a), int(b))
        except ValueError:
            return v
    if s in ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"):
        return ErrorValue(s)
    return v


class _Count:
    def __init__(self, n):
        self.count = n


class Range:
    def __init__(self, sheet, r1, c1, r2=None, c2=None, ndim=None, err_to_str=False):
        self.sheet, self.r1, self.c1 = sheet, r1, c1
        self.r2, self.c2 = (r2 or r1), (c2 or c1)
        self.ndim, self.err_to_str = ndim, err_to_str

    @property
    def row(self):
        return self.r1

    @property
    def column(self):
        return self.c1

    @property
    def rows(self):
        return _Count(self.r2 - self.r1 + 1)

    def options(self, ndim=None, err_to_str=False, **_):
        return Range(self.sheet, self.r1, self.c1, self.r2, self.c2, ndim, err_to_str)

    def _read(self, v):
        if isinstance(v, ErrorValue):
            return v.text if self.err_to_str else None
        return v

    @property
    def value(self):
        self.sheet.book.com_reads += 1
        grid = [[self._read(self.sheet.cells.get((r, c))) for c in range(self.c1, self.c2 + 1)]
                for r in range(self.r1, self.r2 + 1)]
        if self.ndim == 2:
            return grid
        if self.r1 == self.r2 and self.c1 == self.c2:
            return grid[0][0]
        if self.r1 == self.r2:
            return grid[0]
        return grid

    @value.setter
    def value(self, v):
        book = self.sheet.book
        book.api.Saved = False
        grid = v if isinstance(v, list) and v and isinstance(v[0], list) else [v if isinstance(v, list) else [v]]
        for i, row in enumerate(grid):
            for j, x in enumerate(row):
                cell = (self.r1 + i, self.c1 + j)
                entry = excel_entry(x)
                if entry is None:
                    self.sheet.cells.pop(cell, None)
                else:
                    self.sheet.cells[cell] = entry

    def clear_contents(self):
        self.sheet.book.api.Saved = False
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                self.sheet.cells.pop((r, c), None)


class Table:
    def __init__(self, sheet, name, r1, c1, r2, c2):
        self.sheet, self.name = sheet, name
        self.r1, self.c1, self.r2, self.c2 = r1, c1, r2, c2

    @property
    def header_row_range(self):
        return Range(self.sheet, self.r1, self.c1, self.r1, self.c2)

    @property
    def data_body_range(self):
        return Range(self.sheet, self.r1 + 1, self.c1, self.r2, self.c2) if self.r2 > self.r1 else None

    def resize(self, rng):
        self.r1, self.c1, self.r2, self.c2 = rng.r1, rng.c1, rng.r2, rng.c2


class Pictures:
    """``sheet.pictures.add(path, name=…, update=True, anchor=…)``: replaces the picture of that name."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.items: dict[str, tuple[bytes, tuple[int, int]]] = {}

    def add(self, image, name=None, update=False, anchor=None, **_):
        if name in self.items and not update:
            raise ValueError(f"picture {name!r} exists")  # xlwings refuses a duplicate name without update
        self.items[name] = (Path(image).read_bytes(), (anchor.row, anchor.column) if anchor else (1, 1))
        self.sheet.book.api.Saved = False

    def __len__(self):
        return len(self.items)


class Sheet:
    def __init__(self, book, name):
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], object] = {}
        self.tables: list[Table] = []
        self.pictures = Pictures(self)

    def range(self, a, b=None):
        if isinstance(a, str):
            m = re.match(r"^([A-Z]+)(\d+)$", a)
            col = 0
            for ch in m.group(1):
                col = col * 26 + ord(ch) - 64
            return Range(self, int(m.group(2)), col)
        if b is None:
            return Range(self, a[0], a[1])
        return Range(self, a[0], a[1], b[0], b[1])


class _Api:
    def __init__(self):
        self.Saved = True
        self.ReadOnly = False
        self.saves = 0  # Workbook.Save() calls
        self.opened: list[str] = []
        self.folders: list[str] = []
        self.fullname = ""

    def GetOpenFilename(self, *args):
        return self.opened.pop(0) if self.opened else False

    def FileDialog(self, kind):
        return _FolderPicker(self)

    def Save(self):
        self.saves += 1
        self.Saved = True

    def SaveCopyAs(self, path):
        """Excel writes the open book, unsaved changes included; here the book is as last read from its file."""
        import shutil

        shutil.copy(self.fullname, path)


class _FolderPicker:
    """``Application.FileDialog(msoFileDialogFolderPicker)``: shows the folders queued in ``api.folders``."""

    def __init__(self, api):
        self.api, self.Title = api, ""

    def Show(self):
        return -1 if self.api.folders else 0

    def SelectedItems(self, i):
        return self.api.folders.pop(0)


class Books:
    """``app.books``: other workbooks opened in the same Excel (the report printed to PDF)."""

    def __init__(self, app):
        self.app, self.opened = app, []

    def open(self, fullname):
        book = Book.from_file(fullname)
        book.app = self.app
        self.opened.append(book)
        return book


class App:
    def __init__(self):
        self.alerts: list[tuple[str, str]] = []
        self.answers: list[str] = []  # what the user clicks in yes/no boxes, in order
        self.api = _Api()
        self.books = Books(self)
        self.pdf_fails: str | None = None  # Excel's error when it cannot print (no printer driver)

    def alert(self, prompt, title=None, buttons="ok", **_):
        self.alerts.append((title, prompt))
        if buttons == "yes_no":
            return self.answers.pop(0) if self.answers else "no"
        return "ok"


class Book:
    def __init__(self, fullname: str):
        self.fullname = fullname
        self.name = Path(fullname).name
        self.sheets: list[Sheet] = []
        self.app = App()
        self.api = self.app.api  # Book.api.Saved and App.api share the flag here
        self.api.fullname = fullname
        self.com_reads = 0

    def sheet(self, name) -> Sheet:
        return next(s for s in self.sheets if s.name == name)

    def to_pdf(self, path, include=None, **_):
        """Excel prints the saved workbook with its page setup; here LibreOffice prints the same file."""
        import shutil
        import subprocess
        import tempfile

        if self.app.pdf_fails:
            raise RuntimeError(self.app.pdf_fails)
        with tempfile.TemporaryDirectory() as d:
            subprocess.run(["soffice", f"-env:UserInstallation=file://{d}/profile", "--headless", "--convert-to",
                            "pdf", "--outdir", d, self.fullname], check=True, capture_output=True, timeout=180)
            shutil.move(str(Path(d) / (Path(self.fullname).stem + ".pdf")), path)
        return path

    def close(self):
        self.closed = True

    @classmethod
    def from_file(cls, path) -> Book:
        """The workbook as Excel would show it after opening ``path`` (values, tables, error cells)."""
        import openpyxl

        book = cls(str(path))
        wb = openpyxl.load_workbook(path, data_only=True)
        for ws in wb.worksheets:
            sh = Sheet(book, ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if c.value is None:
                        continue
                    sh.cells[(c.row, c.column)] = ErrorValue(c.value) if c.data_type == "e" else c.value
            for name, ref in ws.tables.items():
                from openpyxl.utils.cell import range_boundaries

                c1, r1, c2, r2 = range_boundaries(ref)
                sh.tables.append(Table(sh, name, r1, c1, r2, c2))
            book.sheets.append(sh)
        book.api.Saved = True
        return book
