"""One suite of behaviour, run against every way actions reach a workbook.

- ``file``: ``FileBook`` on the file (the command line);
- ``excel``: ``XlBook`` over the stand-in of xlwings' objects, the book having unsaved changes
  (every read goes through COM);
- ``excel-saved``: ``XlBook`` over the stand-in of a book with no unsaved changes (tables are
  read from the file on disk with the fast reader; writes still go through Excel).
The ribbon and the command line must store and read the same values.
"""
import shutil

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT
from pyaddin import schema
from pyaddin.book import FileBook
from pyaddin.context import Context
from pyaddin.registry import get
from pyaddin.runner import execute
from pyaddin.xlbook import XlBook
from xlstandin import Book

ROUTES = ("file", "excel", "excel-saved")
TRICKY = ["00123", "1-2", "=_=", "TRUE", "'quoted", "3.0", " padded ", "1,234", "2026/9/3"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A workbook holding the sample tickets, imported through the command line."""
    from click.testing import CliRunner

    from pyaddin.cli.main import cli

    p = tmp_path_factory.mktemp("contract") / "book.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", p)
    r = CliRunner().invoke(cli, ["import", str(p), str(ROOT / "samples" / "tickets.csv"), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    return p


class Opened:
    """A gateway over a copy of ``path``, and a way to see what another run would read back."""

    def __init__(self, route, path):
        self.route, self.path = route, path
        if route == "file":
            self.book = FileBook(path)
        else:
            self.xl = Book.from_file(path)
            self.xl.api.Saved = route == "excel-saved"
            self.book = XlBook(self.xl)

    def reread(self):
        """What a later run reads: the saved file for the command line, the live book for Excel."""
        if self.route == "file":
            self.book.save(backup=False)
            self.book.close()
            self.book = FileBook(self.path)
        return self.book

    def close(self):
        if self.route == "file":
            self.book.close()


@pytest.fixture(params=ROUTES)
def gateway(request, imported, tmp_path):
    p = tmp_path / "copy.xlsm"
    shutil.copy(imported, p)
    g = Opened(request.param, p)
    yield g
    g.close()


def test_every_route_reads_the_same_tickets(gateway, imported):
    with FileBook(imported) as ref:
        expected = ref.read(schema.TICKETS).data
    got = gateway.book.read(schema.TICKETS)
    assert got.issues == []
    assert plain(got.data) == plain(expected)


def plain(frame: pd.DataFrame) -> list[list]:
    """Values as Python objects, empty as None: the gateways may differ in dtype, never in value."""
    f = frame.reset_index(drop=True).astype(object)
    return f.where(f.notna(), None).values.tolist()


@pytest.mark.parametrize("route", ["excel", "excel-saved"])
def test_the_saved_route_reads_from_disk_and_the_other_through_excel(route, imported):
    g = Opened(route, imported)
    before = g.xl.com_reads
    g.book.read(schema.TICKETS)
    assert (g.xl.com_reads == before) == (route == "excel-saved")
    g.book.write(schema.KPI, g.book.read(schema.KPI).data)  # a write: the book now has unsaved changes
    before = g.xl.com_reads
    g.book.read(schema.TICKETS)
    assert g.xl.com_reads > before  # so the file on disk is no longer what Excel shows


def test_text_written_stays_text_whatever_it_looks_like(gateway):
    frame = gateway.book.read(schema.TICKETS).data.head(len(TRICKY)).copy()
    frame["ticket_id"] = TRICKY
    frame["category"] = TRICKY[::-1]
    frame["resolution_note"] = [f"={t}" for t in TRICKY]
    gateway.book.write(schema.TICKETS, frame)
    back = gateway.reread().read(schema.TICKETS)
    assert back.issues == []
    assert back.data["ticket_id"].tolist() == [t.strip() for t in TRICKY]
    assert back.data["category"].tolist() == [t.strip() for t in TRICKY[::-1]]
    assert back.data["resolution_note"].tolist() == [f"={t}".strip() for t in TRICKY]


def test_error_cells_are_errors_not_blanks(tmp_path, imported):
    p = tmp_path / "errors.xlsm"
    wb = openpyxl.load_workbook(imported, keep_vba=True)
    ws = wb["工单数据"]
    ws["B3"] = "#N/A"  # 创建时间 of the second ticket
    ws["J5"] = "#VALUE!"  # 联系次数 of the fourth
    wb.save(p)
    for route in ROUTES:
        g = Opened(route, p)
        try:
            issues = g.book.read(schema.TICKETS).issues
            found = sorted((i.row, i.column, i.value, i.reason) for i in issues if i.reason == "cell_error")
            assert found == [(3, "创建时间", "#N/A", "cell_error"), (5, "联系次数", "#VALUE!", "cell_error")], route
            out = execute(get("check"), Context(), g.book)
            assert out.exit_code == 1 and any("第3行" in d and "#N/A" in d for d in out.details), route
        finally:
            g.close()


def test_error_cells_through_the_command_line_and_in_the_sheet_xml(tmp_path, imported):
    from click.testing import CliRunner

    from pyaddin.cli.main import cli
    from pyaddin.ooxml import tables as ox

    p = tmp_path / "errors.xlsm"
    wb = openpyxl.load_workbook(imported, keep_vba=True)
    wb["工单数据"]["B3"] = "#N/A"
    wb.save(p)
    r = CliRunner().invoke(cli, ["check", str(p)])  # tables read ahead, errors from calamine
    assert r.exit_code == 1 and "第3行" in r.output and "#N/A" in r.output
    with FileBook(p) as b:  # the slower way, for tables that cannot be read as a sheet range
        assert ox.error_cells(b.pkg, b.locs["tbl_tickets"]) == [(3, 1, "#N/A")]


def test_a_write_past_the_last_row_is_refused_before_anything_is_written(gateway, monkeypatch):
    from pyaddin import xlbook
    from pyaddin.errors import QBError
    from pyaddin.ooxml import sheetdata

    monkeypatch.setattr(sheetdata, "MAX_ROW", 100)
    monkeypatch.setattr(xlbook, "MAX_ROW", 100)
    frame = gateway.book.read(schema.TICKETS).data.head(150)
    with pytest.raises(QBError) as e:
        gateway.book.write(schema.TICKETS, frame)
    assert e.value.key == "too_many_rows" and "1,048,576" in e.value.say()
    assert not gateway.book.dirty


def test_the_log_row_is_the_same_on_every_route(gateway):
    import datetime as dt

    gateway.book.log(dt.datetime(2026, 11, 26, 9, 30), "质检员", "kpi", "KPI看板", "2026-09-01..2026-09-30")
    log = gateway.reread().read(schema.LOG)
    assert log.issues == []
    row = log.data.iloc[-1]
    assert (row["at"], row["user"], row["action"], row["detail"]) == (
        pd.Timestamp("2026-11-26 09:30"), "质检员", "kpi", "2026-09-01..2026-09-30")


def test_a_tables_origin_is_where_the_book_holds_it(gateway):
    """Where a block's title goes: the first column (0-based) and header row of the table in this book."""
    assert gateway.book.origin(schema.TICKETS) == (0, schema.TICKETS.top)
    _, top, left = schema.KPI_VISITS.place
    assert gateway.book.origin(schema.KPI_VISITS) == (left, top)
    _, top, left = schema.KPI_HEATMAP.place
    assert gateway.book.origin(schema.KPI_HEATMAP) == (left, top)
