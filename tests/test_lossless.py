"""A CLI write changes only the parts it must; the rest, ribbon relationship included, stays byte-identical."""
import os
import stat

from conftest import ROOT, parts, user_book


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
    assert r.exit_code == 2 and "正被其他程序" in r.output and "未做任何修改" in r.output
    assert book.read_bytes() == original
    lock.unlink()
    os.chmod(book, stat.S_IREAD)
    try:
        if os.access(book, os.W_OK):  # root ignores permission bits: the mode check still refuses
            pass
        r = runner.invoke(cli, ["--lang", "en", "import", str(book), src, "--into", "tickets"])
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
    from pyaddin.colcache import FOLDER
    from pyaddin.lock import lock_path

    kept = [p.name for p in book.parent.iterdir() if p.name != FOLDER]  # the columnar copies of what was read
    assert sorted(kept) == sorted([book.name, lock_path(book).name])


def test_a_write_failing_half_way_through_a_streamed_sheet_leaves_the_book_as_it_was(book, monkeypatch, runner, cli):
    from pyaddin.lock import temp_prefix
    from pyaddin.ooxml import sheetdata

    real = sheetdata.SheetWrite.chunks

    def half(self):
        gen = real(self)
        yield next(gen)
        raise OSError("network drive went away")
    monkeypatch.setattr(sheetdata.SheetWrite, "chunks", half)
    original = book.read_bytes()
    r = runner.invoke(cli, ["import", str(book), str(ROOT / "samples" / "tickets.csv"), "--into", "tickets"])
    assert r.exit_code == 1 and "network drive went away" in r.output and "Traceback" not in r.output
    assert book.read_bytes() == original
    assert not list(book.parent.glob(temp_prefix(book) + "*"))


import pytest  # noqa: E402


@pytest.mark.parametrize("kernel", ["copies", "absent", "refuses", "stops half-way"])
def test_a_large_part_kept_as_it_is_is_copied_byte_for_byte(tmp_path, monkeypatch, kernel):
    """A million-row sheet the action does not change is copied in the kernel where it can be, otherwise (no such
    call, a file system that refuses it, a copy that stops short) the rest a slice at a time; either way every kept
    part, its compressed bytes and CRC, is what it was."""
    import errno
    import zipfile

    from pyaddin.ooxml import package

    calls = []
    real = getattr(os, "copy_file_range", None)
    if kernel == "absent" or real is None:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    elif kernel == "copies":
        monkeypatch.setattr(os, "copy_file_range", lambda *a: calls.append(a[2]) or real(*a))
    elif kernel == "refuses":
        def refuse(*a):
            calls.append(a[2])
            raise OSError(errno.EXDEV, "cross-device")
        monkeypatch.setattr(os, "copy_file_range", refuse)
    else:  # the first call copies a part of what is asked, the next copies nothing
        def short(src, dst, count, offset_src, offset_dst):
            calls.append(count)
            return real(src, dst, min(count, 12345), offset_src, offset_dst) if len(calls) % 2 else 0
        monkeypatch.setattr(os, "copy_file_range", short)
    book = tmp_path / "big.xlsx"
    big, after = os.urandom(3 * package.BIG_PART), os.urandom(package.BIG_PART + 17)  # incompressible
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", big)
        z.writestr("xl/worksheets/sheet2.xml", "<worksheet/>")
        z.writestr("xl/worksheets/sheet3.xml", after)
    with zipfile.ZipFile(book) as z:
        raw_before = {i.filename: (i.CRC, i.compress_size) for i in z.infolist()}
    pkg = package.Package(book)
    pkg.write("xl/worksheets/sheet2.xml", b"<worksheet><sheetData/></worksheet>")
    pkg.save(backup=False)
    pkg.close()
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
        assert z.read("xl/worksheets/sheet1.xml") == big and z.read("xl/worksheets/sheet3.xml") == after
        assert z.read("xl/worksheets/sheet2.xml") == b"<worksheet><sheetData/></worksheet>"
        kept = {i.filename: (i.CRC, i.compress_size) for i in z.infolist() if i.filename != "xl/worksheets/sheet2.xml"}
    assert kept == {k: v for k, v in raw_before.items() if k != "xl/worksheets/sheet2.xml"}
    if kernel == "copies" and real is not None:
        assert calls and sum(calls) >= len(big)  # the two large parts went through the kernel
    elif kernel != "absent" and real is not None:
        assert len(calls) >= 2  # asked of the kernel for each large part, the rest read and written
