"""A CLI write changes only the parts it must; the rest, ribbon relationship included, stays byte-identical."""
import os
import stat

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image
from openpyxl.workbook.defined_name import DefinedName

from conftest import ROOT, parts
from pyaddin.build.workbook import build_book


def _png(path):
    from PIL import Image as PILImage

    PILImage.new("RGB", (4, 4), "red").save(path)
    return path


def user_book(tmp_path):
    """Our workbook with what a user adds by hand: a sheet, a chart, an image and a name."""
    png = _png(tmp_path / "logo.png")

    def customise(wb: openpyxl.Workbook):
        ws = wb.create_sheet("我的分析")
        for row in (["月份", "投诉"], ["7月", 12], ["8月", 9], ["9月", 15]):
            ws.append(row)
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=4), titles_from_data=True)
        ws.add_chart(chart, "D2")
        ws.add_image(Image(str(png)), "D20")
        wb.defined_names["投诉合计"] = DefinedName("投诉合计", attr_text="'我的分析'!$B$2:$B$4")

    return build_book(tmp_path / "user.xlsm", "zh", customise)


def test_import_leaves_every_other_part_byte_identical(tmp_path, runner, cli):
    book = user_book(tmp_path)
    before = parts(book)
    assert any(n.startswith("xl/charts/") for n in before) and any(n.startswith("xl/media/") for n in before)
    r = runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "tickets.csv"), "--into", "tickets"])
    assert r.exit_code == 0, r.output
    after = parts(book)
    changed = {n for n in before if before[n] != after.get(n)}
    assert set(after) == set(before)
    # the tickets sheet and table, the log sheet and table: nothing else
    from pyaddin.book import FileBook

    with FileBook(book) as b:
        own = {b.locs[t].sheet_part for t in ("tbl_tickets", "tbl_log")} | {b.locs[t].table_part for t in ("tbl_tickets", "tbl_log")}
    assert changed == own, changed
    assert b"ui/extensibility" in after["_rels/.rels"] and after["customUI/customUI14.xml"] == before["customUI/customUI14.xml"]
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert book.with_name(book.name + ".bak").read_bytes() != book.read_bytes()
    assert parts(book.with_name(book.name + ".bak")) == before


def test_a_book_open_in_excel_or_read_only_is_refused_untouched(book, runner, cli):
    src = str(ROOT / "samples" / "tickets.csv")
    original = book.read_bytes()
    lock = book.with_name("~$" + book.name)
    lock.write_bytes(b"owner")
    r = runner.invoke(cli, ["import", str(book), src, "--into", "tickets"])
    assert r.exit_code == 2 and "正被其他程序" in r.output and "nothing was changed" in r.output
    assert book.read_bytes() == original
    lock.unlink()
    os.chmod(book, stat.S_IREAD)
    try:
        if os.access(book, os.W_OK):  # root ignores permission bits: the mode check still refuses
            pass
        r = runner.invoke(cli, ["import", str(book), src, "--into", "tickets"])
        assert r.exit_code == 2 and "read-only" in r.output
        assert book.read_bytes() == original
    finally:
        os.chmod(book, stat.S_IREAD | stat.S_IWRITE)


def test_a_failed_write_leaves_no_temporary_file(book, monkeypatch, runner, cli):
    from pyaddin.ooxml import package

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(package, "_write_part", boom)
    original = book.read_bytes()
    r = runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "tickets.csv"), "--into", "tickets"])
    assert r.exit_code == 1 and "disk full" in r.output and "Traceback" not in r.output
    assert book.read_bytes() == original
    from pyaddin.lock import lock_path

    assert sorted(p.name for p in book.parent.iterdir()) == sorted([book.name, lock_path(book).name])
