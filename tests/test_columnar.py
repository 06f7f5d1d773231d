"""Reading at the speed of the data: pandas' own text in Arrow, and the columnar copy of the input tables."""
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from conftest import ROOT, libreoffice
from pyaddin import book as bookmod
from pyaddin import colcache, schema
from pyaddin.book import FileBook
from pyaddin.context import Context
from pyaddin.engine import duck
from pyaddin.runner import run_file

SAMPLES = ROOT / "samples"
INPUTS = (schema.TICKETS, schema.SURVEYS, schema.INSPECTIONS)


def test_pandas_default_text_goes_to_the_sheet_xml_as_arrow_without_python_objects():
    from pyaddin.ooxml.sheetdata import _arrow

    text = pd.Series(["电话", None, "a<b"])  # pandas' default dtype for text
    assert isinstance(text.dtype, pd.StringDtype) and text.dtype.na_value is not pd.NA
    arr = _arrow(text, False)
    source = pa.array(text.array)
    assert arr.type == pa.large_string() and arr.to_pylist() == ["电话", None, "a<b"]
    assert arr.buffers()[2].address == source.buffers()[2].address  # the same bytes: no Python str per cell


def imported(tmp_path: Path, name="book.xlsm", tickets=SAMPLES / "tickets.csv") -> Path:
    book = tmp_path / name
    shutil.copy(ROOT / "qualitybook.xlsm", book)
    for key, path in (("tickets", tickets), ("surveys", SAMPLES / "surveys.csv"),
                      ("inspections", SAMPLES / "inspections.xlsx")):
        assert run_file(f"import_{key}", book, Context(), path=path).exit_code == 0
    return book


def from_sheets(book: Path) -> dict[str, pd.DataFrame]:
    """The input tables parsed from their sheets (the copies moved aside, then put back)."""
    aside = book.parent / "aside"
    shutil.move(colcache.folder(book), aside)
    try:
        with FileBook(book) as b:
            b._keep_copy = lambda t, m, parsed, d=None: parsed  # leave no copy behind
            return {t.name: b.read(t).data for t in INPUTS}
    finally:
        shutil.rmtree(colcache.folder(book), ignore_errors=True)
        shutil.move(aside, colcache.folder(book))


class SheetReads:
    """The tables whose sheet is parsed (``book.file_table``): none, when the copies serve."""

    def __init__(self, monkeypatch):
        self.names: list[str] = []
        real = bookmod.file_table

        def recorded(pkg, reader, loc, *a):
            self.names.append(loc.name)
            return real(pkg, reader, loc, *a)
        monkeypatch.setattr(bookmod, "file_table", recorded)

    def inputs(self) -> set[str]:
        """The input tables read from their sheets (the small configuration tables always are)."""
        return {t.name for t in INPUTS} & set(self.names)


def read_all(book: Path) -> dict[str, pd.DataFrame]:
    with FileBook(book) as b:
        return {t.name: b.read_many([t])[t.key].data for t in INPUTS}


def same(a: dict, b: dict) -> None:
    assert set(a) == set(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory) -> Path:
    return imported(tmp_path_factory.mktemp("columnar"))


@pytest.fixture
def book(sample_book, tmp_path) -> Path:
    """A copy of the imported sample book with its columnar copies."""
    b = tmp_path / sample_book.name
    shutil.copy(sample_book, b)
    shutil.copytree(colcache.folder(sample_book), colcache.folder(b))
    return b


def test_the_import_writes_the_copy_and_the_next_actions_read_no_input_sheet(book, monkeypatch):
    for t in INPUTS:
        assert colcache.path_of(book, t.name).exists()
    sheets = from_sheets(book)
    reads = SheetReads(monkeypatch)
    same(read_all(book), sheets)  # the copy written by the import reads as the sheets do
    for name, options in (("kpi", {}), ("pareto", {"quarter": "2026Q3"}), ("alerts", {}),
                          ("sample", {"period": "2026-09"})):
        first = run_file(name, book, Context(), **options)
        assert first.exit_code == 0, name
    assert not reads.inputs(), reads.names


def test_results_from_the_copy_equal_those_from_the_sheets(book):
    with_copy = run_file("pareto", book, Context(), quarter="2026Q3").data
    kpi_copy = run_file("kpi", book, Context(), quarter="2026Q3").data
    shutil.rmtree(colcache.folder(book))
    assert run_file("pareto", book, Context(), quarter="2026Q3").data == with_copy
    assert run_file("kpi", book, Context(), quarter="2026Q3").data == kpi_copy
    assert colcache.path_of(book, "tbl_tickets").exists()  # read from the sheets, the copy written again


def test_a_book_copied_without_its_copies_is_read_from_its_sheets_and_they_are_rebuilt(book, tmp_path, monkeypatch):
    elsewhere = tmp_path / "moved"
    elsewhere.mkdir()
    alone = elsewhere / book.name
    shutil.copy(book, alone)
    reads = SheetReads(monkeypatch)
    same(read_all(alone), read_all(book))
    assert {t.name for t in INPUTS} <= set(reads.names)
    for t in INPUTS:
        assert colcache.stored_key(colcache.path_of(alone, t.name))  # rebuilt beside the copied book
    reads.names.clear()
    same(read_all(alone), read_all(book))
    assert not reads.inputs()


def test_a_cell_changed_and_saved_by_libreoffice_is_read_from_the_sheet_and_the_copy_rebuilt(book, tmp_path,
                                                                                             monkeypatch):
    saved = tmp_path / "saved.xlsx"
    facts = libreoffice("fill", book, saved, "工单数据", "D2=技术部")  # 责任部门 of the first ticket
    assert facts["locked"]
    shutil.move(saved, book)  # as if the user had saved the book in LibreOffice
    reads = SheetReads(monkeypatch)
    after = read_all(book)
    assert "tbl_tickets" in reads.names
    assert after["tbl_tickets"]["department"].iloc[0] == "技术部"
    reads.names.clear()
    same(read_all(book), after)  # now from the rebuilt copy
    assert "tbl_tickets" not in reads.names
    shutil.rmtree(colcache.folder(book))
    same(read_all(book), after)


def test_a_copy_from_another_book_is_never_used(book, tmp_path, monkeypatch):
    half = tmp_path / "half.csv"
    lines = (SAMPLES / "tickets.csv").read_text(encoding="utf-8-sig").splitlines()
    half.write_text("\n".join(lines[:1001]) + "\n", encoding="utf-8")
    (tmp_path / "other").mkdir()
    other = imported(tmp_path / "other", tickets=half)
    shutil.copy(colcache.path_of(book, "tbl_tickets"), colcache.path_of(other, "tbl_tickets"))  # 4 000 tickets
    reads = SheetReads(monkeypatch)
    got = read_all(other)
    assert len(got["tbl_tickets"]) == 1000 and "tbl_tickets" in reads.names
    reads.names.clear()
    assert len(read_all(other)["tbl_tickets"]) == 1000 and not reads.inputs()  # the copy is its own again


@pytest.mark.parametrize("damage", ["truncated", "a byte flipped", "empty"])
def test_a_damaged_copy_is_never_used(book, monkeypatch, damage):
    expected = read_all(book)
    path = colcache.path_of(book, "tbl_tickets")
    data = bytearray(path.read_bytes())
    if damage == "truncated":
        data = data[:len(data) // 2]
    elif damage == "a byte flipped":
        data[len(data) // 3] ^= 0xFF  # inside a data page: its checksum no longer matches
    else:
        data = b""
    path.write_bytes(bytes(data))
    reads = SheetReads(monkeypatch)
    same(read_all(book), expected)
    assert "tbl_tickets" in reads.names
    assert colcache.read_arrow(path) is not None  # written again, whole


@pytest.mark.parametrize("damage", ["a byte flipped", "truncated", "footer of another copy"])
def test_an_action_reads_a_damaged_copy_from_the_sheets_never_through_the_engine(book, monkeypatch, damage):
    """The engine reads the copy where it lies (DuckDB's read_parquet, which checks no page checksum): the copy's
    own CRC-32 of its data pages decides, before DuckDB is given the file."""
    expected = run_file("pareto", book, Context(), quarter="2026Q3").data
    path = colcache.path_of(book, "tbl_tickets")
    data = bytearray(path.read_bytes())
    if damage == "a byte flipped":
        data[len(data) // 3] ^= 0x01
    elif damage == "truncated":
        data = data[:len(data) * 2 // 3]
    else:  # the data pages of this copy, the footer (and so the key) of the same table's copy in another book
        other = colcache.path_of(book, "tbl_surveys").read_bytes()
        data = data[:len(data) // 2] + other[len(other) // 2:]
    path.write_bytes(bytes(data))
    assert not colcache.is_whole(path)
    reads = SheetReads(monkeypatch)
    assert run_file("pareto", book, Context(), quarter="2026Q3").data == expected
    assert "tbl_tickets" in reads.names
    assert colcache.is_whole(path)  # written again, whole


def test_a_copy_is_whole_as_written_and_its_check_is_not_fooled_by_a_changed_byte(tmp_path):
    """The CRC-32 kept in the footer is that of every byte before it, as the writer produced them."""
    frame = pd.DataFrame({"ticket_id": [f"T{i}" for i in range(50_000)], "n": range(50_000)})
    content = {"part": [1, 2]}
    colcache.store(tmp_path / "b.xlsx", "tbl_x", content, "ctx", frame, pd.Series(range(2, 50_002)))
    path = colcache.path_of(tmp_path / "b.xlsx", "tbl_x")
    assert colcache.is_whole(path)
    assert colcache.current(tmp_path / "b.xlsx", "tbl_x", content, "ctx")[0] == path
    assert colcache.current(tmp_path / "b.xlsx", "tbl_x", content, "another parse") is None
    data = bytearray(path.read_bytes())
    data[100] ^= 0x40
    path.write_bytes(bytes(data))
    assert not colcache.is_whole(path)
    assert colcache.current(tmp_path / "b.xlsx", "tbl_x", content, "ctx") is None


def test_a_large_export_read_in_slices_gives_what_a_whole_read_gives(tmp_path):
    import datetime as dt
    import zipfile

    import fastexcel
    import openpyxl

    from pyaddin import slices, sources

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "数量", "时间", "备注"])
    for i in range(40):
        ws.append([f"T{i:03d}", i if i < 25 else f"x{i}",  # numbers, then text: a mixed column
                   dt.datetime(2026, 9, 1, 8, i) if i % 7 else "2026/9/3 8:05",
                   None if 10 <= i < 24 else "#N/A" if i in (8, 30) else "备注"])  # empty through whole slices
    path = tmp_path / "big.xlsx"
    wb.save(path)
    whole, found = fastexcel.read_excel(str(path)).load_sheet(0, header_row=0, schema_sample_rows=None) \
        .to_arrow_with_errors()
    from pyaddin.prefetch import error_cells

    assert [(r, c) for r, c, _ in error_cells(found)] == [(8, 3), (30, 3)]  # error cells, as a whole read finds them
    with zipfile.ZipFile(path) as z:
        part = sources._sheet_part(z, 0)
    for rows in (7, 13, 100):
        table, generated, errors = slices.read_in_slices(path, part, 0, 0, rows)
        assert errors == error_cells(found), rows  # the error cells of every slice, by row of the whole sheet
        assert table.column_names == whole.schema.names and not any(generated)
        assert table.to_pylist() == whole.to_pylist(), rows


def test_an_import_of_a_large_export_in_slices_lands_the_same_rows(tmp_path, monkeypatch):
    from pyaddin import prefetch, slices

    plain = tmp_path / "plain.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", plain)
    assert run_file("import_inspections", plain, Context(), path=SAMPLES / "inspections.xlsx").exit_code == 0
    sliced = tmp_path / "sliced.xlsm"
    shutil.copy(ROOT / "qualitybook.xlsm", sliced)
    calls = []
    real = slices.read_in_slices
    monkeypatch.setattr(slices, "read_in_slices", lambda *a, **k: calls.append(a) or real(*a, **k))
    monkeypatch.setattr(prefetch, "LARGE_BOOK", 0)  # every export counts as large
    monkeypatch.setattr(slices, "SLICE_ROWS", 333)
    assert run_file("import_inspections", sliced, Context(), path=SAMPLES / "inspections.xlsx").exit_code == 0
    assert calls
    shutil.rmtree(colcache.folder(plain))
    shutil.rmtree(colcache.folder(sliced))
    with FileBook(plain) as a, FileBook(sliced) as b:
        pd.testing.assert_frame_equal(a.read(schema.INSPECTIONS).data, b.read(schema.INSPECTIONS).data)


def test_duckdb_reads_the_copy_as_it_is(book):
    import duckdb

    tickets = read_all(book)["tbl_tickets"]
    path = str(colcache.path_of(book, "tbl_tickets"))
    n, ids, first = duckdb.execute("select count(*), count(distinct ticket_id), min(created_at) from read_parquet(?)",
                                   [path]).fetchone()
    assert (n, ids) == (len(tickets), tickets["ticket_id"].nunique())
    assert pd.Timestamp(first) == tickets["created_at"].min()
    by_category = dict(duckdb.execute("select category, count(*) from read_parquet(?) group by category",
                                      [path]).fetchall())
    blank = by_category.pop(None, 0)
    assert blank == tickets["category"].isna().sum() > 0
    assert by_category == {k: int(v) for k, v in tickets["category"].value_counts().items()}


def test_a_book_in_a_folder_named_like_a_pattern_or_a_partition_reads_its_own_copy_alone(book, tmp_path):
    """DuckDB reads a path with ``[``, ``*`` or ``?`` as a pattern and a folder ``name=value`` as a column: the copy
    of a book in ``channel=web/Q[12]`` beside ``channel=web/Q1`` (another book's copy) is read as the one file it
    is, its channels as written."""
    expected = run_file("kpi", book, Context(), quarter="2026Q3").data
    odd = tmp_path / "channel=web" / "Q[12]"
    decoy = tmp_path / "channel=web" / "Q1"
    odd.mkdir(parents=True)
    shutil.copy(book, odd / book.name)
    shutil.copytree(colcache.folder(book), colcache.folder(odd / book.name))
    shutil.copytree(colcache.folder(book), colcache.folder(decoy / book.name))  # a neighbour's copy of the same name
    got = run_file("kpi", odd / book.name, Context(), quarter="2026Q3").data
    assert got["overall"]["tickets"] == expected["overall"]["tickets"]
    assert got == expected


def test_an_action_reads_the_copy_it_checked_even_if_the_copy_is_replaced_meanwhile(book, tmp_path):
    """DuckDB opens the copy again at every query: the rows are read under a name of the run's own for the very
    file checked (a hard link), so another run's new copy, put in place meanwhile, is not read half-way through an
    action; the name goes once the rows are collected (at the engine's next use: the runner's end of every action),
    and a killed run's names are swept by the next run."""
    import gc
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    path = colcache.path_of(book, "tbl_tickets")
    left = path.with_name(f".tbl_tickets.{int(dead.stdout)}-1{colcache.PINNED}")  # a killed run's name
    __import__("os").link(path, left)
    with FileBook(book) as b:
        rows = b.rows(schema.TICKETS)
        n = rows.count()
        assert not left.exists()
        pins = [p for p in colcache.folder(book).iterdir() if p.name.endswith(colcache.PINNED)]
        assert len(pins) == 1
        other = tmp_path / "other.parquet"
        shutil.copy(colcache.path_of(book, "tbl_surveys"), other)
        __import__("os").replace(other, path)  # another run's copy, under the same name
        assert rows.count() == n and n > len(pd.read_parquet(path))
        del rows
        gc.collect()
        duck.tidy()
    assert not [p for p in colcache.folder(book).iterdir() if p.name.endswith(colcache.PINNED)]


def test_where_no_link_can_be_made_the_copy_is_read_under_its_own_name(book, monkeypatch):
    """A FAT drive or a network share that refuses hard links: the checked copy is read where it is."""
    import os

    def refuse(src, dst, *a, **k):
        raise OSError(1, "Operation not permitted")
    monkeypatch.setattr(os, "link", refuse)
    expected = len(pd.read_parquet(colcache.path_of(book, "tbl_tickets")))
    with FileBook(book) as b:
        rows = b.rows(schema.TICKETS)
        assert rows is not None and rows.count() == expected
    assert not [p for p in colcache.folder(book).iterdir() if p.name.endswith(colcache.PINNED)]
